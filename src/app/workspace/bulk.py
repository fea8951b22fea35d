"""Bulk fixes: one field changed in many rows as one undoable step with one reason.

``bulk_replace`` maps old values to new ones (e.g. "Completed - drug free" -> ``TCDF``) in the
rows given (e.g. every row flagged ``invalid-code``); ``bulk_fill`` fills a field from a list
keyed by record (e.g. missing care plan dates). Both are vectorised over the working column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from app.workspace.edits import Change
from app.workspace.locate import as_text

if TYPE_CHECKING:
    from app.workspace.workspace import Workspace


def _positions(ws: Workspace, table: str, rows: Any) -> np.ndarray:
    n = len(ws.working().frame(table))
    if rows is None:
        return np.arange(n, dtype=np.int64)
    rows = list(rows) if isinstance(rows, Iterable) and not isinstance(rows, (str, tuple)) else [rows]
    if all(isinstance(r, (int, np.integer)) and not isinstance(r, bool) for r in rows):
        positions = np.asarray(rows, dtype=np.int64)
        if len(positions) and (positions.min() < 0 or positions.max() >= n):
            raise KeyError(f"{table} has no row at some of the positions given")
        return np.unique(positions)
    return np.unique(np.array([ws.locate(table, r) for r in rows], dtype=np.int64))


def _empty(kind: str) -> Change:
    return Change(batch_id=0, kind=kind, edits=[])


def bulk_replace(ws: Workspace, table: str, field: str, replacements: Mapping[Any, Any], *,
                 rows: Any, reason: str) -> Change:
    """Replace each old value by its new value in ``field`` of the rows given (None: every row)."""
    ws._field(table, field)
    positions = _positions(ws, table, rows)
    current = ws.working().frame(table)[field].to_numpy(dtype=object)[positions]
    new = current.copy()
    hit = np.zeros(len(current), dtype=bool)
    blank = pd.isna(pd.Series(current, dtype=object)).to_numpy()
    for old_value, new_value in replacements.items():
        old_text = as_text(old_value)
        # The first mapping that matches a value wins.
        mask = (blank if old_text is None else (current == old_text)) & ~hit
        new[mask] = as_text(new_value)
        hit |= mask
    changed = np.array([a != b for a, b in zip(current, new, strict=True)], dtype=bool) & hit
    if not changed.any():
        return _empty("bulk-replace")
    olds = ", ".join(repr(k) for k in list(replacements)[:3]) + (" ..." if len(replacements) > 3 else "")
    description = f"Replace {olds} in {field} of {int(changed.sum())} {table} rows"
    return ws.commit("bulk-replace", description, reason,
                     [(table, field, positions[changed], new[changed], None)])


def bulk_fill(ws: Workspace, table: str, field: str, values: Mapping[Any, Any] | pd.Series, *,
              reason: str, overwrite: bool) -> Change:
    """Fill ``field`` from record key (``provider/episode``, with ``/modality_id`` or ``/top_id`` for
    child tables) -> value. Blank cells only unless ``overwrite``; keys that cannot be placed are
    returned in ``Change.skipped`` with why."""
    ws._field(table, field)
    working = ws.working()
    items = values.items() if isinstance(values, (Mapping, pd.Series)) else values
    wanted = pd.DataFrame([(str(k), as_text(v)) for k, v in items], columns=["key", "value"])
    _, keys = working.row_keys(table)
    counts = keys.value_counts()
    place = pd.Series(np.arange(len(keys)), index=keys.to_numpy()).groupby(level=0).first()
    n = wanted["key"].map(counts).fillna(0).astype(int)
    skipped = {k: "no such record" for k in wanted.loc[n == 0, "key"]}
    skipped |= {k: f"{c} rows have this key" for k, c in zip(wanted.loc[n > 1, "key"], n[n > 1], strict=True)}
    wanted = wanted[n == 1].drop_duplicates("key", keep="last")
    positions = wanted["key"].map(place).to_numpy(np.int64)
    current = working.frame(table)[field].to_numpy(dtype=object)[positions]
    new = wanted["value"].to_numpy(dtype=object)
    filled = pd.notna(pd.Series(current, dtype=object)).to_numpy()
    if not overwrite:
        skipped |= {k: "already has a value" for k in wanted["key"][filled]}
    keep = np.array([a != b for a, b in zip(current, new, strict=True)], dtype=bool)
    if not overwrite:
        keep &= ~filled
    if not keep.any():
        change = _empty("bulk-fill")
    else:
        change = ws.commit("bulk-fill", f"Fill {field} of {int(keep.sum())} {table} rows", reason,
                           [(table, field, positions[keep], new[keep], None)])
    change.skipped = skipped
    return change
