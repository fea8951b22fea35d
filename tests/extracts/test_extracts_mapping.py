"""Header and code mapping, guesses, and saved profiles reused next quarter."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from extract_files import EPISODE_HEADER, episode_row, write_csv, write_xlsx

from app.errors import InputError
from app.extracts import MappingProfile, open_extracts, read_extract
from app.extracts.mapping import NATIONAL, map_headers


def test_every_national_name_maps_to_its_canonical_column() -> None:
    for national, canonical in NATIONAL.items():
        result, positions = map_headers([national], file="f", sheet=None, header_row=1,
                                        table=_table_of(canonical))
        assert positions == {0: canonical}, national
        assert result.guessed == {}


def _table_of(column: str) -> str:
    if column.startswith("modality") or column.startswith("first_appt"):
        return "modalities"
    if column.startswith("top"):
        return "tops"
    return "episodes"


@pytest.mark.parametrize("header", ["Referral Date", "Date of Referral", "referral_dt", "REFLD",
                                    "REFERRAL DATE", " referral  date "])
def test_referral_date_aliases(header: str) -> None:
    _, positions = map_headers([header], file="f", sheet=None, header_row=1, table="episodes")
    assert positions == {0: "referral_date"}


def test_similar_names_are_proposed_and_flagged() -> None:
    result, positions = map_headers(["Episode ID", "Referal Date", "Triaage date", "Colour"], file="f.csv",
                                    sheet=None, header_row=1, table="episodes")
    assert result.guessed == {"Referal Date": "referral_date", "Triaage date": "triage_date"}
    assert result.how["Episode ID"] == "canonical"
    assert result.unmapped == ["Colour"]
    assert result.needs_confirmation
    assert positions[1] == "referral_date"


def _guessy_file(tmp_path: Path) -> Path:
    header = ["provider_code", "episode_id", "client_ref", "dob", "consent", "Referal Date", "drug1"]
    return write_csv(tmp_path / "guessy.csv", [header, ["N9001", "E1", "C1", "1980-01-01", "Y", "02/04/2025", "HER"]])


def test_headless_import_uses_guesses_when_required_columns_are_mapped(tmp_path: Path) -> None:
    opened = open_extracts([_guessy_file(tmp_path)])
    assert opened.mappings[0].guessed == {"Referal Date": "referral_date"}
    assert opened.tables.episodes["referral_date"].tolist() == [dt.datetime(2025, 4, 2)]


def test_unconfirmed_guess_for_a_required_column_is_refused_with_file_and_column(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        open_extracts([_guessy_file(tmp_path)], confirm_guesses=False)
    assert str(err.value) == ("guessy.csv, row 1: required column(s) not found in the header: referral_date "
                              "(is it 'Referal Date'?); map them in a mapping profile")
    assert (err.value.file, err.value.column) == ("guessy.csv", None)


def test_missing_required_column_names_file_sheet_and_column(tmp_path: Path) -> None:
    rows = [[c for c in EPISODE_HEADER if c != "drug1"], [v for c, v in zip(EPISODE_HEADER, episode_row(1),
                                                                             strict=True) if c != "drug1"]]
    path = write_xlsx(tmp_path / "nodrug.xlsx", {"Episodes": rows})
    assert read_extract(path).mappings[0].missing_required == ["drug1"]  # reading alone does not refuse
    with pytest.raises(InputError) as err:
        open_extracts([path])
    assert err.value.sheet == "Episodes" and "drug1" in str(err.value)
    assert str(err.value).startswith("nodrug.xlsx, sheet 'Episodes', row 1:")


def test_code_labels_map_automatically_and_unknown_values_become_findings(tmp_path: Path) -> None:
    rows = [list(EPISODE_HEADER),
            episode_row(1, sex="Female", discharge_date="2025-05-01",
                        discharge_reason="Treatment completed - drug free"),
            episode_row(2, sex="m", discharge_date="2025-05-01", discharge_reason="  treatment COMPLETED – drug free"),
            episode_row(3, discharge_date="2025-05-01", discharge_reason="80")]
    path = write_xlsx(tmp_path / "labels.xlsx", {"episodes": rows})
    opened = open_extracts([path], as_at=dt.date(2025, 7, 1))
    assert opened.tables.episodes["discharge_reason"].tolist()[:2] == ["TCDF", "TCDF"]
    assert opened.tables.episodes["sex"].tolist() == ["F", "M", "M"]
    mapping = opened.mappings[0]
    assert mapping.codes["discharge_reason"]["Treatment completed - drug free"] == "TCDF"
    assert mapping.unknown_codes == {"discharge_reason": ["80"]}
    finding = opened.findings.iloc[0]
    assert (finding["rule"], finding["row"], finding["values"]) == ("invalid-code", 4, ("80",))


def test_profile_maps_headers_and_codes_and_survives_save_and_load(tmp_path: Path) -> None:
    header = ["Prov", "Ep", "Client", "Born", "Agreed", "Ref", "Main substance", "Left", "Why left"]
    rows = [header, ["N9001", "E1", "C1", "15/01/1980", "1", "02/04/2025", "1", "01/05/2025", "80"]]
    path = write_csv(tmp_path / "q1_episodes.csv", rows)
    with pytest.raises(InputError):
        open_extracts([path])
    profile = MappingProfile("Acme", headers={"prov": "provider_code", "EP": "episode_id", "client": "client_ref",
                                              "born": "dob", "agreed": "consent", "ref": "referral_date",
                                              "main substance": "drug1", "left": "discharge_date",
                                              "why left": "discharge_reason"},
                             codes={"substance": {"1": "HER"}, "discharge_reason": {"80": "TCDF"},
                                    "consent": {"1": "Y"}})
    saved = tmp_path / "acme.json"
    profile.save(saved)
    assert json.loads(saved.read_text())["codes"]["substance"] == {"1": "HER"}
    loaded = MappingProfile.load(saved)
    assert loaded == profile
    assert MappingProfile.from_json(json.loads(json.dumps(profile.to_json()))) == profile
    # next quarter: a new file in the same layout opens with the saved profile
    path2 = write_csv(tmp_path / "q2_episodes.csv", [header, ["N9001", "E2", "C2", "15/01/1980", "1", "02/07/2025",
                                                               "1", None, None]])
    opened = open_extracts([path, path2], profile=loaded, as_at=dt.date(2025, 9, 30))
    typed = opened.tables.episodes
    assert typed["drug1"].tolist() == ["HER", "HER"]
    assert typed["discharge_reason"].tolist()[0] == "TCDF"
    assert typed["consent"].tolist() == ["Y", "Y"]
    assert set(opened.mappings[0].how.values()) == {"profile"}
    assert opened.findings.empty


def test_profile_can_ignore_a_column(tmp_path: Path) -> None:
    rows = [list(EPISODE_HEADER) + ["episode"], episode_row(1) + ["junk"]]
    path = write_csv(tmp_path / "episodes.csv", rows)
    profile = MappingProfile("p", headers={"episode": ""})
    extract = read_extract(path, profile=profile)
    assert extract.tables["episodes"]["episode_id"].tolist() == ["E0001"]


def test_damaged_profile_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(InputError) as err:
        MappingProfile.load(bad)
    assert err.value.file == "bad.json"


def test_profile_from_confirmed_mappings_opens_next_quarter_without_questions(tmp_path: Path) -> None:
    path = _guessy_file(tmp_path)
    extract = read_extract(path)
    mapping = extract.mappings[0]
    assert mapping.guessed == {"Referal Date": "referral_date"}
    mapping.guessed.clear()  # the person confirmed the proposal
    profile = MappingProfile.from_mappings("Guessy", extract.mappings)
    assert profile.headers == {"Referal Date": "referral_date"}
    profile.save(tmp_path / "guessy.json")
    opened = open_extracts([path], profile=MappingProfile.load(tmp_path / "guessy.json"), confirm_guesses=False)
    assert opened.mappings[0].how["Referal Date"] == "profile"
    assert opened.mappings[0].needs_confirmation is False


def test_cancel_stops_opening(tmp_path: Path) -> None:
    from rules.progress import Cancelled

    class Cancel:
        def __init__(self) -> None:
            self.seen: list[float] = []

        def report(self, fraction: float, text: str = "") -> None:
            self.seen.append(fraction)

        def cancelled(self) -> bool:
            return True

    with pytest.raises(Cancelled):
        open_extracts([_guessy_file(tmp_path)], progress=Cancel())


def test_misspelt_headers_still_find_the_header_row_and_are_proposed(tmp_path: Path) -> None:
    header = ["Provdier Code", "Episod ID", "Clinet Ref", "Date of Brith", "Consnet", "Referal Date", "Drug 1"]
    path = write_csv(tmp_path / "typos.csv", [["Our extract"], header,
                                              ["N9001", "E1", "C1", "01/01/1980", "Y", "02/04/2025", "HER"]])
    extract = read_extract(path)
    mapping = extract.mappings[0]
    assert mapping.header_row == 2
    assert mapping.how["Episod ID"] == "national"  # EPISODID, spaced
    assert mapping.guessed == {"Provdier Code": "provider_code", "Clinet Ref": "client_ref",
                               "Date of Brith": "dob", "Consnet": "consent", "Referal Date": "referral_date"}
    assert extract.tables["episodes"]["episode_id"].tolist() == ["E1"]
