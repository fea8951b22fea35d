"""Every change the person makes, as undoable steps: typed cells, bulk replacements, acceptances, and the
inverses undo and redo apply (the session's ``Editor``).

Every step is saved in the workspace first, then applied, then only the touched records are
re-checked; listeners get an ``EditResult`` naming what changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from app.session.checking import Checker
from app.session.frames import among, blank
from app.session.model import CellChange, EditResult, Step, UndoHistory, finding_keys
from app.session.typed_input import convert_input
from app.session.workspace_io import WorkspaceLink
from rules.findings import FINDING_COLUMNS, normalise

log = logging.getLogger("app.session")


class Editor:
    """Cell edits, bulk edits and acceptances through one step each: saved (``link``), recorded in
    the undo ``history``, judged (``checker``), announced (``notify``)."""

    def __init__(self, checker: Checker, link: WorkspaceLink, history: UndoHistory,
                 notify: Callable[[EditResult], None]) -> None:
        self.checker, self.link, self.history, self.notify = checker, link, history, notify

    def change_for(self, table: str, pos: int, name: str, text: str | None) -> CellChange:
        """The change typing ``text`` into one cell would make (input converted)."""
        raw = self.checker.raw
        old = raw.get(table).at[pos, name]
        return CellChange(table, int(pos), name, None if blank(old) else old,
                          convert_input(table, name, text, today=raw.as_at))

    def edit(self, table: str, pos: int, name: str, text: str | None, *, reason: str = "") -> EditResult:
        """Type into one cell."""
        return self.apply([self.change_for(table, pos, name, text)], reason=reason)

    def replace_changes(self, table: str, positions: Iterable[int], name: str, new_text: str | None, *,
                        old_text: str | None = None) -> list[CellChange]:
        """The changes setting ``name`` to ``new_text`` in the given rows (only where it equals
        ``old_text``, when given) would make; cells already holding the value are left out."""
        raw = self.checker.raw
        positions = np.asarray(list(positions), dtype=np.int64)
        values = raw.get(table)[name].to_numpy(dtype=object)[positions]
        if old_text is not None:
            keep = np.array([v == old_text for v in values], dtype=bool)
            positions, values = positions[keep], values[keep]
        new = convert_input(table, name, new_text, today=raw.as_at)
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

        The step is saved first, as ONE workspace step (one batch), so one undo in the app is one
        step of the audit trail. ``kind``: the workspace's batch kind (default ``edit`` for one
        cell, ``bulk-replace`` for more); ``undo``/``redo`` with ``ref_step``, the session step
        (``EditResult.step``) undone or redone.
        """
        changes = [c for c in changes if c.old != c.new]
        if not changes:
            return EditResult(changes=[])
        steps = self.history.steps
        step = Step(kind or ("edit" if len(changes) == 1 else "bulk-replace"),
                    description or self._describe(changes), reason, changes, ref_step)
        # saved first: an edit the file refused is not shown as made
        self.link.commit_step(step, steps[ref_step] if ref_step is not None else None)
        for c in changes:  # ... and applied to the workspace's working tables, ours
            frame = self.checker.raw.get(c.table)
            if not self.link.holds(c.table, frame):
                frame.at[c.pos, c.field] = c.new
        steps.append(step)
        touched = {t: np.unique([c.pos for c in changes if c.table == t]) for t in {c.table for c in changes}}
        fields = {t: {c.field for c in changes if c.table == t} for t in touched}
        before, delta = self.checker.findings, None
        try:
            delta = self.checker.recheck(touched, fields)
        except Exception:  # a failing partial re-check must never lose an edit: check everything
            log.exception("re-checking the touched records failed; validating everything instead")
            self.checker.validate()
            delta = None
        full = delta is None
        if full:  # everything was judged again: compare the keys
            after = self.checker.findings
            old_k, new_k = before["key"], after["key"]
            delta = after[~among(new_k, old_k)], before[~among(old_k, new_k)]
        result = EditResult(changes=changes, touched=touched, added=delta[0], removed=delta[1],
                            step=len(steps) - 1, batch_id=step.batch_id, full=full)
        self.notify(result)
        return result

    def set_acceptance(self, findings: pd.DataFrame | list[dict], reason: str, *, accept: bool,
                       kind: str | None = None, description: str = "", ref_step: int | None = None) -> EditResult:
        """Accept findings (or withdraw their acceptance) as one step, saved in the workspace first.

        ``kind``/``ref_step`` as in ``apply``: ``undo`` or ``redo`` of the session step given.
        """
        rows = (findings[list(FINDING_COLUMNS)].to_dict("records") if isinstance(findings, pd.DataFrame)
                else [{c: r.get(c) for c in FINDING_COLUMNS} for r in findings])
        if not rows:
            return EditResult(changes=[])
        steps = self.history.steps
        keys = finding_keys(normalise(pd.DataFrame(rows))).tolist()
        step = Step(kind or ("accept" if accept else "withdraw"),
                    description or describe_acceptance(rows, accept), reason, [], ref_step,
                    findings=rows, accept=accept)
        self.link.commit_acceptance(step, steps[ref_step] if ref_step is not None else None)
        self.checker.mark(keys, reason, accept=accept)
        steps.append(step)
        result = EditResult(changes=[], step=len(steps) - 1, batch_id=step.batch_id, acceptances=True)
        self.notify(result)
        return result

    def accept(self, index: int | Sequence[int], reason: str) -> EditResult:
        """Accept findings (by their index in ``findings``) with one reason, as one step."""
        if not reason.strip():
            raise ValueError("an accepted finding needs a reason")
        return self.set_acceptance(self.checker.chosen(index), reason.strip(), accept=True)

    def withdraw(self, index: int | Sequence[int], reason: str = "") -> EditResult:
        """Withdraw the acceptance of findings (by index), as one step: they count as open again."""
        chosen = self.checker.chosen(index)
        return self.set_acceptance(chosen[chosen["accepted"].to_numpy(dtype=bool)],
                                   reason.strip() or "acceptance withdrawn", accept=False)

    def _describe(self, changes: list[CellChange]) -> str:
        """What the audit trail calls a step: ``Edit sex of N9001/E00007`` or ``Change sex in 12 episodes rows``."""
        if len(changes) == 1:
            c = changes[0]
            frame = self.checker.raw.get(c.table)
            record = "/".join(str(frame.at[c.pos, k]) for k in ("provider_code", "episode_id") if k in frame)
            return f"Edit {c.field} of {record}"
        fields = ", ".join(sorted({c.field for c in changes}))
        tables = ", ".join(sorted({c.table for c in changes}))
        return f"Change {fields} in {len({(c.table, c.pos) for c in changes}):,} {tables} rows"


def describe_acceptance(rows: list[dict], accept: bool) -> str:
    """``Accept triage-within-6-weeks on N9001/E00011`` or ``Withdraw acceptance of 3 findings``."""
    what = (f"{rows[0]['rule']} on {rows[0]['record']}" if len(rows) == 1 else f"{len(rows):,} findings")
    return f"Accept {what}" if accept else f"Withdraw acceptance of {what}"
