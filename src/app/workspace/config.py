"""Rule settings, the rule catalogue overrides and mapping profiles, kept with their history.

Each change is an appended row (who, when); the latest row wins.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from app.workspace.edits import insert_batch, now, user_name
from rules.settings import Settings


def log(conn: sqlite3.Connection, kind: str, value: str) -> None:
    """Append a settings (or catalogue) change as its own step of the trail (not an undoable one)."""
    user, time = user_name(), now()
    batch_id = insert_batch(conn, kind="settings", description="Settings changed" if kind == "settings"
                            else "Rule settings changed", reason="", user=user, time=time)
    conn.execute("INSERT INTO settings_log (kind, value, user, time, batch_id) VALUES (?, ?, ?, ?, ?)",
                 (kind, value, user, time, batch_id))


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


def trail(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Each setting a change altered, and each change of the rule catalogue, as audit-trail rows."""
    out: list[dict[str, Any]] = []
    before: dict[str, dict[str, Any]] = {"settings": Settings().to_dict(), "catalogue": {}}
    for kind, value, user, time, batch_id in conn.execute(
            "SELECT kind, value, user, time, batch_id FROM settings_log ORDER BY id"):
        base = {"time": time, "user": user, "kind": "settings", "step": "settings", "table": "", "record": "",
                "row_key": "", "reason": "", "batch_id": batch_id}
        if kind == "catalogue":
            out.append({**base, "step_description": "Rule settings changed", "field": "rule catalogue",
                        "old": "", "new": "changed" if value else "the product's rules"})
            continue
        now_ = json.loads(value)
        for name in sorted(set(now_) | set(before["settings"])):
            old, new = before["settings"].get(name), now_.get(name)
            if old != new:
                out.append({**base, "step_description": "Settings changed", "field": name,
                            "old": _shown(old), "new": _shown(new)})
        before["settings"] = now_
    return out


def _shown(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else json.dumps(value, sort_keys=True)
