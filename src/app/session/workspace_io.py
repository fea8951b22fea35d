"""The session's link to its SQLite workspace (``WorkspaceLink``; see ``app.workspace``).

Opening extracts makes a workspace at once and the session works on it from the first edit: its
RAW tables are the workspace's working tables (one copy), every step is committed as it is made
(one log: the workspace's), and the undo history is read back from the workspace on open, so
undo and redo survive closing the app, a crash and a reopen. "Save as" copies the file. Tables
loaded rather than opened live in a throw-away workspace (``scratch``). The UI asks the session
(path, history, exports) and never the workspace.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from app.session.model import CellChange, Step
from app.session.scratch import Scratch
from rules.progress import NO_PROGRESS, Progress
from rules.settings import Settings
from rules.tables import Tables


class WorkspaceLink:
    """The workspace the document lives in: made, opened, saved as, closed; steps committed to it and
    read back; its history, exports, profiles and snapshots as the session hands them on."""

    def __init__(self, workspace: Any = None) -> None:
        self.workspace = workspace
        self._scratch: Scratch | None = None   # the throw-away workspace of tables loaded, not opened

    def attach(self, ws: Any, scratch: Scratch | None = None) -> None:
        """Work in ``ws`` from now on (a throw-away workspace made before is deleted)."""
        if self._scratch is not None:
            self._scratch.drop()
        self.workspace, self._scratch = ws, scratch

    def load(self, raw: Tables, settings: Settings) -> Tables:
        """Put ``raw`` in a new throw-away workspace and work there; its working tables (the rows
        of ``raw``, in order)."""
        scratch = Scratch(raw, settings)
        self.attach(scratch.workspace, scratch)
        return scratch.workspace.working_tables()

    @staticmethod
    def open(path: Path) -> Any:
        """The workspace file at ``path``, opened (``attach`` it once it has been read)."""
        from app.workspace import Workspace

        return Workspace.open(path)

    # -- the document's file -------------------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        """The workspace file the session works in (None before anything is open, and for tables
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
        if self._scratch is None and self.workspace is not None:
            self.workspace.delete()
            self.workspace = None
        self.close()

    def save_as(self, path: Path) -> Path:
        """Copy the workspace to ``path`` (SQLite's backup API) and carry on working in the copy."""
        path = Path(path)
        if path.resolve() == Path(self._saved().path).resolve():
            return path  # already there: every change is saved as it is made
        self.attach(self.workspace.save_as(path))
        return path

    def _saved(self) -> Any:
        from app.errors import InputError

        if self.workspace is None:
            raise InputError("nothing is open yet: open your providers' extracts first")
        return self.workspace

    # -- what the session hands on ------------------------------------------------------------------
    def history(self) -> pd.DataFrame:
        """The audit trail (``Workspace.history`` columns; empty while nothing is open)."""
        if self.workspace is None:
            return pd.DataFrame(columns=["time", "user", "kind", "table", "record", "field", "old", "new", "reason"])
        return self.workspace.history()

    def providers(self, raw: Tables) -> list[str]:
        """The providers whose extracts are open, by code (none while nothing is open)."""
        if self.workspace is None or self._scratch is not None:  # loaded tables are one source: their rows say
            return sorted(raw.episodes["provider_code"].dropna().astype(str).unique())
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

    def returns_inputs(self) -> tuple[pd.DataFrame, dict[str, Any]]:
        """Accepted findings (with reasons) and measure snapshots by period label, as the returns take them."""
        ws = self.workspace
        labels = ws.snapshots()["period_label"].unique()
        return ws.accepted(), {label: ws.snapshot(label) for label in labels}

    # -- what is kept in it ---------------------------------------------------------------------------
    def holds(self, table: str, frame: pd.DataFrame) -> bool:
        """Whether ``frame`` is the workspace's own working ``table`` (a step committed changed it)."""
        return self.workspace.working().frames.get(table) is frame

    def keep_rules(self, settings: Settings, catalogue: Any) -> None:
        """Keep the settings and the rule catalogue in the workspace (a reopen judges by them)."""
        from rules.catalogue import to_toml

        self.workspace.set_settings(settings)
        self.workspace.set_catalogue_toml(to_toml(catalogue))

    def mark_accepted(self, findings: pd.DataFrame) -> pd.DataFrame:
        """``findings`` marked with the acceptances the workspace keeps (``Workspace.mark_accepted``)."""
        return self.workspace.mark_accepted(findings)

    def commit_acceptance(self, step: Step, ref: Step | None) -> None:
        """Save an acceptance step (its findings) as one batch; ``ref``: the step it undoes or redoes."""
        step.batch_id = self.workspace.acceptance_step(
            step.findings, step.reason, accept=step.accept,
            kind=step.kind if ref is None or ref.batch_id is not None else ("accept" if step.accept else "withdraw"),
            description=step.description, ref_batch=ref.batch_id if ref is not None else None)

    def restore_steps(self) -> tuple[list[Step], tuple[list[int], list[int]]]:
        """The undo history as the workspace's stacks have it: each step done (or undone) with the
        cells it changed (or the findings it accepted), so undo and redo go on where they stopped;
        and which steps are done, which undone."""
        ws = self.workspace
        done, undone = ws.undo_steps()
        steps: list[Step] = []
        for batch_id, label in [*done, *undone]:
            edits = ws.batch_edits(batch_id)
            if len(edits):
                changes = [CellChange(t, int(p), f, o, n) for t, p, f, o, n in zip(
                    edits["table_name"], edits["position"], edits["field"], edits["old_value"],
                    edits["new_value"], strict=True)]
                steps.append(Step("edit" if len(changes) == 1 else "bulk-replace", label,
                                       str(edits["reason"].iat[0]), changes, batch_id=batch_id,
                                       edit_ids=[int(i) for i in edits["id"]]))
                continue
            made = ws.batch_acceptances(batch_id)
            rows = [{c: r[c] for c in ("rule", "severity", "table", "record", "provider", "file", "row",
                                       "fields", "values", "message")} for _, r in made.iterrows()]
            withdrawn = bool(len(made)) and bool(made["withdrawn"].iat[0])
            steps.append(Step("withdraw" if withdrawn else "accept", label, "", [], batch_id=batch_id,
                                   findings=rows, accept=not withdrawn))
        return steps, (list(range(len(done))), list(range(len(done), len(done) + len(undone))))

    def commit_step(self, step: Step, ref: Step | None) -> None:
        """Append ``step`` (its cells) to the workspace as one batch, grouped by table and field;
        ``ref``: the step it undoes or redoes."""
        ws = self.workspace
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
