"""Rule settings, the rule catalogue overrides and mapping profiles, kept with their history.

Each change is an appended row (who, when); the latest row wins.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from app.workspace.edits import now, user_name
from rules.settings import Settings


def log(conn: sqlite3.Connection, kind: str, value: str) -> None:
    conn.execute("INSERT INTO settings_log (kind, value, user, time) VALUES (?, ?, ?, ?)",
                 (kind, value, user_name(), now()))


def latest(conn: sqlite3.Connection, kind: str) -> str | None:
    row = conn.execute("SELECT value FROM settings_log WHERE kind = ? ORDER BY id DESC LIMIT 1",
                       (kind,)).fetchone()
    return row[0] if row else None


def settings(conn: sqlite3.Connection) -> Settings:
    text = latest(conn, "settings")
    return Settings.from_dict(json.loads(text)) if text else Settings()


def save_profile(conn: sqlite3.Connection, name: str, profile: Any) -> None:
    if not isinstance(profile, dict):
        profile = profile.to_json()  # an app.extracts MappingProfile
    if not name.strip():
        raise ValueError("a mapping profile needs a name")
    conn.execute("INSERT INTO profiles (name, profile_json, user, time) VALUES (?, ?, ?, ?)",
                 (name, json.dumps(profile, sort_keys=True), user_name(), now()))


def profiles(conn: sqlite3.Connection) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for name, text in conn.execute("SELECT name, profile_json FROM profiles ORDER BY id"):
        out[name] = json.loads(text)
    return dict(sorted(out.items()))
