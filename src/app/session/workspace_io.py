"""The session and its SQLite workspace (a mixin of ``Session``; see ``app.workspace``).

Opening extracts makes a workspace at once and the session works on it from the first edit: its
RAW tables are the workspace's working tables (one copy), every step is committed as it is made
(one log: the workspace's), and the undo history is read back from the workspace on open, so
undo and redo survive closing the app, a crash and a reopen. "Save as" copies the file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from app.session.model import CellChange, Step
from app.session.validator import RulesValidator
from rules import columns
from rules.findings import FINDING_COLUMNS
from rules.progress import NO_PROGRESS, Progress
from rules.tables import Tables


class WorkspaceIO:
    """``open_workspace``, ``save_as``, making the workspace of opened extracts, and committing steps."""

    workspace: Any
    steps: list[Step]

    def open_workspace(self, path: Path, *, progress: Progress = NO_PROGRESS) -> None:
        """Work on a workspace: its working tables, settings, catalogue, acceptances and undo history."""
        from app.workspace import Workspace
        from rules.catalogue import default_catalogue, parse

        ws = Workspace.open(path)
        try:
            text = ws.catalogue_toml
            self.settings = ws.settings
            self.validator = RulesValidator(self.settings, parse(text, source=Path(path).name,
                                                                 base=default_catalogue()) if text else None)
            self._attach(ws)
            self._take(ws.working_tables(), files=[Path(path)], progress=progress)
            marked = ws.mark_accepted(self.findings[list(FINDING_COLUMNS)])
            keys = self.findings["key"][marked["accepted"].to_numpy(dtype=bool)]
            self.accepted = dict(zip(keys, marked.loc[marked["accepted"], "accepted_reason"], strict=True))
            self._mark_accepted(self.findings)
            self._counts = None
            self._restore_steps(ws)
            self.sources = [Path(name) for name in ws.sources()["file_name"]]
        except BaseException:
            ws.close()
            self.workspace = None
            raise

    def _attach(self, ws: Any, scratch: Any = None) -> None:
        """Work in ``ws`` from now on (a throw-away workspace made before is deleted)."""
        if self._scratch is not None:
            self._scratch.drop()
        self.workspace, self._scratch = ws, scratch

    # -- the document's file, as the app asks for it (the UI never reaches into the workspace) ----------
    @property
    def path(self) -> Path | None:
        """The workspace file this session works in (None before anything is open, and for tables
        loaded into a throw-away workspace: there is no file of the person's to name)."""
        if self.workspace is None or self._scratch is not None and self.workspace is self._scratch.workspace:
            return None
        return Path(self.workspace.path)

    def close(self) -> None:
        """Release the workspace (its lock); everything in it is already saved (a throw-away one is deleted)."""
        if self._scratch is not None:
            self._scratch.drop()
            self._scratch = None
        elif self.workspace is not None:
            self.workspace.close()
        self.workspace = None

    def discard(self) -> None:
        """Close and delete the workspace just made for files that were then not taken."""
        if self._scratch is not None:
            self.close()
        elif self.workspace is not None:
            self.workspace.delete()
            self.workspace = None

    def history(self) -> pd.DataFrame:
        """The audit trail (``Workspace.history`` columns; empty while nothing is open)."""
        if self.workspace is None:
            return pd.DataFrame(columns=["time", "user", "kind", "table", "record", "field", "old", "new", "reason"])
        return self.workspace.history()

    def providers(self) -> list[str]:
        """The providers whose extracts are open, by code (none while nothing is open)."""
        if self.workspace is None or self._scratch is not None:  # loaded tables are one source: their rows say
            return sorted(self.raw.episodes["provider_code"].dropna().astype(str).unique())
        return sorted(self.workspace.sources()["provider_code"].astype(str).unique())

    def export_corrected(self, path: Path, fmt: str | None = None, headers: str = "canonical", *,
                         provider: str | None = None, progress: Progress = NO_PROGRESS) -> list[Path]:
        """The corrected extract (``Workspace.export_corrected``)."""
        return self._saved().export_corrected(path, fmt, headers, provider=provider, progress=progress)

    def export_audit(self, path: Path, *, identifiers: bool = False) -> Path:
        """The audit trail as .xlsx or .csv (``Workspace.export_audit``)."""
        return self._saved().export_audit(path, identifiers=identifiers)

    @property
    def profiles(self) -> dict[str, dict]:
        """Mapping profiles kept with the partnership (none before anything is open)."""
        return self.workspace.profiles if self.workspace is not None else {}

    def save_profile(self, name: str, profile: Any) -> None:
        """Keep a confirmed mapping profile with the partnership's records."""
        self._saved().save_profile(name, profile)

    def _saved(self) -> Any:
        from app.errors import InputError

        if self.workspace is None:
            raise InputError("nothing is open yet: open your providers' extracts first")
        return self.workspace

    def save_as(self, path: Path) -> Path:
        """Copy the workspace to ``path`` (SQLite's backup API) and carry on working in the copy."""
        path = Path(path)
        if path.resolve() == Path(self._saved().path).resolve():
            return path  # already there: every change is saved as it is made
        copy = self.workspace.save_as(path)
        self._attach(copy)
        self.files = [path]
        return path

    def _new_workspace(self, opened: Any, files: list[Path], path: Path | None) -> Any:
        """A new workspace holding each opened file as a source, exactly as read."""
        from app.workspace import Workspace, default_path
        from rules.periods import quarter_containing

        period = quarter_containing(opened.raw.as_at or dt.date.today()).previous()
        year = period.label.split()[0]
        target = Path(path) if path is not None else default_path(self.settings.partnership_name, period.label)
        ws = Workspace.create(target, partnership=self.settings.partnership_name, year=year)
        try:
            for source, names in _sources(opened.raw, files):
                part = {t: f[f[columns.SOURCE_FILE].isin(names)] for t in columns.TABLES
                        if (f := opened.raw.get(t)) is not None}
                ws.import_source(Tables(**part, as_at=opened.raw.as_at, files=sorted(names)), file_path=source,
                                 profile=self._profile_of(names), digests=opened.digests)
            ws.set_settings(self.settings)
        except BaseException:
            ws.delete()
            raise
        return ws

    def _profile_of(self, names: set[str]) -> Any:
        """The mapping a file was opened with (every header, and the code values mapped), for the
        workspace's sources: an export with the provider's own headers needs it."""
        from app.extracts import MappingProfile

        mine = [m for m in getattr(self, "mappings", []) if m.file in names or Path(str(m.file)).name in names]
        if not mine:
            return None
        name = sorted(names)[0]
        headers = {h: t for m in mine for h, t in m.columns.items()}
        return MappingProfile(Path(name).stem, headers=headers, codes=MappingProfile.from_mappings(name, mine).codes)

    def _restore_steps(self, ws: Any) -> None:
        """The undo history as the workspace's stacks have it: each step done (or undone) with the
        cells it changed (or the findings it accepted), so undo and redo go on where they stopped."""
        done, undone = ws.undo_steps()
        self.steps = []
        for batch_id, label in [*done, *undone]:
            edits = ws.batch_edits(batch_id)
            if len(edits):
                changes = [CellChange(t, int(p), f, o, n) for t, p, f, o, n in zip(
                    edits["table_name"], edits["position"], edits["field"], edits["old_value"],
                    edits["new_value"], strict=True)]
                self.steps.append(Step("edit" if len(changes) == 1 else "bulk-replace", label,
                                       str(edits["reason"].iat[0]), changes, batch_id=batch_id,
                                       edit_ids=[int(i) for i in edits["id"]]))
                continue
            made = ws.batch_acceptances(batch_id)
            rows = [{c: r[c] for c in ("rule", "severity", "table", "record", "provider", "file", "row",
                                       "fields", "values", "message")} for _, r in made.iterrows()]
            withdrawn = bool(len(made)) and bool(made["withdrawn"].iat[0])
            self.steps.append(Step("withdraw" if withdrawn else "accept", label, "", [], batch_id=batch_id,
                                   findings=rows, accept=not withdrawn))
        self.restored = (list(range(len(done))), list(range(len(done), len(done) + len(undone))))

    def _commit_step(self, ws: Any, step: Step) -> None:
        """Append ``step`` to the workspace as one batch (grouped by table and field)."""
        ref = self.steps[step.ref_step] if step.ref_step is not None else None
        ref_ids = ({(c.table, c.pos, c.field): i for c, i in zip(ref.changes, ref.edit_ids, strict=True)}
                   if ref is not None and ref.edit_ids else {})
        by_field: dict[tuple[str, str], list[int]] = {}
        for i, c in enumerate(step.changes):
            by_field.setdefault((c.table, c.field), []).append(i)
        groups, order = [], []
        for (table, name), idx in by_field.items():
            pos = np.array([step.changes[i].pos for i in idx], dtype=np.int64)
            values = np.array([step.changes[i].new for i in idx], dtype=object)
            refs = (np.array([ref_ids.get((table, p, name)) for p in pos], dtype=object) if ref_ids else None)
            groups.append((table, name, pos, values, refs))
            order.extend(idx)
        kind = step.kind
        if kind in ("undo", "redo") and (ref is None or ref.batch_id is None):
            kind = "edit"  # nothing saved to refer to: an ordinary step
        change = ws.commit(kind, step.description, step.reason, groups,
                           ref_batch=ref.batch_id if ref is not None else None,
                           edit_kind=step.kind if step.kind in ("undo", "redo") else "edit")
        ids = [0] * len(order)
        for at, edit in zip(order, change.edits, strict=True):
            ids[at] = edit.id
        step.batch_id, step.edit_ids = change.batch_id, ids


def _sources(raw: Tables, files: list[Path]) -> list[tuple[Path | list[Path], set[str]]]:
    """Each opened path (a workbook, a CSV, or a folder of CSV files) with the ``_file`` names its rows carry."""
    present = set().union(*(set(f[columns.SOURCE_FILE].astype(str)) for t in columns.TABLES
                            if (f := raw.get(t)) is not None))
    names = [p.name for p in files]
    out, taken = [], set()
    for p in files:
        label = f"{p.parent.name}/{p.name}" if names.count(p.name) > 1 else p.name
        if p.is_dir():
            inside = sorted(f for f in p.iterdir() if f.is_file())
            mine = {n for n in present if n in {f.name for f in inside} or n.startswith(f"{label}/")} - taken
            used = [f for f in inside if f.name in mine or f"{label}/{f.name}" in mine] or inside
            out.append((used, mine))
        else:
            mine = {label} & present - taken
            out.append((p, mine))
        taken |= mine
    left = present - taken
    if left:  # rows whose file could not be told apart: kept with the first path, never dropped
        out[0] = (out[0][0], out[0][1] | left)
    return [(source, mine) for source, mine in out if mine]


def position_map(mine: pd.DataFrame, theirs: pd.DataFrame) -> np.ndarray:
    """For each row of ``mine``, the position of the same row in ``theirs`` (same file, source row and
    order among rows sharing that row, as a flat sheet's TOPs do)."""
    def keys(frame: pd.DataFrame) -> pd.MultiIndex:
        file = frame[columns.SOURCE_FILE].astype(str).to_numpy(dtype=object)
        row = pd.to_numeric(frame[columns.SOURCE_ROW]).to_numpy(dtype=np.int64)
        nth = pd.DataFrame({"f": file, "r": row}).groupby(["f", "r"], sort=False).cumcount().to_numpy()
        return pd.MultiIndex.from_arrays([file, row, nth])

    found = keys(theirs).get_indexer(keys(mine))
    if (found < 0).any():
        raise LookupError("some rows are not in the workspace just saved")
    return found.astype(np.int64)
