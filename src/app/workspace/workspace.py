"""The workspace: one SQLite file per partnership and financial year (see the package docstring)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from app.workspace import accepted as _accepted
from app.workspace import bulk, export, steps
from app.workspace import config as _config
from app.workspace import snapshots as _snapshots
from app.workspace import sources as _sources
from app.workspace import trail as _trail
from app.workspace.edits import (
    Change,
    Edit,
    UndoStacks,
    effective_edits,
    now,
    user_name,
)
from app.workspace.locate import as_text, locate, positions_of
from app.workspace.reimport import ImportResult, import_source
from app.workspace.sources import decode
from app.workspace.steps import Group
from app.workspace.store import Store
from app.workspace.working import Working
from rules.columns import SOURCE_COLUMNS, column_names
from rules.progress import NO_PROGRESS, Progress
from rules.settings import Settings
from rules.tables import Tables


class Workspace:
    """One open workspace. Open with ``create``/``open``; close (or use ``with``) when done."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._working: Working | None = None
        self._stacks = UndoStacks.replay(store.conn)

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, *, partnership: str, year: str) -> Workspace:
        """Create a new workspace file (0600) for a partnership and financial year (``2025-26``)."""
        store = Store.create(Path(path))
        with store.transaction() as conn:
            conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
                ("partnership", partnership), ("year", year), ("created", now()),
                ("created_by", user_name())])
        return cls(store)

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> Workspace:
        """Open a workspace; ``WorkspaceLocked`` when it is open in another window.

        ``read_only``: only to read it (``measures`` and ``generate`` of a workspace on a read-only
        medium); nothing is written and any change is refused."""
        return cls(Store.open_read_only(Path(path)) if read_only else Store.open(Path(path)))

    @property
    def read_only(self) -> bool:
        return self._store.read_only

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save_copy(self, path: str | Path) -> Path:
        """A consistent copy of the whole workspace in a new file (0600), for "Save As" or backup.

        This workspace stays open; to carry on in the copy, close this one and open the copy.
        """
        target = Store.create(Path(path))
        try:
            with self._store.lock, target.plainly():
                self._store.conn.backup(target.conn)
        except BaseException:  # a copy that failed (a full disk) is not left behind looking like a workspace
            target.close()
            for leftover in (Path(path), Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            raise
        target.close()
        return Path(path)

    def save_as(self, path: str | Path) -> Workspace:
        """Copy this workspace to ``path`` and carry on in the copy (this one is closed): Save As."""
        self.save_copy(path)
        copy = Workspace.open(path)
        copy._working = self._working  # the same rows and edits: no need to build them again
        self.close()
        return copy

    def close(self) -> None:
        """Release the file and its lock. Everything is already saved."""
        self._store.close()

    def delete(self) -> None:
        """Close and delete the file (with its write-ahead log): for a workspace just made and not wanted."""
        self.close()
        path = Path(self.path)
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)

    @property
    def path(self) -> Path:
        return self._store.path

    @property
    def partnership(self) -> str:
        return self._store.get_meta("partnership") or ""

    @property
    def year(self) -> str:
        return self._store.get_meta("year") or ""

    # -- sources -------------------------------------------------------------------------
    def import_source(self, raw_tables_for_one_file: Tables, *, file_path: Path | list[Path],
                      profile: Any = None, digests: dict[str, str] | None = None) -> ImportResult:
        """Store one provider file's RAW tables; a newer extract of the same provider replaces
        the old one, carrying over the edits that still apply (see ``ImportResult``).

        ``file_path``: the provider's file (or its CSV files), hashed, never changed. ``profile``:
        the mapping profile used (a JSON-ready dict or an ``app.extracts`` ``MappingProfile``).
        ``digests``: the sha256 of the bytes the rows were read from (``Opened.digests``), recorded
        instead of hashing the file again (it may have been replaced since).
        Working row positions change after an import: callers reload ``tables()``.
        """
        with self._store.lock:
            result = import_source(self._store, raw_tables_for_one_file, file_path=file_path, profile=profile,
                                   digests=digests)
        self._working = None
        self._stacks.record("import", result.batch_id)
        return result

    def sources(self, *, all_versions: bool = False) -> pd.DataFrame:
        """Imported sources (the active ones, or every version with ``all_versions``)."""
        with self._store.lock:
            return _sources.listing(self._store.conn, all_versions=all_versions)

    def active_source_ids(self) -> list[int]:
        return [int(r[0]) for r in self._store.query(
            "SELECT id FROM sources s WHERE NOT EXISTS (SELECT 1 FROM sources r WHERE r.replaces = s.id) "
            "ORDER BY id")]

    def source_frames(self, source_id: int) -> dict[str, pd.DataFrame]:
        """A source's RAW tables exactly as imported (no edits)."""
        with self._store.lock:
            return _sources.frames_of(self._store.conn, source_id)

    def working(self) -> Working:
        """The working state (built on first use, then kept up to date edit by edit)."""
        if self._working is None:
            with self._store.lock:
                active = self.active_source_ids()
                parts: dict[int, dict[str, pd.DataFrame]] = {s: {} for s in active}
                marks = ", ".join("?" * len(active))
                for source_id, table, blob in self._store.query(
                        f"SELECT source_id, table_name, data FROM source_tables WHERE source_id IN ({marks})",
                        active):
                    parts[source_id][table] = decode(blob)
                working = Working(parts)
                working.apply_edits(effective_edits(self._store.conn, active))
                self._working = working
        return self._working

    def tables(self) -> Tables:
        """The working RAW tables (sources + edits), copies the caller may change.

        Typed tables and findings: ``rules.schema.check(ws.tables())`` then ``rules.engine.evaluate``.
        """
        working = self.working()
        frames = {t: None if f is None else f.copy() for t, f in working.frames.items()}
        files = [f for f in self.sources()["file_name"]]
        return Tables(episodes=frames["episodes"] if frames["episodes"] is not None
                      else pd.DataFrame(columns=[*column_names("episodes"), *SOURCE_COLUMNS]),
                      modalities=frames["modalities"], tops=frames["tops"], as_at=self.as_at, files=files)

    def working_tables(self) -> Tables:
        """The working RAW tables themselves, not copies: every step committed through this workspace
        changes them, so a caller holding them (the app's session) needs no copy of its own."""
        working = self.working()
        return Tables(**{t: working.frames.get(t) for t in ("episodes", "modalities", "tops")},
                      as_at=self.as_at, files=list(self.sources()["file_name"]))

    @property
    def as_at(self) -> dt.date | None:
        """The workspace's as-at date: set explicitly, else the latest of the active sources'."""
        override = self._store.get_meta("as_at")
        if override:
            return dt.date.fromisoformat(override)
        dates = [r[0] for r in self._store.query(
            "SELECT as_at FROM sources s WHERE as_at IS NOT NULL AND "
            "NOT EXISTS (SELECT 1 FROM sources r WHERE r.replaces = s.id)")]
        return max(dt.date.fromisoformat(d) for d in dates) if dates else None

    def set_as_at(self, as_at: dt.date | None) -> None:
        """Fix the as-at date for the whole workspace (None: the latest source's again)."""
        with self._store.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('as_at', ?)",
                         (as_at.isoformat() if as_at else None,))

    # -- edits ---------------------------------------------------------------------------
    def locate(self, table: str, row_locator: Any) -> int:
        """The working position of a row (see ``locate.locate`` for the accepted forms)."""
        return locate(self.working(), table, row_locator)

    def edit(self, table: str, row_locator: Any, field: str, new_value: Any, *, reason: str = "") -> Edit:
        """Change one value; one undoable step. ValueError when the value is already that."""
        position = self.locate(table, row_locator)
        value = as_text(new_value)
        old = self.working().frame(table)[self._field(table, field)].iat[position]
        if old == value:
            raise ValueError(f"{field} is already {value!r}")
        _, key = self.working().row_keys(table, np.array([position]))
        change = self.commit(
            "edit", f"Edit {field} of {key.iat[0]}", reason,
            [(table, field, np.array([position]), np.array([value], dtype=object), None)])
        return change.edits[0]

    def bulk_replace(self, table: str, field: str, replacements: Mapping[Any, Any], *,
                     rows: Any = None, reason: str = "") -> Change:
        """Replace values of one field (old -> new) in the given rows (default: all); one step."""
        self._field(table, field)
        plan = bulk.replace_plan(self.working(), table, field, replacements, positions_of(self.working(), table, rows))
        return self._commit_plan("bulk-replace", plan, reason)

    def bulk_fill(self, table: str, field: str, values: Mapping[str, Any] | pd.Series, *,
                  reason: str = "", overwrite: bool = False) -> Change:
        """Fill one field from a list (record or row key -> value); blanks only unless overwrite."""
        self._field(table, field)
        plan, skipped = bulk.fill_plan(self.working(), table, field, values, overwrite=overwrite)
        change = self._commit_plan("bulk-fill", plan, reason)
        change.skipped = skipped
        return change

    def _commit_plan(self, kind: str, plan: bulk.Plan, reason: str) -> Change:
        description, groups = plan
        return self.commit(kind, description, reason, groups) if groups else Change(batch_id=0, kind=kind, edits=[])

    def _field(self, table: str, field: str) -> str:
        if field not in column_names(table):
            raise KeyError(f"{table} has no editable field {field!r}")
        return field

    def commit(self, kind: str, description: str, reason: str, groups: list[Group], *,
               ref_batch: int | None = None, edit_kind: str = "edit") -> Change:
        """Append one step: ``groups`` of (table, field, positions, new values, ref edit ids)."""
        with self._store.lock:
            change = steps.commit(self._store, self.working(), kind=kind, description=description,
                                  reason=reason, groups=groups, ref_batch=ref_batch, edit_kind=edit_kind)
            self._stacks.record(kind, change.batch_id)
        return change

    @property
    def can_undo(self) -> bool:
        return bool(self._stacks.done)

    @property
    def can_redo(self) -> bool:
        return bool(self._stacks.undone)

    def _description(self, batch_id: int) -> str:
        return self._store.query("SELECT description FROM batches WHERE id = ?", (batch_id,))[0][0]

    @property
    def undo_text(self) -> str:
        """What undo would undo ("" when nothing), for menus and QUndoStack labels."""
        return self._description(self._stacks.done[-1]) if self._stacks.done else ""

    @property
    def redo_text(self) -> str:
        return self._description(self._stacks.undone[-1]) if self._stacks.undone else ""

    def undo(self) -> Change | None:
        """Undo the last step by appending edits that restore the old values."""
        if not self._stacks.done:
            return None
        return self._replay(self._stacks.done[-1], "undo")

    def redo(self) -> Change | None:
        """Redo the last undone step by appending its new values again."""
        if not self._stacks.undone:
            return None
        return self._replay(self._stacks.undone[-1], "redo")

    def _replay(self, batch_id: int, kind: str) -> Change:
        with self._store.lock:
            groups = steps.replay_groups(self._store.conn, self.working(), batch_id, kind)
            label = "Undo" if kind == "undo" else "Redo"
            description, reason = f"{label}: {self._description(batch_id)}", f"{label.lower()} of step {batch_id}"
            if groups:
                return self.commit(kind, description, reason, groups, ref_batch=batch_id, edit_kind=kind)
            made = self.batch_acceptances(batch_id)  # an acceptance step: undo does the opposite
            withdrawn = bool(len(made)) and bool(made["withdrawn"].iat[0])
            rows = made.drop(columns="withdrawn").to_dict("records")
            done = self.acceptance_step(rows, reason, accept=withdrawn if kind == "undo" else not withdrawn,
                                        kind=kind, description=description, ref_batch=batch_id)
            return Change(done, kind, [])

    def history(self, *, record: str | None = None, table: str | None = None,
                field: str | None = None) -> pd.DataFrame:
        """The audit trail in the order things were done (see ``trail.history``)."""
        with self._store.lock:
            return _trail.history(self._store.conn, record=record, table=table, field=field)

    def undo_steps(self) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """What undo and redo would walk through, as (batch id, what the step did) pairs, oldest
        first: the steps done (the last is undone first) and those undone (the last is redone first)."""
        with self._store.lock:
            return _trail.undo_steps(self._store.conn, self._stacks)

    def batch_edits(self, batch_id: int) -> pd.DataFrame:
        """The edits of one step, with each row's current working ``position``."""
        with self._store.lock:
            return _trail.batch_edits(self._store.conn, self.working(), batch_id)

    def batch_acceptances(self, batch_id: int) -> pd.DataFrame:
        """The acceptances (``withdrawn`` False) and withdrawals one step made, as findings rows."""
        with self._store.lock:
            return _trail.batch_acceptances(self._store.conn, batch_id)

    @property
    def last_changed(self) -> dt.datetime | None:
        """When anything was last saved in this workspace (UTC), or None for an empty one."""
        with self._store.lock:
            return _trail.last_changed(self._store.conn)

    # -- accepted findings, settings, profiles, snapshots, export --------------------------
    def accept(self, finding_row: Mapping[str, Any] | pd.Series, reason: str) -> int:
        """Accept a finding with a reason; it stays accepted while its values do not change."""
        with self._store.transaction() as conn:
            return _accepted.accept_one(conn, finding_row, reason)

    def withdraw_acceptance(self, accepted_id: int, reason: str = "") -> None:
        with self._store.transaction() as conn:
            _accepted.withdraw(conn, accepted_id, reason)

    def acceptance_step(self, findings: list[Mapping[str, Any]], reason: str, *, accept: bool, kind: str,
                        description: str, ref_batch: int | None = None) -> int:
        """Accept (or withdraw the acceptances of) findings as ONE undoable step (``accepted.step``)."""
        with self._store.transaction() as conn:
            batch_id = _accepted.step(conn, findings, reason, accept=accept, kind=kind, description=description,
                                      ref_batch=ref_batch)
        self._stacks.record(kind, batch_id)
        return batch_id

    def accepted(self) -> pd.DataFrame:
        """Acceptances in force (withdrawn ones left out)."""
        with self._store.lock:
            return _accepted.accepted(self._store.conn)

    def mark_accepted(self, findings: pd.DataFrame) -> pd.DataFrame:
        """Findings with ``accepted`` (bool) and ``accepted_reason`` columns added."""
        return _accepted.mark(findings, self.accepted())

    @property
    def settings(self) -> Settings:
        with self._store.lock:
            return _config.settings(self._store.conn)

    def set_settings(self, settings: Settings) -> None:
        with self._store.transaction() as conn:
            _config.log(conn, "settings", json.dumps(settings.to_dict()))  # key order kept: targets are ordered

    @property
    def catalogue_toml(self) -> str | None:
        """The rule catalogue overrides (TOML text), or None for the default catalogue."""
        with self._store.lock:
            return _config.latest(self._store.conn, "catalogue") or None

    def set_catalogue_toml(self, text: str | None) -> None:
        with self._store.transaction() as conn:
            _config.log(conn, "catalogue", text or "")

    def save_profile(self, name: str, profile: Any) -> None:
        """Save (or replace) a named mapping profile."""
        with self._store.transaction() as conn:
            _config.save_profile(conn, name, profile)

    @property
    def profiles(self) -> dict[str, dict]:
        with self._store.lock:
            return _config.profiles(self._store.conn)

    def snapshot_measures(self, period_label: str, as_at: dt.date | None, measures_json: Any) -> int:
        """Keep the measures of a generated return, so next quarter can compare."""
        with self._store.transaction() as conn:
            return _snapshots.add(conn, period_label, as_at, measures_json)

    def snapshots(self, period_label: str | None = None) -> pd.DataFrame:
        with self._store.lock:
            return _snapshots.listing(self._store.conn, period_label)

    def snapshot(self, period_label: str) -> dict | list | None:
        """The latest measures saved for a period label, or None."""
        with self._store.lock:
            return _snapshots.latest(self._store.conn, period_label)

    def export_corrected(self, path: str | Path, fmt: str | None = None, headers: str = "canonical", *,
                         provider: str | None = None, progress: Progress = NO_PROGRESS) -> list[Path]:
        """The corrected extract (xlsx: one workbook; csv: one file per table); see ``export``."""
        return export.export_corrected(self.working(), self.sources(), Path(path), fmt=fmt, headers=headers,
                                       provider=provider, progress=progress)

    def export_audit(self, path: str | Path, *, identifiers: bool = False) -> Path:
        return export.export_audit(self.history(), self.accepted(), self.sources(all_versions=True), Path(path),
                                   identifiers=identifiers)
