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


def one_chunk(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """The frame with each arrow-backed column in one chunk (a frame read from several files has one
    chunk per file, and picking a few rows from a chunked column copies all of it: ten times slower)."""
    if frame is None:
        return None
    chunked = {name: values for name, values in frame.items()
               if hasattr(values.array, "_pa_array") and values.array._pa_array.num_chunks > 1}
    if not chunked:
        return frame
    out = frame.copy(deep=False)
    for name, values in chunked.items():
        out[name] = pd.Series(pd.array(values.array._pa_array.combine_chunks(), dtype=values.dtype),
                              index=frame.index)
    return out


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


def numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with rows numbered 0..n-1: itself when they already are (so it stays shared)."""
    index = frame.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return frame
    return frame.reset_index(drop=True)
