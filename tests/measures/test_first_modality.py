"""The first modality: one definition for the ``wait-within-3-weeks`` rule and the
``waiting_within_3_weeks`` measure (spec/measures.md, 2026-12-04): earliest modality referral,
ties earliest start, then file order; chosen per journey."""

from __future__ import annotations

import pandas as pd
import pytest
from measures_frames import D, episode, modality, tables
from test_measures_properties import PERIODS, random_partnership

from rules.engine import evaluate
from rules.measures import compute
from rules.periods import parse_period

Q2 = "2025-26 Q2"


def _rule(t):
    f = evaluate(t).findings
    return f[f["rule"] == "wait-within-3-weeks"].reset_index(drop=True)


def _waits(t, period: str = Q2):
    return compute(t, parse_period(period), as_at=t.as_at).measures["waiting_within_3_weeks"]


def test_the_earlier_referral_is_first_even_when_another_modality_starts_sooner() -> None:
    """M1 referred 01/07 and started 30/07 (29 days); M2 referred 20/07, started 25/07 (5 days).
    Before: the rule said "waited 29 days" while the measure counted M2's 5 days within target."""
    t = tables([episode("E1", referral_date=D(2025, 6, 20), triage_date=D(2025, 6, 25))],
               [modality("E1", "M2", modality_referral_date=D(2025, 7, 20), modality_start_date=D(2025, 7, 25)),
                modality("E1", "M1", modality_referral_date=D(2025, 7, 1), modality_start_date=D(2025, 7, 30))],
               as_at=D(2025, 10, 31))
    rule = _rule(t)
    assert list(rule["message"]) == ["Waited 29 days from modality referral to start (target 21)"]
    assert list(rule["row"]) == [3]  # M1, the second data row of the modalities sheet
    waits = _waits(t)
    assert (waits.numerator, waits.denominator) == (0, 1)
    assert [r.split("/")[1] for r in waits.records("denominator_only")] == ["E1"]


def test_ties_in_referral_take_the_earliest_start() -> None:
    t = tables([episode("E1", referral_date=D(2025, 6, 20), triage_date=D(2025, 6, 25))],
               [modality("E1", "M1", modality_referral_date=D(2025, 7, 1), modality_start_date=D(2025, 7, 30)),
                modality("E1", "M2", modality_referral_date=D(2025, 7, 1), modality_start_date=D(2025, 7, 10))],
               as_at=D(2025, 10, 31))
    assert len(_rule(t)) == 0
    waits = _waits(t)
    assert (waits.numerator, waits.denominator) == (1, 1)


def test_a_journey_of_two_episodes_has_one_first_modality() -> None:
    """The second episode (a transfer, same client) starts a modality late: not the journey's first."""
    t = tables([episode("E1", referral_date=D(2025, 6, 20), triage_date=D(2025, 6, 25),
                        discharge_date=D(2025, 8, 1), discharge_reason="TRNC"),
                episode("E2", referral_date=D(2025, 7, 30), triage_date=D(2025, 8, 2))],
               [modality("E1", "M1", modality_referral_date=D(2025, 7, 1), modality_start_date=D(2025, 7, 10),
                         modality_end_date=D(2025, 8, 1), modality_exit_status="A"),
                modality("E2", "M1", modality_referral_date=D(2025, 8, 2), modality_start_date=D(2025, 9, 20))],
               as_at=D(2025, 10, 31))
    assert len(_rule(t)) == 0
    waits = _waits(t)
    assert (waits.numerator, waits.denominator) == (1, 1)


def test_still_waiting_for_the_first_modality_is_judged_to_as_at() -> None:
    t = tables([episode("E1", referral_date=D(2025, 6, 20), triage_date=D(2025, 6, 25))],
               [modality("E1", "M1", modality_referral_date=D(2025, 7, 1)),
                modality("E1", "M2", modality_referral_date=D(2025, 7, 20), modality_start_date=D(2025, 7, 25))],
               as_at=D(2025, 10, 31))
    rule = _rule(t)
    assert list(rule["message"]) == ["Waiting 122 days since modality referral, not started at 2025-10-31 (target 21)"]
    assert _waits(t).denominator == 0  # not started: no wait to count in the quarter yet


@pytest.mark.parametrize("seed", range(12))
def test_rule_and_measure_never_disagree_on_a_record(seed: int) -> None:
    """On random partnerships: the records the measure counts as waiting too long in a period are
    exactly the records the rule flags with a first modality started in that period."""
    t = random_partnership(seed)
    flagged = _rule(t)
    started = flagged[flagged["message"].str.startswith("Waited")]
    start_of = pd.to_datetime([v[1] for v in started["values"]]).date if len(started) else []
    for text in PERIODS:
        period = parse_period(text)
        waits = _waits(t, text)
        in_period = {r for r, d in zip(started["record"], start_of, strict=True)
                     if period.start <= d <= period.end}
        assert set(waits.records("denominator_only")) == in_period, (seed, text)

