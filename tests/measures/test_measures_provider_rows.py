"""Provider rows, spec/measures.md "Provider rows": one client or journey spanning two providers,
for every figure, with the expected rows worked out by hand from the spec.

The client ("AB", 01/01/1980, M, consent Y) is one person at both providers: N1 from March 2025
until the end of June, N2 from July (referred on 20 June, before N1's discharge, so one journey).

    N1/E1  referral 2025-03-10, triage 2025-03-25, care plan 2025-04-05, modality M1 referred 2025-03-25,
           2025-04-02..2025-06-30, discharged 2025-06-30 TRNC (not planned), start TOP 2025-04-02
    N2/E2  referral 2025-06-20 (CJIT), triage 2025-07-01, care plan 2025-07-10, modality M1 referred
           2025-06-25, 2025-07-01..2025-11-15, modality M2 referred 2025-08-01 never started,
           discharged 2025-11-15 TCDF (planned), review TOP 2025-09-01, exit TOP 2025-11-10

Journey: J_start 2025-03-25 (E1's triage), earliest modality start 2025-04-02 (E1), J_end 2025-11-15
(E2, planned). As at 2026-06-30, so the six months after J_end have passed.
"""

from __future__ import annotations

import pytest
from measures_frames import D, episode, modality, tables, top

from rules.findings import findings_frame
from rules.measures import compute
from rules.periods import parse_period

AS_AT = D(2026, 6, 30)
Q4_PREV, Q1, Q2, Q3 = "2024-25 Q4", "2025-26 Q1", "2025-26 Q2", "2025-26 Q3"


def _mod(provider, eid, mid, referral, start=None, end=None):
    return {**modality(eid, mid, modality_referral_date=referral, modality_start_date=start,
                       modality_end_date=end), "provider_code": provider}


def _top(provider, eid, tid, stage, date):
    return {**top(eid, tid, stage, date), "provider_code": provider}


def moved_in_july():
    eps = [episode("E1", provider_code="N1", client_ref="n1-77", referral_date=D(2025, 3, 10),
                   triage_date=D(2025, 3, 25), care_plan_date=D(2025, 4, 5), discharge_date=D(2025, 6, 30),
                   discharge_reason="TRNC"),
           episode("E2", provider_code="N2", client_ref="n2-12", referral_date=D(2025, 6, 20), referral_source="CJIT",
                   triage_date=D(2025, 7, 1), care_plan_date=D(2025, 7, 10), discharge_date=D(2025, 11, 15),
                   discharge_reason="TCDF")]
    mods = [_mod("N1", "E1", "M1", D(2025, 3, 25), D(2025, 4, 2), D(2025, 6, 30)),
            _mod("N2", "E2", "M1", D(2025, 6, 25), D(2025, 7, 1), D(2025, 11, 15)),
            _mod("N2", "E2", "M2", D(2025, 8, 1))]
    tops = [_top("N1", "E1", "T1", "S", D(2025, 4, 2)), _top("N2", "E2", "T1", "R", D(2025, 9, 1)),
            _top("N2", "E2", "T2", "E", D(2025, 11, 10))]
    return tables(eps, mods, tops, as_at=AS_AT)


def rows(data, period, mid):
    """{"": partnership, "N1": ..., "N2": ...}: a count's value, or a measure's (numerator, denominator)."""
    r = compute(data, parse_period(period), by=["provider_code"])

    def figure(part):
        if mid in part.counts:
            return part.counts[mid].value
        m = part.measures[mid]
        return (m.numerator, m.denominator)

    return {"": figure(r), **{code: figure(b) for code, b in r.by["provider_code"].items()}}


