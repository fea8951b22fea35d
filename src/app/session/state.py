"""``Session``: the open document, composed of its parts (checking, editing, workspace, returns)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from app.session.checking import Checking
from app.session.editing import Editing
from app.session.frames import empty_raw, one_chunk, with_extra
from app.session.model import EditResult, Step, Validator
from app.session.returns_io import ReturnsIO
from app.session.scratch import Scratch
from app.session.validator import RulesValidator
from app.session.workspace_io import WorkspaceIO, position_map
from rules import columns
from rules.findings import empty_findings
from rules.progress import NO_PROGRESS, Progress
from rules.settings import Settings
from rules.tables import Tables


class Session(Checking, Editing, WorkspaceIO, ReturnsIO):
    """The partnership's data as the user is working on it."""

    def __init__(self, *, settings: Settings | None = None, validator: Validator | None = None,
                 workspace: Any = None) -> None:
        self.settings = settings or Settings()
        self.validator: Validator = validator or RulesValidator(self.settings)
        self.workspace = workspace
        self._scratch: Scratch | None = None   # the throw-away workspace of tables loaded, not opened
        self.raw = Tables(episodes=empty_raw("episodes"))
        self._where: dict[str, pd.MultiIndex] = {}
        self.typed: Tables | None = None
        self.schema_findings = empty_findings()
        self.findings = with_extra(empty_findings())
        self._label_of: dict[str, int] = {}
        self._counts: dict[str, int] | None = None
        #: The steps of this session's undo history (restored from the workspace on open), in order
        #: made; ``restored`` lists which are done and which undone, as the workspace's stacks say.
        self.steps: list[Step] = []
        self.restored: tuple[list[int], list[int]] = ([], [])
        self.accepted: dict[str, str] = {}          # finding key -> reason
        self.files: list[Path] = []    # what is open: the workspace file (or the files loaded)
        self.sources: list[Path] = []  # the extracts the workspace was made from, when opened here
        self.mappings: list[Any] = []  # how each opened sheet's headers mapped (``MappingResult``)
        self.listeners: list[Callable[[EditResult], None]] = []
        self.as_at_basis: str | None = None  # where the as-at date came from (``app.session.as_at``)

    def load(self, raw: Tables, *, files: Sequence[Path] = (), typed: Tables | None = None,
             schema_findings: pd.DataFrame | None = None, progress: Progress = NO_PROGRESS) -> None:
        """Take RAW tables (scripts, tests, the self-test) into a throw-away workspace
        (``app.session.scratch``, deleted by ``close``) and validate them all (reusing a parse
        already made). Row positions stay those of ``raw``."""
        frames = {t: _numbered(f) for t in columns.TABLES if (f := raw.get(t)) is not None}
        given = Tables(**{t: frames.get(t) for t in columns.TABLES}, as_at=raw.as_at, files=list(raw.files))
        if given.episodes is None:
            given.episodes = empty_raw("episodes")
        scratch = Scratch(given, self.settings)
        self._attach(scratch.workspace, scratch)
        shared = scratch.workspace.working_tables()
        shared.as_at, shared.files = given.as_at, list(given.files)
        self._take(shared, files=files, typed=typed, schema_findings=schema_findings, progress=progress)

    def _take(self, raw: Tables, *, files: Sequence[Path] = (), typed: Tables | None = None,
              schema_findings: pd.DataFrame | None = None, progress: Progress = NO_PROGRESS) -> None:
        """Take the workspace's working tables as ours (the frames themselves, shared with it) and
        validate them all (reusing a parse already made)."""
        frames = {t: one_chunk(_numbered(f)) for t in columns.TABLES if (f := raw.get(t)) is not None}
        self.raw = Tables(**{t: frames.get(t) for t in columns.TABLES}, as_at=raw.as_at, files=list(raw.files))
        if self.raw.episodes is None:
            self.raw.episodes = empty_raw("episodes")
        self.files = [Path(p) for p in files]
        self.sources = []
        self.mappings = []
        self.steps = []
        self.restored = ([], [])
        self._where = {}
        self._validate(typed, schema_findings, progress)

    def open_files(self, paths: Sequence[Path | str], *, workspace_path: Path | None = None,
                   as_at: dt.date | None = None, progress: Progress = NO_PROGRESS, **options: Any) -> Any:
        """Read provider extracts (``app.extracts.open_extracts``) into a new workspace, validate, and
        return the ``Opened``.

        The workspace is made at once (``workspace_path``, else a new file in the user's data folder
        named from the partnership and period), so every change from the first one is saved in it.
        """
        from app.extracts import open_extracts

        files = [Path(p) for p in paths]
        today = dt.date.today()
        opened = open_extracts(files, as_at=as_at, progress=progress, **options)
        if as_at is None:  # proposed before the rules judge: about sheet, data, file date (app.session.as_at)
            from app.session.as_at import settle

            self.as_at_basis = settle(opened, files, today).basis
        self.mappings = list(opened.mappings)
        progress.report(0.85, "Saving the extracts in the workspace")
        ws = self._new_workspace(opened, files, workspace_path)
        try:
            shared = ws.working_tables()
            order = {t: np.argsort(position_map(opened.raw.get(t), shared.get(t)), kind="stable")
                     for t in columns.TABLES if shared.get(t) is not None}
            typed = Tables(**{t: opened.tables.get(t).iloc[order[t]].reset_index(drop=True)
                              for t in order}, as_at=opened.tables.as_at, files=list(opened.tables.files))
            mappings = self.mappings
            self._attach(ws)
            self._take(shared, files=[ws.path], typed=typed, schema_findings=opened.findings, progress=progress)
            self.mappings = mappings
            self.sources = files
        except BaseException:  # cancelled or failed: no half-made workspace is left behind
            ws.delete()
            self.workspace = None
            raise
        return opened

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
        self._validate(progress=progress)
        from rules.catalogue import to_toml

        self.workspace.set_settings(self.settings)
        self.workspace.set_catalogue_toml(to_toml(self.validator.catalogue))


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with rows numbered 0..n-1: itself when they already are (so it stays shared)."""
    index = frame.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return frame
    return frame.reset_index(drop=True)
