"""The fictional partnership looks like a real one: the rates of research/domain.md hold."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from tests.synth.conftest import AS_AT

from app.synth import Synthetic, generate
from rules.codes import SUBSTANCE_GROUP


@pytest.fixture(scope="module")
def big() -> Synthetic:
    return generate(providers=4, episodes=4000, seed=11, as_at=AS_AT)


def _dates(frame: pd.DataFrame, name: str) -> pd.Series:
    return pd.to_datetime(frame[name], format="%Y-%m-%d")


def test_providers_and_volumes(big: Synthetic) -> None:
    e = big.raw.episodes
    assert len(e) == 4000 and big.providers == ["N9001", "N9002", "N9003", "N9004"]
    shares = e["provider_code"].value_counts(normalize=True)
    assert set(shares.index) == set(big.providers) and shares.max() - shares.min() > 0.03  # uneven
    assert shares.min() > 0.08


def test_opiate_or_crack_share(big: Synthetic) -> None:
    groups = big.raw.episodes[["drug1", "drug2", "drug3"]].apply(lambda c: c.map(SUBSTANCE_GROUP))
    pdu = groups.isin(["OPIATE", "CRACK"]).any(axis=1).mean()
    assert 0.62 <= pdu <= 0.78


def test_planned_discharges(big: Synthetic) -> None:
    e = big.raw.episodes
    done = e[e["discharge_date"].notna()]
    assert 0.20 <= done["discharge_reason"].isin(["TCDF", "TCOU"]).mean() <= 0.30
    opiate = done[["drug1", "drug2", "drug3"]].apply(lambda c: c.map(SUBSTANCE_GROUP)).eq("OPIATE").any(axis=1)
    assert not (opiate & (done["discharge_reason"] == "TCOU")).any()


def test_triage_within_six_weeks_per_provider(big: Synthetic) -> None:
    e = big.raw.episodes
    ref, tri = _dates(e, "referral_date"), _dates(e, "triage_date")
    due = ref <= pd.Timestamp(AS_AT) - pd.Timedelta(days=42)
    met = (tri - ref).dt.days.le(42)
    shares = met[due].groupby(e.loc[due, "provider_code"]).mean()
    assert shares.between(0.40, 0.95).all(), shares
    assert shares.max() - shares.min() > 0.05  # providers differ


def test_ages_and_people(big: Synthetic) -> None:
    e = big.raw.episodes
    age = (_dates(e, "referral_date") - _dates(e, "dob")).dt.days / 365.25
    assert age.min() >= 18 and age.quantile(0.99) < 66
    opiate = e["drug1"].map(SUBSTANCE_GROUP) == "OPIATE"
    assert age[opiate].mean() > age[~opiate & (e["drug1"] != "ALC")].mean() + 4
    assert 0.6 <= (e["sex"] == "M").mean() <= 0.75
    assert 0.7 <= (e["ethnicity"] == "A").mean() <= 0.86
    assert e["referral_source"].nunique() == 11 and (e["referral_source"] == "SELF").mean() > 0.3
    assert 0.005 < (e["consent"] == "N").mean() < 0.06
    assert e["postcode"].dropna().str.match(r"^ZZ9\d \d[A-Z]{2}$").all()


def test_history_covers_quarters_and_last_year(big: Synthetic) -> None:
    ref = _dates(big.raw.episodes, "referral_date")
    assert ref.max() <= pd.Timestamp(AS_AT)
    assert (pd.Timestamp(AS_AT) - ref.min()).days > 800
    assert ref.dt.to_period("Q-MAR").nunique() >= 10


def test_episode_states(big: Synthetic) -> None:
    e, m = big.raw.episodes, big.raw.modalities
    open_ = e["discharge_date"].isna()
    assert 0.15 < open_.mean() < 0.45
    untriaged = e["triage_date"].isna()
    late = untriaged & (_dates(e, "referral_date") < pd.Timestamp(AS_AT) - pd.Timedelta(days=42))
    assert untriaged.sum() > 20 and late.sum() > 5
    per_episode = m.groupby(["provider_code", "episode_id"]).size()
    assert set(per_episode.unique()) == {1, 2, 3}
    assert (m.loc[m["episode_id"].isin(e.loc[e["drug1"] == "ALC", "episode_id"]), "modality_type"] == "ALC").any()
    with_mod = e.set_index(["provider_code", "episode_id"]).index.isin(per_episode.index)
    assert 0.8 < e.loc[with_mod, "care_plan_date"].notna().mean() < 0.97


def test_clients_seen_by_two_providers_link_by_client_key(big: Synthetic) -> None:
    e = big.raw.episodes
    linked = e[e["consent"] == "Y"].assign(key=e["first_initial"] + e["surname_initial"] + e["dob"] + e["sex"])
    providers = linked.groupby("key")["provider_code"].nunique()
    assert (providers > 1).sum() > 40
    transfers = linked[linked["key"].isin(providers[providers > 1].index)]
    assert (transfers["discharge_reason"] == "TRNC").any()


def test_tops(big: Synthetic) -> None:
    t, m = big.raw.tops, big.raw.modalities
    assert set(t["top_stage"]) <= {"S", "R", "E", "P"} and (t["top_stage"] == "S").sum() > 1000
    first = m[m["modality_id"] == "M1"].set_index(["provider_code", "episode_id"])["modality_start_date"]
    start = t[t["top_stage"] == "S"].set_index(["provider_code", "episode_id"])["top_date"]
    gap = (pd.to_datetime(start) - pd.to_datetime(first.reindex(start.index))).dt.days.abs()
    assert (gap <= 14).mean() > 0.8


def test_as_at_moves_everything() -> None:
    old = generate(providers=2, episodes=300, seed=1, as_at=dt.date(2023, 6, 30))
    dates = pd.concat([pd.to_datetime(old.raw.episodes[c], format="%Y-%m-%d") for c in
                       ("referral_date", "triage_date", "discharge_date", "care_plan_date")])
    assert dates.max() <= pd.Timestamp(2023, 6, 30)
