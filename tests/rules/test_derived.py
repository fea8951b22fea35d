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


def test_client_codes_group_exactly_like_client_key() -> None:
    eps = episodes(
        {"first_initial": "a", "surname_initial": "b"}, {"first_initial": "A", "surname_initial": "B"},
        {"first_initial": "A", "surname_initial": "B", "sex": "F"}, {"consent": "N", "client_ref": "C1"},
        {"consent": "N", "client_ref": "C1", "provider_code": "N9002"}, {"consent": "N", "client_ref": "C1"},
        {"first_initial": None, "client_ref": "C1"},
    )
    keys = list(derived.client_key(eps))
    codes = list(derived.client_codes(eps))
    assert [[keys[j] == keys[i] for j in range(len(keys))] for i in range(len(keys))] == \
        [[codes[j] == codes[i] for j in range(len(codes))] for i in range(len(codes))]
    assert codes[0] == codes[1] != codes[2]
    assert codes[3] == codes[5] == codes[6] != codes[4]
