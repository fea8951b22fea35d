"""Re-checking only the rules an edit can change: the declared reads are complete, and skipping is exact."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine import assert_chained_rechecks_equal_full_evaluations, many, same, schema_finding
from test_rules_frames import tables

from rules.catalogue import default_catalogue
from rules.engine import Rechecker, evaluate, recheck
from rules.engine import partial as partial_module
from rules.findings import FINDING_COLUMNS, findings_frame
from rules.kinds.reads import affected

TS = pd.Timestamp
#: Every editable column of the test tables, with values that break and mend rules.
EDITS = [
    ("episodes", "referral_date", [TS("2024-12-01"), TS("1975-06-01"), pd.NaT]),
    ("episodes", "triage_date", [TS("2024-12-01"), TS("2025-03-05"), pd.NaT]),
    ("episodes", "care_plan_date", [TS("2024-12-20"), TS("2025-06-01"), pd.NaT]),
    ("episodes", "discharge_date", [TS("2025-02-01"), TS("2026-01-01"), pd.NaT]),
    ("episodes", "discharge_reason", ["TCDF", "INDO", pd.NA]),
    ("episodes", "dob", [TS("2010-02-02"), TS("1900-01-01"), pd.NaT]),
    ("episodes", "drug1", ["HER", "ALC", pd.NA]),
    ("episodes", "drug2", ["HER", "CRA", pd.NA]),
    ("episodes", "drug3", ["HER", "CAN", pd.NA]),
    ("episodes", "consent", ["Y", "N", pd.NA]),
    ("episodes", "first_initial", ["A", "Z", pd.NA]),
    ("episodes", "surname_initial", ["B", pd.NA]),
    ("episodes", "sex", ["F", "M"]),
    ("episodes", "client_ref", ["C1", "C2", pd.NA]),
    ("episodes", "postcode", ["LS2 1AA", pd.NA]),
    ("episodes", "ethnicity", ["B", pd.NA]),
    ("episodes", "referral_source", ["CJIT", "GP"]),
    ("episodes", "injecting_status", ["C", pd.NA]),
    ("modalities", "modality_type", ["PHA", pd.NA]),
    ("modalities", "modality_referral_date", [TS("2024-12-01"), TS("2025-06-01"), pd.NaT]),
    ("modalities", "first_appt_offered_date", [TS("2025-01-01"), TS("2025-05-01"), pd.NaT]),
    ("modalities", "modality_start_date", [TS("2025-01-05"), TS("2025-07-01"), pd.NaT]),
    ("modalities", "modality_end_date", [TS("2025-03-01"), TS("2025-12-01"), pd.NaT]),
    ("modalities", "modality_exit_status", ["CMP", pd.NA]),
    ("tops", "top_stage", ["S", "R", "E"]),
    ("tops", "top_date", [TS("2024-06-01"), TS("2025-07-01"), pd.NaT]),
    ("tops", "opiate_days", [0, 20, pd.NA]),
    ("tops", "crack_days", [0, 5, pd.NA]),
    ("tops", "alcohol_days", [0, 28]),
]


def _by_rule(findings: pd.DataFrame) -> dict[str, set[tuple]]:
    out: dict[str, set[tuple]] = {}
    for row in findings[list(FINDING_COLUMNS)].astype(object).itertuples(index=False):
        out.setdefault(row[0], set()).add(tuple(row))
    return out


def _completed(t):
    """Episodes with a completion and a discharge, so the exit rules have something to judge."""
    t.episodes.loc[::4, "discharge_date"] = TS("2025-05-01")
    t.episodes.loc[::4, "discharge_reason"] = "TCDF"
    return t


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(EDITS) - 1), st.integers(0, 29), st.integers(0, 2))
def test_a_rule_whose_findings_an_edit_changes_reads_the_edited_column(which, row, pick) -> None:
    table, column, values = EDITS[which]
    t = _completed(many())
    before = _by_rule(evaluate(t).findings)
    frame = t.get(table)
    frame.loc[frame.index[row % len(frame)], column] = values[pick % len(values)]
    after = _by_rule(evaluate(t).findings)
    for rule in default_catalogue():
        if before.get(rule.id, set()) != after.get(rule.id, set()):
            assert affected(rule.checks, {(table, column)}), f"{rule.id} changed but does not read {table}.{column}"


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(EDITS) - 1), st.integers(0, 29), st.integers(0, 2)),
                min_size=1, max_size=5))
def test_chained_rechecks_of_any_column_equal_a_full_evaluation(edits) -> None:
    assert_chained_rechecks_equal_full_evaluations(_completed(many()), edits, EDITS)


def _rules_run(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    calls: list[set[str]] = []
    real = partial_module.run_rules

    def spy(sub, rules, **kw):
        calls.append({r.id for r in rules})
        return real(sub, rules, **kw)

    monkeypatch.setattr(partial_module, "run_rules", spy)
    return calls


def test_an_edit_runs_only_the_rules_reading_the_edited_column(monkeypatch: pytest.MonkeyPatch) -> None:
    t = many()
    checker = Rechecker(t, evaluate(t))
    calls = _rules_run(monkeypatch)
    t.episodes.loc[3, "postcode"] = "LS9 9ZZ"  # no rule reads it
    recheck(t, checker, {"episodes": [3]})
    t.episodes.loc[3, "drug2"] = "HER"  # repeats drug1
    changes = recheck(t, checker, {"episodes": [3]})
    assert calls[0] == set()
    assert "substances-consistent" in calls[1] and "triage-within-6-weeks" not in calls[1]
    assert list(changes.added["rule"]) == ["substances-consistent"]
    assert same(checker.report, evaluate(t))


def test_a_key_edit_runs_every_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    t = many()
    checker = Rechecker(t, evaluate(t))
    calls = _rules_run(monkeypatch)
    t.episodes.loc[5, "episode_id"] = "E6"
    recheck(t, checker, {"episodes": [5]})
    assert calls[0] == set(default_catalogue().ids())
    assert same(checker.report, evaluate(t))


def test_a_flag_appearing_on_a_blank_cell_is_a_change_too() -> None:
    """A blank triage date becomes an unreadable one: the value stays blank, the rules must still see it."""
    t = tables([{"referral_date": "2025-01-01", "triage_date": None, "care_plan_date": None}],
               [{"modality_referral_date": "2025-01-02", "first_appt_offered_date": None,
                 "modality_start_date": "2025-01-05"}], [{"top_date": "2025-01-05"}])
    checker = Rechecker(t, evaluate(t))
    assert "triage-recorded" in set(checker.report.findings["rule"])
    schema = findings_frame([schema_finding("invalid-date", 2, "triage_date", "2025-02-30")])
    changes = recheck(t, checker, {"episodes": [0]}, schema_findings=schema)
    assert "triage-recorded" in set(changes.removed["rule"])
    assert same(checker.report, evaluate(t, schema_findings=schema))
    recheck(t, checker, {"episodes": [0]}, schema_findings=findings_frame([]))
    assert same(checker.report, evaluate(t))


def test_a_forked_recheck_from_an_older_point_stays_exact() -> None:
    """A re-checker forked before an edit keeps its own view of the tables, so re-checking from it
    later (with both edits touched) stays exact, and so does the one that went on; and a report,
    being a value, is not changed by any of it."""
    t = many()
    first = Rechecker(t, evaluate(t))
    older = first.fork()
    report = first.report
    t.episodes.loc[2, "triage_date"] = TS("2024-01-01")
    recheck(t, first, {"episodes": [2]})
    t.episodes.loc[4, "client_ref"] = "C1"
    recheck(t, older, {"episodes": [2, 4]})
    assert same(older.report, evaluate(t))
    recheck(t, first, {"episodes": [4]})
    assert same(first.report, evaluate(t))
    assert report is not first.report and not same(report, evaluate(t))
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.not_run = {}


@pytest.mark.parametrize("drop, add", [("all", "none"), ("none", "some"), ("some", "some"), ("all", "some")])
def test_merging_findings_keeps_reading_order_and_dtypes(drop, add) -> None:
    from rules.engine.order import merge_sorted, order_keys, sort_findings

    report = evaluate(_completed(many()))
    old = report.findings
    n = len(old)
    gone = {"all": list(range(n)), "none": [], "some": list(range(0, n, 3))}[drop]
    extra = old.iloc[1::2] if add == "some" else old.iloc[:0]
    kept = old.drop(index=gone)
    rows, keys = merge_sorted(old, report.order_keys(), pd.Index(gone).to_numpy(dtype="int64"),
                              extra.reset_index(drop=True))
    merged = rows.frame
    expected = sort_findings(pd.concat([kept, extra], ignore_index=True))
    assert merged.astype(object).equals(expected.astype(object))
    assert list(merged.dtypes) == list(old.dtypes)
    assert all((a == b).all() for a, b in zip(keys, order_keys(merged), strict=True))
