"""Edits as undo steps: the values are computed before the push, redo and undo only swap them.

One command per user action (a typed cell, a fill down, a paste, a bulk replace), so one Ctrl+Z
undoes the whole action. Undo applies the inverse changes through the session, which appends them
to the edit log (the audit trail keeps both) and re-validates the rows touched. Each do, undo and
redo is one session step, so with a workspace open it is one workspace step (batch) too, marked
as the undo or redo of the step before.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from app.session import CellChange, Session


class EditCommand(QUndoCommand):
    """Apply a list of cell changes as one step."""

    def __init__(self, session: Session, changes: list[CellChange], text: str, *, reason: str = "") -> None:
        super().__init__(text)
        self.session = session
        self.changes = [c for c in changes if c.old != c.new]
        self.reason = reason
        self.error: Exception | None = None
        self.step: int | None = None  # the session step that last did this command (do or redo)

    def redo(self) -> None:
        if self.step is None:  # the first time: the user's own action
            self._run(self.changes, self.reason, kind=None, description=self.text())
        else:
            self._run(self.changes, self.reason, kind="redo", description=f"Redo: {self.text()}")

    def undo(self) -> None:
        self._run([c.inverse() for c in reversed(self.changes)], f"undo: {self.text()}", kind="undo",
                  description=f"Undo: {self.text()}")

    def _run(self, changes: list[CellChange], reason: str, *, kind: str | None, description: str) -> None:
        """Apply; a failure (the workspace file refused the edit) makes the step obsolete, not a crash."""
        try:
            result = self.session.apply(changes, reason=reason, kind=kind, description=description,
                                        ref_step=self.step)
        except Exception as exc:  # shown by the window, which pushed this command
            self.error = exc
            self.setObsolete(True)
            return
        if kind != "undo" and result.step is not None:
            self.step = result.step


def describe(changes: list[CellChange]) -> str:
    """A short label for the history panel: ``triage_date = 2025-04-10`` or ``sex in 12 rows``."""
    if len(changes) == 1:
        c = changes[0]
        return f"{c.field} = {c.new if c.new is not None else '(blank)'}"
    fields = sorted({c.field for c in changes})
    rows = len({(c.table, c.pos) for c in changes})
    return f"{', '.join(fields[:3])}{'...' if len(fields) > 3 else ''} in {rows} rows"
