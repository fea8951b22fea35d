"""Edits: every fix is an appended row (who, when, from what, to what, why); nothing is deleted.

A *batch* is one undoable step (a single edit, a bulk fix, an undo, a redo, an import). Undo
appends edits that put the old values back, marked as undo of edit N; redo appends the new
values again. The undo/redo stacks are replayed from the batches, so they survive a restart.
An import starts the stacks afresh (its carried edits are not undoable steps).
"""

from __future__ import annotations

import datetime as dt
import getpass
import sqlite3
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: Batch kinds that are undoable steps (accept and withdraw change acceptances, not cells).
ACTIONS = ("edit", "bulk-replace", "bulk-fill", "accept", "withdraw")

EDIT_COLUMNS = ("id", "batch_id", "kind", "ref_edit", "table_name", "source_id", "seq", "row", "file",
                "record", "row_key", "field", "old_value", "new_value", "reason", "user", "time")


def now() -> str:
    """UTC time as ISO text, to the second (what the audit trail shows)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def user_name() -> str:
    """The login name edits are signed with."""
    try:
        return getpass.getuser()
    except Exception:  # no login name available (rare service accounts)
        return "unknown"


@dataclass(frozen=True)
class Edit:
    """One appended edit. ``position`` is the row's position in the working table at the time."""

    id: int
    batch_id: int
    kind: str
    ref_edit: int | None
    table: str
    source_id: int
    seq: int
    row: int | None
    file: str | None
    record: str
    row_key: str
    field: str
    old_value: str | None
    new_value: str | None
    reason: str
    user: str
    time: str
    position: int | None = None


@dataclass
class Change:
    """What one step did: its batch, its edits, and the working rows it changed, per table."""

    batch_id: int
    kind: str
    edits: list[Edit]
    changed: dict[str, np.ndarray] = field(default_factory=dict)
    #: Keys (record or row key) a bulk fill could not place, with why.
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def records(self) -> set[str]:
        """The records (provider/episode) this step touched, for re-validation."""
        return {e.record for e in self.edits}


def insert_batch(conn: sqlite3.Connection, *, kind: str, description: str, reason: str,
                 ref_batch: int | None = None, user: str | None = None, time: str | None = None) -> int:
    cur = conn.execute(
        "INSERT INTO batches (kind, ref_batch, description, reason, user, time) VALUES (?, ?, ?, ?, ?, ?)",
        (kind, ref_batch, description, reason, user or user_name(), time or now()))
    return int(cur.lastrowid)


def insert_edits(conn: sqlite3.Connection, rows: pd.DataFrame) -> list[int]:
    """Append edit rows (columns EDIT_COLUMNS but id); return their new ids in order."""
    first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM edits").fetchone()[0]
    ids = list(range(first, first + len(rows)))
    data = rows.assign(id=ids)[list(EDIT_COLUMNS)]
    records = [tuple(plain(v) for v in r) for r in data.itertuples(index=False, name=None)]
    conn.executemany(f"INSERT INTO edits ({', '.join(EDIT_COLUMNS)}) VALUES "
                     f"({', '.join('?' * len(EDIT_COLUMNS))})", records)
    return ids


def plain(value: object) -> object:
    """numpy scalars and pandas NA as the plain values sqlite3 takes."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def to_edits(frame: pd.DataFrame, positions: np.ndarray | None = None) -> list[Edit]:
    """Edit objects from edit rows (as read back or as just inserted)."""
    out = []
    pos = positions if positions is not None else [None] * len(frame)
    for r, p in zip(frame[list(EDIT_COLUMNS)].itertuples(index=False, name=None), pos, strict=True):
        (id_, batch, kind, ref, table, source, seq, row, file, record, key, fld, old, new,
         reason, user, time) = (plain(v) for v in r)
        out.append(Edit(int(id_), int(batch), kind, None if ref is None else int(ref), table,
                        int(source), int(seq), None if row is None else int(row), file, record, key,
                        fld, old, new, reason, user, time, None if p is None else int(p)))
    return out


def read_edits(conn: sqlite3.Connection, where: str = "", params: tuple = ()) -> pd.DataFrame:
    rows = conn.execute(f"SELECT {', '.join(EDIT_COLUMNS)} FROM edits {where} ORDER BY id", params).fetchall()
    frame = pd.DataFrame.from_records(rows, columns=list(EDIT_COLUMNS))
    return frame.astype({c: object for c in ("old_value", "new_value", "file", "ref_edit", "row")})


def effective_edits(conn: sqlite3.Connection, active: list[int]) -> pd.DataFrame:
    """The last edit of every cell of the active sources (what the working tables show)."""
    if not active:
        return read_edits(conn, "WHERE 0")
    marks = ", ".join("?" * len(active))
    frame = read_edits(conn, f"WHERE kind != 'orphan' AND source_id IN ({marks})", tuple(active))
    return frame.drop_duplicates(["table_name", "source_id", "seq", "field"], keep="last")


@dataclass
class UndoStacks:
    """The undo and redo stacks as batch ids, replayed from the batches table."""

    done: list[int] = field(default_factory=list)
    undone: list[int] = field(default_factory=list)

    def record(self, kind: str, batch_id: int) -> None:
        if kind in ACTIONS:
            self.done.append(batch_id)
            self.undone.clear()
        elif kind == "undo" and self.done:
            self.undone.append(self.done.pop())
        elif kind == "redo" and self.undone:
            self.undone.pop()
            self.done.append(batch_id)
        elif kind == "import":  # ("settings" steps are in the trail but not undoable)
            self.done.clear()
            self.undone.clear()

    @classmethod
    def replay(cls, conn: sqlite3.Connection) -> UndoStacks:
        stacks = cls()
        for batch_id, kind in conn.execute("SELECT id, kind FROM batches ORDER BY id"):
            stacks.record(kind, batch_id)
        return stacks


def history_frame(edits: pd.DataFrame, batches: pd.DataFrame) -> pd.DataFrame:
    """The audit trail as users read it: one row per edit with its step's kind and description."""
    frame = edits.merge(batches.rename(columns={"id": "batch_id", "kind": "step",
                                                "description": "step_description"})
                        [["batch_id", "step", "step_description"]], on="batch_id", how="left")
    frame = frame.rename(columns={"table_name": "table", "old_value": "old", "new_value": "new"})
    order = ["id", "time", "user", "kind", "ref_edit", "batch_id", "step", "step_description", "table",
             "record", "row_key", "file", "row", "field", "old", "new", "reason", "source_id", "seq"]
    return frame[order].reset_index(drop=True)
