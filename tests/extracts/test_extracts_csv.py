"""CSV files and folders: encodings, separators, about.csv."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from extract_files import EPISODE_HEADER, episode_row, episodes_rows, write_csv

from app.errors import InputError
from app.extracts import open_extracts, read_extract
from rules.columns import SOURCE_FILE, SOURCE_ROW, SOURCE_SHEET


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings_keep_pound_signs_and_accents(tmp_path: Path, encoding: str) -> None:
    rows = [list(EPISODE_HEADER) + ["notes"],
            episode_row(1, client_ref="Zoë-Ángel") + ["owes £5"],
            episode_row(2, client_ref="Renée") + ["café"]]
    path = write_csv(tmp_path / "episodes.csv", rows, encoding=encoding)
    extract = read_extract(path)
    raw = extract.tables["episodes"]
    assert raw["client_ref"].tolist() == ["Zoë-Ángel", "Renée"]
    assert raw["provider_code"].tolist() == ["N9001", "N9001"]  # no BOM glued to the first header
    assert extract.mappings[0].unmapped == ["notes"]
    assert raw[SOURCE_ROW].tolist() == [2, 3]
    assert raw[SOURCE_SHEET].isna().all()


@pytest.mark.parametrize("delimiter", [";", "\t", ","])
def test_separators_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    rows = [["Extract, produced 01/07/2025"], *episodes_rows(2)]
    rows[2] = episode_row(1, referral_date="01/04/2025")
    path = write_csv(tmp_path / "ep.csv", rows, delimiter=delimiter)
    opened = open_extracts([path])
    assert opened.raw.episodes["episode_id"].tolist() == ["E0001", "E0002"]
    assert opened.raw.episodes[SOURCE_ROW].tolist() == [3, 4]
    assert opened.tables.episodes["referral_date"].dt.day.tolist() == [1, 1]
    assert opened.findings.empty


def test_folder_of_csvs_with_about(tmp_path: Path) -> None:
    folder = tmp_path / "N9001_extract"
    folder.mkdir()
    write_csv(folder / "N9001_episodes.csv", episodes_rows(2), encoding="utf-8-sig")
    write_csv(folder / "N9001_modalities.csv",
              [["AGNCY", "EPISODID", "MODID", "MODAL", "REFMODDT", "MODST"],
               ["N9001", "E0001", "M1", "SPRX", "02/04/2025", "03/04/2025"]])
    write_csv(folder / "N9001_tops.csv",
              [["provider_code", "episode_id", "top_id", "top_date", "top_stage", "psych_health"],
               ["N9001", "E0001", "T1", "2025-04-03", "S", "14"]])
    write_csv(folder / "about.csv", [["as_at", "2025-06-30"], ["provider", "N9001"]])
    (folder / "readme.txt").write_text("not data")
    opened = open_extracts([folder])
    assert opened.tables.as_at == dt.date(2025, 6, 30)
    assert opened.raw.files == ["N9001_episodes.csv", "N9001_modalities.csv", "N9001_tops.csv"]
    assert opened.tables.modalities["modality_start_date"].tolist() == [dt.datetime(2025, 4, 3)]
    assert opened.tables.tops[SOURCE_FILE].tolist() == ["N9001_tops.csv"]
    assert opened.tables.tops["psych_health"].tolist() == [14]
    assert opened.findings.empty


def test_same_csv_names_in_two_folders_stay_apart(tmp_path: Path) -> None:
    for name in ("north", "south"):
        (tmp_path / name).mkdir()
        write_csv(tmp_path / name / "episodes.csv", episodes_rows(1))
    opened = open_extracts([tmp_path / "north", tmp_path / "south"])
    assert opened.raw.episodes[SOURCE_FILE].tolist() == ["north/episodes.csv", "south/episodes.csv"]


def test_folder_without_episodes_is_refused(tmp_path: Path) -> None:
    write_csv(tmp_path / "tops.csv", [["provider_code", "episode_id", "top_id", "top_date", "top_stage"]])
    with pytest.raises(InputError, match="no episodes CSV") as err:
        open_extracts([tmp_path])
    assert err.value.file == tmp_path.name


def test_rows_with_extra_trailing_fields_still_read(tmp_path: Path) -> None:
    rows = episodes_rows(2)
    rows[2] = rows[2] + ["", "stray"]
    path = write_csv(tmp_path / "episodes.csv", rows)
    raw = read_extract(path).tables["episodes"]
    assert raw["episode_id"].tolist() == ["E0001", "E0002"]


def test_month_first_file_is_reported_not_swapped(tmp_path: Path) -> None:
    rows = [list(EPISODE_HEADER),
            episode_row(1, referral_date="04/25/2025"),
            episode_row(2, referral_date="03/02/2025"),
            episode_row(3, referral_date="12/31/2024")]
    us = write_csv(tmp_path / "us_episodes.csv", rows)
    uk = write_csv(tmp_path / "uk_episodes.csv", episodes_rows(2))
    opened = open_extracts([us, uk], as_at=dt.date(2025, 7, 1))
    warning = opened.findings[opened.findings["rule"] == "month-first-dates"]
    assert warning[["severity", "file", "fields"]].values.tolist() == [["warning", "us_episodes.csv",
                                                                        ("referral_date",)]]
    assert "NOT swapped" in warning["message"].iloc[0]
    bad = opened.findings[opened.findings["rule"] == "invalid-date"]
    assert bad["row"].tolist() == [2, 4] and bad["values"].tolist() == [("04/25/2025",), ("12/31/2024",)]
    assert opened.tables.episodes["referral_date"].iloc[1] == dt.datetime(2025, 2, 3)  # read day-first


def test_utf16_csv_as_excel_saves_unicode_text(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "episodes.csv", episodes_rows(1), encoding="utf-16", delimiter="\t")
    assert read_extract(path).tables["episodes"]["episode_id"].tolist() == ["E0001"]


def test_windows_1252_text_that_looks_like_utf8_somewhere_is_still_read(tmp_path: Path) -> None:
    """'\\xa0Â\\xa0' in Windows-1252 holds the bytes of a UTF-8 letter, but on a line that is not
    UTF-8: nothing is mixed, the file is Windows-1252 (found by the fuzz test)."""
    rows = [list(EPISODE_HEADER), episode_row(1, client_ref="\xa0Â\xa0CL1"), episode_row(2, client_ref="Renée")]
    path = write_csv(tmp_path / "episodes.csv", rows, encoding="cp1252")
    raw = read_extract(path).tables["episodes"]
    assert "Â\xa0CL1" in raw["client_ref"].iat[0] and raw["client_ref"].iat[1] == "Renée"
