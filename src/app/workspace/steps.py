"""Appending one step (an edit, a bulk fix, an undo, a redo) and applying it to the working tables.

The step's edit rows are computed first (old values from the working tables), written in one
transaction, and only then applied to the working frames: a failed write changes nothing.
"""

from __future__ import annotations

import sqlite3

import numpy as np

from app.workspace.edits import EDIT_COLUMNS, Change, Edit, insert_batch, now, plain, read_edits, user_name
from app.workspace.store import Store
from app.workspace.working import Working
from rules.columns import SOURCE_FILE, SOURCE_ROW, column_names

#: (table, field, working positions, new values, ids of the edits undone/redone or None)
Group = tuple[str, str, np.ndarray, np.ndarray, np.ndarray | None]


def commit(store: Store, working: Working, *, kind: str, description: str, reason: str, groups: list[Group],
           ref_batch: int | None, edit_kind: str) -> Change:
    user, time = user_name(), now()
    rows: list[tuple] = []        # EDIT_COLUMNS after id and batch_id, in order
    positions: list[int] = []
    for table, field, where, values, refs in groups:
        if field not in column_names(table):
            raise KeyError(f"{table} has no editable field {field!r}")
        frame = working.frame(table)
        source_ids, seqs = working.cells_of(table, where)
        record, key = working.row_keys(table, where)
        picked = {c: frame[c].to_numpy(dtype=object)[where] for c in (SOURCE_ROW, SOURCE_FILE, field)}
        for i, position in enumerate(where.tolist()):
            rows.append((edit_kind, None if refs is None else plain(refs[i]), table, int(source_ids[i]), int(seqs[i]),
                         plain(picked[SOURCE_ROW][i]), plain(picked[SOURCE_FILE][i]), record.iat[i], key.iat[i],
                         field, plain(picked[field][i]), plain(values[i]), reason, user, time))
            positions.append(position)
    with store.transaction() as conn:
        batch_id = insert_batch(conn, kind=kind, description=description, reason=reason,
                                ref_batch=ref_batch, user=user, time=time)
        first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM edits").fetchone()[0]
        conn.executemany(f"INSERT INTO edits ({', '.join(EDIT_COLUMNS)}) VALUES ({', '.join('?' * len(EDIT_COLUMNS))})",
                         [(first + i, batch_id, *row) for i, row in enumerate(rows)])
    changed: dict[str, np.ndarray] = {}
    for table, field, where, values, _ in groups:
        working.apply(table, where, field, values)
        changed[table] = np.union1d(changed.get(table, np.array([], dtype=np.int64)), where)
    edits = [Edit(first + i, batch_id, *row, positions[i]) for i, row in enumerate(rows)]
    return Change(batch_id, kind, edits, changed)


def replay_groups(conn: sqlite3.Connection, working: Working, batch_id: int, kind: str) -> list[Group]:
    """The groups that undo (old values back) or redo (new values again) one step."""
    edits = read_edits(conn, "WHERE batch_id = ?", (batch_id,))
    groups = []
    for (table, field), part in edits.groupby(["table_name", "field"], sort=False):
        positions = (part["source_id"].map(working.starts[table]) + part["seq"]).to_numpy(np.int64)
        values = (part["old_value"] if kind == "undo" else part["new_value"]).to_numpy(dtype=object)
        groups.append((table, field, positions, values, part["id"].to_numpy()))
    return groups
