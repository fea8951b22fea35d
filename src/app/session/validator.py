"""The real validator: ``rules.schema.check`` then ``rules.engine.evaluate`` (or ``recheck``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rules.progress import NO_PROGRESS, Progress
from rules.settings import Settings
from rules.tables import Tables

if TYPE_CHECKING:  # the engine is imported when first used, not with the session
    from rules.engine.report import Changes


class RulesValidator:
    """Schema then the rule catalogue with the settings; keeps a ``Rechecker`` (with the last report)."""

    def __init__(self, settings: Settings, catalogue: Any = None) -> None:
        self.settings = settings
        self.catalogue = catalogue

    def check(self, raw: Tables, fields: Mapping[str, Collection[str]] | None = None) -> tuple[Tables, pd.DataFrame]:
        from rules import schema

        return schema.check(raw, fields=fields)

    def evaluate(self, typed: Tables, schema_findings: pd.DataFrame,
                 progress: Progress = NO_PROGRESS) -> pd.DataFrame:
        from rules import engine

        report = engine.evaluate(typed, catalogue=self.catalogue, settings=self.settings,
                                 schema_findings=schema_findings, progress=progress)
        self.checker = engine.Rechecker(typed, report)
        self.checker.prepare()  # now, in the opening worker, not on the first edit
        return report.findings

    def recheck(self, typed: Tables, schema_findings: pd.DataFrame, touched: dict[str, np.ndarray]) -> Changes:
        """Re-judge only the records the touched rows belong to; the findings that came and went
        (``rules.engine`` ``Changes``). ``report`` then holds all of them."""
        return self.checker.recheck(typed, touched, catalogue=self.catalogue, settings=self.settings,
                                    schema_findings=schema_findings)

    @property
    def report(self) -> Any:
        """The last report (``rules.engine.Report``, a value): every finding as now judged."""
        return self.checker.report
