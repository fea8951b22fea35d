"""Bulk fixes: one field changed in many rows as one undoable step with one reason.

``bulk_replace`` maps old values to new ones (e.g. "Completed - drug free" -> ``TCDF``) in the
rows given (e.g. every row flagged ``invalid-code``); ``bulk_fill`` fills a field from a list
keyed by record (e.g. missing care plan dates). Both are vectorised over the working column.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from app.workspace.locate import as_text
from app.workspace.steps import Group
from app.workspace.working import Working

#: What a bulk fix would do: its description and the groups to commit (none when nothing changes).
Plan = tuple[str, list[Group]]


def replace_plan(working: Working, table: str, field: str, replacements: Mapping[Any, Any],
                 positions: np.ndarray) -> Plan:
    """Replace each old value by its new value in ``field`` of the rows at ``positions``."""
    current = working.frame(table)[field].to_numpy(dtype=object)[positions]
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
        return "", []
    olds = ", ".join(repr(k) for k in list(replacements)[:3]) + (" ..." if len(replacements) > 3 else "")
    return (f"Replace {olds} in {field} of {int(changed.sum())} {table} rows",
            [(table, field, positions[changed], new[changed], None)])


def fill_plan(working: Working, table: str, field: str, values: Mapping[Any, Any] | pd.Series, *,
              overwrite: bool) -> tuple[Plan, dict[str, str]]:
    """Fill ``field`` from record key (``provider/episode``, with ``/modality_id`` or ``/top_id`` for
    child tables) -> value. Blank cells only unless ``overwrite``; also the keys that cannot be
    placed, with why."""
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
        return ("", []), skipped
    return (f"Fill {field} of {int(keep.sum())} {table} rows", [(table, field, positions[keep], new[keep], None)]), skipped
