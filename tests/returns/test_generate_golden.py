"""Golden tests: generate both returns from a synthetic partnership, reopen them, compare every figure.

The national return (openpyxl) must hold the unsuppressed measures as numbers; the committee report
(python-docx) must show the suppressed figures, never a small count, and no personal data.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from app.errors import InputError
from app.extracts import open_extracts
from app.returns.atomic import refuse_template_overwrite
from app.returns.definitions import BY_ID, MEASURE_IDS
from app.returns.figures import whole_percent
from app.returns.generate import ReturnRefused, default_templates, generate_returns
from app.synth import generate, write
from rules.engine import evaluate
from rules.measures import compute
from rules.periods import parse_period
from rules.settings import Settings
from rules.suppression import suppress_percent

AS_AT = dt.date(2025, 7, 15)
PERIOD = parse_period("2025-26 Q1")
SETTINGS = Settings(partnership_name="Testshire Partnership")


@pytest.fixture(scope="module")
def partnership(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth")
    synthetic = generate(providers=3, episodes=360, seed=11, defects=0.0, as_at=AS_AT)
    opened = open_extracts(write(synthetic, folder / "extracts"), as_at=AS_AT)
    report = evaluate(opened.tables, settings=SETTINGS, schema_findings=opened.findings)
    result = generate_returns(opened.tables, report.findings, PERIOD, folder / "out", draft=True, as_at=AS_AT,
                              settings=SETTINGS, generated=dt.date(2025, 7, 20))
    figures = compute(opened.tables, PERIOD, as_at=AS_AT, settings=SETTINGS, findings=report.findings,
                      by=["provider_code"])
    return {"tables": opened.tables, "findings": report.findings, "result": result, "figures": figures,
            "folder": folder}


def _out(partnership, suffix):
    return next(p for p in partnership["result"].outputs if p.suffix == suffix)


def test_national_return_holds_every_measure_unsuppressed(partnership):
    wb = load_workbook(_out(partnership, ".xlsx"))
    assert wb.sheetnames == ["Summary", "By provider", "Data quality", "Exceptions", "Definitions"]
    ws = wb["Summary"]
    assert ws["A1"].value.startswith("DRAFT - National quarterly return: Testshire Partnership")
    assert ws["A2"].value == "Restricted - not for publication"
    assert ws.oddHeader.center.text == "DRAFT"
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    figures = partnership["figures"]
    kw = {"as_at": AS_AT, "settings": SETTINGS, "findings": partnership["findings"]}
    previous = compute(partnership["tables"], PERIOD.previous(), **kw)
    last_year = compute(partnership["tables"], PERIOD.same_quarter_last_year(), **kw)
    for mid in MEASURE_IDS:
        m = figures.measures[mid]
        r = rows[BY_ID[mid].title]
        got = [ws.cell(r, c).value for c in (3, 4, 5)]
        want = [m.numerator, m.denominator, "-" if m.percent is None else m.percent]
        assert got == want, mid
        target = SETTINGS.target(mid)
        assert ws.cell(r, 6).value == ("-" if target is None else target)
        status = "-" if target is None or m.percent is None else ("Met" if m.percent >= target else "Not met")
        assert ws.cell(r, 7).value == status
        provisional = m.to_json().get("provisional")
        assert [ws.cell(r, c).value for c in (8, 9, 10)] == [
            m.pending, "-" if provisional is None else provisional, m.excluded]
        p = previous.measures[mid].percent
        assert ws.cell(r, 11).value == ("-" if p is None else p)
        ly = last_year.measures[mid].percent
        assert ws.cell(r, 13).value == ("-" if ly is None else ly)
        if m.percent is not None:
            assert ws.cell(r, 5).number_format == '0.0"%"'
    for cid, c in figures.counts.items():
        assert ws.cell(rows[BY_ID[cid].title], 3).value == c.value
    bp = wb["By provider"]
    providers = sorted(figures.by["provider_code"])
    for code in providers:
        part = figures.by["provider_code"][code]
        r = next(r for r in range(1, bp.max_row + 1) if bp.cell(r, 1).value == code)
        assert [bp.cell(r, c).value for c in range(3, 9)] == [part.counts[k].value for k in (
            "referrals", "in_contact", "in_treatment", "new_presentations", "discharges",
            "waiting_over_3_weeks_at_end")]
        long = {bp.cell(x, 2).value: x for x in range(1, bp.max_row + 1) if bp.cell(x, 1).value == code
                and bp.cell(x, 2).value}
        for mid in MEASURE_IDS:
            m = part.measures[mid]
            assert bp.cell(long[BY_ID[mid].title], 3).value == m.numerator
            assert bp.cell(long[BY_ID[mid].title], 4).value == m.denominator
    cells = [c.value for s in wb.worksheets for row in s.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any("{{" in v or "{%" in v or v in ("None", "nan") for v in cells)


def _docx_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    for s in doc.sections:
        parts.extend(p.text for p in s.header.paragraphs)
    return "\n".join(parts)


def test_committee_report_is_suppressed_everywhere(partnership):
    doc = Document(str(_out(partnership, ".docx")))
    text = _docx_text(doc)
    assert "{{" not in text and "{%" not in text
    assert not re.search(r"\b(None|nan|NaN|True|False)\b", text)
    assert "DRAFT" in doc.sections[0].header.paragraphs[0].text
    figures = partnership["figures"]
    perf = next(t for t in doc.tables if t.rows[0].cells[0].text == "Area of performance measured")
    shown = {r.cells[0].text: tuple(c.text for c in r.cells[1:5]) for r in perf.rows[1:]}
    previous = compute(partnership["tables"], PERIOD.previous(), as_at=AS_AT, settings=SETTINGS,
                       findings=partnership["findings"])

    def public_text(m):
        public = suppress_percent(m.numerator, m.denominator)
        return "-" if public is None else ("*" if public == "*" else f"{whole_percent(m.numerator, m.denominator)}%")

    def met_text(m, target):
        public = suppress_percent(m.numerator, m.denominator)
        return "-" if public in (None, "*") else ("Met" if public >= target else "Not met")

    for mid in [m for m in MEASURE_IDS if SETTINGS.target(m) is not None]:
        target = SETTINGS.target(mid)
        want = (f"{target:g}%", public_text(figures.measures[mid]), met_text(figures.measures[mid], target),
                public_text(previous.measures[mid]))
        assert shown[BY_ID[mid].title] == want, mid
    # every count in every table is 0, 5 or more, or *; every "n of d" likewise
    stars = 0
    for t in doc.tables[1:]:  # the first is the title block
        for row in t.rows[1:]:
            for cell in row.cells[1:]:
                for token in re.findall(r"(?<![\d.])\d+(?![\d.%])|\*", cell.text):
                    if token == "*":
                        stars += 1
                    else:
                        assert not 1 <= int(token) <= 4, (cell.text, [c.text for c in row.cells])
    assert stars > 0  # small numbers exist in a 360-episode partnership and are hidden
    assert "Counts of 1 to 4 are shown as *" in text
    # provider rows: a small count never appears unsuppressed
    by = figures.by["provider_code"]
    table3 = next(t for t in doc.tables if t.rows[0].cells[1].text == "In treatment")
    for row in table3.rows[1:-1]:
        n = by[row.cells[0].text].counts["in_treatment"].value
        if 1 <= n <= 4:
            assert row.cells[1].text == "*"
        else:
            assert row.cells[1].text in ("*", str(n))  # * only by secondary suppression


def test_committee_report_has_no_personal_data(partnership):
    text = _docx_text(Document(str(_out(partnership, ".docx"))))
    episodes = partnership["tables"].episodes
    for postcode in episodes["postcode"].dropna().unique():
        assert str(postcode) not in text
    for dob in episodes["dob"].dropna().unique():
        day = pd.Timestamp(dob).date()
        for form in (day.isoformat(), f"{day:%d/%m/%Y}", f"{day.day} {day:%B %Y}"):
            assert form not in text
    initials = set((episodes["first_initial"].fillna("") + episodes["surname_initial"].fillna("")).unique())
    assert not initials & set(re.findall(r"\b[A-Z]{2}\b", text))
    for ref in episodes["client_ref"].dropna().unique()[:200]:
        assert re.search(rf"\b{re.escape(str(ref))}\b", text) is None


def test_final_return_refused_while_errors_remain(partnership, tmp_path):
    findings = partnership["findings"].copy()
    error = {"rule": "triage-not-before-referral", "severity": "error", "category": "data-quality",
             "provider": "N9001", "file": "N9001_extract.xlsx", "table": "episodes", "row": 5,
             "record": "N9001/E1", "fields": ("referral_date", "triage_date"),
             "values": ("2025-05-02", "2025-04-28"), "message": "Triaged before referral"}
    findings = pd.concat([findings, pd.DataFrame([error])], ignore_index=True)
    with pytest.raises(ReturnRefused):
        generate_returns(partnership["tables"], findings, PERIOD, tmp_path, as_at=AS_AT, settings=SETTINGS)
    assert list(tmp_path.iterdir()) == []
    accepted = pd.DataFrame([{**error, "reason": "Confirmed with the provider: data entry slip"}])
    result = generate_returns(partnership["tables"], findings, PERIOD, tmp_path, as_at=AS_AT,
                              settings=SETTINGS, accepted=accepted, templates=[default_templates()[0]])
    ws = load_workbook(result.outputs[0])["Exceptions"]
    row = next(r for r in ws.iter_rows(values_only=True) if "Confirmed with the provider: data entry slip" in r)
    assert row[:3] == ("Triage is not before referral", "triage-not-before-referral", "error")
    assert not result.outputs[0].stem.endswith("DRAFT")


def test_never_writes_over_the_template(partnership, tmp_path):
    template = tmp_path / "national_quarterly_return.xlsx"
    template.write_bytes(default_templates()[0].read_bytes())
    before = template.read_bytes()
    result = generate_returns(partnership["tables"], partnership["findings"], PERIOD, tmp_path,
                              templates=[template], as_at=AS_AT, settings=SETTINGS, draft=True)
    assert result.outputs[0] != template and template.read_bytes() == before
    link = tmp_path / "link.xlsx"
    link.symlink_to(template)
    for out in (template, link, tmp_path / "sub" / ".." / template.name):
        with pytest.raises(InputError, match="overwrite the template"):
            refuse_template_overwrite(out, [template])
    refuse_template_overwrite(tmp_path / "other.xlsx", [template])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["national_quarterly_return.xlsx", "link.xlsx", result.outputs[0].name])  # no temporary files left


def test_measures_without_their_table_show_a_dash(partnership, tmp_path):
    from dataclasses import replace

    tables = replace(partnership["tables"], tops=None)
    findings = partnership["findings"][partnership["findings"]["table"] != "tops"]
    result = generate_returns(tables, findings, PERIOD, tmp_path, as_at=AS_AT, settings=SETTINGS, draft=True)
    ws = load_workbook(_out({"result": result}, ".xlsx"))["Summary"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == BY_ID["top_start"].title)
    assert [ws.cell(row, c).value for c in (3, 4, 5)] == ["-", "-", "-"]
    doc = Document(str(_out({"result": result}, ".docx")))
    perf = next(t for t in doc.tables if t.rows[0].cells[0].text == "Area of performance measured")
    shown = {r.cells[0].text: r.cells[2].text for r in perf.rows[1:]}
    assert shown[BY_ID["top_start"].title] == "-"
    assert shown[BY_ID["planned_exits"].title].endswith("%")
