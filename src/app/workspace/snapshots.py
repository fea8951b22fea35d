"""Measure snapshots: the measures of each generated return, by period label, for comparison."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

import pandas as pd

from app.workspace.edits import now, user_name


def add(conn: sqlite3.Connection, period_label: str, as_at: dt.date | str | None, measures: Any) -> int:
    """Append a snapshot; ``measures`` is JSON text or a JSON-ready object."""
    text = measures if isinstance(measures, str) else json.dumps(measures, sort_keys=True, default=str)
    json.loads(text)  # refuse text that is not JSON now, not next quarter
    as_at_text = as_at.isoformat() if isinstance(as_at, dt.date) else as_at
    cur = conn.execute(
        "INSERT INTO snapshots (period_label, as_at, measures_json, user, time) VALUES (?, ?, ?, ?, ?)",
        (period_label, as_at_text, text, user_name(), now()))
    return int(cur.lastrowid)


def listing(conn: sqlite3.Connection, period_label: str | None = None) -> pd.DataFrame:
    """Snapshots (id, period_label, as_at, time, user, measures), oldest first."""
    where, params = ("WHERE period_label = ?", (period_label,)) if period_label else ("", ())
    rows = conn.execute(f"SELECT id, period_label, as_at, time, user, measures_json FROM snapshots {where} "
                        "ORDER BY id", params).fetchall()
    frame = pd.DataFrame.from_records(rows, columns=["id", "period_label", "as_at", "time", "user", "measures"])
    frame["measures"] = [json.loads(t) for t in frame["measures"]]
    return frame


def latest(conn: sqlite3.Connection, period_label: str) -> Any:
    row = conn.execute("SELECT measures_json FROM snapshots WHERE period_label = ? ORDER BY id DESC LIMIT 1",
                       (period_label,)).fetchone()
    return json.loads(row[0]) if row else None
