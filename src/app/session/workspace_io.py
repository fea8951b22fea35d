"""The session and its SQLite workspace: open one, save what is open as one, and save each step of
edits into it as ONE workspace step (a mixin of ``Session``; see ``app.workspace``).

Session positions are the RAW tables' row positions. A workspace opened here has the same order;
one saved from opened files stores each file as a source, so its working order can differ: the
session keeps a map from its positions to the workspace's (matched on file, row and order).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from app.session.model import Step
from app.session.validator import RulesValidator
from rules import columns
from rules.findings import FINDING_COLUMNS
from rules.progress import NO_PROGRESS, Progress
from rules.tables import Tables


class WorkspaceIO:
    """``open_workspace``, ``save_workspace`` and the saving of steps."""

    workspace: Any
    steps: list[Step]
    _ws_pos: dict[str, np.ndarray] | None

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
        self._counts = None

    def save_workspace(self, path: Path, *, year: str, progress: Progress = NO_PROGRESS) -> None:
        """Save as a new workspace: each file's rows as imported, then every step and acceptance."""
        from app.workspace import Workspace

        ws = Workspace.create(path, partnership=self.settings.partnership_name, year=year)
        by_name = {p.name: p for p in self.files}
        for name in dict.fromkeys(self.original.episodes[columns.SOURCE_FILE]):
            part = {t: f[f[columns.SOURCE_FILE] == name] for t in columns.TABLES
                    if (f := self.original.get(t)) is not None}
            ws.import_source(Tables(**part, as_at=self.raw.as_at, files=[name]), file_path=by_name.get(name, name),
                             profile=self._profile_of(name))
        working = ws.working()
        self._ws_pos = {t: position_map(frame, working.frame(t)) for t in columns.TABLES
                        if (frame := self.raw.get(t)) is not None and working.frames.get(t) is not None}
        for step in self.steps:  # in order: each the same single workspace step it was in the app
            self._commit_step(ws, step)
        for _, row in self.findings[self.findings["accepted"]].iterrows():
            ws.accept(row[list(FINDING_COLUMNS)], row["accept_reason"])
        ws.set_settings(self.settings)
        self.workspace = ws
        self.files = [Path(path)]

    def _profile_of(self, name: str) -> Any:
        """The mapping a file was opened with (every header, and the code values mapped), for the
        workspace's sources: an export with the provider's own headers needs it."""
        from app.extracts import MappingProfile

        mine = [m for m in getattr(self, "mappings", []) if name in (m.file, Path(str(m.file)).name)]
        if not mine:
            return None
        headers = {h: t for m in mine for h, t in m.columns.items()}
        return MappingProfile(Path(name).stem, headers=headers, codes=MappingProfile.from_mappings(name, mine).codes)

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
            mapped = pos if self._ws_pos is None or table not in self._ws_pos else self._ws_pos[table][pos]
            values = np.array([step.changes[i].new for i in idx], dtype=object)
            refs = (np.array([ref_ids.get((table, p, name)) for p in pos], dtype=object) if ref_ids else None)
            groups.append((table, name, mapped, values, refs))
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
