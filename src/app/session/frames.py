"""Small frame helpers the session's parts share (blank test, fast membership, empty tables)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rules import columns


def among(values: Any, others: Any) -> np.ndarray:
    """Which ``values`` are in ``others`` (hash lookup on object arrays: fast for 100k keys)."""
    return pd.Index(np.asarray(values, dtype=object), dtype=object).isin(
        pd.Index(np.asarray(others, dtype=object), dtype=object))


def blank(value: Any) -> bool:
    """A RAW blank: None, NaN (pandas ``str`` columns) or NA."""
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def empty_raw(table: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object)
                         for c in [*columns.column_names(table), *columns.SOURCE_COLUMNS]})


def with_extra(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings with the session's own columns: ``pos``, ``accepted``, ``accept_reason``, ``key``."""
    out = findings.copy()
    out["pos"] = np.full(len(out), -1, dtype=np.int64)
    out["accepted"] = np.zeros(len(out), dtype=bool)
    out["accept_reason"] = ""
    out["key"] = pd.Series([], dtype=object) if not len(out) else ""
    return out
