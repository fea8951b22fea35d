"""Each data-quality rule of the default catalogue: a passing and a failing case, at the boundary."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from test_rules_frames import tables

from rules.engine import evaluate


def found(t, rule: str) -> pd.DataFrame:
    """The findings of one rule."""
    f = evaluate(t).findings
    return f[f["rule"] == rule].reset_index(drop=True)


def rows(t, rule: str) -> list[tuple[str, int]]:
    f = found(t, rule)
    return list(zip(f["table"], f["row"].astype(int), strict=True))


# --------------------------------------------------------------------------- required-fields

def test_required_fields_one_finding_per_row_naming_every_missing_field() -> None:
    t = tables([{}, {"episode_id": "E2", "dob": None, "drug1": None, "first_initial": None}],
               [{}, {"modality_id": "M2", "modality_type": None}], [{}, {"top_id": "T2", "top_stage": None}])
    f = found(t, "required-fields")
    assert list(zip(f["table"], f["row"].astype(int), strict=True)) == [("episodes", 3), ("modalities", 3), ("tops", 3)]
    assert f["fields"][0] == ("dob", "drug1", "first_initial")
    assert f["severity"][0] == "error"
    assert "Missing dob, drug1" in f["message"][0]
    assert f["record"][0] == "N9001/E2"


def test_initials_required_only_with_consent() -> None:
    t = tables([{"consent": "N", "first_initial": None, "surname_initial": None},
                {"episode_id": "E2", "consent": "Y", "surname_initial": None}])
    assert rows(t, "required-fields") == [("episodes", 3)]


# --------------------------------------------------------------------------- dob-plausible

@pytest.mark.parametrize("dob, fails", [
    ("1903-01-01", False), ("1902-12-31", True), ("2025-01-01", False), ("2025-01-02", True)])
def test_dob_plausible_bounds(dob: str, fails: bool) -> None:
    t = tables([{"dob": dob, "referral_date": "2025-01-01"}])
    f = found(t, "dob-plausible")
    assert len(f) == int(fails)
    if fails:
        assert f["fields"][0] == ("dob",) and f["values"][0] == (dob,)
        assert f["message"][0] in (f"Date of birth {dob} is before 1903-01-01",
                                   f"Date of birth {dob} is after referral date 2025-01-01")


# --------------------------------------------------------------------------- adult-at-referral

@pytest.mark.parametrize("dob, fails", [("2007-01-01", False), ("2007-01-02", True)])
def test_adult_at_referral_on_the_18th_birthday(dob: str, fails: bool) -> None:
    t = tables([{"dob": dob, "referral_date": "2025-01-01", "triage_date": "2025-01-02"}])
    f = found(t, "adult-at-referral")
    assert len(f) == int(fails)
    if fails:
        assert f["severity"][0] == "warning" and "Aged 17" in f["message"][0]


# --------------------------------------------------------------------------- triage-not-before-referral

@pytest.mark.parametrize("triage, fails", [("2025-03-10", False), ("2025-03-09", True)])
def test_triage_not_before_referral(triage: str, fails: bool) -> None:
    t = tables([{"referral_date": "2025-03-10", "triage_date": triage, "care_plan_date": "2025-03-20"}])
    f = found(t, "triage-not-before-referral")
    assert len(f) == int(fails)
    if fails:
        assert f["message"][0] == "Triage date 2025-03-09 is before referral date 2025-03-10"
        assert f["fields"][0] == ("referral_date", "triage_date")
        assert f["values"][0] == ("2025-03-10", "2025-03-09")


# --------------------------------------------------------------------------- triage-recorded

def test_triage_recorded_when_a_modality_or_discharge_exists() -> None:
    t = tables([
        {"episode_id": "E1", "triage_date": None, "care_plan_date": None},  # modality below: fails
        {"episode_id": "E2", "triage_date": None, "care_plan_date": None,
         "discharge_date": "2025-02-01", "discharge_reason": "INDC"},  # discharged: fails
        {"episode_id": "E3", "triage_date": None, "care_plan_date": None, "referral_date": "2025-07-01"},
        {"episode_id": "E4"},
    ], [{"episode_id": "E1", "modality_referral_date": "2025-01-02", "first_appt_offered_date": None,
         "modality_start_date": None}])
    f = found(t, "triage-recorded")
    assert list(f["row"]) == [2, 3]
    assert "has a modality" in f["message"][0] and "was discharged" in f["message"][1]


# --------------------------------------------------------------------------- discharge-not-before-start

@pytest.mark.parametrize("triage, discharge, fails", [
    ("2025-03-10", "2025-03-10", False), ("2025-03-10", "2025-03-09", True),
    (None, "2025-03-01", False), (None, "2025-02-28", True)])
def test_discharge_not_before_triage_or_referral(triage, discharge, fails) -> None:
    t = tables([{"referral_date": "2025-03-01", "triage_date": triage, "care_plan_date": None,
                 "discharge_date": discharge, "discharge_reason": "INDO"}])
    f = found(t, "discharge-not-before-start")
    assert len(f) == int(fails)
    if fails and triage:
        assert f["message"][0] == "Discharge date 2025-03-09 is before triage date 2025-03-10"
    if fails and not triage:
        assert f["fields"][0] == ("referral_date", "discharge_date")


# --------------------------------------------------------------------------- discharge-date-and-reason

@pytest.mark.parametrize("date, reason, fails", [
    (None, None, False), ("2025-05-01", "TCDF", False), ("2025-05-01", None, True), (None, "TCDF", True)])
def test_discharge_date_and_reason_together(date, reason, fails) -> None:
    t = tables([{"discharge_date": date, "discharge_reason": reason}])
    f = found(t, "discharge-date-and-reason")
    assert len(f) == int(fails)
    if fails:
        assert f["fields"][0] == ("discharge_date", "discharge_reason")


# --------------------------------------------------------------------------- modality rules

@pytest.mark.parametrize("change, fails", [
    ({}, False),
    ({"first_appt_offered_date": "2025-01-09"}, True),
    ({"modality_start_date": "2025-01-11"}, True),
    ({"first_appt_offered_date": None, "modality_start_date": "2025-01-09"}, True),
    ({"modality_end_date": "2025-01-15", "modality_exit_status": "A"}, False),
    ({"modality_end_date": "2025-01-14", "modality_exit_status": "A"}, True),
])
def test_modality_dates_in_order(change, fails) -> None:
    t = tables([{}], [{"modality_referral_date": "2025-01-10", "first_appt_offered_date": "2025-01-12",
                       "modality_start_date": "2025-01-15", **change}])
    assert rows(t, "modality-dates-in-order") == ([("modalities", 2)] if fails else [])


def test_several_broken_checks_of_one_rule_are_one_finding() -> None:
    t = tables([{}], [{"modality_referral_date": "2025-01-10", "first_appt_offered_date": "2025-01-12",
                       "modality_start_date": "2025-01-08"}])
    f = found(t, "modality-dates-in-order")
    assert len(f) == 1
    assert f["fields"][0] == ("first_appt_offered_date", "modality_start_date", "modality_referral_date")


@pytest.mark.parametrize("mod, ep, fails", [
    ({"modality_referral_date": "2025-01-01", "first_appt_offered_date": None, "modality_start_date": None}, {}, False),
    ({"modality_referral_date": "2024-12-31", "first_appt_offered_date": None, "modality_start_date": None}, {}, True),
    ({"modality_end_date": "2025-03-01", "modality_exit_status": "A"},
     {"discharge_date": "2025-03-01", "discharge_reason": "TCDF"}, False),
    ({"modality_end_date": "2025-03-02", "modality_exit_status": "A"},
     {"discharge_date": "2025-03-01", "discharge_reason": "TCDF"}, True),
    ({}, {"discharge_date": "2025-03-01", "discharge_reason": "TCDF"}, True),  # open modality
])
def test_modality_within_episode(mod, ep, fails) -> None:
    t = tables([{"referral_date": "2025-01-01", "triage_date": "2025-01-05", "care_plan_date": None, **ep}],
               [{"modality_referral_date": "2025-01-05", **mod}])
    f = found(t, "modality-within-episode")
    assert len(f) == int(fails)
    if fails:
        assert f["table"][0] == "modalities"


def test_modality_exit_with_end() -> None:
    t = tables([{}], [{"modality_id": "M1", "modality_end_date": "2025-02-01"},
                      {"modality_id": "M2", "modality_exit_status": "A"},
                      {"modality_id": "M3", "modality_end_date": "2025-02-01", "modality_exit_status": "B"}])
    f = found(t, "modality-exit-with-end")
    assert list(f["row"]) == [2, 3]
    assert f["message"][0] == "Modality end date given without modality exit status"


# --------------------------------------------------------------------------- care-plan-within-episode

@pytest.mark.parametrize("care_plan, fails", [
    ("2025-01-10", False), ("2025-01-09", True), ("2025-03-01", False), ("2025-03-02", True)])
def test_care_plan_within_episode(care_plan, fails) -> None:
    t = tables([{"triage_date": "2025-01-10", "care_plan_date": care_plan,
                 "discharge_date": "2025-03-01", "discharge_reason": "TCDF"}])
    assert len(found(t, "care-plan-within-episode")) == int(fails)


# --------------------------------------------------------------------------- top-within-episode

@pytest.mark.parametrize("top_date, fails", [
    ("2025-01-10", False), ("2025-01-09", True), ("2025-09-01", False), ("2025-09-02", True)])
def test_top_dated_within_the_episode(top_date, fails) -> None:
    # discharge 2025-03-02 + 183 days = 2025-09-01
    t = tables([{"triage_date": "2025-01-10", "discharge_date": "2025-03-02", "discharge_reason": "TCDF"}],
               None, [{"top_date": top_date, "top_stage": "P"}], as_at=dt.date(2025, 12, 31))
    f = found(t, "top-within-episode")
    assert len(f) == int(fails)
    if fails:
        assert f["table"][0] == "tops" and f["fields"][0] == ("top_date",)


def test_top_before_referral_when_untriaged() -> None:
    t = tables([{"triage_date": None, "care_plan_date": None}], None,
               [{"top_id": "T1", "top_date": "2024-12-31"}, {"top_id": "T2", "top_date": "2025-01-01", "top_stage": "R"}])
    assert rows(t, "top-within-episode") == [("tops", 2)]


def test_second_start_top_is_reported_not_the_earliest() -> None:
    t = tables([{}], None, [
        {"top_id": "T1", "top_date": "2025-02-01"}, {"top_id": "T2", "top_date": "2025-01-15"},
        {"top_id": "T3", "top_date": "2025-03-01", "top_stage": "R"}, {"top_id": "T4", "top_date": "2025-02-01"}])
    assert rows(t, "top-within-episode") == [("tops", 2), ("tops", 5)]


# --------------------------------------------------------------------------- unique-ids, orphan-rows

def test_unique_ids_reports_every_row_of_a_duplicate_group() -> None:
    t = tables([{"episode_id": "E1"}, {"episode_id": "E1"}, {"episode_id": "E1", "provider_code": "N9002"}],
               [{"modality_id": "M1"}, {"modality_id": "M1"}, {"modality_id": "M2"}],
               [{"top_id": "T1"}, {"top_id": "T2", "top_stage": "R"}])
    f = found(t, "unique-ids")
    assert list(zip(f["table"], f["row"], strict=True)) == [("episodes", 2), ("episodes", 3), ("modalities", 2), ("modalities", 3)]
    assert f["message"][0] == "Episode id E1 appears 2 times at provider N9001"


def test_orphan_rows() -> None:
    t = tables([{}], [{}, {"episode_id": "E9", "modality_id": "M2"}], [{"provider_code": "N9002"}])
    f = found(t, "orphan-rows")
    assert list(zip(f["table"], f["row"], strict=True)) == [("modalities", 3), ("tops", 2)]
    assert f["message"][0] == "No episode N9001/E9 in the episodes table"
    assert f["record"][1] == "N9002/E1"


# --------------------------------------------------------------------------- no-future-dates

def test_no_future_dates_one_finding_per_row_with_every_late_date() -> None:
    t = tables([{"triage_date": "2025-07-15", "care_plan_date": "2025-07-15"},
                {"episode_id": "E2", "referral_date": "2025-07-16", "triage_date": "2025-07-20",
                 "care_plan_date": None}],
               [{"modality_end_date": "2025-08-01", "modality_exit_status": "A"}], as_at=dt.date(2025, 7, 15))
    f = found(t, "no-future-dates")
    assert list(zip(f["table"], f["row"], strict=True)) == [("episodes", 3), ("modalities", 2)]
    assert f["fields"][0] == ("referral_date", "triage_date")
    assert f["values"][0] == ("2025-07-16", "2025-07-20")


# --------------------------------------------------------------------------- no-overlapping-open-episodes

def test_two_open_episodes_of_one_client_at_a_provider() -> None:
    t = tables([{"episode_id": "E1"}, {"episode_id": "E2"},
                {"episode_id": "E3", "discharge_date": "2025-03-01", "discharge_reason": "TCDF"},
                {"episode_id": "E4", "client_ref": "C2"}, {"episode_id": "E5", "provider_code": "N9002"}])
    f = found(t, "no-overlapping-open-episodes")
    assert list(f["row"]) == [2, 3]
    assert f["severity"][0] == "warning"


# --------------------------------------------------------------------------- substances-consistent

def test_substances_consistent() -> None:
    t = tables([{"drug1": "HER", "drug2": "CRK"}, {"episode_id": "E2", "drug1": "HER", "drug2": "HER"},
                {"episode_id": "E3", "drug1": "HER", "drug3": "CRK"},
                {"episode_id": "E4", "drug1": "HER", "drug2": "CRK", "drug3": "CRK"}])
    f = found(t, "substances-consistent")
    assert list(f["row"]) == [3, 4, 5]
    assert "drug2 repeats drug1" in f["message"][0]
    assert "drug3 given without drug2" in f["message"][1]


# --------------------------------------------------------------------------- completion-consistent-with-top

@pytest.mark.parametrize("reason, opiate, crack, fails", [
    ("TCDF", 0, 0, False), ("TCDF", 1, 0, True), ("TCOU", 0, 3, True), ("INDO", 5, 5, False)])
def test_completion_consistent_with_latest_top(reason, opiate, crack, fails) -> None:
    t = tables([{"discharge_date": "2025-04-01", "discharge_reason": reason}], None, [
        {"top_id": "T1", "top_date": "2025-01-15", "opiate_days": 20},
        {"top_id": "T2", "top_date": "2025-03-30", "top_stage": "E", "opiate_days": 9},
        {"top_id": "T3", "top_date": "2025-06-30", "top_stage": "P", "opiate_days": opiate, "crack_days": crack}])
    f = found(t, "completion-consistent-with-top")
    assert len(f) == int(fails)
    if fails:
        assert f["table"][0] == "episodes" and f["row"][0] == 2


def test_rules_needing_a_missing_table_are_not_run() -> None:
    report = evaluate(tables([{}]))
    assert "completion-consistent-with-top" in report.not_run
    assert "top-review-due" in report.not_run
    assert "care-plan-present" in report.not_run
    assert "no tops table" in report.not_run["top-review-due"]
    assert "orphan-rows" in report.not_run
    assert "triage-not-before-referral" not in report.not_run
    assert report.to_json()["summary"]["not_run"] == report.not_run


def test_a_very_long_value_is_named_in_a_message_not_repeated() -> None:
    """A 32,767-character id (Excel's cell limit) twice: the message quotes 60 characters at most,
    the finding's values keep it whole."""
    long_id = "E" + "7" * 32_766
    t = tables([{"episode_id": long_id}, {"episode_id": long_id}], [], [])
    f = found(t, "unique-ids")
    assert len(f) == 2 and all(long_id in v for v in f["values"])
    assert all(len(m) < 200 and long_id[:59] + "\u2026" in m for m in f["message"])