# (figure, period, partnership, N1, N2), each worked out by hand from the spec
CASES = [
    # episode units: the episode's own provider
    ("referrals", Q1, 1, 0, 1),  # E2 referred 20 June; E1 was referred in March
    ("discharges", Q1, 1, 1, 0),  # E1 discharged 30 June
    ("triage_within_6_weeks", Q1, (1, 1), (0, 0), (1, 1)),  # E2: 11 days
    ("dip_triage_within_6_weeks", Q1, (1, 1), (0, 0), (1, 1)),  # E2 is a CJIT referral
    ("care_plan_present", Q2, (1, 1), (0, 0), (1, 1)),  # only E2 in treatment in Q2; its plan 10 July
    ("planned_exits", Q1, (0, 1), (0, 1), (0, 0)),  # E1 TRNC is not planned
    ("planned_exits", Q3, (1, 1), (0, 0), (1, 1)),  # E2 TCDF
    # E1's discharge is 97 days into the journey (J_start 25 March), though not planned
    ("retention_and_care_planned_discharges", Q1, (1, 1), (1, 1), (0, 0)),
    ("top_exit", Q3, (1, 1), (0, 0), (1, 1)),  # E2's exit TOP 5 days before discharge
    # modality units: the modality's episode
    ("waiting_within_3_weeks", Q1, (1, 1), (1, 1), (0, 0)),  # the journey's first modality: E1's, 8 days
    ("waiting_over_3_weeks_at_end", Q2, 1, 0, 1),  # E2's M2, referred 1 August, not started by 30 Sept
    # client units: the providers with an episode meeting the denominator's condition in P
    ("in_contact", Q2, 1, 0, 1),  # E1 ended 30 June
    ("in_contact", Q1, 1, 1, 0),  # E2 starts (triage) on 1 July
    ("in_treatment", Q1, 1, 1, 0),  # E2's modality starts 1 July
    ("in_treatment", Q3, 1, 0, 1),
    ("new_presentations", Q1, 1, 1, 0),  # the journey's earliest modality start (2 April) is E1's
    ("new_presentations", Q2, 0, 0, 0),  # moving to N2 in July is not a new presentation
    # in treatment in Q3 only at N2; the latest journey: 235 days from J_start to J_end
    ("effective_treatment", Q3, (1, 1), (0, 0), (1, 1)),
    ("successful_completions", Q3, (1, 1), (0, 0), (1, 1)),  # ended 15 Nov planned, nothing in six months
    ("representations", Q3, (0, 1), (0, 0), (0, 1)),  # the planned discharge ending it is E2's
    # open at 30 Sept only at N2; J_start 25 March <= 30 Sept - 182 = 1 April; start TOP; review 1 Sept
    ("top_review", Q2, (1, 1), (0, 0), (1, 1)),
    # journey units: the episode holding the date that places the journey in P
    ("retention_12_weeks", Q1, (1, 1), (1, 1), (0, 0)),  # day 84 = 17 June; J_start is E1's triage
    ("treatment_system_exits", Q3, (1, 1), (0, 0), (1, 1)),  # the latest discharge is E2's, planned
    ("top_start", Q1, (1, 1), (1, 1), (0, 0)),  # earliest modality start 2 April (E1), start TOP that day
]


