"""The validation report as an Excel workbook: a Summary sheet and a filterable Findings sheet.

Every text cell is written as text (``data_type = "s"``): a value from an extract that starts
with ``=``, ``+``, ``-`` or ``@`` must never become a formula. Identifying values are withheld.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.atomic import atomic_write
from app.reports.redact import redact
from app.reports.summary import row_counts_text, rule_lines
from rules.engine import Report

FINDING_HEADERS = ("rule", "severity", "category", "provider", "file", "table", "row", "record", "fields",
                   "values", "message")
WIDTHS = (30, 9, 13, 9, 24, 11, 7, 18, 30, 30, 80)


def _cell(ws: Any, value: Any, *, bold: bool = False) -> Any:
    """A value to append: plain, or a cell forced to text when openpyxl would make it a formula."""
    if not bold and not (isinstance(value, str) and value.startswith("=")):
        return value  # openpyxl writes every other str as a text cell; plain values are much faster
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, never a formula
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_xlsx(path: Path, report: Report, *, title: str = "Validation report", files: list[str] | None = None,
               row_counts: dict[str, int] | None = None, identifiers: bool = False) -> None:
    """Write the workbook (write-only mode: large reports stay fast and small in memory).

    Identifying values are withheld unless ``identifiers`` is asked for.
    """
    wb = Workbook(write_only=True)
    summary = wb.create_sheet("Summary")
    summary.column_dimensions["A"].width = 44
    summary.column_dimensions["B"].width = 30
    for col in "CDE":
        summary.column_dimensions[col].width = 14
    files = files if files is not None else report.files
    rows = row_counts if row_counts is not None else report.row_counts
    for label, value in ((title, None), ("As at", report.as_at.isoformat()), ("Files", ", ".join(files)),
                         ("Rows", row_counts_text(rows)), ("Errors", report.errors), ("Warnings", report.warnings),
                         (None, None)):
        summary.append([_cell(summary, label, bold=label == title), _cell(summary, value)])
    summary.append([_cell(summary, h, bold=True) for h in ("Rule", "Id", "Severity", "Category", "Findings")])
    for line in rule_lines(report):
        count: Any = line.count if line.status == "ran" else line.status
        summary.append([_cell(summary, v) for v in (line.title, line.rule, line.severity, line.category, count)])

    sheet = wb.create_sheet("Findings")
    for i, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    f = report.findings if identifiers else redact(report.findings)
    last = get_column_letter(len(FINDING_HEADERS))
    sheet.auto_filter.ref = f"A1:{last}{max(len(f) + 1, 2)}"
    sheet.append([_cell(sheet, h, bold=True) for h in FINDING_HEADERS])
    for r in f.itertuples(index=False):
        row = None if str(r.row) == "<NA>" else int(r.row)
        values = (r.rule, r.severity, r.category, r.provider, r.file, r.table, row, r.record,
                  ", ".join(r.fields), ", ".join(r.values), r.message)
        sheet.append([_cell(sheet, v) for v in values])
    atomic_write(Path(path), wb.save)
