"""Report writers: HTML (self-contained, escaped, no identifiers), XLSX (text never formula), JSON, text."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rules"))
from test_rules_frames import tables  # noqa: E402

from app.errors import InputError  # noqa: E402
from app.reports import format_table, render_html, write_report  # noqa: E402
from app.reports.redact import WITHHELD, redact  # noqa: E402
from rules.engine import evaluate  # noqa: E402
from rules.findings import findings_frame  # noqa: E402

EVIL = ["=HYPERLINK(\"http://x\",\"y\")", "+44 1234", "-5", "@SUM(A1)", "<b>bold</b> & co"]


def schema_finding(row: int, field: str, value: str) -> dict:
    return {"rule": "invalid-code", "severity": "error", "category": "data-quality", "provider": "N9001",
            "file": "provider_a.xlsx", "table": "episodes", "row": row, "record": f"N9001/E{row}",
            "fields": (field,), "values": (value,), "message": f"{value!r} is not in the code list"}


@pytest.fixture()
def report():
    t = tables([
        {"episode_id": "E1", "client_ref": "CL777001", "dob": "1902-06-30", "triage_date": "2024-12-30",
         "care_plan_date": None, "postcode": "ZZ1 9QQ"},
        {"episode_id": "E2", "client_ref": "CL777002", "dob": "1980-05-01"},
        {"episode_id": "E3", "client_ref": "CL777002", "dob": "1980-05-01"},
        *({"episode_id": f"E{i}", "client_ref": f"CL9{i}", "drug1": None} for i in range(4, 4 + len(EVIL))),
    ])
    schema = findings_frame([schema_finding(6 + i, "drug1", v) for i, v in enumerate(EVIL)])
    return evaluate(t, schema_findings=schema)


def test_redact_withholds_identifying_values_in_values_and_messages(report) -> None:
    f = redact(report.findings)
    dob = f[f["rule"] == "dob-plausible"].iloc[0]
    assert dob["values"] == (WITHHELD,)
    assert "1902-06-30" not in dob["message"] and WITHHELD in dob["message"]
    overlap = f[f["rule"] == "no-overlapping-open-episodes"].iloc[0]
    assert "CL777002" not in overlap["message"]
    triage = f[f["rule"] == "triage-not-before-referral"].iloc[0]
    assert triage["values"] == ("2025-01-01", "2024-12-30")  # not identifying: kept


def test_html_is_self_contained_escaped_and_withholds_identifiers(report, tmp_path: Path) -> None:
    path = write_report(tmp_path / "report.html", report)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    for forbidden in ("<script", "<link", "src=", "@import", "url("):
        assert forbidden not in text.lower()
    assert "As at 2025-07-15" in text and "provider_a.xlsx" in text
    assert "Triage date 2024-12-30 is before referral date 2025-01-01" in text
    assert "Triage is not before referral" in text  # the rule's title heads its group
    assert "&lt;b&gt;bold&lt;/b&gt; &amp;amp; co" in text or "&lt;b&gt;bold&lt;/b&gt; &amp; co" in text
    assert "<b>bold</b>" not in text
    for secret in ("CL777001", "CL777002", "1902-06-30", "1980-05-01", "ZZ1 9QQ"):
        assert secret not in text
    assert "N9001/E1" in text


def test_xlsx_has_summary_and_filterable_findings_with_text_cells(report, tmp_path: Path) -> None:
    path = write_report(tmp_path / "report.xlsx", report)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Summary", "Findings"]
    ws = wb["Findings"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:K{len(report.findings) + 1}"
    assert [c.value for c in ws[1]] == ["rule", "severity", "category", "provider", "file", "table", "row",
                                        "record", "fields", "values", "message"]
    assert ws.column_dimensions["K"].width >= 60
    f = redact(report.findings)
    for i in (0, 3, len(f) - 1):
        row = [c.value for c in ws[i + 2]]
        expected = f.iloc[i]
        assert row[0] == expected["rule"] and row[4] == expected["file"] and row[6] == int(expected["row"])
        assert row[7] == expected["record"] and row[9] == ", ".join(expected["values"])
        assert row[10] == expected["message"]
    values = {ws.cell(r, 10).value: ws.cell(r, 10) for r in range(2, ws.max_row + 1)}
    for evil in EVIL:
        cell = values[evil]
        assert cell.data_type == "s" and cell.value == evil
    summary = wb["Summary"]
    labels = {summary.cell(r, 1).value: summary.cell(r, 2).value for r in range(1, 8)}
    assert labels["As at"] == "2025-07-15" and labels["Errors"] == report.errors
    rules = {summary.cell(r, 2).value: summary.cell(r, 5).value for r in range(9, summary.max_row + 1)}
    assert rules["triage-not-before-referral"] == 1
    assert rules["top-review-due"].startswith("not run")


def test_json_report_is_the_cli_json_with_identifiers_withheld(report, tmp_path: Path) -> None:
    full = report.to_json(1, {"episodes": 9})
    path = write_report(tmp_path / "full.json", report, files_count=1, row_counts={"episodes": 9}, identifiers=True)
    assert json.loads(path.read_text(encoding="utf-8")) == full
    path = write_report(tmp_path / "r.json", report, files_count=1, row_counts={"episodes": 9})
    withheld = json.loads(path.read_text(encoding="utf-8"))
    assert {k: v for k, v in withheld.items() if k != "findings"} == {k: v for k, v in full.items() if k != "findings"}
    identifying = {"client_ref", "first_initial", "surname_initial", "dob", "postcode"}
    changed = 0
    for before, after in zip(full["findings"], withheld["findings"], strict=True):
        for field, old, new in zip(before["fields"], before["values"], after["values"], strict=True):
            if field in identifying and old:
                assert new == WITHHELD and old not in after["message"]
                changed += 1
            else:
                assert new == old
    assert changed > 0


def test_text_table_lists_rules_then_findings(report) -> None:
    text = format_table(report, limit=3)
    assert text.startswith("Validation as at 2025-07-15: 1 file (")
    assert f"{report.errors} errors, {report.warnings} warnings" in text
    assert "triage-not-before-referral" in text
    assert f"Findings 3 of {len(report.findings)}" in text
    assert "not run: top-review-due (no tops table in the extract)" in text


def test_bad_report_paths_are_input_errors(report, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="must end in"):
        write_report(tmp_path / "r.pdf", report)
    with pytest.raises(InputError, match="folder does not exist"):
        write_report(tmp_path / "missing" / "r.html", report)
    assert list(tmp_path.iterdir()) == []


def test_render_html_of_a_clean_report(tmp_path: Path) -> None:
    clean = evaluate(tables([{}], [{}], [{}]))
    text = render_html(clean)
    assert "0 errors" in text


def test_a_report_for_one_provider_holds_only_its_findings(tmp_path: Path) -> None:
    from app.reports import for_provider

    t = tables([{"episode_id": "E1", "triage_date": "2024-12-01"},
                {"provider_code": "N9002", "episode_id": "E7", "triage_date": "2024-12-01"}])
    full = evaluate(t)
    mine = for_provider(full, "N9002")
    assert set(mine.findings["provider"]) == {"N9002"} and len(mine.findings) < len(full.findings)
    text = write_report(tmp_path / "n9002.html", mine).read_text(encoding="utf-8")
    assert "N9002/E7" in text and "N9001/E1" not in text
