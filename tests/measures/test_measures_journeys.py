"""Journeys: linking across providers by client key, the 21-day gap, overlaps, consent N, open ends."""

from __future__ import annotations

import pandas as pd
from measures_frames import D, episode, modality, typed

from rules import journeys


def _link(eps, mods, gap=21):
    e, m = typed("episodes", eps), typed("modalities", mods)
    frame = journeys.episode_frame(e, m)
    ids = journeys.link(frame, gap_days=gap)
    planned = e["discharge_reason"].isin(["TCDF", "TCOU"]).fillna(False)
    return ids, journeys.journey_table(frame, ids, start=frame["e_start"], planned=planned)


def _mod(eid, start, provider="N9001", end=None):
    return {**modality(eid, modality_referral_date=start, modality_start_date=start, modality_end_date=end),
            "provider_code": provider}


def test_gap_rule_and_overlap():
    eps = [episode("E1", referral_date=D(2025, 1, 1), triage_date=D(2025, 1, 2), discharge_date=D(2025, 3, 1),
                   discharge_reason="TRNC"),
           episode("E2", provider_code="N2", client_ref="x", referral_date=D(2025, 3, 10), triage_date=D(2025, 3, 12),
                   discharge_date=D(2025, 6, 1), discharge_reason="TCDF"),
           # referred while E2 was open: overlaps, same journey whatever its modality date
           episode("E3", referral_date=D(2025, 5, 1), triage_date=D(2025, 5, 2), discharge_date=D(2025, 5, 20),
                   discharge_reason="INDO"),
           # first modality 22 days after the latest discharge: a new journey
           episode("E4", referral_date=D(2025, 6, 10), triage_date=D(2025, 6, 11))]
    mods = [_mod("E1", D(2025, 1, 3), end=D(2025, 3, 1)), _mod("E2", D(2025, 3, 22), "N2", D(2025, 6, 1)),
            _mod("E4", D(2025, 6, 23))]
    ids, table = _link(eps, mods)
    assert ids.tolist() == [0, 0, 0, 1]
    first = table.loc[0]
    assert first["j_start"] == pd.Timestamp("2025-01-02")
    assert first["j_end"] == pd.Timestamp("2025-06-01")
    assert first["last_planned"]  # the episode with the latest discharge (E2, TCDF) ends the journey
    assert pd.isna(table.loc[1, "j_end"]) and not table.loc[1, "last_planned"]  # open
    ids, _ = _link(eps, mods, gap=22)
    assert ids.tolist() == [0, 0, 0, 0]


def test_referral_only_episodes_have_no_journey_and_consent_n_links_within_provider_only():
    eps = [episode("E1", referral_date=D(2025, 1, 1), triage_date=D(2025, 1, 2)),
           episode("E2", referral_date=D(2025, 2, 1)),  # never triaged, no modality
           episode("E3", provider_code="N2", consent="N", referral_date=D(2025, 1, 5), triage_date=D(2025, 1, 6)),
           episode("E4", provider_code="N2", consent="N", referral_date=D(2025, 1, 7), triage_date=D(2025, 1, 8))]
    ids, table = _link(eps, [])
    assert ids.isna().tolist() == [False, True, False, False]
    assert ids[2] == ids[3] != ids[0]  # E3, E4: one client by provider + client_ref, not linked to E1
    assert table["episodes"].tolist() == [1, 2]


def test_j_start_is_the_earliest_e_start_not_the_first_referrals():
    """spec: J_start = the earliest E_start among the journey's episodes. E1 is referred first but
    triaged late (1 March); E2, referred while E1 was open, starts a modality on 10 February."""
    eps = [episode("E1", referral_date=D(2025, 1, 5), triage_date=D(2025, 3, 1)),
           episode("E2", provider_code="N2", client_ref="x", referral_date=D(2025, 2, 1))]
    ids, table = _link(eps, [_mod("E2", D(2025, 2, 10), "N2")])
    assert ids.tolist() == [0, 0]
    assert table.loc[0, "j_start"] == pd.Timestamp("2025-02-10")  # E2's E_start (no triage: its modality)
    assert table.loc[0, "first_pos"] == 0 and table.loc[0, "start_pos"] == 1


def test_a_referral_only_episode_neither_joins_nor_splits_a_journey():
    """Referral-only episodes belong to no journey, so one between two treated episodes changes nothing:
    E1 discharged 1 March; E2 referred 5 March, never triaged, no modality; E3's modality starts
    25 March, 24 days after E1's discharge: a new journey (E2's open end does not bridge the gap)."""
    eps = [episode("E1", referral_date=D(2025, 1, 1), triage_date=D(2025, 1, 2), discharge_date=D(2025, 3, 1),
                   discharge_reason="TCDF"),
           episode("E2", referral_date=D(2025, 3, 5)),
           episode("E3", referral_date=D(2025, 3, 20))]
    ids, _ = _link(eps, [_mod("E1", D(2025, 1, 3), end=D(2025, 3, 1)), _mod("E3", D(2025, 3, 25))])
    assert ids.isna().tolist() == [False, True, False]
    assert ids[0] != ids[2]
