"""Edits to the working tables: typed cells, bulk replacements, undo's inverses (a mixin of ``Session``).

Every change is saved first (when a workspace is open), then applied, then only the touched
records are re-checked; listeners get an ``EditResult`` naming what changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from app.session.frames import among, blank
from app.session.model import CellChange, EditResult, Step
from app.session.typed_input import convert_input

log = logging.getLogger("app.session")


class Editing:
    """Cell edits and bulk edits through one ``apply``."""

    steps: list[Step]
    listeners: list[Callable[[EditResult], None]]
    workspace: Any

    def change_for(self, table: str, pos: int, name: str, text: str | None) -> CellChange:
        """The change typing ``text`` into one cell would make (input converted)."""
        frame = self.raw.get(table)
        old = frame.at[pos, name]
        return CellChange(table, int(pos), name, None if blank(old) else old,
                          convert_input(table, name, text, today=self.raw.as_at))

    def edit(self, table: str, pos: int, name: str, text: str | None, *, reason: str = "") -> EditResult:
        """Type into one cell."""
        return self.apply([self.change_for(table, pos, name, text)], reason=reason)

    def replace_changes(self, table: str, positions: Iterable[int], name: str, new_text: str | None, *,
                        old_text: str | None = None) -> list[CellChange]:
        """The changes setting ``name`` to ``new_text`` in the given rows (only where it equals
        ``old_text``, when given) would make; cells already holding the value are left out."""
        positions = np.asarray(list(positions), dtype=np.int64)
        values = self.raw.get(table)[name].to_numpy(dtype=object)[positions]
        if old_text is not None:
            keep = np.array([v == old_text for v in values], dtype=bool)
            positions, values = positions[keep], values[keep]
        new = convert_input(table, name, new_text, today=self.raw.as_at)
        return [CellChange(table, int(p), name, None if blank(v) else v, new)
                for p, v in zip(positions, values, strict=True) if (None if blank(v) else v) != new]

    def bulk_replace(self, table: str, positions: Iterable[int], name: str, new_text: str | None, *,
                     old_text: str | None = None, reason: str = "") -> EditResult:
        """Set ``name`` to ``new_text`` in the given rows as one step (see ``replace_changes``)."""
        changes = self.replace_changes(table, positions, name, new_text, old_text=old_text)
        return self.apply(changes, reason=reason, kind="bulk-replace",
                          description=f"Replace {name} in {len(changes):,} {table} rows")

    def apply(self, changes: list[CellChange], *, reason: str = "", kind: str | None = None,
              description: str = "", ref_step: int | None = None) -> EditResult:
        """Apply changes as one step (an edit, a bulk fix, or an undo's inverse), then re-validate.

        With a workspace open the step is saved first, as ONE workspace step (one batch), so one
        undo in the app is one step of the audit trail. ``kind``: the workspace's batch kind
        (default ``edit`` for one cell, ``bulk-replace`` for more); ``undo``/``redo`` with
        ``ref_step``, the session step (``EditResult.step``) undone or redone.
        """
        changes = [c for c in changes if c.old != c.new]
        if not changes:
            return EditResult(changes=[])
        step = Step(kind or ("edit" if len(changes) == 1 else "bulk-replace"),
                    description or self._describe(changes), reason, changes, ref_step)
        self._commit_step(self.workspace, step)  # saved first: an edit the file refused is not shown as made
        for c in changes:  # ... and applied to the workspace's working tables, ours
            frame = self.raw.get(c.table)
            if self.workspace.working().frames.get(c.table) is not frame:
                frame.at[c.pos, c.field] = c.new
        self.steps.append(step)
        touched = {t: np.unique([c.pos for c in changes if c.table == t]) for t in {c.table for c in changes}}
        fields = {t: {c.field for c in changes if c.table == t} for t in touched}
        before, delta = self.findings, None
        try:
            delta = self._recheck(touched, fields)
        except Exception:  # a failing partial re-check must never lose an edit: check everything
            log.exception("re-checking the touched records failed; validating everything instead")
            self._validate()
            delta = None
        full = delta is None
        if full:  # everything was judged again: compare the keys
            old_k, new_k = before["key"], self.findings["key"]
            delta = self.findings[~among(new_k, old_k)], before[~among(old_k, new_k)]
        result = EditResult(changes=changes, touched=touched, added=delta[0], removed=delta[1],
                            step=len(self.steps) - 1, batch_id=step.batch_id, full=full)
        for listener in list(self.listeners):
            listener(result)
        return result

    def _describe(self, changes: list[CellChange]) -> str:
        """What the audit trail calls a step: ``Edit sex of N9001/E00007`` or ``Change sex in 12 episodes rows``."""
        if len(changes) == 1:
            c = changes[0]
            frame = self.raw.get(c.table)
            record = "/".join(str(frame.at[c.pos, k]) for k in ("provider_code", "episode_id") if k in frame)
            return f"Edit {c.field} of {record}"
        fields = ", ".join(sorted({c.field for c in changes}))
        tables = ", ".join(sorted({c.table for c in changes}))
        return f"Change {fields} in {len({(c.table, c.pos) for c in changes}):,} {tables} rows"
