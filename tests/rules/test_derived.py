"""Derived values: client_key, pdu, opiate_client, alcohol_only, age_at_referral, age_band, journeys."""

from __future__ import annotations

import pandas as pd
from test_rules_frames import episodes, modalities

from rules import derived


def test_client_key_links_consenting_clients_and_keeps_others_local() -> None:
    eps = episodes(
        {"first_initial": "a", "surname_initial": "b", "dob": "1980-05-01", "sex": "M"},
        {"consent": "N", "client_ref": "C9"},
        {"first_initial": None},
    )
    keys = derived.client_key(eps)
    assert keys[0] == "AB01051980M"
    assert keys[1] == "|N9001|C9"
    assert keys[2] == "|N9001|C1"


def test_substance_flags() -> None:
    eps = episodes(
        {"drug1": "HER"}, {"drug1": "COC", "drug2": "CRK"}, {"drug1": "ALC"},
        {"drug1": "ALC", "drug2": "CAN"}, {"drug1": "CAN"},
    )
    assert list(derived.pdu(eps)) == [True, True, False, False, False]
    assert list(derived.opiate_client(eps)) == [True, False, False, False, False]
    assert list(derived.alcohol_only(eps)) == [False, False, True, False, False]


def test_age_at_referral_counts_whole_years_at_the_birthday() -> None:
    eps = episodes(
        {"dob": "2007-01-01", "referral_date": "2025-01-01"},
        {"dob": "2007-01-02", "referral_date": "2025-01-01"},
        {"dob": "2004-02-29", "referral_date": "2025-02-28"},
        {"dob": None},
    )
    ages = derived.age_at_referral(eps)
    assert list(ages[:3]) == [18, 17, 20]
    assert ages.isna()[3]
    bands = derived.age_band(pd.Series([17, 18, 24, 25, 54, 55, None], dtype="Int64"))
    assert list(bands[:6]) == ["under 18", "18-24", "18-24", "25-34", "45-54", "55+"]
    assert bands.isna()[6]


def test_episode_start_falls_back_to_first_modality() -> None:
    eps = episodes({"episode_id": "E1", "triage_date": None}, {"episode_id": "E2", "triage_date": "2025-01-05"})
    mods = modalities(
        {"episode_id": "E1", "modality_id": "M1", "modality_start_date": "2025-02-01"},
        {"episode_id": "E1", "modality_id": "M2", "modality_start_date": "2025-01-20"},
    )
    start = derived.episode_start(eps, mods)
    assert start[0] == pd.Timestamp("2025-01-20")
    assert start[1] == pd.Timestamp("2025-01-05")


def test_journeys_link_overlapping_and_close_episodes() -> None:
    eps = episodes(
        {"episode_id": "E1", "referral_date": "2024-01-01", "triage_date": "2024-01-05",
         "discharge_date": "2024-03-01", "discharge_reason": "TRNC"},
        {"episode_id": "E2", "provider_code": "N9002", "referral_date": "2024-03-10",
         "triage_date": "2024-03-15", "discharge_date": "2024-06-01", "discharge_reason": "TCDF"},
        {"episode_id": "E3", "referral_date": "2025-01-01", "triage_date": "2025-01-02"},
        {"episode_id": "E4", "first_initial": "Z", "referral_date": "2024-01-01"},
    )
    mods = modalities(
        {"provider_code": "N9002", "episode_id": "E2", "modality_start_date": "2024-03-20"},
    )
    j = derived.journeys(eps, mods, gap_days=21)
    assert j["journey"][0] == j["journey"][1] != j["journey"][2]
    assert j["journey"][3] not in set(j["journey"][:3])
    assert j["j_start"][1] == pd.Timestamp("2024-01-05")
    assert j["j_end"][0] == pd.Timestamp("2024-06-01")
    assert list(j["j_last"]) == [False, True, True, True]
    assert pd.isna(j["j_end"][2])


def test_journey_start_skips_a_first_episode_that_never_started() -> None:
    eps = episodes(
        {"episode_id": "E1", "referral_date": "2024-01-01", "triage_date": None,
         "discharge_date": "2024-02-15", "discharge_reason": "INDC"},
        {"episode_id": "E2", "referral_date": "2024-02-01", "triage_date": "2024-02-10"},
    )
    j = derived.journeys(eps, None)
    assert j["journey"][0] == j["journey"][1]
    assert list(j["j_start"]) == [pd.Timestamp("2024-02-10")] * 2
    assert j["j_end"].isna().all()


def test_journeys_of_no_episodes() -> None:
    eps = episodes({}).iloc[:0]
    j = derived.journeys(eps, None)
    assert len(j) == 0 and list(j.columns) == ["journey", "j_start", "j_end", "j_last"]
