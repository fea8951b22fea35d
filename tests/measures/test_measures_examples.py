"""Every worked example of spec/measures.md, each built by hand as typed tables."""

from __future__ import annotations

from measures_frames import D, episode, modality, tables

from rules.measures import compute
from rules.periods import parse_period


def _one(ep: dict, mods: list[dict] | None = None, *, period: str, as_at, tops=None):
    return compute(tables([ep], mods if mods is not None else [], tops, as_at=as_at), parse_period(period))


def test_triage_on_day_42_is_within_6_weeks_and_day_43_is_not():
    inside = _one(episode("E1", referral_date=D(2025, 4, 1), triage_date=D(2025, 5, 13)),
                  period="2025-26 Q1", as_at=D(2025, 7, 15)).measures["triage_within_6_weeks"]
    outside = _one(episode("E1", referral_date=D(2025, 4, 1), triage_date=D(2025, 5, 14)),
                   period="2025-26 Q1", as_at=D(2025, 7, 15)).measures["triage_within_6_weeks"]
    assert (inside.numerator, inside.denominator, inside.percent) == (1, 1, 100.0)
    assert (outside.numerator, outside.denominator, outside.percent) == (0, 1, 0.0)
    assert outside.records("denominator_only") == ["N9001/E1"]


def test_untriaged_referral_within_42_days_of_as_at_is_pending():
    m = _one(episode("E1", referral_date=D(2026, 3, 1)), period="2025-26 Q4",
             as_at=D(2026, 3, 31)).measures["triage_within_6_weeks"]
    assert (m.numerator, m.denominator, m.pending, m.percent) == (0, 0, 1, None)
    assert m.records("pending") == ["N9001/E1"]


def test_wait_of_21_days_is_within_3_weeks_and_22_is_not():
    def wait(start):
        ep = episode("E1", referral_date=D(2025, 6, 20), triage_date=D(2025, 6, 25))
        mod = modality("E1", modality_referral_date=D(2025, 7, 1), modality_start_date=start)
        return _one(ep, [mod], period="2025-26 Q2", as_at=D(2025, 10, 15)).measures["waiting_within_3_weeks"]

    assert (wait(D(2025, 7, 22)).numerator, wait(D(2025, 7, 22)).denominator) == (1, 1)
    assert (wait(D(2025, 7, 23)).numerator, wait(D(2025, 7, 23)).denominator) == (0, 1)


def test_discharge_on_day_84_is_retained_and_day_83_is_not():
    def retention(discharge):
        ep = episode("E1", referral_date=D(2024, 12, 20), triage_date=D(2025, 1, 1), discharge_date=discharge,
                     discharge_reason="INDO")
        mod = modality("E1", modality_referral_date=D(2025, 1, 1), modality_start_date=D(2025, 1, 5),
                       modality_end_date=discharge, modality_exit_status="B")
        # day 84 = 2025-03-26 falls in 2024-25 Q4
        return _one(ep, [mod], period="2024-25 Q4", as_at=D(2025, 6, 1)).measures["retention_12_weeks"]

    kept, lost = retention(D(2025, 3, 26)), retention(D(2025, 3, 25))
    assert (kept.numerator, kept.denominator) == (1, 1)
    assert (lost.numerator, lost.denominator) == (0, 1)


def test_open_journey_of_45_days_is_effective_treatment_pending():
    ep = episode("E1", referral_date=D(2025, 2, 20), triage_date=D(2025, 3, 1))
    mod = modality("E1", modality_referral_date=D(2025, 3, 1), modality_start_date=D(2025, 3, 3))
    m = _one(ep, [mod], period="2025-26 Q1", as_at=D(2025, 4, 15)).measures["effective_treatment"]
    assert (m.pending, m.numerator, m.denominator) == (1, 0, 0)


def _completion_then(referral):
    completed = episode("E1", referral_date=D(2025, 1, 5), triage_date=D(2025, 1, 10),
                        discharge_date=D(2025, 5, 10), discharge_reason="TCDF")
    again = episode("E2", referral_date=referral)
    mods = [modality("E1", modality_referral_date=D(2025, 1, 10), modality_start_date=D(2025, 1, 12),
                     modality_end_date=D(2025, 5, 10), modality_exit_status="A")]
    return compute(tables([completed, again], mods, as_at=D(2026, 1, 31)), parse_period("2025-26 Q1"))


def test_new_referral_within_6_months_of_a_planned_discharge_is_a_representation():
    inside = _completion_then(D(2025, 11, 9)).measures["representations"]
    outside = _completion_then(D(2025, 11, 11)).measures["representations"]
    assert (inside.numerator, inside.denominator) == (1, 1)
    assert (outside.numerator, outside.denominator) == (0, 1)
    # and the completion is successful only when the client did not re-present
    assert _completion_then(D(2025, 11, 9)).measures["successful_completions"].numerator == 0
    assert _completion_then(D(2025, 11, 11)).measures["successful_completions"].numerator == 1


def _two_providers(next_start):
    first = episode("E1", referral_date=D(2025, 3, 1), triage_date=D(2025, 3, 5), discharge_date=D(2025, 6, 1),
                    discharge_reason="TRNC")
    second = episode("E2", provider_code="N9002", client_ref="OTHER", referral_date=D(2025, 6, 10),
                     triage_date=D(2025, 6, 12))
    mods = [modality("E1", modality_referral_date=D(2025, 3, 5), modality_start_date=D(2025, 3, 10),
                     modality_end_date=D(2025, 6, 1), modality_exit_status="A"),
            {**modality("E2", modality_referral_date=D(2025, 6, 12), modality_start_date=next_start),
             "provider_code": "N9002"}]
    return compute(tables([first, second], mods, as_at=D(2025, 12, 31)), parse_period("2025-26"))


def test_next_modality_21_days_after_discharge_at_another_provider_continues_the_journey():
    one = _two_providers(D(2025, 6, 22))
    two = _two_providers(D(2025, 6, 23))
    assert one.counts["in_treatment"].value == 1 and two.counts["in_treatment"].value == 1
    # a treatment-system exit only when the journey really ended
    assert one.measures["treatment_system_exits"].denominator == 0
    assert two.measures["treatment_system_exits"].denominator == 1
    # first modality of each journey in P: the continued journey started in March, a new one in June
    assert one.measures["waiting_within_3_weeks"].denominator == 0
    assert two.measures["waiting_within_3_weeks"].denominator == 1
