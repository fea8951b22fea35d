"""The result of an evaluation: findings in reading order and the rules not run (a value)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rules.catalogue import Catalogue
from rules.engine.order import FindingRows, order_keys
from rules.findings import SEVERITIES, findings_to_json
from rules.settings import Settings


@dataclass(frozen=True)
class Report:
    """The findings of one evaluation and which rules could not run: a value, never changed.

    What a re-check needs besides (the tables as evaluated, record look-ups) is kept by the
    ``partial.Rechecker`` that made the next report, not here.
    """

    rows: FindingRows  #: the findings; ``findings`` gives them as one frame
    not_run: dict[str, str]
    as_at: dt.date
    files: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    catalogue: Catalogue | None = None
    settings: Settings = field(default_factory=Settings)
    #: The reading-order keys of ``findings`` when already known (computed on first use otherwise).
    order: tuple[np.ndarray, ...] | None = field(default=None, repr=False, compare=False)

    @property
    def findings(self) -> pd.DataFrame:
        """The findings in reading order (``findings.FINDING_COLUMNS``)."""
        return self.rows.frame

    def order_keys(self) -> tuple[np.ndarray, ...]:
        """Per finding: file, table rank, row, rule - the reading order ``findings`` is sorted in."""
        if self.order is None:  # a cache of a value derived from the findings: the report stays the same
            object.__setattr__(self, "order", order_keys(self.findings))
        return self.order  # type: ignore[return-value]

    @property
    def errors(self) -> int:
        return int((self.findings["severity"] == "error").sum())

    @property
    def warnings(self) -> int:
        return int((self.findings["severity"] == "warning").sum())

    def summary(self) -> dict[str, Any]:
        """Exact counts: totals, per severity, per rule, per provider (by severity), and not-run rules."""
        f = self.findings
        by_rule = {str(k): int(v) for k, v in f.groupby("rule", sort=True).size().items()}
        by_severity = {s: int((f["severity"] == s).sum()) for s in SEVERITIES}
        by_provider: dict[str, dict[str, int]] = {}
        for (provider, severity), n in f.groupby(["provider", "severity"], sort=True).size().items():
            by_provider.setdefault(str(provider), {s: 0 for s in SEVERITIES})[str(severity)] = int(n)
        rules = {}
        if self.catalogue is not None:
            for rule in self.catalogue:
                if rule.enabled:
                    rules[rule.id] = {"title": rule.title, "severity": rule.severity,
                                      "category": rule.category, "count": by_rule.get(rule.id, 0),
                                      "run": rule.id not in self.not_run}
        return {"errors": by_severity["error"], "warnings": by_severity["warning"], "info": by_severity["info"],
                "by_severity": by_severity, "by_rule": by_rule, "by_provider": by_provider,
                "rules": rules, "not_run": dict(self.not_run)}

    def to_json(self, files_count: int | None = None, row_counts: Mapping[str, int] | None = None) -> dict[str, Any]:
        """The ``validate --format json`` object of spec/cli.md (plus ``summary.not_run``)."""
        summary = self.summary()
        return {
            "as_at": self.as_at.isoformat(),
            "summary": {"files": len(self.files) if files_count is None else files_count,
                        "rows": dict(self.row_counts if row_counts is None else row_counts),
                        "errors": summary["errors"], "warnings": summary["warnings"],
                        "by_rule": summary["by_rule"], "not_run": summary["not_run"]},
            "findings": findings_to_json(self.findings),
        }


@dataclass
class Changes:
    """What a re-check changed: findings that appeared and findings that went away."""

    added: pd.DataFrame
    removed: pd.DataFrame


def snapshot_of(tables: Any) -> dict[str, pd.DataFrame]:
    """Shallow copies of the present tables (copy-on-write keeps them as they are now)."""
    return {t: tables.get(t).copy(deep=False) for t in tables.present()}
