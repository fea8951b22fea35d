"""Reading the workspace's history: the audit trail as users read it, and the steps undo and redo
walk through (what the app's History panel is rebuilt from when a workspace is opened)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pandas as pd

from app.workspace import accepted as _accepted
from app.workspace import config as _config
from app.workspace.edits import UndoStacks, history_frame, read_edits
from app.workspace.working import Working


def history(conn: sqlite3.Connection, *, record: str | None = None, table: str | None = None,
            field: str | None = None) -> pd.DataFrame:
    """The audit trail in the order things were done: every edit (undo, redo, carried and orphaned
    ones included), every acceptance and withdrawal, and every setting a settings change altered."""
    edits = read_edits(conn)
    batches = pd.read_sql_query("SELECT id, kind, description FROM batches", conn)
    others = pd.concat([_accepted.trail(conn), pd.DataFrame(_config.trail(conn))], ignore_index=True)
    frame = history_frame(edits, batches)
    if len(others):
        frame = pd.concat([frame, others.reindex(columns=frame.columns)], ignore_index=True)
        frame = frame.sort_values(["time", "batch_id"], kind="stable", na_position="last")
    for column, value in (("record", record), ("table", table), ("field", field)):
        if value is not None:
            frame = frame[frame[column] == value]
    whole = {c: "Int64" for c in ("id", "ref_edit", "batch_id", "row", "source_id", "seq")}
    return frame.astype(whole).reset_index(drop=True)  # ids stay whole numbers beside blank ones


def readable_time(text: object) -> object:
    """``2025-06-17T14:05:09+00:00`` (UTC, as kept) -> ``17/06/2025 15:05`` in this computer's time
    zone, as a person reads it; anything else is left as it is."""
    if not isinstance(text, str):
        return text
    try:
        return dt.datetime.fromisoformat(text).astimezone().strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return text


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """The audit trail as people read it (the app's History and the exported files): times
    dd/mm/yyyy hh:mm, and ISO dates in the values of date fields dd/mm/yyyy. Ids and other values
    stay as they were."""
    from app.words import day_first
    from rules import columns

    out = frame.copy()
    if "time" in out.columns and len(out):
        times = {t: readable_time(t) for t in out["time"].dropna().unique()}
        out["time"] = out["time"].astype(object).map(lambda t: times.get(t, t) if isinstance(t, str) else t)
    if "field" in out.columns and len(out):
        dates = {c.name for table in columns.COLUMNS.values() for c in table if c.type == "date"}
        is_date = out["field"].isin(dates).to_numpy(dtype=bool)
        for column in ("old", "new"):
            if column in out.columns and is_date.any():
                out[column] = out[column].astype(object)
                out.loc[is_date, column] = out.loc[is_date, column].map(day_first)
    return out


def undo_steps(conn: sqlite3.Connection, stacks: UndoStacks) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(batch id, what the step did) for the steps done and those undone, oldest first.

    A redone step is named as the step it redoes, so the History reads the same after reopening.
    """
    rows = {int(i): (k, r, d) for i, k, r, d in conn.execute("SELECT id, kind, ref_batch, description FROM batches")}

    def label(batch_id: int) -> str:
        kind, ref, description = rows[batch_id]
        while kind == "redo" and ref is not None and ref in rows:
            kind, ref, description = rows[ref]
        return description

    return [(b, label(b)) for b in stacks.done], [(b, label(b)) for b in stacks.undone]


def batch_edits(conn: sqlite3.Connection, working: Working, batch_id: int) -> pd.DataFrame:
    """The edits of one step, with each row's current working ``position`` (-1: no longer active)."""
    edits = read_edits(conn, "WHERE batch_id = ?", (batch_id,))
    edits["position"] = [working.starts[t][s] + q if s in working.starts[t] else -1
                         for t, s, q in zip(edits["table_name"], edits["source_id"], edits["seq"], strict=True)]
    return edits


def batch_acceptances(conn: sqlite3.Connection, batch_id: int) -> pd.DataFrame:
    """The acceptances (``withdrawn`` False) and withdrawals one step made, as findings rows."""
    rows = conn.execute(
        "SELECT rule, severity, table_name, record, provider, file, row, fields_json, values_json, "
        "message, withdraws IS NOT NULL FROM accepted WHERE batch_id = ? ORDER BY id", (batch_id,)).fetchall()
    frame = pd.DataFrame.from_records(rows, columns=["rule", "severity", "table", "record", "provider", "file",
                                                     "row", "fields", "values", "message", "withdrawn"])
    frame["fields"] = [tuple(json.loads(t)) for t in frame["fields"]]
    frame["values"] = [tuple(json.loads(t)) for t in frame["values"]]
    frame["withdrawn"] = frame["withdrawn"].astype(bool)
    return frame


def last_changed(conn: sqlite3.Connection) -> dt.datetime | None:
    """When anything was last saved (UTC), or None for an empty workspace."""
    times = [t for (t,) in conn.execute("SELECT max(time) FROM batches UNION ALL SELECT max(time) FROM accepted "
                                        "UNION ALL SELECT max(time) FROM settings_log") if t]
    return dt.datetime.fromisoformat(max(times)) if times else None
