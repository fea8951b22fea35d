"""Each measure's denominator, pending, excluded and zero-denominator cases, and missing tables."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from measures_frames import D, episode, modality, tables, top

from rules.findings import findings_frame
from rules.measures import COUNT_IDS, DEFINITIONS, MEASURE_IDS, compute
from rules.periods import parse_period

AS_AT = D(2026, 1, 31)


def scenario(as_at=AS_AT, tops=True):
    """A completes a journey (Jan-May 2025, planned); B is in long open treatment; C waits."""
    eps = [
        episode("E1", client_ref="A", first_initial="A", referral_date=D(2025, 1, 10), referral_source="CJIT",
                triage_date=D(2025, 1, 15), care_plan_date=D(2025, 1, 20), discharge_date=D(2025, 5, 20),
                discharge_reason="TCDF"),
        episode("E2", client_ref="B", first_initial="B", referral_date=D(2024, 8, 20), triage_date=D(2024, 9, 1)),
        episode("E3", client_ref="C", first_initial="C", referral_date=D(2025, 2, 1), drug1="ALC"),
    ]
    mods = [
        modality("E1", modality_referral_date=D(2025, 1, 15), modality_start_date=D(2025, 1, 20),
                 modality_end_date=D(2025, 5, 20), modality_exit_status="A"),
        modality("E2", modality_referral_date=D(2024, 9, 1), modality_start_date=D(2024, 9, 5)),
        modality("E3", modality_referral_date=D(2025, 2, 1)),
    ]
    tp = [top("E1", "T1", "S", D(2025, 1, 20)), top("E1", "T2", "E", D(2025, 5, 18)),
          top("E2", "T1", "S", D(2024, 9, 5)), top("E2", "T2", "R", D(2025, 3, 20))]
    return tables(eps, mods, tp if tops else None, as_at=as_at)


Q4, Q1 = "2024-25 Q4", "2025-26 Q1"
PERIOD = {
    "referrals": Q4, "in_contact": Q4, "in_treatment": Q4, "new_presentations": Q4, "discharges": Q1,
    "waiting_over_3_weeks_at_end": Q4, "triage_within_6_weeks": Q4, "dip_triage_within_6_weeks": Q4,
    "waiting_within_3_weeks": Q4, "retention_12_weeks": Q1, "effective_treatment": Q4, "care_plan_present": Q4,
    "planned_exits": Q1, "retention_and_care_planned_discharges": Q1, "treatment_system_exits": Q1,
    "successful_completions": Q1, "representations": Q1, "top_start": Q4, "top_review": Q4, "top_exit": Q1,
}


def _result(mid, findings=None, data=None):
    r = compute(data or scenario(), parse_period(PERIOD[mid]), findings=findings)
    return r.counts[mid] if mid in COUNT_IDS else r.measures[mid]


def test_every_figure_has_a_scenario_period():
    assert set(PERIOD) == set(DEFINITIONS) == set(COUNT_IDS) | set(MEASURE_IDS)


@pytest.mark.parametrize("mid", MEASURE_IDS)
def test_measure_has_a_denominator_in_its_period(mid):
    m = _result(mid)
    assert m.available and m.denominator >= 1
    assert 0 <= m.numerator <= m.denominator
    assert m.percent is not None and 0 <= m.percent <= 100
    assert len(m.records("numerator")) + len(m.records("denominator_only")) + len(m.records("provisional")) \
        == m.denominator


def test_expected_values_of_the_scenario():
    def f(mid):
        m = _result(mid)
        return (m.value,) if mid in COUNT_IDS else (m.numerator, m.denominator)

    assert f("referrals") == (2,) and f("in_treatment") == (2,) and f("new_presentations") == (1,)
    assert f("waiting_over_3_weeks_at_end") == (1,) and f("in_contact") == (2,)
    assert f("triage_within_6_weeks") == (1, 2)  # C untriaged long past 42 days: fails
    assert f("care_plan_present") == (1, 2) and f("effective_treatment") == (2, 2)
    assert f("top_review") == (1, 1) and f("top_start") == (1, 1) and f("top_exit") == (1, 1)
    assert f("successful_completions") == (1, 2) and f("representations") == (0, 1)
    assert f("treatment_system_exits") == (1, 1) and f("retention_12_weeks") == (1, 1)


def _errors_on(mid, field, severity="error"):
    return findings_frame([{"rule": "some-rule", "severity": severity, "category": "data-quality",
                            "provider": "N9001", "file": "test.xlsx", "table": "episodes", "row": 2 + i,
                            "record": f"N9001/E{i + 1}", "fields": (field,), "values": ("x",), "message": "m"}
                           for i in range(3)])


def _own_field(mid):
    return [f for f in DEFINITIONS[mid].fields if f not in ("provider_code", "episode_id", "client_ref")][0]


@pytest.mark.parametrize("mid", COUNT_IDS + MEASURE_IDS)
def test_error_on_a_field_the_figure_depends_on_excludes_the_record(mid):
    clean = _result(mid)
    dirty = _result(mid, _errors_on(mid, _own_field(mid)))
    before = clean.value if mid in COUNT_IDS else clean.denominator + clean.pending
    assert before >= 1
    assert dirty.excluded == before  # every in-scope unit is now excluded
    if mid in MEASURE_IDS:
        assert (dirty.numerator, dirty.denominator, dirty.percent, dirty.met) == (0, 0, None, None)
    else:
        assert dirty.value == 0
    assert set(dirty.excluded_by().values()) == {"some-rule"}
    assert len(dirty.records("excluded")) == before


@pytest.mark.parametrize("mid", ["triage_within_6_weeks", "planned_exits", "in_treatment", "effective_treatment"])
def test_warnings_and_errors_on_other_fields_exclude_nothing(mid):
    clean = _result(mid)
    for findings in (_errors_on(mid, _own_field(mid), "warning"), _errors_on(mid, "postcode")):
        other = _result(mid, findings)
        assert other.excluded == 0
        assert other.to_json() == clean.to_json()


@pytest.mark.parametrize("mid", MEASURE_IDS)
def test_zero_denominator_gives_no_percent(mid):
    r = compute(scenario(), parse_period("2019-20 Q1"))
    m = r.measures[mid]
    assert (m.numerator, m.denominator, m.percent, m.met, m.pending) == (0, 0, None, None, 0)
    assert r.to_json()["measures"][mid]["percent"] is None


def test_missing_tables_make_measures_unavailable_never_zero():
    data = scenario(tops=False)
    r = compute(data, parse_period(Q4))
    for mid in ("top_start", "top_review", "top_exit"):
        assert not r.measures[mid].available
        assert r.to_json()["measures"][mid] == {**r.to_json()["measures"][mid], "available": False,
                                                "numerator": None, "denominator": None, "percent": None}
    assert r.measures["triage_within_6_weeks"].available
    episodes_only = dataclasses.replace(data, modalities=None)
    r = compute(episodes_only, parse_period(Q4))
    for mid, d in DEFINITIONS.items():
        figure = r.counts[mid] if mid in COUNT_IDS else r.measures[mid]
        assert figure.available == ("modalities" not in d.tables and "tops" not in d.tables), mid
    assert r.to_json()["counts"]["in_treatment"] is None
    assert r.counts["referrals"].value == 2


def test_dip_triage_pending():
    data = scenario(as_at=D(2025, 2, 10))
    data.episodes.loc[0, "triage_date"] = pd.NaT
    m = compute(data, parse_period(Q4), as_at=D(2025, 2, 10)).measures["dip_triage_within_6_weeks"]
    assert (m.pending, m.denominator) == (1, 0)


def test_retention_pending_when_day_84_is_after_as_at():
    m = compute(scenario(), parse_period(Q1), as_at=D(2025, 4, 1)).measures["retention_12_weeks"]
    assert (m.pending, m.denominator) == (1, 0)  # A's day 84 is 2025-04-09


def test_treatment_system_exit_pending_until_21_days_after_the_end():
    early = compute(scenario(), parse_period(Q1), as_at=D(2025, 6, 5)).measures["treatment_system_exits"]
    late = compute(scenario(), parse_period(Q1), as_at=D(2025, 6, 10)).measures["treatment_system_exits"]
    assert (early.pending, early.denominator) == (1, 0)
    assert (late.pending, late.denominator, late.numerator) == (0, 1, 1)


def test_recent_completion_is_provisional_and_shown_separately():
    m = compute(scenario(), parse_period(Q1), as_at=D(2025, 9, 1)).measures["successful_completions"]
    assert (m.numerator, m.provisional, m.denominator) == (0, 1, 2)  # B is still in treatment
    assert m.to_json()["provisional"] == 1
    assert m.records("provisional") == ["N9001/E1"]


def test_effective_treatment_pdu_only_setting():
    data = scenario()
    data.episodes["drug1"] = pd.array(["ALC", "HER", "ALC"], dtype="string")
    only = compute(data, parse_period(Q4)).measures["effective_treatment"]
    everyone = compute(data, parse_period(Q4),
                       settings=dataclasses.replace(compute(data, parse_period(Q4)).settings,
                                                    effective_pdu_only=False)).measures["effective_treatment"]
    assert (only.denominator, everyone.denominator) == (1, 2)


def test_targets_and_met():
    m = _result("triage_within_6_weeks")
    assert m.target == 90.0 and m.percent == 50.0 and m.met is False
    assert _result("top_start").met is True


def test_breakdowns_by_every_field_and_unknown_field():
    r = compute(scenario(), parse_period(Q4), by=["provider_code", "pdu", "substance", "sex", "ethnicity", "age_band"])
    assert set(r.by) == {"provider_code", "pdu", "substance", "sex", "ethnicity", "age_band"}
    assert set(r.by["pdu"]) == {"PDU", "non-PDU"}
    assert set(r.by["substance"]) == {"opiate", "alcohol"}
    assert set(r.by["ethnicity"]) == {"White"} and set(r.by["age_band"]) == {"35-44", "45-54"}
    assert r.by["pdu"]["non-PDU"].counts["waiting_over_3_weeks_at_end"].value == 1
    assert r.by["pdu"]["PDU"].measures["effective_treatment"].denominator == 2
    doc = r.to_json()["by"]["pdu"]["PDU"]
    assert set(doc) == {"counts", "measures"} and set(doc["measures"]) == set(MEASURE_IDS)
    with pytest.raises(ValueError, match="postcode"):
        compute(scenario(), parse_period(Q4), by=["postcode"])


def test_drill_down_groups_partition_the_units():
    m = _result("triage_within_6_weeks")
    assert m.records("numerator") == ["N9001/E1"] and m.records("denominator_only") == ["N9001/E3"]
    assert m.records("pending") == [] and m.records("excluded") == []
    with pytest.raises(ValueError, match="group"):
        m.records("nonsense")


def test_empty_tables_and_blank_dates_give_zeros_not_errors():
    empty = compute(tables([], [], [], as_at=AS_AT), parse_period(Q1), by=["provider_code", "sex"])
    assert all(v == 0 for v in empty.to_json()["counts"].values())
    assert all(m["denominator"] == 0 and m["percent"] is None for m in empty.to_json()["measures"].values())
    assert empty.by == {"provider_code": {}, "sex": {}}
    blank = compute(tables([episode("E1", dob=None)], [modality("E1")], [top("E1", "T1", "S", None)], as_at=AS_AT),
                    parse_period(Q1), by=["age_band"])
    assert blank.counts["referrals"].value == 0 and list(blank.by["age_band"]) == ["unknown"]


def test_effective_treatment_pdu_means_any_episode_of_the_latest_journey():
    """spec: PDU = any episode of the latest journey is PDU. One client: an alcohol episode (E1) and,
    referred while it was open, a heroin episode (E2) at another provider: one journey, PDU. A
    second client's latest journey is alcohol only, though an earlier journey was heroin: not PDU."""
    eps = [episode("E1", provider_code="N1", referral_date=D(2025, 1, 2), triage_date=D(2025, 1, 3), drug1="ALC"),
           episode("E2", provider_code="N2", referral_date=D(2025, 2, 1), triage_date=D(2025, 2, 2), drug1="HER"),
           episode("E3", client_ref="Z", first_initial="Z", referral_date=D(2024, 1, 2), triage_date=D(2024, 1, 3),
                   drug1="HER", discharge_date=D(2024, 3, 1), discharge_reason="TCDF"),
           episode("E4", client_ref="Z", first_initial="Z", referral_date=D(2025, 1, 2), triage_date=D(2025, 1, 3),
                   drug1="ALC")]
    mods = [{**modality(e, modality_referral_date=start, modality_start_date=start), "provider_code": p}
            for e, p, start in (("E1", "N1", D(2025, 1, 5)), ("E2", "N2", D(2025, 2, 3)),
                                ("E3", "N9001", D(2024, 1, 5)), ("E4", "N9001", D(2025, 1, 5)))]
    mods[2]["modality_end_date"] = D(2024, 3, 1)
    m = compute(tables(eps, mods, as_at=AS_AT), parse_period(Q4)).measures["effective_treatment"]
    assert m.denominator + m.pending == 1  # only the first client: their journey has a PDU episode