@pytest.mark.parametrize(("mid", "period", "total", "n1", "n2"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_a_journey_across_two_providers_counts_under_the_provider_that_did_the_work(mid, period, total, n1, n2):
    assert rows(moved_in_july(), period, mid) == {"": total, "N1": n1, "N2": n2}


def test_the_case_of_the_issue_first_provider_shows_nothing_it_did_not_see():
    """Issue 18: for October-December N1's row read "in treatment 0" but "effective treatment 1 of 1"."""
    r = compute(moved_in_july(), parse_period(Q3), by=["provider_code"])
    n1 = r.by["provider_code"]["N1"]
    assert n1.counts["in_treatment"].value == 0
    for mid in ("effective_treatment", "successful_completions", "representations", "treatment_system_exits"):
        assert (n1.measures[mid].numerator, n1.measures[mid].denominator) == (0, 0), mid


def test_a_provider_row_shows_that_providers_own_record():
    r = compute(moved_in_july(), parse_period(Q1), by=["provider_code"])
    n1 = r.by["provider_code"]["N1"]
    assert n1.measures["retention_12_weeks"].records("numerator") == ["N1/E1"]
    assert r.measures["successful_completions"].records("denominator_only") == ["N2/E2"]  # the journey's last
    assert n1.measures["successful_completions"].records("denominator_only") == ["N1/E1"]


def completed_twice():
    """One client completes twice in Q1 2025-26: at N1 (J1, ended 20 April, TCDF), then referred to N2
    on 10 May (so J1 was followed by a re-presentation), whose modality starts 12 May, 22 days after
    J1 ended (a new journey J2), discharged 25 June TCDF, with nothing after."""
    eps = [episode("E1", provider_code="N1", referral_date=D(2025, 1, 2), triage_date=D(2025, 1, 5),
                   discharge_date=D(2025, 4, 20), discharge_reason="TCDF"),
           episode("E2", provider_code="N2", referral_date=D(2025, 5, 10), triage_date=D(2025, 5, 12),
                   discharge_date=D(2025, 6, 25), discharge_reason="TCDF")]
    mods = [_mod("N1", "E1", "M1", D(2025, 1, 5), D(2025, 1, 10), D(2025, 4, 20)),
            _mod("N2", "E2", "M1", D(2025, 5, 12), D(2025, 5, 12), D(2025, 6, 20))]
    return tables(eps, mods, as_at=AS_AT)


def test_representation_after_an_earlier_completion_counts_though_a_later_one_followed():
    # the client counts once, in the numerator: J1 was followed by a referral within six months;
    # under each provider whose planned discharge ended a journey in Q1
    assert rows(completed_twice(), Q1, "representations") == {"": (1, 1), "N1": (1, 1), "N2": (1, 1)}
    # successful completions judge the latest completion (J2: nothing followed), under both
    # providers, since the client was in treatment at each in Q1
    assert rows(completed_twice(), Q1, "successful_completions") == {"": (1, 1), "N1": (1, 1), "N2": (1, 1)}
    # a journey ended at each provider: two exits, each under its own provider; J1 is followed
    # by a modality start 22 days later, more than 21: still an exit
    assert rows(completed_twice(), Q1, "treatment_system_exits") == {"": (2, 2), "N1": (1, 1), "N2": (1, 1)}


def test_an_excluded_record_does_not_put_its_provider_in_the_row():
    """The client is in treatment in Q1 at N1 (clean) and at N2, whose modality has an error: the
    partnership counts the client (one clean qualifying episode); N2's row does not claim them."""
    data = completed_twice()
    bad = findings_frame([{"rule": "modality-dates", "severity": "error", "category": "data-quality",
                           "provider": "N2", "file": "f", "table": "modalities", "row": 3, "record": "N2/E2",
                           "fields": ("modality_end_date",), "values": ("x",), "message": "m"}])
    r = compute(data, parse_period(Q1), by=["provider_code"], findings=bad)
    by = r.by["provider_code"]
    assert r.counts["in_treatment"].value == 1
    assert (by["N1"].counts["in_treatment"].value, by["N2"].counts["in_treatment"].value) == (1, 0)
    assert by["N2"].counts["in_treatment"].excluded == 0


def test_journey_start_tie_counts_under_the_earlier_referral():
    """Two episodes triaged the same day: the journey counts once, under the one referred first."""
    eps = [episode("E1", provider_code="N2", referral_date=D(2025, 1, 3), triage_date=D(2025, 1, 10)),
           episode("E2", provider_code="N1", referral_date=D(2025, 1, 6), triage_date=D(2025, 1, 10))]
    mods = [_mod("N2", "E1", "M1", D(2025, 1, 10), D(2025, 1, 12)), _mod("N1", "E2", "M1", D(2025, 1, 10),
                                                                         D(2025, 1, 12))]
    # day 84 from 10 January 2025 = 4 April 2025 (2025-26 Q1); still open, so retained
    assert rows(tables(eps, mods, as_at=AS_AT), Q1, "retention_12_weeks") == {"": (1, 1), "N1": (0, 0), "N2": (1, 1)}


def test_referral_before_the_move_counts_under_the_first_provider():
    assert rows(moved_in_july(), Q4_PREV, "referrals") == {"": 1, "N1": 1, "N2": 0}


def test_the_returns_provider_table_has_the_same_rows():
    """The return's "By provider" table is filled from the same breakdown (no attribution of its own)."""
    from app.returns.provider_context import provider_rows

    r = compute(moved_in_july(), parse_period(Q3), by=["provider_code"])
    table, total, _ = provider_rows(r.to_json(), r.settings, public=False, names={})
    by_code = {row["code"]: row for row in table}
    assert list(by_code) == ["N1", "N2"]
    for mid, n1, n2 in (("effective_treatment", (0, 0), (1, 1)), ("successful_completions", (0, 0), (1, 1))):
        got = [(by_code[c]["measures"][mid]["numerator"], by_code[c]["measures"][mid]["denominator"]) for c in ("N1", "N2")]
        assert got == [n1, n2], mid
    assert (by_code["N1"]["counts"]["in_treatment"], by_code["N2"]["counts"]["in_treatment"]) == (0, 1)
    assert total["counts"]["in_treatment"] == 1
