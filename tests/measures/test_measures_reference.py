"""The vectorised measures agree with the slow plain-Python reference on synthetic partnerships."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from measures_reference import Reference, assert_provider_rows

from app.synth import generate
from rules.findings import findings_frame
from rules.measures import COUNT_IDS, DEFINITIONS, MEASURE_IDS, compute
from rules.periods import parse_period
from rules.schema import check
from rules.settings import Settings

AS_AT = dt.date(2025, 10, 15)
PERIODS = ["2024-25 Q3", "2025-26 Q1", "2025-26 Q2", "2024-25", "2025-26 Q2 YTD", "2025-05-10..2025-11-30"]


@pytest.fixture(scope="module")
def partnership():
    typed, findings = check(generate(providers=3, episodes=600, seed=3, defects=0.0, as_at=AS_AT).raw)
    assert len(findings) == 0
    return typed


def compare(tables, period_text, settings=None, findings=None, bad=None):
    settings = settings or Settings()
    period = parse_period(period_text)
    result = compute(tables, period, as_at=AS_AT, settings=settings, findings=findings, by=["provider_code"])
    ref = Reference(tables, settings, AS_AT, bad or {})
    expected = {**ref.counts(period.start, period.end, period.fy_start), **ref.measures(period.start, period.end)}
    assert_provider_rows(result, ref, period_text)
    for mid in COUNT_IDS:
        c = result.counts[mid]
        want = expected[mid]
        got = {"available": False} if not c.available else {"value": c.value, "excluded": c.excluded}
        assert got == want, (period_text, mid)
    for mid in MEASURE_IDS:
        m = result.measures[mid]
        want = expected[mid]
        got = {"available": False} if not m.available else {
            k: getattr(m, k) for k in ("numerator", "denominator", "pending", "excluded", "provisional")}
        assert got == want, (period_text, mid)
    return result


@pytest.mark.parametrize("period", PERIODS)
def test_agrees_with_reference(partnership, period):
    result = compare(partnership, period)
    # the synthetic partnership is big enough for every measure to have a denominator somewhere
    assert result.counts["in_treatment"].value > 0


@pytest.mark.parametrize("settings", [
    Settings(retention_start="first_modality"),
    Settings().with_legacy_planned_reasons(),
    Settings(effective_pdu_only=False, journey_gap_days=7, exit_gap_days=30, representation_months=3),
    Settings(triage_target_days=10, wait_target_days=5, retention_days=50, care_plan_grace_days=0,
             top_window_days=3, top_review_after_days=90, top_review_window_days=100),
], ids=["first-modality", "legacy", "all-clients", "tight"])
def test_agrees_with_reference_under_other_settings(partnership, settings):
    for period in ("2025-26 Q1", "2024-25"):
        compare(partnership, period, settings=settings)


def test_agrees_with_reference_with_error_findings(partnership):
    rng = np.random.default_rng(5)
    episodes = partnership.episodes
    fields = sorted({f for d in DEFINITIONS.values() for f in d.fields})
    picks = rng.choice(len(episodes), size=80, replace=False)
    rows, bad = [], {}
    for i in picks:
        record = f"{episodes['provider_code'].iat[i]}/{episodes['episode_id'].iat[i]}"
        chosen = tuple(rng.choice(fields, size=int(rng.integers(1, 3)), replace=False))
        severity = "error" if rng.random() < 0.8 else "warning"
        rows.append({"rule": f"rule-{chosen[0]}", "severity": severity, "category": "data-quality",
                     "provider": "", "file": "f", "table": "episodes", "row": i + 2, "record": record,
                     "fields": chosen, "values": tuple("x" for _ in chosen), "message": "m"})
        if severity == "error":
            bad.setdefault(record, set()).update(chosen)
    findings = findings_frame(rows)
    for period in ("2025-26 Q1", "2024-25"):
        result = compare(partnership, period, findings=findings, bad=bad)
    assert sum(m.excluded for m in result.measures.values()) > 0


def test_agrees_without_tops_or_modalities(partnership):
    compare(dataclasses.replace(partnership, tops=None), "2025-26 Q1")
    compare(dataclasses.replace(partnership, tops=None, modalities=None), "2025-26 Q1")


def test_agrees_with_reference_on_defective_data_with_the_rule_engines_findings():
    from rules.engine import evaluate

    typed, schema_findings = check(generate(providers=3, episodes=500, seed=4, defects=0.05, as_at=AS_AT).raw)
    findings = evaluate(typed, schema_findings=schema_findings).findings
    errors = findings[findings["severity"] == "error"]
    assert len(errors) > 0
    bad: dict[str, set[str]] = {}
    for record, fields in zip(errors["record"], errors["fields"], strict=True):
        bad.setdefault(record, set()).update(fields)
    excluded = 0
    for period in ("2025-26 Q1", "2024-25"):
        result = compare(typed, period, findings=findings, bad=bad)
        excluded += sum(m.excluded for m in result.measures.values())
    assert excluded > 0
