"""Steps as undo commands: the values are computed before the push, redo and undo only swap them.

One command per user action (a typed cell, a fill down, a paste, a bulk replace, an acceptance),
so one Ctrl+Z undoes the whole action. Undo applies the inverse through the session, which commits
it to the workspace as one step marked as the undo of the step before (the audit trail keeps
both). The stack is a view of the workspace's log: on open, ``restore`` rebuilds it from the steps
the session read back, so undo and redo go on after a restart.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand, QUndoStack

from app import words
from app.session import CellChange, Session


class StepCommand(QUndoCommand):
    """One session step; ``quiet`` while the stack is being rebuilt (the step is already done or undone)."""

    def __init__(self, session: Session, text: str, *, step: int | None = None) -> None:
        super().__init__(text)
        self.session = session
        self.error: Exception | None = None
        self.step = step  # the session step that last did this command (do or redo)
        self.quiet = step is not None

    def redo(self) -> None:
        if self.quiet:
            return
        kind = None if self.step is None else "redo"  # the first time it is the user's own action
        self._run(kind, self.text() if kind is None else f"Redo: {self.text()}", self.step)

    def undo(self) -> None:
        if not self.quiet:
            self._run("undo", f"Undo: {self.text()}", self.step)

    def _run(self, kind: str | None, description: str, ref: int | None) -> None:
        """Apply; a failure (the workspace file refused the step) makes the step obsolete, not a crash."""
        try:
            result = self._apply(kind, description, ref)
        except Exception as exc:  # shown by the window, which pushed this command
            self.error = exc
            self.setObsolete(True)
            return
        if kind != "undo" and result.step is not None:
            self.step = result.step

    def _apply(self, kind: str | None, description: str, ref: int | None):
        raise NotImplementedError


class EditCommand(StepCommand):
    """Apply a list of cell changes as one step."""

    def __init__(self, session: Session, changes: list[CellChange], text: str, *, reason: str = "",
                 step: int | None = None) -> None:
        super().__init__(session, text, step=step)
        self.changes = [c for c in changes if c.old != c.new]
        self.reason = reason

    def _apply(self, kind: str | None, description: str, ref: int | None):
        if kind == "undo":
            return self.session.apply([c.inverse() for c in reversed(self.changes)], reason=f"undo: {self.text()}",
                                      kind="undo", description=description, ref_step=ref)
        return self.session.apply(self.changes, reason=self.reason, kind=kind, description=description, ref_step=ref)


class AcceptCommand(StepCommand):
    """Accept findings (or withdraw their acceptance) as one step; undo does the opposite."""

    def __init__(self, session: Session, findings: list[dict], reason: str, text: str, *, accept: bool,
                 step: int | None = None) -> None:
        super().__init__(session, text, step=step)
        self.findings, self.reason, self.accept = findings, reason, accept

    def _apply(self, kind: str | None, description: str, ref: int | None):
        accept = self.accept if kind != "undo" else not self.accept
        reason = self.reason if kind != "undo" else f"undo: {self.text()}"
        return self.session.set_acceptance(self.findings, reason, accept=accept, kind=kind,
                                           description=description, ref_step=ref)


def restore(stack: QUndoStack, session: Session) -> None:
    """Fill ``stack`` with the session's restored steps: those done, then those undone (undo and redo
    then walk through them as they would have before the app was closed)."""
    stack.clear()
    done, undone = session.restored
    commands: list[StepCommand] = []
    for i in [*done, *reversed(undone)]:
        step = session.steps[i]
        if step.changes:
            command: StepCommand = EditCommand(session, step.changes, step.description, reason=step.reason, step=i)
        else:
            command = AcceptCommand(session, step.findings, step.reason, step.description, accept=step.accept, step=i)
        stack.push(command)
        commands.append(command)
    stack.setIndex(len(done))
    for command in commands:
        command.quiet = False


def describe(changes: list[CellChange]) -> str:
    """A short label for the history panel and Undo, in a manager's words:
    ``Triage date = 10/04/2025`` or ``Sex in 12 rows``."""
    if len(changes) == 1:
        c = changes[0]
        return f"{words.field_label(c.field)} = {words.day_first(c.new) if c.new is not None else '(blank)'}"
    fields = sorted({words.field_label(c.field) for c in changes})
    rows = len({(c.table, c.pos) for c in changes})
    return f"{', '.join(fields[:3])}{'...' if len(fields) > 3 else ''} in {rows} rows"


def describe_acceptance(rows: list[dict], accept: bool) -> str:
    """``Accept Triaged within 6 weeks of referral on N9001/E00011`` or ``Withdraw acceptance of 3 findings``:
    the rule's title, not its id."""
    what = (f"{words.rule_title(rows[0]['rule'])} on {rows[0]['record']}" if len(rows) == 1
            else f"{len(rows):,} findings")
    return f"Accept {what}" if accept else f"Withdraw acceptance of {what}"
