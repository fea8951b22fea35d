"""Performance rules at their thresholds (spec/rules.md, spec/measures.md worked examples)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest
from test_rules_frames import tables

from rules.engine import evaluate
from rules.settings import Settings


def found(t, rule: str, settings: Settings | None = None):
    f = evaluate(t, settings=settings).findings
    return f[f["rule"] == rule].reset_index(drop=True)


# --------------------------------------------------------------------------- triage-within-6-weeks

@pytest.mark.parametrize("triage, fails", [("2025-05-13", False), ("2025-05-14", True)])
def test_triage_within_42_days(triage: str, fails: bool) -> None:
    t = tables([{"referral_date": "2025-04-01", "triage_date": triage, "care_plan_date": None}])
    f = found(t, "triage-within-6-weeks")
    assert len(f) == int(fails)
    if fails:
        assert f["message"][0] == "Triaged 43 days after referral (target 42)"
        assert f["category"][0] == "performance" and f["severity"][0] == "warning"


@pytest.mark.parametrize("as_at, fails", [(dt.date(2025, 5, 13), False), (dt.date(2025, 5, 14), True)])
def test_untriaged_fails_once_as_at_is_past_42_days(as_at: dt.date, fails: bool) -> None:
    t = tables([{"referral_date": "2025-04-01", "triage_date": None, "care_plan_date": None}], as_at=as_at)
    f = found(t, "triage-within-6-weeks")
    assert len(f) == int(fails)
    if fails:
        assert f["message"][0] == "Not triaged 43 days after referral at 2025-05-14 (target 42)"


def test_changing_the_setting_changes_the_rule() -> None:
    t = tables([{"referral_date": "2025-04-01", "triage_date": "2025-05-14", "care_plan_date": None}])
    assert len(found(t, "triage-within-6-weeks")) == 1
    assert len(found(t, "triage-within-6-weeks", replace(Settings(), triage_target_days=43))) == 0
    f = found(t, "triage-within-6-weeks", replace(Settings(), triage_target_days=30))
    assert f["message"][0] == "Triaged 43 days after referral (target 30)"


# --------------------------------------------------------------------------- wait-within-3-weeks

@pytest.mark.parametrize("start, fails", [("2025-07-22", False), ("2025-07-23", True)])
def test_wait_within_21_days(start: str, fails: bool) -> None:
    t = tables([{"referral_date": "2025-06-20", "triage_date": "2025-06-25", "care_plan_date": None}],
               [{"modality_referral_date": "2025-07-01", "first_appt_offered_date": None, "modality_start_date": start}],
               as_at=dt.date(2025, 8, 31))
    f = found(t, "wait-within-3-weeks")
    assert len(f) == int(fails)
    if fails:
        assert f["table"][0] == "modalities"
        assert f["message"][0] == "Waited 22 days from modality referral to start (target 21)"


def test_only_the_first_modality_of_an_episode_is_judged() -> None:
    t = tables([{}], [{"modality_id": "M1"},
                      {"modality_id": "M2", "modality_referral_date": "2025-02-01",
                       "first_appt_offered_date": None, "modality_start_date": "2025-04-01"}])
    assert len(found(t, "wait-within-3-weeks")) == 0


@pytest.mark.parametrize("as_at, fails", [(dt.date(2025, 7, 22), False), (dt.date(2025, 7, 23), True)])
def test_still_waiting_counts_to_as_at(as_at: dt.date, fails: bool) -> None:
    t = tables([{"referral_date": "2025-06-20", "triage_date": "2025-06-25", "care_plan_date": None}],
               [{"modality_referral_date": "2025-07-01", "first_appt_offered_date": None,
                 "modality_start_date": None}], as_at=as_at)
    assert len(found(t, "wait-within-3-weeks")) == int(fails)


# --------------------------------------------------------------------------- retained-12-weeks

@pytest.mark.parametrize("discharge, reason, fails", [
    ("2025-03-26", "INDO", False), ("2025-03-25", "INDO", True), ("2025-03-25", "TCDF", False)])
def test_retained_84_days(discharge: str, reason: str, fails: bool) -> None:
    t = tables([{"referral_date": "2024-12-20", "triage_date": "2025-01-01", "care_plan_date": None,
                 "discharge_date": discharge, "discharge_reason": reason}])
    f = found(t, "retained-12-weeks")
    assert len(f) == int(fails)
    if fails:
        assert f["message"][0] == "Unplanned discharge (INDO) on day 83 of the journey (target 84)"


def test_retention_follows_the_journey_across_providers() -> None:
    """An early transfer is not an exit when the client's journey continues at another provider."""
    t = tables([{"referral_date": "2024-12-20", "triage_date": "2025-01-01", "care_plan_date": None,
                 "discharge_date": "2025-02-01", "discharge_reason": "TRNC"},
                {"provider_code": "N9002", "episode_id": "E2", "referral_date": "2025-02-03",
                 "triage_date": "2025-02-05", "care_plan_date": None,
                 "discharge_date": "2025-03-20", "discharge_reason": "INDO"}],
               [{"provider_code": "N9002", "episode_id": "E2", "modality_referral_date": "2025-02-05",
                 "first_appt_offered_date": None, "modality_start_date": "2025-02-22",
                 "modality_end_date": "2025-03-20", "modality_exit_status": "B"}])
    f = found(t, "retained-12-weeks")
    assert list(f["record"]) == ["N9002/E2"]
    assert "day 78" in f["message"][0]  # 2025-01-01 .. 2025-03-20
    t.modalities["modality_start_date"] = t.modalities["modality_start_date"] + pd.Timedelta(days=1)
    assert len(found(t, "retained-12-weeks")) == 2  # 22 days after the transfer: a new journey


