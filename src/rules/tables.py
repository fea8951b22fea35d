"""The canonical tables of one partnership (one or more providers' extracts together).

Two forms exist. The *raw* form is what import produces and what the workspace stores: canonical
column names, every value as text (``None`` for blank), code values already mapped, plus the
source-position columns. The *typed* form is what rules and measures read: ``rules.parse``
turns raw into typed and reports every value it could not parse as a finding.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from rules.columns import TABLES


@dataclass
class Tables:
    """The three canonical tables; a table the extracts did not have is None (not run / not available)."""

    episodes: pd.DataFrame
    modalities: pd.DataFrame | None = None
    tops: pd.DataFrame | None = None
    #: The date the extracts were taken; facts after it are errors, outcomes after it pending.
    as_at: dt.date | None = None
    #: Source files that went in, in order (file names as the user knows them).
    files: list[str] = field(default_factory=list)

    def get(self, table: str) -> pd.DataFrame | None:
        """A table by name (``episodes``, ``modalities``, ``tops``)."""
        if table not in TABLES:
            raise KeyError(table)
        return getattr(self, table)

    def present(self) -> list[str]:
        """Names of the tables the extracts had."""
        return [t for t in TABLES if self.get(t) is not None]

    def row_counts(self) -> dict[str, int]:
        """Rows per present table."""
        return {t: len(self.get(t)) for t in self.present()}
