"""Corpus files that are odd but readable import correctly: each value checked, not just "no error"."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from corpus import (
    HEADER,
    MACRO_BOOK_CT,
    Formula,
    excel_serial,
    row,
    rows,
    sheet_xml,
    write_csv,
    write_raw_xlsx,
    write_xlsx,
)

from app.extracts import open_extracts
from rules.columns import SOURCE_ROW
from rules.engine import evaluate

AS_AT = dt.date(2025, 7, 15)


def _open(path: Path):  # noqa: ANN202
    return open_extracts([path], as_at=AS_AT)


def _rules(opened) -> pd.DataFrame:  # noqa: ANN001
    return evaluate(opened.tables, schema_findings=opened.findings).findings


def test_macro_workbook_reads_the_data_and_leaves_the_macros(tmp_path: Path) -> None:
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name = \"Module1\"\nSub Auto_Open()\nShell \"calc\"\nEnd Sub"
    path = write_raw_xlsx(tmp_path / "macros.xlsm", {"episodes": sheet_xml(rows(3))},
                          extra={"xl/vbaProject.bin": vba}, book_type=MACRO_BOOK_CT)
    assert "xl/vbaProject.bin" in zipfile.ZipFile(path).namelist()
    opened = _open(path)
    assert opened.raw.episodes["episode_id"].tolist() == ["E0001", "E0002", "E0003"]
    assert opened.findings.empty
    assert path.read_bytes().count(b"vbaProject.bin") >= 1          # the file itself is left as it was


def test_formulas_with_saved_results_use_the_results(tmp_path: Path) -> None:
    data = [row(i, episode_id=Formula(f'"E"&TEXT({i},"0000")', f"E{i:04d}"),
                referral_date=Formula("DATE(2025,4,1)", excel_serial(dt.date(2025, 4, 1)))) for i in (1, 2)]
    path = write_raw_xlsx(tmp_path / "formulas.xlsx", {"episodes": sheet_xml([HEADER] + data)})
    opened = _open(path)
    assert opened.raw.episodes["episode_id"].tolist() == ["E0001", "E0002"]
    assert opened.tables.episodes["referral_date"].tolist() == [pd.Timestamp("2025-04-01")] * 2
    assert opened.findings.empty


def test_uncalculated_formulas_in_a_column_nobody_reads_are_ignored(tmp_path: Path) -> None:
    data = [row(i) + [Formula("TODAY()-J2")] for i in (1, 2)]
    path = write_raw_xlsx(tmp_path / "helper.xlsx", {"episodes": sheet_xml([HEADER + ["Days waiting"]] + data)})
    opened = _open(path)
    assert len(opened.raw.episodes) == 2 and opened.mappings[0].unmapped == ["Days waiting"]


def test_a_value_merged_down_belongs_to_each_row(tmp_path: Path) -> None:
    title = ["Episodes extract, Q1 2025-26"]
    data = [row(i, provider_code="N9001" if i == 1 else None) for i in (1, 2, 3)]
    data[1][HEADER.index("sex")] = None                     # a blank that is not merged stays blank
    path = write_raw_xlsx(tmp_path / "merged.xlsx", {
        "episodes": sheet_xml([title, list(HEADER)] + data, merges=["A1:K1", "A3:A5"])})
    opened = _open(path)
    raw = opened.raw.episodes
    assert raw["provider_code"].tolist() == ["N9001"] * 3
    assert raw["sex"].isna().tolist() == [False, True, False]
    assert raw[SOURCE_ROW].tolist() == [3, 4, 5]


def test_duplicate_columns_that_agree_import_once(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dup_same.csv", [HEADER + ["REFLD"]] + [r + [r[9]] for r in rows(3)[1:]])
    opened = _open(path)
    assert opened.tables.episodes["referral_date"].tolist() == [pd.Timestamp("2025-04-01")] * 3
    assert opened.mappings[0].unmapped == ["REFLD"]


@pytest.mark.parametrize(("name", "encoding", "delimiter"), [
    ("utf8.csv", "utf-8", ","), ("utf8_bom.csv", "utf-8-sig", ","), ("windows1252.csv", "cp1252", ","),
    ("utf16.csv", "utf-16", "\t"), ("utf16le_no_bom.csv", "utf-16-le", "\t"),
    ("semicolons.csv", "cp1252", ";"), ("tabs.txt", "utf-8", "\t")])
def test_csv_encodings_and_separators(tmp_path: Path, name: str, encoding: str, delimiter: str) -> None:
    cells = [["Extract: Renée’s service – costs in £"], HEADER + ["Coût (£)", "Key worker"],
             row(1, client_ref="Zoë-Ángel") + ["£12.50", "Siân Brontë"],
             row(2, client_ref="Æthelstan Ødegård") + ["£0.99", "José Núñez"]]
    if encoding == "cp1252":
        cells[0] = ["Extract: Renée's service - costs in £"]
    path = write_csv(tmp_path / name, cells, encoding=encoding, delimiter=delimiter)
    opened = _open(path)
    raw = opened.raw.episodes
    assert raw["client_ref"].tolist() == ["Zoë-Ángel", "Æthelstan Ødegård"]
    assert raw["provider_code"].tolist() == ["N9001", "N9001"]
    assert opened.mappings[0].unmapped == ["Coût (£)", "Key worker"]
    assert raw[SOURCE_ROW].tolist() == [3, 4]
    assert opened.findings.empty


def test_excel_serial_numbers_as_text_follow_the_1900_leap_year_bug(tmp_path: Path) -> None:
    serials = ["1", "59", "60", "61", str(excel_serial(dt.date(2025, 4, 1))), "45748.75"]
    path = write_csv(tmp_path / "serials.csv", [HEADER] + [row(i, referral_date=s) for i, s in enumerate(serials, 1)])
    opened = _open(path)
    got = opened.tables.episodes["referral_date"].tolist()
    assert got[:2] == [pd.Timestamp("1900-01-01"), pd.Timestamp("1900-02-28")]
    assert pd.isna(got[2])                                   # 60 is Excel's 29/02/1900, no real day
    assert got[3:] == [pd.Timestamp("1900-03-01"), pd.Timestamp("2025-04-01"), pd.Timestamp("2025-04-01")]
    bad = opened.findings[opened.findings["rule"] == "invalid-date"]
    assert bad["row"].tolist() == [4] and bad["values"].tolist() == [("60",)]


def test_excel_date_cells_around_1900_and_numbers_that_are_serials(tmp_path: Path) -> None:
    def edit(wb: openpyxl.Workbook) -> None:
        ws = wb["episodes"]
        at = HEADER.index("dob") + 1
        for r, serial in ((2, 59), (3, 61), (4, excel_serial(dt.date(1980, 1, 15)))):
            ws.cell(row=r, column=at, value=serial).number_format = "dd/mm/yyyy"   # date cells
        ws.cell(row=5, column=at, value=excel_serial(dt.date(1975, 6, 30)))        # a bare number
    path = write_xlsx(tmp_path / "date_cells.xlsx", {"episodes": rows(4)}, edit)
    opened = _open(path)
    assert opened.raw.episodes["dob"].tolist() == ["1900-02-28", "1900-03-01", "1980-01-15",
                                                   str(excel_serial(dt.date(1975, 6, 30)))]
    assert opened.tables.episodes["dob"].tolist()[3] == pd.Timestamp("1975-06-30")
    plausible = _rules(opened)
    assert plausible.loc[plausible["rule"] == "dob-plausible", "row"].tolist() == [2, 3]


def test_dates_before_1903_and_in_the_future_are_findings_not_crashes(tmp_path: Path) -> None:
    cells = [HEADER, row(1, dob="31/12/1902"), row(2, dob="01/01/1903"), row(3, dob="1850-06-01"),
             row(4, referral_date="01/01/2031"), row(5, referral_date="01/01/2262"), row(6, dob="01/01/1677")]
    opened = _open(write_csv(tmp_path / "old_and_future.csv", cells))
    findings = _rules(opened)
    by_rule = findings.groupby("rule")["row"].apply(sorted).to_dict()
    assert by_rule["dob-plausible"] == [2, 4]
    assert by_rule["no-future-dates"] == [5]
    assert by_rule["invalid-date"] == [6, 7]                 # beyond what a date can hold: the raw text kept
    assert opened.raw.episodes["referral_date"].tolist()[4] == "01/01/2262"


def test_numbers_stored_as_text_and_ids_stored_as_numbers(tmp_path: Path) -> None:
    tops = [["provider_code", "episode_id", "top_id", "top_date", "top_stage", "opiate_days", "crack_days",
             "alcohol_days", "psych_health"],
            ["N9001", 1234567, 1, "03/04/2025", "S", "12", " 7 ", "3.0", 15],
            ["N9001", 1234567, 2, "03/05/2025", "R", 0, "012", "+4", "15.5"]]
    episodes = [HEADER, row(1, episode_id=1234567, client_ref=987654321012)]
    path = write_xlsx(tmp_path / "numbers.xlsx", {"episodes": episodes, "tops": tops})
    opened = _open(path)
    assert opened.raw.episodes["episode_id"].tolist() == ["1234567"]
    assert opened.raw.episodes["client_ref"].tolist() == ["987654321012"]
    typed = opened.tables.tops
    assert typed["top_id"].tolist() == ["1", "2"]
    assert typed["opiate_days"].tolist() == [12, 0]
    assert typed["crack_days"].tolist() == [7, 12]
    assert typed["alcohol_days"].tolist() == [3, 4]
    assert typed["psych_health"].tolist()[0] == 15 and pd.isna(typed["psych_health"].tolist()[1])
    bad = opened.findings
    assert bad[["rule", "row", "values"]].values.tolist() == [["invalid-number", 3, ("15.5",)]]


def test_cells_of_32767_characters(tmp_path: Path) -> None:
    longest = "x" * 32_767                                   # Excel's limit for one cell
    cells = [HEADER + ["notes"], row(1, client_ref="C" * 32_767) + [longest], row(2, drug1="H" * 32_767) + [""]]
    for path in (write_xlsx(tmp_path / "long.xlsx", {"episodes": cells}), write_csv(tmp_path / "long.csv", cells)):
        opened = _open(path)
        assert opened.raw.episodes["client_ref"].str.len().tolist() == [32_767, 5]
        bad = opened.findings
        assert bad["rule"].tolist() == ["invalid-code"] and bad["row"].tolist() == [3]
        assert bad["values"].tolist() == [("H" * 32_767,)]      # the evidence is whole
        assert len(bad["message"].iat[0]) < 400                  # the sentence people read is not


def test_error_cells_keep_what_excel_shows(tmp_path: Path) -> None:
    data = [row(1, referral_date=Formula("VLOOKUP(A2,Refs!A:B,2,0)", "#N/A")), row(2)]
    xml = sheet_xml([HEADER] + data).replace('t="str"><f>', 't="e"><f>')      # a formula whose result is an error
    opened = _open(write_raw_xlsx(tmp_path / "errors.xlsx", {"episodes": xml}))
    assert opened.raw.episodes["referral_date"].tolist() == ["#N/A", "01/04/2025"]
    bad = opened.findings
    assert bad[["rule", "row", "values"]].values.tolist() == [["invalid-date", 2, ("#N/A",)]]


def test_a_time_cell_in_a_date_column_is_not_a_day_in_1899(tmp_path: Path) -> None:
    def edit(wb: openpyxl.Workbook) -> None:
        wb["episodes"].cell(row=2, column=HEADER.index("referral_date") + 1, value=dt.time(12, 30))
    opened = _open(write_xlsx(tmp_path / "time_cell.xlsx", {"episodes": rows(2)}, edit))
    assert opened.raw.episodes["referral_date"].tolist() == ["12:30:00", "01/04/2025"]
    assert opened.findings[["rule", "row"]].values.tolist() == [["invalid-date", 2]]


def test_hidden_sheets_only_give_tables_no_visible_sheet_has(tmp_path: Path) -> None:
    tops = [["provider_code", "episode_id", "top_id", "top_date", "top_stage"], ["N9001", "E0001", "T1", "02/04/2025", "S"]]

    def hide(wb: openpyxl.Workbook) -> None:
        wb["episodes last quarter"].sheet_state = "hidden"
        wb["tops"].sheet_state = "veryHidden"
    path = write_xlsx(tmp_path / "hidden.xlsx", {"episodes": rows(2), "episodes last quarter": rows(5), "tops": tops},
                      hide)
    opened = _open(path)
    assert opened.raw.episodes["_sheet"].tolist() == ["episodes", "episodes"]   # last quarter's copy left out
    assert opened.raw.tops["top_id"].tolist() == ["T1"]                          # the only TOPs there are


def test_formulas_merges_and_errors_are_found_where_the_table_does_not_start_in_column_a(tmp_path: Path) -> None:
    pad = [None, None]                                          # the table starts in column C
    data = [pad + row(i, provider_code="N9001" if i == 1 else None,
                      referral_date=Formula("A1", "") if i == 2 else "01/04/2025") for i in (1, 2, 3)]
    data[2][2 + HEADER.index("drug1")] = Formula("X1", "#DIV/0!")
    xml = sheet_xml([[None, None, "Q1 extract"], pad + list(HEADER)] + data, merges=["C1:M1", "C3:C5"])
    xml = xml.replace('t="str"><f>X1</f>', 't="e"><f>X1</f>')
    opened = _open(write_raw_xlsx(tmp_path / "offset.xlsx", {"episodes": xml}))
    raw = opened.raw.episodes
    assert raw["provider_code"].tolist() == ["N9001"] * 3
    assert raw["referral_date"].isna().tolist() == [False, True, False]   # a saved empty result is a blank
    assert raw["drug1"].tolist() == ["HER", "HER", "#DIV/0!"]
    assert opened.findings[["rule", "row"]].values.tolist() == [["invalid-code", 5]]
