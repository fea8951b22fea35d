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
from app.session.model import CellChange, EditResult
from app.session.typed_input import convert_input
from rules import columns

log = logging.getLogger("app.session")


class Editing:
    """Cell edits and bulk edits through one ``apply``."""

    log: list[tuple[CellChange, str]]
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
        """Set ``name`` to ``new_text`` in the given rows as one edit (see ``replace_changes``)."""
        return self.apply(self.replace_changes(table, positions, name, new_text, old_text=old_text),
                          reason=reason)

    def apply(self, changes: list[CellChange], *, reason: str = "") -> EditResult:
        """Apply changes (an edit, a bulk fix, or an undo's inverse), then re-validate."""
        changes = [c for c in changes if c.old != c.new]
        if not changes:
            return EditResult(changes=[])
        if self.workspace is not None:  # saved first: an edit the file refused is not shown as made
            self._save_edits(changes, reason)
        for c in changes:
            self.raw.get(c.table).at[c.pos, c.field] = c.new
            self.log.append((c, reason))
        touched = {t: np.unique([c.pos for c in changes if c.table == t]) for t in {c.table for c in changes}}
        before = self.findings
        try:
            if not hasattr(self.validator, "recheck") or self.typed is None:
                raise LookupError("no partial re-check")
            self._recheck(touched)
        except Exception as exc:  # a failing partial re-check must never lose an edit: check everything
            if not isinstance(exc, LookupError):
                log.exception("re-checking the touched records failed; validating everything instead")
            self._validate()
        old_k, new_k = before["key"], self.findings["key"]
        result = EditResult(changes=changes, touched=touched, added=self.findings[~among(new_k, old_k)],
                            removed=before[~among(old_k, new_k)])
        for listener in list(self.listeners):
            listener(result)
        return result

    def _save_edits(self, changes: list[CellChange], reason: str) -> None:
        for c in changes:
            frame = self.raw.get(c.table)
            locator = (frame.at[c.pos, columns.SOURCE_FILE], frame.at[c.pos, columns.SOURCE_ROW])
            self.workspace.edit(c.table, locator, c.field, c.new, reason=reason)
