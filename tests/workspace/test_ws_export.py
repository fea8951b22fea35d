"""Exports: the corrected extract and the audit trail, read back; formula-looking text stays text."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from openpyxl import load_workbook
from wsdata import import_all, per_file, source_file, synthetic

from app.workspace import Workspace
from rules.columns import COLUMNS, column_names
from rules.parse import parse_table

RISKY = ["=HYPERLINK(\"http://x\",\"y\")", "+441234", "-1", "@SUM(A1)"]


@pytest.fixture
def ws(tmp_path):
    with Workspace.create(tmp_path / "ws.trworkspace", partnership="A", year="2025-26") as ws:
        import_all(ws, synthetic(), tmp_path)
        for i, text in enumerate(RISKY):
            ws.edit("episodes", i, "client_ref", text, reason="formula-looking text")
        ws.edit("episodes", 4, "discharge_reason", "TCOU", reason="fix")
        yield ws


def _xlsx(path):
    wb = load_workbook(path)
    out = {}
    for sheet in wb.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        out[sheet.title] = pd.DataFrame(rows[1:], columns=rows[0], dtype=object)
    return out, wb


def _expected(ws, table):
    frame = ws.tables().get(table)[column_names(table)]
    return frame.astype(object).where(frame.notna(), None).reset_index(drop=True)


def _in_excel(ws, table):
    """The working table as the workbook holds it: dates as real dates (read back as datetimes)."""
    frame = _expected(ws, table)
    typed = parse_table(ws.tables().get(table).reset_index(drop=True), table).typed
    for name in (c.name for c in COLUMNS[table] if c.type == "date"):
        frame[name] = pd.Series([v if pd.isna(d) else d.to_pydatetime() for v, d in
                                 zip(frame[name], typed[name], strict=True)], dtype=object)
    return frame


def test_corrected_xlsx_reads_back_as_the_working_tables(ws, tmp_path):
    [path] = ws.export_corrected(tmp_path / "corrected.xlsx", "xlsx")
    sheets, wb = _xlsx(path)
    assert set(sheets) == {"episodes", "modalities", "tops"}
    for table, frame in sheets.items():
        assert frame.equals(_in_excel(ws, table)), table
    cells = [wb["episodes"].cell(row=i + 2, column=3) for i in range(len(RISKY))]
    assert [c.value for c in cells] == RISKY
    assert [c.data_type for c in cells] == ["s"] * len(RISKY)


def test_corrected_xlsx_opens_with_the_extract_reader(ws, tmp_path):
    import app.extracts as extracts
    [path] = ws.export_corrected(tmp_path / "corrected.xlsx")
    opened = extracts.open_extracts([path])
    for table in ("episodes", "modalities", "tops"):
        got = opened.raw.get(table)[column_names(table)]
        got = got.astype(object).where(got.notna(), None).reset_index(drop=True)
        assert got.equals(_expected(ws, table)), table


def _in_csv(ws, table):
    """The working table as the CSV holds it: dates dd/mm/yyyy (one format), codes stripped."""
    frame = _expected(ws, table)
    typed = parse_table(ws.tables().get(table).reset_index(drop=True), table).typed
    for c in COLUMNS[table]:
        if c.type == "date":
            frame[c.name] = pd.Series([v if pd.isna(d) else d.strftime("%d/%m/%Y") for v, d in
                                       zip(frame[c.name], typed[c.name], strict=True)], dtype=object)
        elif c.type == "code":
            frame[c.name] = pd.Series([None if v is None or not str(v).strip() else str(v).strip().upper()
                                       for v in frame[c.name]], dtype=object)
    return frame


def test_corrected_csv_one_file_per_table_dates_in_one_format(ws, tmp_path):
    paths = ws.export_corrected(tmp_path / "corrected.csv", "csv")
    assert [p.name for p in paths] == ["corrected_episodes.csv", "corrected_modalities.csv", "corrected_tops.csv"]
    for path, table in zip(paths, ("episodes", "modalities", "tops"), strict=True):
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        got = pd.DataFrame(rows[1:], columns=rows[0], dtype=object)
        got = got.where(got != "", None)
        assert got.equals(_in_csv(ws, table)), table
    folder = tmp_path / "out"
    folder.mkdir()
    assert [p.name for p in ws.export_corrected(folder, "csv")] == ["episodes.csv", "modalities.csv", "tops.csv"]


def test_provider_headers_from_the_stored_mapping_profile(tmp_path):
    raw = synthetic()
    files = per_file(raw)
    name = sorted(files)[0]
    profile = {"name": "N9001", "headers": {"EPISODID": "episode_id", "Referral Date": "referral_date",
                                            "Ignore me": ""}, "codes": {}}
    with Workspace.create(tmp_path / "ws.trworkspace", partnership="A", year="2025-26") as ws:
        source = ws.import_source(files[name], file_path=source_file(tmp_path, name), profile=profile)
        ws.import_source(files[sorted(files)[1]], file_path=source_file(tmp_path, "b.xlsx"), profile=None)
        with pytest.raises(ValueError):
            ws.export_corrected(tmp_path / "all.xlsx", headers="provider")
        [path] = ws.export_corrected(tmp_path / "mine.xlsx", headers="provider", provider=source.provider_code)
        sheets, _ = _xlsx(path)
        episodes = sheets["episodes"]
        assert "EPISODID" in episodes.columns and "Referral Date" in episodes.columns
        assert "episode_id" not in episodes.columns and "dob" in episodes.columns
        assert list(episodes["EPISODID"]) == list(files[name].episodes["episode_id"])


def test_audit_trail_xlsx_and_csv(ws, tmp_path):
    history = ws.history()
    path = ws.export_audit(tmp_path / "audit.xlsx", identifiers=True)
    sheets, wb = _xlsx(path)
    edits = sheets["edits"]
    assert list(edits.columns) == list(history.columns)
    assert list(edits["new"]) == list(history["new"]) and list(edits["reason"]) == list(history["reason"])
    assert wb["edits"].cell(row=2, column=list(history.columns).index("new") + 1).data_type == "s"
    assert len(sheets["sources"]) == 2
    path = ws.export_audit(tmp_path / "audit.csv", identifiers=True)
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["new"] for r in rows] == list(history["new"]) and [r["user"] for r in rows] == list(history["user"])


def test_audit_trail_withholds_identifying_values_unless_asked(ws, tmp_path):
    history = ws.history()
    ws.edit("episodes", 0, "postcode", "ZZ99 9ZZ", reason="moved")
    ws.edit("episodes", 0, "discharge_reason", "TCDF", reason="confirmed")
    path = ws.export_audit(tmp_path / "withheld.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(history) + 2
    postcode, reason = rows[-2], rows[-1]
    assert postcode["field"] == "postcode" and postcode["new"] == "(withheld)" and postcode["old"] in ("", "(withheld)")
    assert reason["field"] == "discharge_reason" and reason["new"] == "TCDF"
    path = ws.export_audit(tmp_path / "full.csv", identifiers=True)
    with open(path, encoding="utf-8-sig", newline="") as f:
        assert list(csv.DictReader(f))[-2]["new"] == "ZZ99 9ZZ"
