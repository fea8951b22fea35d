"""The kinds: registered by stable names, each usable from a catalogue entry with no new code."""

from __future__ import annotations

import pandas as pd
import pytest
from test_rules_frames import tables

from rules.catalogue import parse
from rules.engine import evaluate
from rules.kinds import KINDS
from rules.kinds.custom import CHECKS

STABLE = {"required", "required-when", "date-order", "max-days-between", "date-range", "not-after-as-at",
          "both-or-neither", "unique", "exists-in", "no-overlap", "within-parent", "custom"}


def test_every_kind_of_the_spec_is_registered_with_documented_parameters() -> None:
    assert set(KINDS) == STABLE
    for kind in KINDS.values():
        assert kind.doc, kind.name
        assert len({p.name for p in kind.params}) == len(kind.params)
    assert {"triage-recorded", "completion-consistent-with-top", "care-plan-present", "top-review-due",
            "retained-12-weeks", "substances-consistent", "adult-at-referral"} <= set(CHECKS)


def one_rule(body: str, t) -> pd.DataFrame:
    text = f'[[rule]]\nid = "my-rule"\ncategory = "data-quality"\nseverity = "error"\n{body}\n'
    report = evaluate(t, catalogue=parse(text, source="mine.toml"))
    return report.findings


def test_required_when_without_values_means_when_given() -> None:
    f = one_rule('kind = "required-when"\ntable = "episodes"\ncolumns = ["discharge_reason"]\n'
                 'when = "discharge_date"\nmessage = "Missing {missing}"',
                 tables([{"discharge_date": "2025-03-01"}, {"episode_id": "E2"}]))
    assert list(f["row"]) == [2] and list(f["message"]) == ["Missing discharge_reason"]


def test_date_range_with_a_column_bound_and_evidence() -> None:
    f = one_rule('kind = "date-range"\ntable = "episodes"\ncolumn = "care_plan_date"\nmin = "triage_date"\n'
                 'max = "2025-06-30"\nmessage = "{value} is {side} {bound_text}"',
                 tables([{"care_plan_date": "2025-01-09"}, {"episode_id": "E2", "care_plan_date": "2025-07-01"},
                         {"episode_id": "E3", "care_plan_date": "2025-01-10"}]))
    assert list(f["message"]) == ["2025-01-09 is before triage date 2025-01-10", "2025-07-01 is after 2025-06-30"]


def test_no_overlap_of_intervals_reports_both_rows() -> None:
    body = ('kind = "no-overlap"\ntable = "episodes"\ngroup = ["provider_code", "client_ref"]\n'
            'start = "referral_date"\nend = "discharge_date"\nmessage = "overlap"')
    t = tables([{"episode_id": "E1", "referral_date": "2025-01-01", "discharge_date": "2025-02-01"},
                {"episode_id": "E2", "referral_date": "2025-02-01", "discharge_date": "2025-03-01"},
                {"episode_id": "E3", "referral_date": "2025-03-02", "discharge_date": "2025-04-01"},
                {"episode_id": "E4", "client_ref": "C2", "referral_date": "2025-01-01"}])
    assert list(one_rule(body, t)["row"]) == [2, 3]


def test_exists_in_on_another_key() -> None:
    body = ('kind = "exists-in"\ntable = "modalities"\nparent = "episodes"\ncolumns = ["provider_code"]\n'
            'message = "No provider {key}"')
    t = tables([{}], [{}, {"provider_code": "N7777", "modality_id": "M2"}])
    f = one_rule(body, t)
    assert list(f["message"]) == ["No provider N7777"]


def test_unique_within_a_selection() -> None:
    body = ('kind = "unique"\ntable = "tops"\ncolumns = ["provider_code", "episode_id"]\nwhere = "top_stage"\n'
            'values = ["E"]\nmessage = "{count} exit TOPs"')
    t = tables([{}], None, [{"top_id": "T1", "top_stage": "E"}, {"top_id": "T2", "top_stage": "E"},
                            {"top_id": "T3", "top_stage": "S"}])
    f = one_rule(body, t)
    assert list(f["row"]) == [2, 3] and set(f["message"]) == {"2 exit TOPs"}


@pytest.mark.parametrize("days, fails", [(7, False), (6, True)])
def test_within_parent_with_slack(days: int, fails: bool) -> None:
    body = ('kind = "within-parent"\ntable = "modalities"\nparent = "episodes"\ncolumn = "modality_referral_date"\n'
            f'parent_column = "triage_date"\nrelation = "not-after"\nslack_days = {days}\n'
            'message = "{days} days after triage"')
    t = tables([{"triage_date": "2025-01-10"}], [{"modality_referral_date": "2025-01-17"}])
    f = one_rule(body, t)
    assert len(f) == int(fails)
    if fails:
        assert list(f["message"]) == ["7 days after triage"]


def test_max_days_between_reads_a_setting_by_name() -> None:
    body = ('kind = "max-days-between"\ntable = "episodes"\nstart = "triage_date"\nend = "care_plan_date"\n'
            'max_days = "settings.care_plan_grace_days"\nmessage = "{days} > {target}"')
    t = tables([{"triage_date": "2025-01-10", "care_plan_date": "2025-01-25"}])
    assert list(one_rule(body, t)["message"]) == ["15 > 14"]
