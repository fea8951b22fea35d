"""``Session``: the open document, the one face the app, the command line's scripts and the tests use.

It owns its parts and hands each what it needs: the ``Checker`` (typed tables, findings, counts),
the ``Editor`` (every change as an undoable step), the ``WorkspaceLink`` (the SQLite file) and
``Returns`` (measures, generate). The parts never reach into the session; it composes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from app.session.checking import Checker
from app.session.editing import Editor
from app.session.frames import empty_raw, numbered, one_chunk
from app.session.model import CellChange, EditResult, UndoHistory, Validator
from app.session.returns_io import Returns
from app.session.validator import RulesValidator
from app.session.workspace_io import WorkspaceLink
from rules import columns
from rules.findings import FINDING_COLUMNS
from rules.progress import NO_PROGRESS, Progress
from rules.settings import Settings
from rules.tables import Tables


class Session:
    """The partnership's data as the user is working on it."""

    def __init__(self, *, settings: Settings | None = None, validator: Validator | None = None,
                 workspace: Any = None) -> None:
        self.settings = settings or Settings()
        self.files: list[Path] = []    # what is open: the workspace file (or the files loaded)
        self.sources: list[Path] = []  # the extracts the workspace was made from, when opened here
        self.mappings: list[Any] = []  # how each opened sheet's headers mapped (``MappingResult``)
        self.listeners: list[Callable[[EditResult], None]] = []
        self.as_at_basis: str | None = None  # where the as-at date came from (``app.session.as_at``)
        listeners = self.listeners   # told of every step (the parts hold this, not the session)

        def notify(result: EditResult) -> None:
            for listener in list(listeners):
                listener(result)

        self._checker = Checker(validator or RulesValidator(self.settings))
        self._link = WorkspaceLink(workspace)
        self._history = UndoHistory()
        self._editor = Editor(self._checker, self._link, self._history, notify)
        self._returns = Returns(self._checker, self._link)

    # -- opening ---------------------------------------------------------------------------------------
    def load(self, raw: Tables, *, files: Sequence[Path] = (), typed: Tables | None = None,
             schema_findings: pd.DataFrame | None = None, progress: Progress = NO_PROGRESS) -> None:
        """Take RAW tables (scripts, tests, the self-test) into a throw-away workspace
        (``app.session.scratch``, deleted by ``close``) and validate them all (reusing a parse
        already made). Row positions stay those of ``raw``."""
        frames = {t: numbered(f) for t in columns.TABLES if (f := raw.get(t)) is not None}
        given = Tables(**{t: frames.get(t) for t in columns.TABLES}, as_at=raw.as_at, files=list(raw.files))
        if given.episodes is None:
            given.episodes = empty_raw("episodes")
        shared = self._link.load(given, self.settings)
        shared.as_at, shared.files = given.as_at, list(given.files)
        self._take(shared, files=files, typed=typed, schema_findings=schema_findings, progress=progress)

    def _take(self, raw: Tables, *, files: Sequence[Path] = (), typed: Tables | None = None,
              schema_findings: pd.DataFrame | None = None, progress: Progress = NO_PROGRESS) -> None:
        """Take the workspace's working tables as ours (the frames themselves, shared with it) and
        validate them all (reusing a parse already made)."""
        frames = {t: one_chunk(numbered(f)) for t in columns.TABLES if (f := raw.get(t)) is not None}
        mine = Tables(**{t: frames.get(t) for t in columns.TABLES}, as_at=raw.as_at, files=list(raw.files))
        if mine.episodes is None:
            mine.episodes = empty_raw("episodes")
        self.files = [Path(p) for p in files]
        self.sources = []
        self.mappings = []
        self._history.start()
        self._checker.take(mine, typed, schema_findings, progress)

    def open_files(self, paths: Sequence[Path | str], *, workspace_path: Path | None = None,
                   as_at: dt.date | None = None, progress: Progress = NO_PROGRESS, **options: Any) -> Any:
        """Read provider extracts (``app.extracts.open_extracts``) into a new workspace made at once
        (``extract_import.make_workspace``), so every change is saved in it; validate; the ``Opened``."""
        from app.extracts import open_extracts
        from app.session.extract_import import make_workspace, typed_in_workspace_order

        files = [Path(p) for p in paths]
        today = dt.date.today()
        opened = open_extracts(files, as_at=as_at, progress=progress, **options)
        if as_at is None:  # proposed before the rules judge: about sheet, data, file date (app.session.as_at)
            from app.session.as_at import settle

            self.as_at_basis = settle(opened, files, today).basis
        self.mappings = list(opened.mappings)
        progress.report(0.85, "Saving the extracts in the workspace")
        ws = make_workspace(opened, files, workspace_path, self.settings, self.mappings)
        try:
            shared = ws.working_tables()
            typed = typed_in_workspace_order(opened, shared)
            mappings = self.mappings
            self._link.attach(ws)
            self._take(shared, files=[ws.path], typed=typed, schema_findings=opened.findings, progress=progress)
            self.mappings = mappings
            self.sources = files
        except BaseException:  # cancelled or failed: no half-made workspace is left behind
            ws.delete()
            self._link.workspace = None
            raise
        return opened

    def open_workspace(self, path: Path, *, progress: Progress = NO_PROGRESS) -> None:
        """Work on a workspace: its working tables, settings, catalogue, acceptances and undo history."""
        from rules.catalogue import default_catalogue, parse

        ws = self._link.open(path)
        try:
            text = ws.catalogue_toml
            self.settings = ws.settings
            self.validator = RulesValidator(self.settings, parse(text, source=Path(path).name,
                                                                 base=default_catalogue()) if text else None)
            self._link.attach(ws)
            self._take(ws.working_tables(), files=[Path(path)], progress=progress)
            self._checker.restore_accepted(self._link.mark_accepted(self.findings[list(FINDING_COLUMNS)]))
            self._history.start(*self._link.restore_steps())
            self.sources = [Path(name) for name in ws.sources()["file_name"]]
        except BaseException:
            ws.close()
            self._link.workspace = None
            raise

    # -- the document's parts, as the app reads them ----------------------------------------------------
    raw = property(lambda self: self._checker.raw, doc="The RAW working tables (the workspace's own frames).")
    typed = property(lambda self: self._checker.typed, doc="The typed tables (None before anything is open).")
    schema_findings = property(lambda self: self._checker.schema_findings, doc="The schema's findings.")
    findings = property(lambda self: self._checker.findings,
                        doc="Every finding, located (``pos``), keyed and marked accepted or open.")
    accepted = property(lambda self: self._checker.accepted, doc="Accepted finding key -> reason.")
    _label_of = property(lambda self: self._checker.label_of, doc="Finding key -> its index in ``findings``.")
    steps = property(lambda self: self._history.steps, doc="The undo history's steps, in the order made.")
    restored = property(lambda self: self._history.restored,
                        doc="(done, undone) step numbers as the workspace's stacks had them on open.")

    @property
    def validator(self) -> Validator:
        """What judges the tables (``Validator``); set it to judge by other rules from the next check."""
        return self._checker.validator

    @validator.setter
    def validator(self, validator: Validator) -> None:
        self._checker.validator = validator

    @property
    def workspace(self) -> Any:
        """The open ``app.workspace.Workspace`` (None before anything is open); the app asks the
        session instead (``path``, ``history``, the exports)."""
        return self._link.workspace

    @workspace.setter
    def workspace(self, workspace: Any) -> None:
        self._link.workspace = workspace

    def table(self, name: str) -> pd.DataFrame | None:
        """A RAW working table (None when the extracts did not have it)."""
        return self.raw.get(name)

    @property
    def catalogue(self) -> Any:
        """The rule catalogue in use (``rules.catalogue``; the shipped one unless changed)."""
        from rules.catalogue import default_catalogue

        return self.validator.catalogue or default_catalogue()

    def set_rules(self, *, catalogue: Any = None, settings: Settings | None = None,
                  progress: Progress = NO_PROGRESS) -> None:
        """Use another catalogue and/or settings (thresholds), then validate everything again."""
        self.settings = settings or self.settings
        self.validator = RulesValidator(self.settings, catalogue if catalogue is not None else self.catalogue)
        self._checker.validate(progress=progress)
        self._link.keep_rules(self.settings, self.validator.catalogue)

    def revalidate(self, progress: Progress = NO_PROGRESS) -> None:
        """Judge everything again (after the as-at date changed); cancelled or failed, nothing changed."""
        self._checker.validate(progress=progress)

    # -- findings (``Checker``) -------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Open (not accepted) findings per severity."""
        return self._checker.counts()

    def open_findings(self) -> pd.DataFrame:
        """Findings not accepted, in ``FINDING_COLUMNS``."""
        return self._checker.open_findings()

    def accepted_frame(self) -> pd.DataFrame:
        """Accepted findings with their ``reason``, as the returns list them."""
        return self._checker.accepted_frame()

    # -- steps (``Editor``) -----------------------------------------------------------------------------
    def change_for(self, table: str, pos: int, name: str, text: str | None) -> CellChange:
        """The change typing ``text`` into one cell would make (input converted)."""
        return self._editor.change_for(table, pos, name, text)

    def edit(self, table: str, pos: int, name: str, text: str | None, *, reason: str = "") -> EditResult:
        """Type into one cell."""
        return self._editor.edit(table, pos, name, text, reason=reason)

    def replace_changes(self, table: str, positions: Iterable[int], name: str, new_text: str | None, *,
                        old_text: str | None = None) -> list[CellChange]:
        """The changes a bulk replace would make (``Editor.replace_changes``)."""
        return self._editor.replace_changes(table, positions, name, new_text, old_text=old_text)

    def bulk_replace(self, table: str, positions: Iterable[int], name: str, new_text: str | None, *,
                     old_text: str | None = None, reason: str = "") -> EditResult:
        """Set ``name`` to ``new_text`` in the given rows as one step."""
        return self._editor.bulk_replace(table, positions, name, new_text, old_text=old_text, reason=reason)

    def apply(self, changes: list[CellChange], *, reason: str = "", kind: str | None = None,
              description: str = "", ref_step: int | None = None) -> EditResult:
        """Apply changes as one step (``Editor.apply``: an edit, a bulk fix, or an undo's inverse)."""
        return self._editor.apply(changes, reason=reason, kind=kind, description=description, ref_step=ref_step)

    def accept(self, index: int | Sequence[int], reason: str) -> EditResult:
        """Accept findings (by their index in ``findings``) with one reason, as one step."""
        return self._editor.accept(index, reason)

    def withdraw(self, index: int | Sequence[int], reason: str = "") -> EditResult:
        """Withdraw the acceptance of findings (by index), as one step."""
        return self._editor.withdraw(index, reason)

    def set_acceptance(self, findings: pd.DataFrame | list[dict], reason: str, *, accept: bool,
                       kind: str | None = None, description: str = "", ref_step: int | None = None) -> EditResult:
        """Accept findings (or withdraw their acceptance) as one step (``Editor.set_acceptance``)."""
        return self._editor.set_acceptance(findings, reason, accept=accept, kind=kind, description=description,
                                           ref_step=ref_step)

    # -- the workspace (``WorkspaceLink``) --------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        """The workspace file this session works in (None before anything is open, or for loaded tables)."""
        return self._link.path

    def close(self) -> None:
        """Release the workspace (its lock); everything in it is already saved."""
        self._link.close()

    def discard(self) -> None:
        """Close and delete the workspace just made for files that were then not taken."""
        self._link.discard()

    def save_as(self, path: Path) -> Path:
        """Copy the workspace to ``path`` and carry on working in the copy."""
        path = self._link.save_as(path)
        self.files = [path]
        return path

    def history(self) -> pd.DataFrame:
        """The audit trail (``Workspace.history`` columns)."""
        return self._link.history()

    def providers(self) -> list[str]:
        """The providers whose extracts are open, by code."""
        return self._link.providers(self.raw)

    def export_corrected(self, path: Path, fmt: str | None = None, headers: str = "canonical", *,
                         provider: str | None = None, progress: Progress = NO_PROGRESS) -> list[Path]:
        """The corrected extract (``Workspace.export_corrected``)."""
        return self._link.export_corrected(path, fmt, headers, provider=provider, progress=progress)

    def export_audit(self, path: Path, *, identifiers: bool = False) -> Path:
        """The audit trail as .xlsx or .csv (``Workspace.export_audit``)."""
        return self._link.export_audit(path, identifiers=identifiers)

    @property
    def profiles(self) -> dict[str, dict]:
        """Mapping profiles kept with the partnership (none before anything is open)."""
        return self._link.profiles

    def save_profile(self, name: str, profile: Any) -> None:
        """Keep a confirmed mapping profile with the partnership's records."""
        self._link.save_profile(name, profile)

    # -- returns (``Returns``) --------------------------------------------------------------------------
    def measures(self, period: str | Any, *, by: Sequence[str] = ()) -> Any:
        """Every count and measure for a period (``rules.measures.compute``)."""
        return self._returns.measures(period, self.settings, by=by)

    def returns_inputs(self) -> tuple[pd.DataFrame, dict[str, Any]]:
        """Accepted findings (with reasons) and measure snapshots by period label, as the returns take them."""
        return self._link.returns_inputs()

    def generate(self, period: str | Any, out_dir: Path, *, templates: Sequence[Path] | None = None,
                 draft: bool = True, check_only: bool = False, report: dict[str, str] | None = None) -> Any:
        """Fill the return templates (``Returns.generate``); ``check_only`` lists template problems."""
        return self._returns.generate(period, out_dir, self.settings, templates=templates, draft=draft,
                                      check_only=check_only, report=report)

