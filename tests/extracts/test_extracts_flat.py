"""The flat one-sheet form is split into episodes, modalities (M1) and TOPs (T1 start, T2 review, T3 exit)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from extract_files import write_xlsx

from app.extracts import open_extracts
from rules.columns import SOURCE_ROW, SOURCE_SHEET

HEADER = ["AGNCY", "EPISODID", "CLIENTID", "DOB", "CONSENT", "REFLD", "DRUG1", "FINITIAL", "SINITIAL",
          "MODAL", "REFMODDT", "MODST", "MODEND", "MODEXIT", "top_start_date", "top_review_date", "top_exit_date"]


def test_flat_sheet_with_national_headers_is_split(tmp_path: Path) -> None:
    rows = [["Flat return"], HEADER,
            ["N9001", "E1", "C1", "01/02/1980", "Y", "01/04/2025", "HER", "A", "B",
             "SPRX", "02/04/2025", "03/04/2025", None, None, "03/04/2025", None, None],
            ["N9001", "E2", "C2", "01/02/1981", "Y", "01/04/2025", "ALC", "A", "B",
             None, None, None, None, None, None, None, None],
            ["N9001", "E3", "C3", "01/02/1982", "N", "01/04/2025", "CRK", None, None,
             "psy", "02/04/2025", "04/04/2025", "01/06/2025", "A", "04/04/2025", "20/05/2025", "01/06/2025"]]
    path = write_xlsx(tmp_path / "flat.xlsx", {"Sheet1": rows})
    opened = open_extracts([path], as_at=dt.date(2025, 7, 1))
    assert opened.mappings[0].table == "flat"
    eps, mods, tops = opened.tables.episodes, opened.tables.modalities, opened.tables.tops
    assert eps["episode_id"].tolist() == ["E1", "E2", "E3"]
    assert "modality_type" not in opened.raw.episodes.columns
    assert mods[["episode_id", "modality_id", "modality_type"]].values.tolist() == [["E1", "M1", "SPRX"],
                                                                                    ["E3", "M1", "PSY"]]
    assert mods[SOURCE_ROW].tolist() == [3, 5]
    assert tops[["episode_id", "top_id", "top_stage"]].values.tolist() == [
        ["E1", "T1", "S"], ["E3", "T1", "S"], ["E3", "T2", "R"], ["E3", "T3", "E"]]
    assert tops["top_date"].dt.strftime("%d/%m/%Y").tolist() == ["03/04/2025", "04/04/2025", "20/05/2025",
                                                                 "01/06/2025"]
    assert tops[SOURCE_ROW].tolist() == [3, 5, 5, 5]
    assert (tops[SOURCE_SHEET] == "Sheet1").all()
    assert tops["opiate_days"].isna().all()
    assert opened.findings.empty


def test_flat_sheet_named_episodes(tmp_path: Path) -> None:
    header = ["provider_code", "episode_id", "client_ref", "dob", "consent", "referral_date", "drug1",
              "modality_type", "modality_referral_date"]
    rows = [header, ["N9001", "E1", "C1", "1980-02-01", "N", "2025-04-01", "HER", "GPRX", "2025-04-02"]]
    opened = open_extracts([write_xlsx(tmp_path / "f.xlsx", {"episodes": rows})])
    assert opened.tables.modalities["modality_type"].tolist() == ["GPRX"]
    assert opened.tables.tops is None
