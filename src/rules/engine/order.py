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


def merge_sorted(old: FindingRows | pd.DataFrame, keys: tuple[np.ndarray, ...], gone: np.ndarray,
                 fresh: pd.DataFrame) -> tuple[FindingRows, tuple[np.ndarray, ...]]:
    """``old`` without the rows at ``gone`` (positions) plus ``fresh`` (normalised), in reading order.

    ``old`` is sorted, so each fresh finding is placed by binary search and the result is spliced
    from slices of ``old`` (``FindingRows``): the cost is the few findings that changed, not a sort,
    a ``take`` or a copy of the rest.
    """
    old = old if isinstance(old, FindingRows) else FindingRows(old)
    fresh_keys = order_keys(fresh) if len(fresh) else tuple(k[:0] for k in keys)
    fresh_order = sorted(range(len(fresh)), key=lambda i: tuple(k[i] for k in fresh_keys))
    gone = np.unique(np.asarray(gone, dtype=np.int64))
    if not len(gone) and not len(fresh):
        return old, keys

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
    new_keys = tuple(np.concatenate([k[a:b] if src == "old" else f[a:b] for src, a, b in pieces])
                     if pieces else k[:0] for k, f in zip(keys, fresh_keys, strict=True))
    return old.spliced(pieces, fresh), new_keys


#: Slices a ``FindingRows`` may be made of before it is glued into one frame again.
MAX_PIECES = 400


class FindingRows:
    """Findings in reading order, held as slices of a few frames (those of the last full evaluation
    and of each re-check since), so a re-check splices in the findings that changed without copying
    the rest; the one frame is glued (and kept) when it is first asked for."""

    def __init__(self, frame: pd.DataFrame, *, sources: list[pd.DataFrame] | None = None,
                 pieces: list[tuple[int, int, int]] | None = None) -> None:
        self._sources = [frame] if sources is None else sources
        self._pieces = [(0, 0, len(frame))] if pieces is None else pieces  # (source, start, stop)
        self._frame = frame if sources is None else None
        self._starts = np.cumsum([0, *(b - a for _, a, b in self._pieces)], dtype=np.int64)

    def __len__(self) -> int:
        return int(self._starts[-1])

    @property
    def frame(self) -> pd.DataFrame:
        """All the findings as one frame (normalised, one arrow chunk per text column)."""
        if self._frame is None:
            self._frame = self._glued(self._pieces)
            self._sources, self._pieces = [self._frame], [(0, 0, len(self._frame))]
            self._starts = np.array([0, len(self._frame)], dtype=np.int64)
        return self._frame

    def take(self, positions: np.ndarray) -> pd.DataFrame:
        """The findings at these positions, in this order (index 0..n-1)."""
        positions = np.asarray(positions, dtype=np.int64)
        if self._frame is not None:
            return self._frame.iloc[positions].reset_index(drop=True)
        return self._glued([piece for p in positions.tolist() for piece in self._slice(p, p + 1)])

    def spliced(self, plan: list[tuple[str, int, int]], fresh: pd.DataFrame) -> FindingRows:
        """New rows from ``plan``: ``("old", start, stop)`` ranges of these rows and ``("new", i, j)``
        ranges of ``fresh``; glued into one frame once there are ``MAX_PIECES`` slices."""
        extra = len(self._sources)
        pieces: list[tuple[int, int, int]] = []
        for src, a, b in plan:
            for piece in (self._slice(a, b) if src == "old" else [(extra, a, b)]):
                if pieces and pieces[-1][0] == piece[0] and pieces[-1][2] == piece[1]:
                    pieces[-1] = (piece[0], pieces[-1][1], piece[2])  # contiguous: one slice
                else:
                    pieces.append(piece)
        sources = [*self._sources, fresh] if len(fresh) else self._sources
        out = FindingRows(self._sources[0], sources=sources, pieces=pieces)
        if len(pieces) > MAX_PIECES or len(out._sources) > MAX_PIECES:
            return FindingRows(out.frame)
        return out

    def _slice(self, a: int, b: int) -> list[tuple[int, int, int]]:
        """The pieces of the positions ``a`` to ``b`` (end excluded)."""
        out = []
        i = int(np.searchsorted(self._starts, a, side="right")) - 1
        while a < b:
            src, lo, hi = self._pieces[i]
            lo += a - int(self._starts[i])
            hi = min(hi, lo + b - a)
            out.append((src, lo, hi))
            a += hi - lo
            i += 1
        return out

    def _glued(self, pieces: list[tuple[int, int, int]]) -> pd.DataFrame:
        used = [0, *sorted({src for src, _, _ in pieces} - {0})]  # the first source gives the dtypes
        at = {src: i for i, src in enumerate(used)}
        pieces = [(at[src], a, b) for src, a, b in pieces]
        sources = [self._sources[i] for i in used]
        return pd.DataFrame({name: glue([s[name] for s in sources], pieces) for name in FINDING_COLUMNS},
                            copy=False)  # the glued arrays are new: no second copy


def glue(columns: list[pd.Series], pieces: list[tuple[int, int, int]]) -> Any:
    """One column joined from slices ``(source, start, stop)`` of ``columns`` and copied once, in the
    first column's dtype: arrow text stays one chunk (a take from a chunked column is ten times
    slower) and numpy columns keep their dtype. Only the slices are read, so a few rows cost little."""
    dtype = columns[0].dtype
    used = {src for src, _, _ in pieces}
    arrays = {i: columns[i].array if type(columns[i].dtype) is type(dtype)
              else pd.array(columns[i].to_numpy(dtype=object), dtype=dtype) for i in used}
    if hasattr(columns[0].array, "_pa_array"):  # arrow-backed text
        chunked = {i: pa.chunked_array(a.__arrow_array__()) for i, a in arrays.items()}
        first = pa.chunked_array(columns[0].array.__arrow_array__()).type
        chunked = {i: a if a.type == first else a.cast(first) for i, a in chunked.items()}
        chunks = [c for src, a, b in pieces for c in chunked[src].slice(a, b - a).chunks]
        return pd.array(pa.concat_arrays(chunks) if chunks else pa.array([], type=first), dtype=dtype)
    if not isinstance(dtype, np.dtype):  # Int64 and other extension arrays: slices are views
        parts = [arrays[src][a:b] for src, a, b in pieces]
        return type(columns[0].array)._concat_same_type(parts) if parts else columns[0].array[:0]
    values = {i: np.asarray(a, dtype=dtype) for i, a in arrays.items()}
    return np.concatenate([values[src][a:b] for src, a, b in pieces]) if pieces else np.asarray(columns[0])[:0]


def minus(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Findings of ``a`` that are not in ``b`` (all columns compared)."""
    def key(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
        values = frame[list(FINDING_COLUMNS)].to_numpy(dtype=object)
        return [tuple(row) for row in values]
    other = set(key(b))
    mask = np.array([k not in other for k in key(a)], dtype=bool)
    return a[mask].reset_index(drop=True)
