"""The values the session hands out: cell changes, edit results, finding keys, the validator protocol."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np
import pandas as pd

from rules.findings import empty_findings
from rules.progress import NO_PROGRESS, Progress
from rules.tables import Tables

#: What identifies one finding across re-validations (its values too: an acceptance lasts only
#: while the values it was given for stay the same, spec/rules.md).
FINDING_KEY: tuple[str, ...] = ("rule", "table", "file", "row", "fields", "values")
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}


class Delta(Protocol):
    """What a re-check changed (``rules.engine.Changes``): findings that came and findings that went."""

    added: pd.DataFrame
    removed: pd.DataFrame


class Validator(Protocol):
    """Turns RAW tables into typed tables and findings (schema, then the rule catalogue), and after an
    edit re-judges only the records it touched. Everything the session asks of a validator is here."""

    #: The rule catalogue judged by (``rules.catalogue``); None: the shipped one.
    catalogue: Any

    def check(self, raw: Tables, fields: Mapping[str, Collection[str]] | None = None) -> tuple[Tables, pd.DataFrame]:
        """Parse RAW -> typed, with the schema findings; ``fields``: per table, the columns that
        must be checked (an edit's), the others may be left out."""

    def evaluate(self, typed: Tables, schema_findings: pd.DataFrame,
                 progress: Progress = NO_PROGRESS) -> pd.DataFrame:
        """All findings: the schema's and the catalogue's over typed tables (the point later
        re-checks start from)."""

    def recheck(self, typed: Tables, schema_findings: pd.DataFrame, touched: dict[str, np.ndarray]) -> Delta:
        """After an edit: re-judge the records the ``touched`` rows (positions per table) belong to,
        over the typed tables with the edited cells spliced in; the findings that came and went
        since the last ``evaluate`` or ``recheck``."""


@dataclass
class CellChange:
    """One cell of a RAW working table, before and after (values already converted)."""

    table: str
    pos: int
    field: str
    old: str | None
    new: str | None

    def inverse(self) -> CellChange:
        return replace(self, old=self.new, new=self.old)


@dataclass
class EditResult:
    """What an edit did: the changes applied, rows touched per table, findings that came and went."""

    changes: list[CellChange]
    touched: dict[str, np.ndarray] = field(default_factory=dict)
    added: pd.DataFrame = field(default_factory=empty_findings)
    removed: pd.DataFrame = field(default_factory=empty_findings)
    #: The session's step number (``Session.steps``), and the workspace step (batch) when one is open.
    step: int | None = None
    batch_id: int | None = None
    #: True when every finding was judged again (and re-indexed): views reload instead of patching.
    full: bool = False
    #: True when the step accepted findings or withdrew acceptances (no cell changed).
    acceptances: bool = False


@dataclass
class Step:
    """One undoable step as the user made it: one workspace batch, one line of the undo history.

    ``kind`` is the workspace's batch kind (edit, bulk-replace, bulk-fill, accept, withdraw, undo,
    redo); an undo or
    redo names the session step it undoes or redoes (``ref_step``). ``batch_id`` and ``edit_ids``
    (parallel to ``changes``) are set once the step is saved in a workspace.
    """

    kind: str
    description: str
    reason: str
    changes: list[CellChange]
    ref_step: int | None = None
    batch_id: int | None = None
    edit_ids: list[int] = field(default_factory=list)
    #: An acceptance step: the findings (``FINDING_COLUMNS`` values) accepted, or withdrawn when not ``accept``.
    findings: list[dict] = field(default_factory=list)
    accept: bool = True


@dataclass
class UndoHistory:
    """The session's undo history: its steps in the order made (restored from the workspace on
    open) and, as the workspace's stacks say, which were done and which undone when it opened."""

    steps: list[Step] = field(default_factory=list)
    restored: tuple[list[int], list[int]] = field(default_factory=lambda: ([], []))

    def start(self, steps: list[Step] | None = None, restored: tuple[list[int], list[int]] = ([], [])) -> None:
        """Begin again (a new document), with the steps a workspace kept."""
        self.steps, self.restored = list(steps or []), restored


def finding_keys(findings: pd.DataFrame) -> pd.Series:
    """One text key per finding (see ``FINDING_KEY``)."""
    if not len(findings):
        return pd.Series([], dtype=object)
    columns = [findings[c].tolist() for c in ("rule", "table", "file", "row", "fields", "values")]
    # joined row by row: quicker than column arithmetic for an edit's few findings and for 100k alike
    return pd.Series(["|".join((rule, table, file, "" if row is None or row is pd.NA else str(row),
                                _joined(fields), _joined(values)))
                      for rule, table, file, row, fields, values in zip(*columns, strict=True)],
                     dtype=object, index=findings.index)


def _joined(values: tuple) -> str:
    try:
        return "/".join(values)
    except TypeError:  # a value that is not text
        return "/".join(str(v) for v in values)
