"""The summary every report format shows: one line per rule with its severity and exact count."""

from __future__ import annotations

from dataclasses import dataclass

from rules.engine import Report
from rules.findings import SCHEMA_RULES, SEVERITIES

_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class RuleLine:
    rule: str
    title: str
    severity: str
    category: str
    count: int
    status: str  # "ran" | "not run: <reason>"


def rule_lines(report: Report, *, include_zero: bool = True) -> list[RuleLine]:
    """Schema rules with findings, then the catalogue's enabled rules; errors first, then by count."""
    counts = report.summary()["by_rule"]
    lines: list[RuleLine] = []
    for rule_id, (severity, title) in SCHEMA_RULES.items():
        if counts.get(rule_id):
            lines.append(RuleLine(rule_id, title[0].upper() + title[1:], severity, "data-quality",
                                  counts[rule_id], "ran"))
    if report.catalogue is not None:
        for rule in report.catalogue:
            if not rule.enabled:
                continue
            count = counts.get(rule.id, 0)
            reason = report.not_run.get(rule.id)
            status = f"not run: {reason}" if reason else "ran"
            if count or include_zero or reason:
                lines.append(RuleLine(rule.id, rule.title, rule.severity, rule.category, count, status))
    lines.sort(key=lambda line: (_RANK.get(line.severity, 9), -line.count, line.rule))
    return lines


def row_counts_text(row_counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {table}" for table, n in row_counts.items())
