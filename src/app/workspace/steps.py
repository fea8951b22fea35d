"""Appending one step (an edit, a bulk fix, an undo, a redo) and applying it to the working tables.

The step's edit rows are computed first (old values from the working tables), written in one
transaction, and only then applied to the working frames: a failed write changes nothing.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd

from app.workspace.edits import Change, insert_batch, insert_edits, now, read_edits, to_edits, user_name
from app.workspace.store import Store
from app.workspace.working import Working
from rules.columns import SOURCE_FILE, SOURCE_ROW, column_names

#: (table, field, working positions, new values, ids of the edits undone/redone or None)
Group = tuple[str, str, np.ndarray, np.ndarray, np.ndarray | None]


def commit(store: Store, working: Working, *, kind: str, description: str, reason: str, groups: list[Group],
           ref_batch: int | None, edit_kind: str) -> Change:
    parts = []
    for table, field, positions, values, refs in groups:
        if field not in column_names(table):
            raise KeyError(f"{table} has no editable field {field!r}")
        frame = working.frame(table)
        source_ids, seqs = working.cells_of(table, positions)
        record, key = working.row_keys(table, positions)
        parts.append(pd.DataFrame({
            "kind": edit_kind, "ref_edit": refs if refs is not None else None,
            "table_name": table, "source_id": source_ids, "seq": seqs,
            "row": frame[SOURCE_ROW].to_numpy()[positions], "file": frame[SOURCE_FILE].to_numpy()[positions],
            "record": record.to_numpy(), "row_key": key.to_numpy(), "field": field,
            "old_value": frame[field].to_numpy()[positions], "new_value": values, "_position": positions}))
    rows = pd.concat(parts, ignore_index=True).astype({"ref_edit": object})
    user, time = user_name(), now()
    rows = rows.assign(reason=reason, user=user, time=time)
    with store.transaction() as conn:
        batch_id = insert_batch(conn, kind=kind, description=description, reason=reason,
                                ref_batch=ref_batch, user=user, time=time)
        rows["batch_id"] = batch_id
        rows["id"] = insert_edits(conn, rows)
    changed: dict[str, np.ndarray] = {}
    for table, field, positions, values, _ in groups:
        working.apply(table, positions, field, values)
        changed[table] = np.union1d(changed.get(table, np.array([], dtype=np.int64)), positions)
    return Change(batch_id, kind, to_edits(rows, rows["_position"].to_numpy()), changed)


def replay_groups(conn: sqlite3.Connection, working: Working, batch_id: int, kind: str) -> list[Group]:
    """The groups that undo (old values back) or redo (new values again) one step."""
    edits = read_edits(conn, "WHERE batch_id = ?", (batch_id,))
    groups = []
    for (table, field), part in edits.groupby(["table_name", "field"], sort=False):
        positions = (part["source_id"].map(working.starts[table]) + part["seq"]).to_numpy(np.int64)
        values = (part["old_value"] if kind == "undo" else part["new_value"]).to_numpy(dtype=object)
        groups.append((table, field, positions, values, part["id"].to_numpy()))
    return groups
