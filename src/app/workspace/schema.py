"""The workspace file's tables, and the migrations that bring an older file up to date.

``PRAGMA user_version`` is the schema version: ``MIGRATIONS[i]`` takes a file from version i to
i + 1. Every history table is append-only, enforced by triggers, so the audit trail cannot be
rewritten by the app or by a careless tool: edits, sources, acceptances, settings and snapshots
are only ever inserted.
"""

from __future__ import annotations

import sqlite3

#: Identifies a Treatment Returns workspace among SQLite files (``PRAGMA application_id``).
APPLICATION_ID = 0x54525753  # "TRWS"

_APPEND_ONLY = ("sources", "source_tables", "batches", "edits", "accepted", "snapshots",
                "settings_log", "profiles")

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,            -- edit | bulk-replace | bulk-fill | accept | withdraw | undo | redo | import
    ref_batch INTEGER REFERENCES batches(id),
    description TEXT NOT NULL,
    reason TEXT NOT NULL,
    user TEXT NOT NULL,
    time TEXT NOT NULL
);
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    provider_code TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    as_at TEXT,
    profile_json TEXT,
    replaces INTEGER REFERENCES sources(id),
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL
);
CREATE TABLE source_tables (
    source_id INTEGER NOT NULL REFERENCES sources(id),
    table_name TEXT NOT NULL CHECK (table_name IN ('episodes', 'modalities', 'tops')),
    n_rows INTEGER NOT NULL,
    format TEXT NOT NULL,          -- parquet-zstd: RAW rows, text columns + _row int
    data BLOB NOT NULL,
    PRIMARY KEY (source_id, table_name)
);
CREATE TABLE edits (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    kind TEXT NOT NULL,            -- edit | undo | redo | carry | orphan
    ref_edit INTEGER REFERENCES edits(id),
    table_name TEXT NOT NULL,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    seq INTEGER NOT NULL,          -- 0-based position of the row in its source table
    row INTEGER,                   -- _row: the row in the provider's file
    file TEXT,                     -- _file
    record TEXT NOT NULL,          -- provider_code/episode_id
    row_key TEXT NOT NULL,         -- record, or record/modality_id, record/top_id
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    reason TEXT NOT NULL,
    user TEXT NOT NULL,
    time TEXT NOT NULL
);
CREATE INDEX edits_by_source ON edits(source_id);
CREATE INDEX edits_by_batch ON edits(batch_id);
CREATE TABLE accepted (
    id INTEGER PRIMARY KEY,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    table_name TEXT NOT NULL,
    record TEXT NOT NULL,
    provider TEXT NOT NULL,
    file TEXT NOT NULL,
    row INTEGER,
    fields_json TEXT NOT NULL,
    values_json TEXT NOT NULL,
    message TEXT NOT NULL,
    reason TEXT NOT NULL,
    user TEXT NOT NULL,
    time TEXT NOT NULL,
    withdraws INTEGER REFERENCES accepted(id)   -- set on a row that withdraws an acceptance
);
CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY,
    period_label TEXT NOT NULL,
    as_at TEXT,
    measures_json TEXT NOT NULL,
    user TEXT NOT NULL,
    time TEXT NOT NULL
);
CREATE INDEX snapshots_by_period ON snapshots(period_label);
CREATE TABLE settings_log (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,            -- settings (JSON) | catalogue (TOML text)
    value TEXT NOT NULL,
    user TEXT NOT NULL,
    time TEXT NOT NULL
);
CREATE TABLE profiles (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    profile_json TEXT NOT NULL,
    user TEXT NOT NULL,
    time TEXT NOT NULL
);
"""


def _append_only_triggers() -> str:
    parts = []
    for table in _APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            parts.append(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
            )
    return "\n".join(parts)


#: Version 2: an acceptance, a withdrawal or a settings change names the step (batch) it was made
#: in, so accepting is one undoable step of the History like an edit, and the audit trail keeps the
#: order things were done in.
_V2 = """
ALTER TABLE accepted ADD COLUMN batch_id INTEGER REFERENCES batches(id);
ALTER TABLE settings_log ADD COLUMN batch_id INTEGER REFERENCES batches(id);
"""

#: MIGRATIONS[i] brings a file from schema version i to i + 1.
MIGRATIONS: tuple[str, ...] = (_V1 + _append_only_triggers(), _V2)

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the file to ``SCHEMA_VERSION``, each step in one transaction; return the old version.

    The caller checks first that the file is not newer than this code.
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for target in range(version + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[target - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target}")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return version


def _statements(script: str) -> list[str]:
    """Split a DDL script into statements (executescript would commit behind our back)."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line.split("--", 1)[0] + "\n" if "--" in line and "'" not in line else line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
