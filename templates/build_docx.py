"""The default committee report (docx), laid out like a council select-committee report.

Title block, purpose, background, performance table, charts, by provider, access and waiting
times, data quality, recommendation, contact, and notes on suppression and definitions.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

NAVY = RGBColor(0x1F, 0x38, 0x64)
RED = RGBColor(0xC0, 0x00, 0x00)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)


def _cell_text(cell, text: str, *, bold: bool = False, color: RGBColor | None = None,
               align: WD_ALIGN_PARAGRAPH | None = None, size: float = 10) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    if align is not None:
        p.alignment = align


def _table(doc, headers: list[str], widths: list[float], loop: str | None, cells: list[str],
           total: list[str] | None = None):
    """A bordered table: a shaded header row, a ``{%tr for %}`` loop row, and an optional total row."""
    rows = 1 + (3 if loop else 1) + (1 if total else 0)
    table = doc.add_table(rows=rows, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    right = WD_ALIGN_PARAGRAPH.RIGHT
    for i, h in enumerate(headers):
        c = table.rows[0].cells[i]
        _cell_text(c, h, bold=True, color=RGBColor(0xFF, 0xFF, 0xFF), align=right if i else None)
        _shade(c, "1F3864")
    _repeat_header(table.rows[0])
    r = 1
    if loop:
        _cell_text(table.rows[1].cells[0], f"{{%tr for {loop} %}}")
        r = 2
    for i, text in enumerate(cells):
        _cell_text(table.rows[r].cells[i], text, align=right if i else None)
    if loop:
        _cell_text(table.rows[3].cells[0], "{%tr endfor %}")
        r = 3
    if total:
        for i, text in enumerate(total):
            c = table.rows[r + 1].cells[i]
            _cell_text(c, text, bold=True, align=right if i else None)
            _shade(c, "D9E2F3")
    for i, w in enumerate(widths):
        table.columns[i].width = Cm(w)
    for row in table.rows:  # a row never splits across pages
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for row in table.rows:
        for i, w in enumerate(widths):
            row.cells[i].width = Cm(w)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    doc.add_paragraph().paragraph_format.space_after = Pt(2)
    return table


def _para(doc, text: str, *, number: str | None = None, size: float | None = None, italic: bool = False,
          bold: bool = False, style: str | None = None):
    p = doc.add_paragraph(style=style)
    if number:
        p.paragraph_format.left_indent = Cm(1)
        p.paragraph_format.first_line_indent = Cm(-1)
        text = f"{number}\t{text}"
    run = p.add_run(text)
    run.italic = italic
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    return p


def _caption(doc, text: str):
    """A bold table title kept on the same page as its table."""
    p = _para(doc, text, bold=True, size=10)
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_after = Pt(3)
    return p


def _heading(doc, text: str, level: int = 1):
    h = doc.add_heading(text, level=level)
    for run in h.runs:
        run.font.color.rgb = NAVY
        run.font.name = "Arial"
    return h


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Arial")
    normal.paragraph_format.space_after = Pt(6)
    for name, size in (("Heading 1", 13), ("Heading 2", 11.5), ("Title", 16)):
        st = doc.styles[name]
        st.font.name = "Arial"
        st.font.size = Pt(size)
        st.font.color.rgb = NAVY
        rfonts = st.element.rPr.find(qn("w:rFonts"))
        if rfonts is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(attr), None)
            rfonts.set(qn("w:ascii"), "Arial")
            rfonts.set(qn("w:hAnsi"), "Arial")
        st.paragraph_format.space_before = Pt(12 if name != "Title" else 16)
        st.paragraph_format.space_after = Pt(4)
        st.paragraph_format.keep_with_next = True


def _header_footer(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run("{{ draft_mark }}")
    run.bold = True
    run.font.size = Pt(20)
    run.font.color.rgb = RED
    marking = section.header.add_paragraph()
    marking.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    m = marking.add_run("{{ marking }}")
    m.font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    f = footer.add_run("{{ partnership }} | {{ report.subject }}")
    f.font.size = Pt(8)


def build_committee_report(path: Path) -> None:
    doc = Document()
    _styles(doc)
    _header_footer(doc)

    rows = (("Committee:", "{{ report.committee }}"), ("Date of meeting:", "{{ report.meeting_date }}"),
            ("Report of:", "{{ report.report_of }}"), ("Report author:", "{{ report.author }}"),
            ("Subject:", "{{ title_prefix }}{{ report.subject }}"))
    block = doc.add_table(rows=len(rows), cols=2)
    block.autofit = False
    for i, (k, v) in enumerate(rows):
        _cell_text(block.rows[i].cells[0], k, bold=True, size=11)
        _cell_text(block.rows[i].cells[1], v, size=11, bold=(k == "Subject:"))
        block.rows[i].cells[0].width = Cm(4.0)
        block.rows[i].cells[1].width = Cm(13.0)
    block.columns[0].width, block.columns[1].width = Cm(4.0), Cm(13.0)
    title = doc.add_paragraph(style="Title")
    title.add_run("{{ title_prefix }}{{ partnership }}: drug and alcohol treatment performance, "
                  "{{ period.label }}")

    _heading(doc, "Purpose of report")
    _para(doc, "The purpose of this report is to inform the Committee of the performance of adult drug and "
          "alcohol treatment services in {{ partnership }} for {{ period.label }} ({{ period.months }}).",
          number="1.")
    _heading(doc, "Background")
    _para(doc, "Treatment providers send the partnership extracts of their treatment records every quarter. "
          "The figures in this report were calculated from those extracts as at {{ as_at_text }}, after "
          "checking them against the partnership's data-quality rules. Each figure is defined in the notes "
          "at the end of this report.", number="2.")
    _para(doc, "{{ counts.in_treatment }} clients were in structured treatment during {{ period.the }} "
          "({{ previous_period.heading | lower }}, {{ previous_period.label }}: {{ previous_counts.in_treatment }}), "
          "of whom {{ counts.new_presentations }} started a new journey of treatment. There were "
          "{{ counts.referrals }} referrals and {{ counts.discharges }} discharges.", number="3.")

    _heading(doc, "Performance {{ period.label }}")
    _para(doc, "Table 1 sets out performance against the partnership's targets. {{ targets.sentence }}",
          number="4.")
    _caption(doc, "Table 1: Partnership performance against targets, {{ period.label }}")
    _table(doc, ["Area of performance measured", "Target", "Achieved", "Target met",
                 "{{ previous_period.heading }}", "Direction"], [6.1, 1.9, 2.1, 2.1, 2.5, 2.3], "m in headline",
           ["{{ m.title }}", "{{ m.target_text }}", "{{ m.percent_text }}", "{{ m.status }}",
            "{{ m.previous_text }}", "{{ m.direction_text }}"])
    _caption(doc, "Table 2: Outcomes, {{ period.label }}")
    _table(doc, ["Outcome", "Clients or episodes", "Achieved", "{{ previous_period.heading }}", "Direction"],
           [5.6, 4.4, 2.0, 2.5, 2.5], "m in outcomes",
           ["{{ m.title }}", "{{ m.numerator }} of {{ m.denominator }}{{ m.provisional_note }}",
            "{{ m.percent_text }}", "{{ m.previous_text }}", "{{ m.direction_text }}"])
    _para(doc, "Successful completions count a client once six months have passed since their planned "
          "discharge without a return to treatment. {% if measures.successful_completions.provisional %}"
          "{{ measures.successful_completions.provisional }} clients who completed treatment more recently "
          "are shown as provisional: they become final six months after discharge, so the latest "
          "{{ period.noun }} reads low until then. {% endif %}Re-presentations are counted up to "
          "{{ settings.representation_months }} months after a completion, so recent periods also read low.",
          number="5.")
    _para(doc, "Figure 1 shows the headline measures for each quarter with data in the last four quarters, "
          "each against its target.", number="6.")
    chart = doc.add_paragraph()
    chart.alignment = WD_ALIGN_PARAGRAPH.CENTER
    chart.add_run("{{ charts.trend }}")
    _para(doc, "Figure 1: Headline measures by quarter; the dashed line is the target (suppressed values are "
          "not plotted)", italic=True, size=9).alignment = WD_ALIGN_PARAGRAPH.CENTER

    _heading(doc, "Performance by provider")
    _para(doc, "Table 3 shows each provider's figures for {{ period.the }}.", number="7.")
    _caption(doc, "Table 3: Performance by provider, {{ period.label }}")
    m = "p.measures"
    _table(doc, ["Provider", "In treatment", "Discharges", "Planned exits", "Retention and care planned",
                 "TOPs - starts"], [5.0, 2.4, 2.4, 2.4, 2.8, 2.0], "p in by.provider",
           ["{{ p.name }}", "{{ p.in_treatment }}", "{{ p.discharges }}", f"{{{{ {m}.planned_exits.percent_text }}}}",
            f"{{{{ {m}.retention_and_care_planned_discharges.percent_text }}}}",
            f"{{{{ {m}.top_start.percent_text }}}}"],
           total=["Partnership", "{{ by.provider_total.in_treatment }}", "{{ by.provider_total.discharges }}",
                  "{{ measures.planned_exits.percent_text }}",
                  "{{ measures.retention_and_care_planned_discharges.percent_text }}",
                  "{{ measures.top_start.percent_text }}"])
    chart = doc.add_paragraph()
    chart.alignment = WD_ALIGN_PARAGRAPH.CENTER
    chart.add_run("{{ charts.planned_exits_by_provider }}")
    _para(doc, "Figure 2: Planned exits by provider, {{ period.label }}", italic=True,
          size=9).alignment = WD_ALIGN_PARAGRAPH.CENTER

    _heading(doc, "Access and waiting times")
    _para(doc, "{{ measures.triage_within_6_weeks.percent_text }} of people referred in {{ period.the }} were "
          "triaged within 6 weeks (target {{ measures.triage_within_6_weeks.target_text }}), and "
          "{{ measures.waiting_within_3_weeks.percent_text }} started treatment within 3 weeks of referral "
          "(target {{ measures.waiting_within_3_weeks.target_text }}). At the end of {{ period.the }} "
          "{{ counts.waiting_over_3_weeks_at_end }} people had been waiting more than 3 weeks to start "
          "treatment.", number="8.")
    _caption(doc, "Table 4: Access by provider, {{ period.label }}")
    _table(doc, ["Provider", "Referrals", "Triaged within 6 weeks", "Started within 3 weeks",
                 "Waiting over 3 weeks"], [5.5, 2.5, 3.0, 3.0, 3.0], "p in by.provider",
           ["{{ p.name }}", "{{ p.referrals }}", f"{{{{ {m}.triage_within_6_weeks.percent_text }}}}",
            f"{{{{ {m}.waiting_within_3_weeks.percent_text }}}}", "{{ p.waiting_over_3_weeks_at_end }}"],
           total=["Partnership", "{{ by.provider_total.referrals }}",
                  "{{ measures.triage_within_6_weeks.percent_text }}",
                  "{{ measures.waiting_within_3_weeks.percent_text }}",
                  "{{ by.provider_total.waiting_over_3_weeks_at_end }}"])

    _heading(doc, "Data quality")
    _para(doc, "The providers' extracts were checked against the partnership's data-quality rules. "
          "{{ data_quality.errors }} errors and {{ data_quality.warnings }} warnings were found; "
          "{{ data_quality.accepted }} were accepted as exceptions with a recorded reason. "
          "{% if data_quality.final_allowed %}No errors remain outstanding.{% else %}"
          "{{ data_quality.outstanding_errors }} errors remain outstanding and are being corrected with the "
          "providers.{% endif %}", number="9.")
    _caption(doc, "Table 5: Data-quality findings by provider, {{ period.label }}")
    _table(doc, ["Provider", "Errors", "Warnings", "Errors outstanding"], [6.5, 3.0, 3.0, 3.5],
           "d in data_quality.by_provider",
           ["{{ d.provider }}", "{{ d.errors }}", "{{ d.warnings }}", "{{ d.outstanding_errors }}"])

    _heading(doc, "Commissioner's commentary")
    _para(doc, "{%p for para in report.commentary_paragraphs %}")
    _para(doc, "{{ para }}")
    _para(doc, "{%p endfor %}")
    _para(doc, "{% if not report.commentary_paragraphs %}[Add the commissioner's commentary on these figures "
          "here, or in the Generate dialog.]{% endif %}", number="10.")

    _heading(doc, "Finance")
    _para(doc, "Adult drug and alcohol treatment is funded from the public health grant and the partnership's "
          "pooled treatment budget. This report is for information and has no direct financial implications.",
          number="11.")
    _heading(doc, "Law")
    _para(doc, "Under the Health and Social Care Act 2012 the Council has a duty to take the steps it considers "
          "appropriate to improve the health of the people in its area, including the provision of drug and "
          "alcohol treatment services. The treatment records behind this report are special category personal "
          "data; only figures are published, and small numbers are suppressed.", number="12.")
    _heading(doc, "Equality impact")
    _para(doc, "The partnership monitors who enters and leaves treatment by sex, ethnicity and age, and the "
          "providers' contracts require them to meet the Equality Act 2010. This report asks for no decision, "
          "so no equality impact assessment is needed.", number="13.")
    _heading(doc, "Recommendation")
    _para(doc, "The Committee is asked to note the contents of this report.", number="14.")
    _para(doc, "{{ report.report_of }}", bold=True)
    _para(doc, "Contact officer: {{ report.contact }}", bold=True)
    _para(doc, "{{ report.contact_details }}")
    _heading(doc, "List of background papers", level=2)
    _para(doc, "National quarterly return, {{ period.label }} (restricted: not published).")

    _heading(doc, "Notes", level=2)
    for text in ("Small numbers: {{ suppression.note }}",
                 "Percentages are rounded half up to a whole percent. - means no figure (nothing to count, "
                 "or the data were not available).",
                 "A client seen by more than one provider is counted once in the partnership figures, so "
                 "provider figures may add up to more than the partnership total.",
                 "Direction compares {{ period.this }} with the {{ previous_period.heading | lower }} "
                 "({{ previous_period.label }}); for re-presentations lower is better.",
                 "Definitions:"):
        _para(doc, text, size=9)
    _para(doc, "{%p for d in definitions %}", size=9)
    p = _para(doc, "{{ d.title }}: {{ d.definition }}", size=8.5)
    p.paragraph_format.left_indent = Cm(0.5)
    p.paragraph_format.space_after = Pt(2)
    _para(doc, "{%p endfor %}", size=9)
    doc.core_properties.title = "Committee report"
    doc.core_properties.author = "Treatment Returns"
    doc.save(path)
