"""The engine: the report's shape and counts, schema-flagged cells, progress, and re-check after an edit."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_rules_frames import tables

from rules.engine import Rechecker, Report, evaluate, recheck
from rules.findings import FINDING_COLUMNS, findings_frame
from rules.progress import Cancelled


def dirty():
    return tables(
        [{"episode_id": "E1", "triage_date": "2024-12-30", "care_plan_date": None},
         {"episode_id": "E2", "client_ref": "C2", "dob": None},
         {"episode_id": "E3", "client_ref": "C3", "discharge_date": "2025-03-01", "discharge_reason": None}],
        [{"episode_id": "E1", "modality_referral_date": "2025-01-02"},
         {"episode_id": "E9", "modality_id": "M9"}],
        [{"episode_id": "E2", "top_date": "2025-01-20"}],
    )


def test_report_has_the_findings_columns_sorted_by_file_table_row_rule() -> None:
    report = evaluate(dirty())
    f = report.findings
    assert tuple(f.columns) == FINDING_COLUMNS
    order = f["table"].map({"episodes": 0, "modalities": 1, "tops": 2})
    keys = list(zip(f["file"], order, f["row"], f["rule"], strict=True))
    assert keys == sorted(keys)
    assert str(f["row"].dtype) == "Int64"
    assert all(isinstance(v, tuple) for v in f["fields"])


def test_summary_counts_are_exact() -> None:
    report = evaluate(dirty())
    s = report.summary()
    f = report.findings
    assert s["errors"] == (f["severity"] == "error").sum() == report.errors
    assert s["warnings"] == (f["severity"] == "warning").sum()
    assert sum(s["by_rule"].values()) == len(f)
    assert s["by_rule"]["triage-not-before-referral"] == 1
    assert s["by_provider"]["N9001"]["error"] == s["errors"]
    assert s["rules"]["dob-plausible"]["count"] == 0 and s["rules"]["dob-plausible"]["run"] is True


def test_json_has_the_shape_of_the_cli_spec() -> None:
    report = evaluate(dirty())
    data = json.loads(json.dumps(report.to_json(files_count=2, row_counts={"episodes": 3})))
    assert set(data) == {"as_at", "summary", "findings"}
    assert data["as_at"] == "2025-07-15"
    assert {"files", "rows", "errors", "warnings", "by_rule"} <= set(data["summary"])
    assert data["summary"]["files"] == 2 and data["summary"]["rows"] == {"episodes": 3}
    first = data["findings"][0]
    assert set(first) == {"rule", "severity", "category", "file", "table", "row", "record", "fields",
                          "values", "message"}
    f = [x for x in data["findings"] if x["rule"] == "triage-not-before-referral"][0]
    assert f == {"rule": "triage-not-before-referral", "severity": "error", "category": "data-quality",
                 "file": "provider_a.xlsx", "table": "episodes", "row": 2, "record": "N9001/E1",
                 "fields": ["referral_date", "triage_date"], "values": ["2025-01-01", "2024-12-30"],
                 "message": "Triage date 2024-12-30 is before referral date 2025-01-01"}


def schema_finding(rule: str, row: int, field: str, value: str, table: str = "episodes") -> dict:
    return {"rule": rule, "severity": "error", "category": "data-quality", "provider": "N9001",
            "file": "provider_a.xlsx", "table": table, "row": row, "record": "N9001/E1",
            "fields": (field,), "values": (value,), "message": f"{value!r} is not valid"}


def test_a_schema_flagged_cell_gives_exactly_one_finding() -> None:
    # triage_date could not be parsed: typed NaT. Without the schema finding, rules would call it missing.
    t = tables([{"triage_date": None, "care_plan_date": None, "discharge_date": "2025-03-01",
                 "discharge_reason": "TCDF"}], as_at=dt.date(2025, 7, 15))
    plain = evaluate(t).findings
    assert "triage-recorded" in set(plain["rule"])
    schema = findings_frame([schema_finding("invalid-date", 2, "triage_date", "31/02/2025")])
    f = evaluate(t, schema_findings=schema).findings
    assert list(f["rule"]) == ["invalid-date"]


def test_a_flagged_code_suppresses_findings_naming_that_field_only() -> None:
    t = tables([{"discharge_date": None, "discharge_reason": None, "drug1": None}])
    schema = findings_frame([schema_finding("invalid-code", 2, "drug1", "Heroinn")])
    f = evaluate(t, schema_findings=schema).findings
    assert list(f["rule"]) == ["invalid-code"]  # drug1 is present-but-unknown, so not "required"
    t = tables([{"discharge_date": "2025-03-01", "discharge_reason": None}])
    schema = findings_frame([schema_finding("invalid-code", 2, "discharge_reason", "Done")])
    f = evaluate(t, schema_findings=schema).findings
    assert "discharge-date-and-reason" not in set(f["rule"])


def test_flagged_triage_does_not_fall_back_to_referral() -> None:
    t = tables([{"referral_date": "2025-03-01", "triage_date": None, "care_plan_date": None,
                 "discharge_date": "2025-03-05", "discharge_reason": "INDO"}])
    schema = findings_frame([schema_finding("invalid-date", 2, "triage_date", "32/03/2025")])
    f = evaluate(t, schema_findings=schema).findings
    assert "discharge-not-before-start" not in set(f["rule"])


def test_progress_is_reported_and_cancel_stops() -> None:
    class Recorder:
        def __init__(self, stop: bool) -> None:
            self.seen: list[float] = []
            self.stop = stop

        def report(self, fraction: float, text: str = "") -> None:
            self.seen.append(fraction)

        def cancelled(self) -> bool:
            return self.stop and len(self.seen) > 2

    rec = Recorder(stop=False)
    evaluate(dirty(), progress=rec)
    assert rec.seen[0] == 0.0 and rec.seen[-1] == 1.0 and rec.seen == sorted(rec.seen)
    with pytest.raises(Cancelled):
        evaluate(dirty(), progress=Recorder(stop=True))


def test_disabled_rules_do_not_run() -> None:
    from rules.catalogue import default_catalogue
    cat = default_catalogue().changed("triage-not-before-referral", enabled=False)
    assert "triage-not-before-referral" not in set(evaluate(dirty(), catalogue=cat).findings["rule"])


# --------------------------------------------------------------------------- re-check

def same(a: Report, b: Report) -> bool:
    cols = list(FINDING_COLUMNS)
    return a.findings[cols].astype(object).equals(b.findings[cols].astype(object))


def many():
    eps = [{"episode_id": f"E{i}", "client_ref": f"C{i % 7}", "dob": f"19{60 + i % 30}-02-0{1 + i % 8}",
            "referral_date": "2025-01-01", "triage_date": f"2025-0{1 + i % 3}-1{i % 9}",
            "care_plan_date": None} for i in range(30)]
    mods = [{"episode_id": f"E{i}", "modality_id": f"M{i}", "modality_referral_date": "2025-01-20",
             "first_appt_offered_date": None, "modality_start_date": f"2025-02-{10 + i % 15}"} for i in range(0, 30, 2)]
    tps = [{"episode_id": f"E{i}", "top_id": f"T{i}", "top_date": "2025-03-01"} for i in range(0, 30, 3)]
    return tables(eps, mods, tps)


@pytest.mark.parametrize("table, column, label, value", [
    ("episodes", "triage_date", 4, pd.Timestamp("2024-12-01")),   # a date breaks a rule
    ("episodes", "triage_date", 0, pd.Timestamp("2025-01-05")),   # ... or fixes one
    ("episodes", "episode_id", 5, "E6"),                          # a key: duplicates appear
    ("episodes", "client_ref", 3, "C1"),                          # another client's open episodes
    ("modalities", "episode_id", 2, "E99"),                       # an orphan
    ("tops", "top_date", 1, pd.NaT),                              # a missing required value
    ("episodes", "discharge_date", 6, pd.Timestamp("2025-04-01")),
])
def test_recheck_gives_the_same_report_as_evaluating_everything(table, column, label, value) -> None:
    t = many()
    before = evaluate(t)
    checker = Rechecker(t, before)
    frame = t.get(table)
    frame.loc[label, column] = value
    changes = recheck(t, checker, {table: [label]})
    full = evaluate(t)
    assert same(checker.report, full)
    cols = list(FINDING_COLUMNS)
    def key(f):
        return {tuple(r) for r in f[cols].astype(object).itertuples(index=False)}
    assert key(changes.added) == key(full.findings) - key(before.findings)
    assert key(changes.removed) == key(before.findings) - key(full.findings)
    assert len(changes.added) + len(changes.removed) > 0


def test_recheck_accepts_file_and_row_pairs_and_chains() -> None:
    t = many()
    checker = Rechecker(t, evaluate(t))
    t.episodes.loc[2, "triage_date"] = pd.Timestamp("2024-01-01")
    changes = recheck(t, checker, {"episodes": [("provider_a.xlsx", 4)]})
    assert list(changes.added["rule"]) == ["triage-not-before-referral"]
    t.episodes.loc[2, "triage_date"] = pd.Timestamp("2025-01-02")
    changes = recheck(t, checker, {"episodes": [2]})
    assert list(changes.removed["rule"]) == ["triage-not-before-referral"]
    assert len(changes.added) == 0
    assert same(checker.report, evaluate(t))


def test_recheck_keeps_and_replaces_schema_findings() -> None:
    t = many()
    schema = findings_frame([schema_finding("invalid-date", 3, "triage_date", "xx")])
    t.episodes.loc[1, "triage_date"] = pd.NaT
    checker = Rechecker(t, evaluate(t, schema_findings=schema))
    assert "invalid-date" in set(checker.report.findings["rule"])
    t.episodes.loc[1, "triage_date"] = pd.Timestamp("2025-01-03")
    changes = recheck(t, checker, {"episodes": [1]}, schema_findings=findings_frame([]))
    assert "invalid-date" in set(changes.removed["rule"])
    assert same(checker.report, evaluate(t))


def test_empty_tables_give_no_findings_and_every_rule_runs() -> None:
    t = tables([{}], [{}], [{}])
    t.episodes, t.modalities, t.tops = t.episodes.iloc[:0], t.modalities.iloc[:0], t.tops.iloc[:0]
    report = evaluate(t)
    assert report.findings.empty and report.not_run == {}
    report = evaluate(tables([{}], [], []))  # tables present but empty: rules run, nothing to find
    assert report.findings.empty and report.not_run == {}


def test_every_kind_copes_with_one_row_tables() -> None:
    """Catalogue-wide smoke test: a lone modality and TOP with no dates at all."""
    t = tables([{"triage_date": None, "care_plan_date": None}],
               [{"modality_referral_date": None, "first_appt_offered_date": None, "modality_start_date": None}],
               [{"top_date": None}])
    f = evaluate(t).findings
    assert set(f.loc[f["severity"] == "error", "rule"]) == {"required-fields"}


def test_recheck_with_changed_settings_judges_everything_again() -> None:
    from dataclasses import replace as changed

    from rules.settings import Settings
    t = many()
    checker = Rechecker(t, evaluate(t))
    stricter = changed(Settings(), triage_target_days=5)
    changes = recheck(t, checker, {"episodes": [0]}, settings=stricter)
    assert same(checker.report, evaluate(t, settings=stricter))
    assert len(changes.added) > 1


def test_flagged_dates_do_not_fall_back_in_performance_rules() -> None:
    t = tables([{"referral_date": "2024-01-01", "triage_date": None, "care_plan_date": None}],
               [{"modality_referral_date": "2024-01-02", "first_appt_offered_date": None,
                 "modality_start_date": "2024-01-05"}],
               [{"top_date": "2024-01-05"}])
    assert "top-review-due" in set(evaluate(t).findings["rule"])
    schema = findings_frame([schema_finding("invalid-date", 2, "triage_date", "2024-02-30")])
    f = evaluate(t, schema_findings=schema).findings
    assert "top-review-due" not in set(f["rule"]) and "triage-recorded" not in set(f["rule"])


EDITS = [
    ("episodes", "triage_date", [pd.Timestamp("2024-12-01"), pd.Timestamp("2025-01-05"), pd.NaT]),
    ("episodes", "discharge_date", [pd.Timestamp("2025-02-01"), pd.Timestamp("2026-01-01"), pd.NaT]),
    ("episodes", "discharge_reason", ["TCDF", "INDO", pd.NA]),
    ("episodes", "episode_id", ["E1", "E2", "E40"]),
    ("episodes", "client_ref", ["C1", "C2", "C9"]),
    ("episodes", "provider_code", ["N9001", "N9002"]),
    ("modalities", "episode_id", ["E1", "E3", "E99"]),
    ("modalities", "modality_end_date", [pd.Timestamp("2025-03-01"), pd.NaT]),
    ("tops", "top_stage", ["S", "R", "E"]),
    ("tops", "top_date", [pd.Timestamp("2024-06-01"), pd.Timestamp("2025-07-01"), pd.NaT]),
    ("tops", "episode_id", ["E1", "E5", "E77"]),
    ("modalities", "modality_id", ["M1", "M2", "M4"]),
    ("episodes", "first_initial", ["A", "Z", pd.NA]),
    ("episodes", "dob", [pd.Timestamp("1961-02-02"), pd.Timestamp("1963-02-04"), pd.NaT]),
    ("episodes", "consent", ["Y", "N"]),
]


@settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(EDITS) - 1), st.integers(0, 29), st.integers(0, 2)),
                min_size=1, max_size=4))
def test_chained_rechecks_always_equal_a_full_evaluation(edits) -> None:
    assert_chained_rechecks_equal_full_evaluations(many(), edits, EDITS)


def assert_chained_rechecks_equal_full_evaluations(t, edits, choices) -> None:
    """Apply each (which, row, pick) edit of ``choices`` = [(table, column, values)], re-check only
    the edited row, and compare with evaluating everything again after every step."""
    checker = Rechecker(t, evaluate(t))
    for which, row, pick in edits:
        table, column, values = choices[which]
        frame = t.get(table)
        label = frame.index[row % len(frame)]
        frame.loc[label, column] = values[pick % len(values)]
        recheck(t, checker, {table: [label]})
        assert same(checker.report, evaluate(t))


def test_children_without_any_episode_are_orphans() -> None:
    t = tables([{}], [{}], [{}])
    t.episodes = t.episodes.iloc[:0]
    f = evaluate(t).findings
    assert list(zip(f["rule"], f["table"], strict=True)) == [("orphan-rows", "modalities"), ("orphan-rows", "tops")]


def test_the_engines_findings_are_normalised_findings() -> None:
    from rules.findings import normalise
    schema = findings_frame([schema_finding("invalid-code", 3, "drug1", "XX")])
    f = evaluate(dirty(), schema_findings=schema).findings
    n = normalise(f.copy())
    assert list(f.dtypes) == list(n.dtypes)
    assert f.astype(object).equals(n.astype(object))
