"""Workbooks as providers send them: titles, national headers, date cells, serials, totals rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from extract_files import EPISODE_HEADER, episode_row, episodes_rows, write_xlsx
from openpyxl.styles import Font

from app.extracts import open_extracts, read_extract
from rules.columns import SOURCE_ROW


def test_header_under_title_rows_with_merged_title_and_hidden_column(tmp_path: Path) -> None:
    rows = [["Quarterly extract - Acme Recovery"], ["Produced 01/07/2025"], [], *episodes_rows(3)]

    def edit(wb):
        ws = wb["episodes"]
        ws.merge_cells("A1:F1")
        ws["A1"].font = Font(bold=True)
        ws.column_dimensions["C"].hidden = True

    path = write_xlsx(tmp_path / "acme.xlsx", {"episodes": rows}, edit)
    opened = open_extracts([path], as_at=dt.date(2025, 7, 1))
    raw = opened.raw.episodes
    assert raw["episode_id"].tolist() == ["E0001", "E0002", "E0003"]
    assert raw["client_ref"].tolist() == ["C0001", "C0002", "C0003"]  # the hidden column is read
    assert raw[SOURCE_ROW].tolist() == [5, 6, 7]  # header on row 4
    assert opened.mappings[0].header_row == 4
    assert opened.findings.empty


def test_leading_empty_rows_keep_true_row_numbers(tmp_path: Path) -> None:
    rows = [[], [], [None, None, "Title in C3"], [], *episodes_rows(2)]
    path = write_xlsx(tmp_path / "gaps.xlsx", {"Episodes": rows})
    raw = read_extract(path).tables["episodes"]
    assert raw[SOURCE_ROW].tolist() == [6, 7]


def test_national_headers_map_without_questions(tmp_path: Path) -> None:
    national = ["AGNCY", "EPISODID", "CLIENTID", "FINITIAL", "SINITIAL", "DOB", "SEX", "ETHNIC", "CONSENT",
                "REFLD", "DRUG1", "DISD", "DISRSN"]
    rows = [national] + [episode_row(i) for i in (1, 2)]
    path = write_xlsx(tmp_path / "nat.xlsx", {"Sheet1": rows})
    opened = open_extracts([path], confirm_guesses=False)
    mapping = opened.mappings[0]
    assert mapping.table == "episodes"
    assert mapping.guessed == {} and mapping.unmapped == []
    assert dict(zip(national, EPISODE_HEADER, strict=True)) == mapping.columns
    assert mapping.how["REFLD"] == "national" and mapping.how["DOB"] == "canonical"
    assert opened.raw.episodes["referral_date"].tolist() == ["2025-04-01", "2025-04-01"]


def test_date_cells_serials_and_day_first_text(tmp_path: Path) -> None:
    rows = [list(EPISODE_HEADER),
            episode_row(1, referral_date=dt.datetime(2025, 4, 5)),
            episode_row(2, referral_date=dt.date(2025, 4, 6)),
            episode_row(3, referral_date=45748),            # Excel serial as a number cell
            episode_row(4, referral_date="45748"),          # ... and as text
            episode_row(5, referral_date="05/04/2025"),
            episode_row(6, referral_date="5/4/25"),
            episode_row(7, referral_date="05-Apr-2025"),
            episode_row(8, referral_date="  2025-04-05 "),
            episode_row(9, referral_date="2025-04-05 00:00:00")]
    path = write_xlsx(tmp_path / "dates.xlsx", {"episodes": rows})
    opened = open_extracts([path], as_at=dt.date(2025, 7, 1))
    raw = opened.raw.episodes["referral_date"].tolist()
    assert raw[:3] == ["2025-04-05", "2025-04-06", "45748"]  # date cells become ISO text
    assert raw[4] == "05/04/2025"  # text stays as written
    typed = opened.tables.episodes["referral_date"]
    assert typed.dtype == "datetime64[ns]"
    assert typed.dt.strftime("%Y-%m-%d").tolist() == [
        "2025-04-05", "2025-04-06", "2025-04-01", "2025-04-01", "2025-04-05", "2025-04-05", "2025-04-05",
        "2025-04-05", "2025-04-05"]
    assert opened.findings.empty


def test_blank_rows_and_trailing_totals_are_ignored(tmp_path: Path) -> None:
    rows = [list(EPISODE_HEADER), episode_row(1), [], episode_row(2), [None, "  "], [],
            ["Total", 2], ["Grand total", None, None, 2]]
    path = write_xlsx(tmp_path / "totals.xlsx", {"episodes": rows})
    raw = read_extract(path).tables["episodes"]
    assert raw["episode_id"].tolist() == ["E0001", "E0002"]
    assert raw[SOURCE_ROW].tolist() == [2, 4]


def test_text_in_a_date_column_after_row_1000_is_not_lost(tmp_path: Path) -> None:
    rows = [list(EPISODE_HEADER)] + [episode_row(i, referral_date=dt.date(2025, 4, 1)) for i in range(1, 1301)]
    rows[1200] = episode_row(1200, referral_date="TBC")
    rows[1250] = episode_row(1250, referral_date="31/02/2025")
    path = write_xlsx(tmp_path / "late.xlsx", {"episodes": rows})
    opened = open_extracts([path], as_at=dt.date(2025, 7, 1))
    bad = opened.findings
    assert bad["rule"].tolist() == ["invalid-date", "invalid-date"]
    assert bad["row"].tolist() == [1201, 1251]
    assert bad["values"].tolist() == [("TBC",), ("31/02/2025",)]
    assert bad["record"].tolist() == ["N9001/E1200", "N9001/E1250"]
    assert opened.tables.episodes["referral_date"].isna().sum() == 2


def test_sheets_found_by_name_or_by_headers_and_notes_ignored(tmp_path: Path) -> None:
    mods = [["provider_code", "episode_id", "modality_id", "modality_type", "modality_referral_date"],
            ["N9001", "E0001", "M1", "psy", "2025-04-02"]]
    tops = [["AGNCY", "EPISODID", "TOPID", "TOPDATE", "TRSTAGE", "opiate_days"],
            ["N9001", "E0001", "T1", "2025-04-03", "S", "12"]]
    path = write_xlsx(tmp_path / "book.xlsx", {"Read me": [["This workbook holds our return"]],
                                               "EPISODES": episodes_rows(1), "Sheet2": mods, "TOPs": tops,
                                               "about": [["as_at", "2025-06-30"]]})
    opened = open_extracts([path])
    assert opened.tables.as_at == dt.date(2025, 6, 30)
    assert [m.table for m in opened.mappings] == ["episodes", "modalities", "tops"]
    assert opened.tables.modalities["modality_type"].tolist() == ["PSY"]
    assert opened.tables.tops["opiate_days"].tolist() == [12]
    assert opened.raw.files == ["book.xlsx"]


def test_as_at_argument_wins_over_the_recorded_one(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", {"episodes": episodes_rows(1), "About": [["as_at", dt.date(2025, 6, 30)]]})
    assert read_extract(path).as_at == dt.date(2025, 6, 30)
    assert open_extracts([path], as_at=dt.date(2025, 9, 30)).tables.as_at == dt.date(2025, 9, 30)


def test_source_file_is_never_modified(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "keep.xlsx", {"episodes": episodes_rows(2)})
    before = path.read_bytes()
    open_extracts([path])
    assert path.read_bytes() == before


def test_two_files_concatenate_with_their_own_rows(tmp_path: Path) -> None:
    a = write_xlsx(tmp_path / "a.xlsx", {"episodes": episodes_rows(2)})
    b_rows = [["Title"], list(EPISODE_HEADER), episode_row(1, provider_code="N9002")]
    b = write_xlsx(tmp_path / "b.xlsx", {"episodes": b_rows})
    opened = open_extracts([a, b])
    frame = opened.tables.episodes
    assert frame["_file"].tolist() == ["a.xlsx", "a.xlsx", "b.xlsx"]
    assert frame[SOURCE_ROW].tolist() == [2, 3, 3]
    assert opened.tables.files == ["a.xlsx", "b.xlsx"]
    assert opened.tables.modalities is None and opened.tables.tops is None
    assert isinstance(opened.raw.episodes, pd.DataFrame)


def test_chart_sheets_and_empty_sheets_beside_the_data(tmp_path: Path) -> None:
    from openpyxl.chart import BarChart, Reference

    def edit(wb):
        chart = BarChart()
        chart.add_data(Reference(wb["episodes"], min_col=1, min_row=1, max_row=3))
        wb.create_chartsheet("Chart").add_chart(chart)
        wb.create_sheet("Empty")

    path = write_xlsx(tmp_path / "charts.xlsx", {"episodes": episodes_rows(2)}, edit)
    opened = open_extracts([path])
    assert opened.raw.episodes["episode_id"].tolist() == ["E0001", "E0002"]
    assert [m.sheet for m in opened.mappings] == ["episodes"]
