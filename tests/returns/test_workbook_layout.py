"""The return workbook prints like a paper return: continuation pages are headed by their own
table's header, no cell cuts its text off, the data-quality rows give each rule's title."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl import load_workbook

from app.returns.excel_fill import fill_xlsx
from app.returns.generate import NATIONAL_RETURN, contexts_of, templates_dir
from conftest import fake_measures
from rules.settings import Settings

PROVIDERS = tuple(f"N{9000 + i}" for i in range(1, 9))


def _filled(tmp_path, findings=None, period=("2025-26 Q1", "2025-04-01", "2025-06-30")):
    q = fake_measures(*period, providers=PROVIDERS)
    figures = {"current": q, "previous": q, "last_year": q, "quarters": [q]}
    ctx = contexts_of(figures, findings, draft=True, settings=Settings(partnership_name="Anytown"), accepted=None,
                      generated=dt.date(2025, 7, 20), report=None)[False]
    out = tmp_path / "return.xlsx"
    fill_xlsx(templates_dir() / NATIONAL_RETURN, out, ctx, draft=True)
    return load_workbook(out)


def test_print_titles_follow_the_rows_a_loop_pushed_down(tmp_path):
    ws = _filled(tmp_path)["By provider"]
    first, _, last = ws.print_title_rows.replace("$", "").partition(":")
    header = [c.value for c in ws[int(first)]][:2]
    assert first == last and header == ["Provider", "Measure"]
    assert int(first) > 11  # eight providers above it moved it down


def test_the_targets_setting_wraps_instead_of_being_cut_off(tmp_path):
    ws = _filled(tmp_path)["Definitions"]
    row = next(r for r in ws.iter_rows(min_row=7) if r[0].value == "targets")
    value = row[1]
    assert value.alignment.wrap_text and "planned_exits 30%" in value.value
    width = ws.column_dimensions[value.column_letter].width
    assert ws.row_dimensions[value.row].height and ws.row_dimensions[value.row].height > 15
    assert len(value.value) > width  # it would have been cut off on one line


def test_data_quality_rows_give_the_rule_title_beside_its_id(tmp_path):
    findings = pd.DataFrame([{"rule": "dob-plausible", "severity": "error", "category": "data-quality",
                              "provider": "N9001", "file": "a.xlsx", "table": "episodes", "row": 3,
                              "record": "N9001/E1", "fields": ("dob",), "values": ("1890-01-01",),
                              "message": "Date of birth 1890-01-01 is not plausible"}])
    ws = _filled(tmp_path, findings)["Data quality"]
    rows = [tuple(c.value for c in r[:5]) for r in ws.iter_rows()]
    assert ("Date of birth is plausible", "dob-plausible", "error", "data-quality", "N9001") in rows


def test_a_year_return_heads_its_columns_with_years(tmp_path):
    ws = _filled(tmp_path, period=("2024-25", "2024-04-01", "2025-03-31"))["Summary"]
    texts = {c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)}
    assert {"This year", "Previous year", "Previous year %"} <= texts
    assert not any("quarter" in t.lower() for t in texts if "return" not in t.lower()), sorted(texts)
