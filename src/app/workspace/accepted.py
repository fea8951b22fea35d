"""Accepted findings: a finding accepted with a reason stays accepted while the values it
depends on do not change.

A finding is matched by (rule, table, record, fields, values): the engine reports the values of
the fields the rule looked at, so once any of them changes the finding no longer matches and
must be accepted again. Withdrawing an acceptance appends a row; nothing is deleted.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

import pandas as pd

from app.workspace.edits import insert_batch, now, user_name

COLUMNS = ["id", "rule", "severity", "table", "record", "provider", "file", "row", "fields", "values",
           "message", "reason", "user", "time"]


def _tuple(value: Any) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        return tuple("" if v is None else str(v) for v in value)
    return ("" if value is None else str(value),)


def accept_one(conn: sqlite3.Connection, finding: Mapping[str, Any] | pd.Series, reason: str,
           batch_id: int | None = None, time: str | None = None) -> int:
    if not str(reason).strip():
        raise ValueError("an accepted finding needs a reason")
    row = finding.get("row")
    cur = conn.execute(
        "INSERT INTO accepted (rule, severity, table_name, record, provider, file, row, fields_json, "
        "values_json, message, reason, user, time, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (str(finding["rule"]), str(finding.get("severity", "")), str(finding["table"]), str(finding["record"]),
         str(finding.get("provider", "")), str(finding.get("file", "")),
         None if row is None or pd.isna(row) else int(row),
         json.dumps(_tuple(finding["fields"])), json.dumps(_tuple(finding["values"])),
         str(finding.get("message", "")), reason, user_name(), time or now(), batch_id))
    return int(cur.lastrowid)


def withdraw(conn: sqlite3.Connection, accepted_id: int, reason: str, batch_id: int | None = None,
             time: str | None = None) -> None:
    row = conn.execute("SELECT rule, severity, table_name, record, provider, file, row, fields_json, "
                       "values_json, message FROM accepted WHERE id = ? AND withdraws IS NULL",
                       (accepted_id,)).fetchone()
    if row is None:
        raise KeyError(f"no acceptance {accepted_id}")
    conn.execute("INSERT INTO accepted (rule, severity, table_name, record, provider, file, row, fields_json, "
                 "values_json, message, reason, user, time, withdraws, batch_id) VALUES "
                 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (*row, reason, user_name(), time or now(), accepted_id, batch_id))


def step(conn: sqlite3.Connection, findings: list[Mapping[str, Any]], reason: str, *, accept: bool, kind: str,
         description: str, ref_batch: int | None) -> int:
    """Accept findings (or withdraw their acceptances) as one step of the trail; returns its batch id.

    ``kind``: ``accept``/``withdraw`` for the user's own step, ``undo``/``redo`` (with ``ref_batch``)
    when undo or redo puts an acceptance back or takes it away.
    """
    user, time = user_name(), now()
    batch_id = insert_batch(conn, kind=kind, description=description, reason=reason, ref_batch=ref_batch,
                            user=user, time=time)
    if accept:
        for finding in findings:
            accept_one(conn, finding, reason, batch_id, time)
    else:
        for accepted_id in live_ids(conn, list(findings)):
            withdraw(conn, accepted_id, reason, batch_id, time)
    return batch_id


def live_ids(conn: sqlite3.Connection, findings: list[Mapping[str, Any]]) -> list[int]:
    """The ids of the acceptances in force that match these findings (to withdraw them)."""
    live = accepted(conn)
    wanted = set(_keys(pd.DataFrame(findings))) if findings else set()
    return [int(i) for i, k in zip(live["id"], _keys(live), strict=True) if k in wanted] if len(live) else []


def trail(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every acceptance and withdrawal as audit-trail rows (``edits.history_frame`` columns)."""
    rows = conn.execute(
        "SELECT a.id, a.time, a.user, CASE WHEN a.withdraws IS NULL THEN 'accept' ELSE 'withdraw' END, "
        "a.batch_id, b.kind, b.description, a.table_name, a.record, a.file, a.row, a.rule, a.reason "
        "FROM accepted a LEFT JOIN batches b ON b.id = a.batch_id ORDER BY a.id").fetchall()
    frame = pd.DataFrame.from_records(rows, columns=[
        "accepted_id", "time", "user", "kind", "batch_id", "step", "step_description", "table", "record",
        "file", "row", "field", "reason"])
    accepting = frame["kind"] == "accept"
    return frame.assign(row_key=frame["record"], old=accepting.map({True: "open", False: "accepted"}),
                        new=accepting.map({True: "accepted", False: "open"}))


def accepted(conn: sqlite3.Connection) -> pd.DataFrame:
    rows = conn.execute(
        "SELECT id, rule, severity, table_name, record, provider, file, row, fields_json, values_json, message, "
        "reason, user, time FROM accepted a WHERE withdraws IS NULL AND NOT EXISTS "
        "(SELECT 1 FROM accepted w WHERE w.withdraws = a.id) ORDER BY id").fetchall()
    frame = pd.DataFrame.from_records(rows, columns=COLUMNS)
    frame["row"] = pd.array(frame["row"], dtype="Int64")
    frame["fields"] = [tuple(json.loads(t)) for t in frame["fields"]]
    frame["values"] = [tuple(json.loads(t)) for t in frame["values"]]
    return frame


def _keys(frame: pd.DataFrame) -> list[tuple]:
    return list(zip(frame["rule"].astype(str), frame["table"].astype(str), frame["record"].astype(str),
                    (_tuple(v) for v in frame["fields"]), (_tuple(v) for v in frame["values"]), strict=True))


def mark(findings: pd.DataFrame, acceptances: pd.DataFrame) -> pd.DataFrame:
    """Findings with ``accepted`` and ``accepted_reason``: True where a live acceptance matches."""
    reasons = dict(zip(_keys(acceptances), acceptances["reason"], strict=True)) if len(acceptances) else {}
    out = findings.copy()
    found = [reasons.get(k) for k in _keys(findings)] if len(findings) else []
    out["accepted"] = pd.array([r is not None for r in found], dtype=bool)
    out["accepted_reason"] = pd.array(["" if r is None else r for r in found], dtype=object)
    return out
