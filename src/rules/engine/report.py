"""The result of an evaluation: findings in reading order, rules not run, and what a re-check needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rules.catalogue import Catalogue
from rules.engine.keyindex import KeyIndex, Overlay
from rules.engine.order import FindingRows, order_keys
from rules.findings import SEVERITIES, findings_to_json
from rules.settings import Settings


@dataclass
class Report:
    """The findings of one evaluation, which rules could not run, and what is needed to re-check."""

    rows: FindingRows  #: the findings; ``findings`` gives them as one frame
    not_run: dict[str, str]
    as_at: dt.date
    files: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    catalogue: Catalogue | None = None
    settings: Settings = field(default_factory=Settings)
    #: Per table, the typed table as evaluated: a shallow copy, which copy-on-write keeps unchanged
    #: when the caller later edits its tables in place (``recheck`` compares the touched rows with it).
    snapshot: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _index: KeyIndex | None = field(default=None, repr=False)
    _overlay: Overlay = field(default_factory=dict, repr=False)
    _order: tuple[np.ndarray, ...] | None = field(default=None, repr=False)

    @property
    def findings(self) -> pd.DataFrame:
        """The findings in reading order (``findings.FINDING_COLUMNS``)."""
        return self.rows.frame

    def order_keys(self) -> tuple[np.ndarray, ...]:
        """Per finding: file, table rank, row, rule - the reading order ``findings`` is sorted in."""
        if self._order is None:
            self._order = order_keys(self.findings)
        return self._order

    @property
    def key_index(self) -> KeyIndex:
        """Which rows belong to which record and client, as evaluated (built on first use, for ``recheck``)."""
        if self._index is None:
            self._index = KeyIndex(self.snapshot)
            self._overlay = {}
        return self._index

    def prepare_recheck(self) -> None:
        """Build now what the first ``recheck`` would otherwise build (a quarter of a second at
        100,000 episodes): the key index with its look-ups, and the order keys."""
        self.key_index.build()
        self.order_keys()

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