def test_legacy_planned_reasons_count_transfers_as_planned() -> None:
    t = tables([{"triage_date": "2025-01-01", "care_plan_date": None,
                 "discharge_date": "2025-02-01", "discharge_reason": "TRNC"}])
    assert len(found(t, "retained-12-weeks")) == 1
    assert len(found(t, "retained-12-weeks", Settings().with_legacy_planned_reasons())) == 0


# --------------------------------------------------------------------------- care-plan-present

@pytest.mark.parametrize("as_at, fails", [(dt.date(2025, 1, 28), False), (dt.date(2025, 1, 29), True)])
def test_care_plan_present_after_14_days(as_at: dt.date, fails: bool) -> None:
    t = tables([{"referral_date": "2025-01-01", "triage_date": "2025-01-05", "care_plan_date": None}],
               [{"modality_referral_date": "2025-01-05", "first_appt_offered_date": None,
                 "modality_start_date": "2025-01-15"}], as_at=as_at)
    f = found(t, "care-plan-present")
    assert len(f) == int(fails)
    if fails:
        assert f["message"][0] == "No care plan date after 14 days in structured treatment (expected within 14)"


def test_care_plan_counts_to_discharge_not_as_at() -> None:
    t = tables([{"referral_date": "2025-01-01", "triage_date": "2025-01-05", "care_plan_date": None,
                 "discharge_date": "2025-01-28", "discharge_reason": "INDO"}],
               [{"modality_referral_date": "2025-01-05", "first_appt_offered_date": None,
                 "modality_start_date": "2025-01-15", "modality_end_date": "2025-01-28",
                 "modality_exit_status": "B"}])
    assert len(found(t, "care-plan-present")) == 0
    t.episodes["care_plan_date"] = t.episodes["care_plan_date"].astype("datetime64[ns]")
    assert len(found(t, "care-plan-present", replace(Settings(), care_plan_grace_days=13))) == 1


# --------------------------------------------------------------------------- top-review-due

def _review_case(as_at: dt.date, review: str | None):
    tops = [{"top_id": "T1", "top_date": "2025-01-01", "top_stage": "S"}]
    if review:
        tops.append({"top_id": "T2", "top_date": review, "top_stage": "R"})
    return tables([{"referral_date": "2024-12-20", "triage_date": "2025-01-01", "care_plan_date": None}],
                  None, tops, as_at=as_at)


@pytest.mark.parametrize("as_at, fails", [(dt.date(2025, 7, 1), False), (dt.date(2025, 7, 2), True)])
def test_top_review_due_after_182_days(as_at: dt.date, fails: bool) -> None:
    # 2025-01-01 + 182 days = 2025-07-02
    f = found(_review_case(as_at, None), "top-review-due")
    assert len(f) == int(fails)
    if fails:
        assert f["table"][0] == "episodes"
        assert f["message"][0] == "In treatment 182 days with no review TOP in the last 196 days (last review: none)"


@pytest.mark.parametrize("review, fails", [("2025-01-16", False), ("2025-01-15", True)])
def test_top_review_window_196_days(review: str, fails: bool) -> None:
    # as_at 2025-07-31 - 196 days = 2025-01-16
    f = found(_review_case(dt.date(2025, 7, 31), review), "top-review-due")
    assert len(f) == int(fails)
    if fails:
        assert "last review: 2025-01-15" in f["message"][0]


def test_top_review_not_due_without_a_start_top_or_when_discharged() -> None:
    t = tables([{"triage_date": "2025-01-01", "care_plan_date": None}], None,
               [{"top_date": "2025-01-01", "top_stage": "E"}], as_at=dt.date(2025, 12, 1))
    assert len(found(t, "top-review-due")) == 0
    t = tables([{"triage_date": "2025-01-01", "discharge_date": "2025-11-01", "discharge_reason": "TCDF"}], None,
               [{"top_date": "2025-01-01"}], as_at=dt.date(2025, 12, 1))
    assert len(found(t, "top-review-due")) == 0
