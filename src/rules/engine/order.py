"""Findings in reading order (file, table, row, rule), and merging a re-check's few findings into them."""

from __future__ import annotations

import bisect
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from rules.columns import TABLES
from rules.findings import FINDING_COLUMNS, normalise

_TEXT_COLUMNS = ("rule", "severity", "category", "provider", "file", "table", "record", "message")


def sort_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings in the order people read them: file, table (episodes, modalities, tops), row, rule."""
    if not len(findings):
        return normalise(findings.drop(columns=["_pos"], errors="ignore"))
    order = _reading_order(findings)
    return finish(findings.iloc[order])


def finish(findings: pd.DataFrame) -> pd.DataFrame:
    """``findings.normalise`` for frames the engine built (fields and values already tuples)."""
    out = findings.reindex(columns=list(FINDING_COLUMNS))
    out["row"] = pd.array(out["row"], dtype="Int64")
    for name in _TEXT_COLUMNS:
        out[name] = out[name].fillna("").astype(str)
    return out.reset_index(drop=True)


def _table_ranks(table: pd.Series) -> np.ndarray:
    return np.select([(table == t).to_numpy(dtype=bool, na_value=False) for t in TABLES],
                     list(range(len(TABLES))), default=len(TABLES))


def _rows(findings: pd.DataFrame) -> np.ndarray:
    return pd.to_numeric(findings["row"], errors="coerce").fillna(0).to_numpy(dtype=np.int64)


def _reading_order(findings: pd.DataFrame) -> np.ndarray:
    file_codes = pd.factorize(findings["file"].astype(object).fillna(""), sort=True)[0]
    rule_codes = pd.factorize(findings["rule"].astype(object), sort=True)[0]
    return np.lexsort((np.arange(len(findings)), rule_codes, _rows(findings), _table_ranks(findings["table"]),
                       file_codes))


def order_keys(findings: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """Per finding: file, table rank, row, rule (the sort keys of ``sort_findings``)."""
    return (findings["file"].to_numpy(dtype=object), _table_ranks(findings["table"]), _rows(findings),
            findings["rule"].to_numpy(dtype=object))


def merge_sorted(old: pd.DataFrame, keys: tuple[np.ndarray, ...], gone: np.ndarray,
                 fresh: pd.DataFrame) -> tuple[pd.DataFrame, tuple[np.ndarray, ...]]:
    """``old`` without the rows at ``gone`` (positions) plus ``fresh`` (normalised), in reading order.

    ``old`` is sorted, so each fresh finding is placed by binary search and the result is glued
    from slices of ``old``: the cost is one concatenation, not a sort or a full ``take``.
    """
    fresh_keys = order_keys(fresh) if len(fresh) else tuple(k[:0] for k in keys)
    fresh_order = sorted(range(len(fresh)), key=lambda i: tuple(k[i] for k in fresh_keys))
    gone = np.unique(np.asarray(gone, dtype=np.int64))

    def key_at(i: int) -> tuple[Any, ...]:
        return tuple(k[i] for k in keys)

    # insertion point in ``old`` of each fresh finding (no kept finding shares its full key)
    at = [bisect.bisect_right(range(len(old)), tuple(k[i] for k in fresh_keys), key=key_at) for i in fresh_order]
    # cut points: around every removed row and at every insertion point
    pieces: list[tuple[str, int, int]] = []  # ("old", start, stop) or ("new", i, i + 1)
    events = sorted([(int(g), 1, -1) for g in gone] + [(int(p), 0, j) for j, p in enumerate(at)])
    start = 0
    for pos, kind, j in events:
        if pos > start:
            pieces.append(("old", start, pos))
            start = pos
        if kind == 0:
            pieces.append(("new", fresh_order[j], fresh_order[j] + 1))
        else:
            start = pos + 1
    if start < len(old):
        pieces.append(("old", start, len(old)))
    if not len(gone) and not len(fresh):
        return old, keys
    if not pieces:  # every finding went away
        return old.iloc[:0].reset_index(drop=True), tuple(k[:0] for k in keys)
    merged = pd.DataFrame({name: _glue(old[name], fresh[name], pieces) for name in FINDING_COLUMNS})
    new_keys = tuple(np.concatenate([k[a:b] if src == "old" else f[a:b] for src, a, b in pieces])
                     if pieces else k[:0] for k, f in zip(keys, fresh_keys, strict=True))
    return merged, new_keys


def _glue(old: pd.Series, fresh: pd.Series, pieces: list[tuple[str, int, int]]) -> Any:
    """One column of the merged findings, copied once (arrow text stays one chunk: a take from a
    chunked column is ten times slower)."""
    sources = {"old": old.array, "new": fresh.array}
    if hasattr(old.array, "__arrow_array__"):
        arrays = {k: pa.chunked_array(v.__arrow_array__()) for k, v in sources.items()}
        arrays["new"] = arrays["new"].cast(arrays["old"].type)
        chunks = [c for src, a, b in pieces for c in arrays[src].slice(a, b - a).chunks]
        joined = pa.concat_arrays(chunks) if chunks else arrays["old"].combine_chunks()[:0]
        return pd.array(joined, dtype=old.dtype)
    if isinstance(old.dtype, pd.Int64Dtype):
        data = {k: v.to_numpy(dtype=np.int64, na_value=0) for k, v in sources.items()}
        mask = {k: np.asarray(v.isna(), dtype=bool) for k, v in sources.items()}
        return pd.arrays.IntegerArray(np.concatenate([data[src][a:b] for src, a, b in pieces]),
                                      np.concatenate([mask[src][a:b] for src, a, b in pieces]))
    values = {k: np.asarray(v, dtype=object) for k, v in sources.items()}
    return np.concatenate([values[src][a:b] for src, a, b in pieces])


def minus(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Findings of ``a`` that are not in ``b`` (all columns compared)."""
    def key(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
        values = frame[list(FINDING_COLUMNS)].to_numpy(dtype=object)
        return [tuple(row) for row in values]
    other = set(key(b))
    mask = np.array([k not in other for k in key(a)], dtype=bool)
    return a[mask].reset_index(drop=True)
