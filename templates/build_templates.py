"""Build the default templates: national_quarterly_return.xlsx and committee_report.docx.

Run ``python templates/build_templates.py`` after changing the layout; the committed files are
what users open and edit in Excel and Word. Tags are documented in docs/templates.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

from build_docx import build_committee_report
from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent
RESTRICTED = "Restricted - not for publication"
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="1F3864")
BAND_FILL = PatternFill("solid", fgColor="D9E2F3")
PCT = '0.0"%"'
COUNT = "#,##0"
CHANGE = '+0.0;-0.0;0.0'
WRAP = Alignment(wrap_text=True, vertical="top")


def _title(ws: Worksheet, text: str, width: int) -> None:
    ws["A1"] = "{{ title_prefix }}" + text
    ws["A1"].font = Font(name="Arial", size=14, bold=True, color="1F3864")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A2"] = "{{ marking }}"
    ws["A2"].font = Font(name="Arial", size=11, bold=True, color="C00000")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws["A3"] = "{{ partnership }} | {{ period.label }} ({{ period.months }}) | as at {{ as_at_text }}"
    ws["A3"].font = Font(name="Arial", size=10, italic=True)
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=width)
    ws.row_dimensions[1].height = 22


def _section(ws: Worksheet, row: int, text: str, width: int) -> None:
    cell = ws.cell(row=row, column=1, value=text)
    cell.font = Font(name="Arial", size=11, bold=True, color="1F3864")
    ws.row_dimensions[row].height = 20
    cell.alignment = Alignment(vertical="bottom")
    del width


def _header(ws: Worksheet, row: int, labels: list[str]) -> None:
    for i, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=i, value=label)
        cell.font = Font(name="Arial", size=10, bold=True, color="FFFFFF")
        cell.fill = HEAD_FILL
        cell.border = BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center" if i > 1 else "left")
    ws.row_dimensions[row].height = 42


def _row(ws: Worksheet, row: int, cells: list[tuple[str, str | None]], *, bold: bool = False,
         fill: PatternFill | None = None) -> None:
    for i, (value, fmt) in enumerate(cells, start=1):
        cell = ws.cell(row=row, column=i, value=value)
        cell.font = Font(name="Arial", size=10, bold=bold)
        cell.border = BOX
        centre = isinstance(value, str) and value.endswith(".status }}")
        cell.alignment = Alignment(wrap_text=True, vertical="top",
                                   horizontal="center" if centre else ("right" if fmt else "left"))
        if fmt:
            cell.number_format = fmt
        if fill is not None:
            cell.fill = fill


def _met_colours(ws: Worksheet, ref: str) -> None:
    """Green "Met", red "Not met" (conditional formats follow the loop rows when they are filled)."""
    ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=['"Met"'],
                                                  fill=PatternFill("solid", fgColor="C6EFCE"),
                                                  font=Font(color="006100")))
    ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=['"Not met"'],
                                                  fill=PatternFill("solid", fgColor="FFC7CE"),
                                                  font=Font(color="9C0006")))


def _page(ws: Worksheet, widths: list[float], *, landscape: bool, last_row: int) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.print_area = f"A1:{get_column_letter(len(widths))}{last_row}"
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.center.text = RESTRICTED
    ws.oddFooter.center.color = "C00000"
    ws.oddFooter.right.text = "Page &P of &N"
    ws.sheet_view.showGridLines = False


def _summary(ws: Worksheet) -> None:
    width = 13
    _title(ws, "National quarterly return: {{ partnership }}", width)
    facts = [("Period", "{{ period.label }}", "{{ previous_period.heading }}", "{{ previous_period.label }}"),
             ("Period start", "{{ period.start }}", "Period end", "{{ period.end }}"),
             ("Extracts as at", "{{ as_at }}", "Generated", "{{ generated }}"),
             ("Status", "{% if draft %}DRAFT{% else %}Final{% endif %}",
              "Errors outstanding", "{{ data_quality.outstanding_errors }}")]
    for i, (k1, v1, k2, v2) in enumerate(facts, start=5):
        for col, value, bold in ((1, k1, True), (2, v1, False), (4, k2, True), (6, v2, False)):
            cell = ws.cell(row=i, column=col, value=value)
            cell.font = Font(name="Arial", size=10, bold=bold)
            cell.alignment = Alignment(horizontal="left")
            if value in ("{{ period.start }}", "{{ period.end }}", "{{ as_at }}", "{{ generated }}"):
                cell.number_format = "dd/mm/yyyy"
        ws.merge_cells(start_row=i, start_column=2, end_row=i, end_column=3)
        ws.merge_cells(start_row=i, start_column=4, end_row=i, end_column=5)
        ws.merge_cells(start_row=i, start_column=6, end_row=i, end_column=8)
    _section(ws, 10, "Counts", width)
    _header(ws, 11, ["Count", "Unit", "This {{ period.noun }}", "{{ previous_period.heading }}", "Change",
                     "{{ last_year_period.heading }}"])
    _row(ws, 12, [("{% for c in count_rows %}{{ c.title }}", None), ("{{ c.unit }}", None),
                  ("{{ c.value }}", COUNT), ("{{ c.previous }}", COUNT), ("{{ c.change }}", "+#,##0;-#,##0;0"),
                  ("{{ c.last_year }}", COUNT)])
    _section(ws, 14, "Measures", width)
    _header(ws, 15, ["Measure", "Unit", "Numerator", "Denominator", "%", "Target %", "Met",
                     "Pending", "Provisional", "Excluded", "{{ previous_period.heading }} %", "Change (points)",
                     "{{ last_year_period.heading }} %"])
    _row(ws, 16, [("{% for m in measure_rows %}{{ m.title }}", None), ("{{ m.unit }}", None),
                  ("{{ m.numerator }}", COUNT), ("{{ m.denominator }}", COUNT), ("{{ m.percent }}", PCT),
                  ("{{ m.target }}", PCT), ("{{ m.status }}", None), ("{{ m.pending }}", COUNT),
                  ("{{ m.provisional }}", COUNT), ("{{ m.excluded }}", COUNT), ("{{ m.previous }}", PCT), ("{{ m.change }}", CHANGE),
                  ("{{ m.last_year }}", PCT)])
    _met_colours(ws, "G16")
    notes = ["Percent = 100 x numerator / denominator, rounded half up to 1 decimal place; "
             "- = no denominator or not available.",
             "Pending: outcomes that cannot be known by the as-at date (in neither numerator nor denominator). "
             "Excluded: records left out by data-quality errors.",
             "Provisional: successful completions less than six months old at the as-at date; they become final "
             "six months after discharge if the client has not come back, so recent periods read low.",
             "Figures are not suppressed. {{ marking }}."]
    for i, text in enumerate(notes, start=18):
        ws.cell(row=i, column=1, value=text).font = Font(name="Arial", size=9, italic=True)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
    _page(ws, [42, 9, 11, 13, 9, 10, 9, 9, 11, 10, 11, 10, 12], landscape=True, last_row=21)
    ws.page_setup.fitToHeight = 1  # the summary is one page


def _by_provider(ws: Worksheet) -> None:
    width = 9
    _title(ws, "Returns by provider: {{ partnership }}", width)
    _section(ws, 5, "Counts by provider", width)
    _header(ws, 6, ["Provider", "", "Referrals", "In contact", "In treatment", "New presentations",
                    "Discharges", "Waiting over 3 weeks"])
    _row(ws, 7, [("{% for p in by.provider %}{{ p.name }}", None), ("", None), ("{{ p.referrals }}", COUNT),
                 ("{{ p.in_contact }}", COUNT), ("{{ p.in_treatment }}", COUNT),
                 ("{{ p.new_presentations }}", COUNT), ("{{ p.discharges }}", COUNT),
                 ("{{ p.waiting_over_3_weeks_at_end }}", COUNT)])
    t = "by.provider_total"
    _row(ws, 8, [("Partnership (each client once)", None), ("", None), (f"{{{{ {t}.referrals }}}}", COUNT),
                 (f"{{{{ {t}.in_contact }}}}", COUNT), (f"{{{{ {t}.in_treatment }}}}", COUNT),
                 (f"{{{{ {t}.new_presentations }}}}", COUNT), (f"{{{{ {t}.discharges }}}}", COUNT),
                 (f"{{{{ {t}.waiting_over_3_weeks_at_end }}}}", COUNT)], bold=True, fill=BAND_FILL)
    for r in (6, 7, 8):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    _section(ws, 10, "Measures by provider", width)
    _header(ws, 11, ["Provider", "Measure", "Numerator", "Denominator", "%", "Target %", "Met", "Pending",
                     "Excluded"])
    _row(ws, 12, [("{% for r in by.provider_measures %}{{ r.name }}", None), ("{{ r.title }}", None),
                  ("{{ r.numerator }}", COUNT), ("{{ r.denominator }}", COUNT), ("{{ r.percent }}", PCT),
                  ("{{ r.target }}", PCT), ("{{ r.status }}", None), ("{{ r.pending }}", COUNT),
                  ("{{ r.excluded }}", COUNT)])
    _met_colours(ws, "G12")
    note = ("A client seen by more than one provider is counted once in the partnership figures, so provider "
            "rows may add up to more than the partnership total.")
    ws.cell(row=14, column=1, value=note).font = Font(name="Arial", size=9, italic=True)
    ws.merge_cells(start_row=14, start_column=1, end_row=14, end_column=width)
    _page(ws, [24, 40, 13, 13, 14, 14, 13, 13, 12], landscape=True, last_row=14)
    ws.print_title_rows = "11:11"


def _data_quality(ws: Worksheet) -> None:
    width = 8
    _title(ws, "Data quality: {{ partnership }}", width)
    facts = [("Errors", "{{ data_quality.errors }}"), ("Warnings", "{{ data_quality.warnings }}"),
             ("Accepted as exceptions", "{{ data_quality.accepted }}"),
             ("Errors outstanding", "{{ data_quality.outstanding_errors }}")]
    for i, (k, v) in enumerate(facts, start=5):
        ws.cell(row=i, column=1, value=k).font = Font(name="Arial", size=10, bold=True)
        cell = ws.cell(row=i, column=2, value=v)
        cell.font = Font(name="Arial", size=10)
        cell.number_format = COUNT
        cell.alignment = Alignment(horizontal="left")
    _section(ws, 10, "Findings by rule and provider", width)
    _header(ws, 11, ["Rule", "Rule id", "Severity", "Category", "Provider", "Findings", "Accepted", "Outstanding"])
    _row(ws, 12, [("{% for r in data_quality.by_rule_provider %}{{ r.title }}", None), ("{{ r.rule }}", None),
                  ("{{ r.severity }}", None), ("{{ r.category }}", None), ("{{ r.provider }}", None),
                  ("{{ r.findings }}", COUNT), ("{{ r.accepted }}", COUNT), ("{{ r.outstanding }}", COUNT)])
    _page(ws, [40, 26, 10, 13, 12, 11, 11, 12], landscape=True, last_row=12)
    ws.print_title_rows = "11:11"


def _exceptions(ws: Worksheet) -> None:
    width = 8
    _title(ws, "Accepted exceptions: {{ partnership }}", width)
    _section(ws, 5, "Findings accepted as exceptions, with the reason recorded", width)
    _header(ws, 6, ["Rule", "Rule id", "Severity", "Record", "File", "Row", "Finding", "Reason accepted"])
    _row(ws, 7, [("{% for e in exceptions %}{{ e.title }}", None), ("{{ e.rule }}", None),
                 ("{{ e.severity }}", None), ("{{ e.record }}", None), ("{{ e.file }}", None), ("{{ e.row }}", "0"),
                 ("{{ e.message }}", None), ("{{ e.reason }}", None)])
    ws.cell(row=8, column=1, value="{% if not exceptions %}No findings were accepted as exceptions."
                                     "{% endif %}").font = Font(name="Arial", size=9, italic=True)
    _page(ws, [32, 22, 9, 14, 20, 7, 44, 40], landscape=True, last_row=8)
    ws.print_title_rows = "6:6"


def _definitions(ws: Worksheet) -> None:
    width = 6
    _title(ws, "Definitions and settings: {{ partnership }}", width)
    _section(ws, 5, "Settings used", width)
    _header(ws, 6, ["Setting", "Value", "Meaning"])
    _row(ws, 7, [("{% for s in settings_rows %}{{ s.name }}", None), ("{{ s.value }}", None),
                 ("{{ s.meaning }}", None)])
    for col in (1, 2, 3):  # a long value (the targets) wraps instead of being cut off
        ws.cell(row=7, column=col).alignment = WRAP
    ws.merge_cells("C6:F6")
    ws.merge_cells("C7:F7")
    _section(ws, 9, "Counts", width)
    _header(ws, 10, ["Count", "Title", "Unit", "Definition", "", ""])
    ws.merge_cells("D10:F10")
    _row(ws, 11, [("{% for c in count_rows %}{{ c.id }}", None), ("{{ c.title }}", None), ("{{ c.unit }}", None),
                  ("{{ c.definition }}", None), ("", None), ("", None)])
    ws.merge_cells("D11:F11")
    _section(ws, 13, "Measures", width)
    _header(ws, 14, ["Measure", "Title", "Unit", "Definition", "", ""])
    ws.merge_cells("D14:F14")
    _row(ws, 15, [("{% for d in definitions %}{{ d.id }}", None), ("{{ d.title }}", None), ("{{ d.unit }}", None),
                  ("{{ d.definition }}", None), ("", None), ("", None)])
    ws.merge_cells("D15:F15")
    ws.cell(row=17, column=1, value="{{ suppression.note }}").font = Font(name="Arial", size=9, italic=True)
    ws.merge_cells("A17:F17")
    _page(ws, [36, 36, 10, 44, 44, 40], landscape=True, last_row=17)


def build_national_return(path: Path) -> None:
    wb = Workbook()
    _summary(wb.active)
    wb.active.title = "Summary"
    _by_provider(wb.create_sheet("By provider"))
    _data_quality(wb.create_sheet("Data quality"))
    _exceptions(wb.create_sheet("Exceptions"))
    _definitions(wb.create_sheet("Definitions"))
    wb.properties.title = "National quarterly return"
    wb.properties.creator = "Treatment Returns"
    wb.save(path)


def main(out: Path = HERE) -> int:
    build_national_return(out / "national_quarterly_return.xlsx")
    build_committee_report(out / "committee_report.docx")
    print(f"templates written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE))
