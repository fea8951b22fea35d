"""The session and its SQLite workspace: open one, or save what is open as one (a mixin of ``Session``).

Sources are kept as imported, edits appended, acceptances and settings logged; see ``app.workspace``.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from app.session.validator import RulesValidator
from rules import columns
from rules.findings import FINDING_COLUMNS
from rules.progress import NO_PROGRESS, Progress
from rules.tables import Tables


class WorkspaceIO:
    """``open_workspace`` and ``save_workspace``."""

    workspace: Any

    def open_workspace(self, path: Path, *, progress: Progress = NO_PROGRESS) -> None:
        """Work on a saved workspace: its working tables, settings, catalogue and acceptances."""
        from app.workspace import Workspace
        from rules.catalogue import default_catalogue, parse

        ws = Workspace.open(path)
        text = ws.catalogue_toml
        self.settings = ws.settings
        self.validator = RulesValidator(self.settings, parse(text, source=Path(path).name,
                                                             base=default_catalogue()) if text else None)
        self.workspace = None  # loading is not an edit
        self.load(ws.tables(), files=[Path(path)], progress=progress)
        self.workspace = ws
        marked = ws.mark_accepted(self.findings[list(FINDING_COLUMNS)])
        keys = self.findings["key"][marked["accepted"].to_numpy(dtype=bool)]
        self.accepted = dict(zip(keys, marked.loc[marked["accepted"], "accepted_reason"], strict=True))
        self._mark_accepted(self.findings)

    def save_workspace(self, path: Path, *, year: str, progress: Progress = NO_PROGRESS) -> None:
        """Save as a new workspace: each file's rows as imported, then every edit and acceptance."""
        from app.workspace import Workspace

        ws = Workspace.create(path, partnership=self.settings.partnership_name, year=year)
        by_name = {p.name: p for p in self.files}
        for name in dict.fromkeys(self.original.episodes[columns.SOURCE_FILE]):
            part = {t: f[f[columns.SOURCE_FILE] == name] for t in columns.TABLES
                    if (f := self.original.get(t)) is not None}
            ws.import_source(Tables(**part, as_at=self.raw.as_at, files=[name]),
                             file_path=by_name.get(name, name))
        for c, reason in self.log:
            frame = self.raw.get(c.table)
            locator = (frame.at[c.pos, columns.SOURCE_FILE], int(frame.at[c.pos, columns.SOURCE_ROW]))
            with contextlib.suppress(ValueError):  # a later edit put the value back: nothing to append
                ws.edit(c.table, locator, c.field, c.new, reason=reason)
        for _, row in self.findings[self.findings["accepted"]].iterrows():
            ws.accept(row[list(FINDING_COLUMNS)], row["accept_reason"])
        ws.set_settings(self.settings)
        self.workspace = ws
        self.files = [Path(path)]
