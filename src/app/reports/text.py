"""The validation report as plain text for a terminal: summary by rule and severity, then findings."""

from __future__ import annotations

from app.reports.summary import row_counts_text, rule_lines
from rules.engine import Report

DEFAULT_LIMIT = 50


def _table(headers: list[str], rows: list[list[str]], *, right: set[int] = frozenset(),
           widest: int = 70) -> list[str]:
    cells = [headers, *rows]
    widths = [min(max(len(r[i]) for r in cells), widest) for i in range(len(headers))]

    def fmt(row: list[str]) -> str:
        parts = []
        for i, cell in enumerate(row):
            cell = cell if len(cell) <= widths[i] else cell[: widths[i] - 1] + "…"
            parts.append(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]))
        return "  ".join(parts).rstrip()

    return [fmt(headers), "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)]


def format_table(report: Report, *, files_count: int | None = None, row_counts: dict[str, int] | None = None,
                 limit: int = DEFAULT_LIMIT) -> str:
    """Summary by rule and severity, then the first ``limit`` findings (messages may be long: the
    last column is not cut)."""
    files = len(report.files) if files_count is None else files_count
    rows = report.row_counts if row_counts is None else row_counts
    out = [f"Validation as at {report.as_at.isoformat()}: {files} file{'s' if files != 1 else ''} "
           f"({row_counts_text(rows)})",
           f"{report.errors:,} errors, {report.warnings:,} warnings", ""]
    lines = rule_lines(report, include_zero=False)
    if lines:
        out += _table(["rule", "severity", "category", "findings"],
                      [[ln.rule, ln.severity, ln.category, f"{ln.count:,}"] for ln in lines], right={3})
    else:
        out.append("No findings.")
    for rule, reason in report.not_run.items():
        out.append(f"not run: {rule} ({reason})")
    f = report.findings
    if len(f):
        shown = f.head(limit)
        out += ["", f"Findings {len(shown):,} of {len(f):,}" + (" (use --format json or --out for all)"
                                                              if len(f) > limit else "")]
        body = [[str(r.file), str(r.table), "" if r.row is None or str(r.row) == "<NA>" else str(r.row),
                 str(r.record), str(r.severity), str(r.rule), str(r.message)]
                for r in shown.itertuples(index=False)]
        out += _table(["file", "table", "row", "record", "severity", "rule", "message"], body, right={2},
                      widest=200)
    return "\n".join(out) + "\n"
