"""Injected defects: each error defect is exactly one finding of its rule, and nothing else is."""

from __future__ import annotations

from collections import defaultdict

import pytest
from tests.synth.checks import error_findings
from tests.synth.conftest import AS_AT

from app.synth import Defect, generate
from rules.findings import SCHEMA_RULES

ERROR_RULES = {
    "required-fields", "dob-plausible", "triage-not-before-referral", "discharge-not-before-start",
    "discharge-date-and-reason", "modality-dates-in-order", "modality-within-episode", "modality-exit-with-end",
    "unique-ids", "orphan-rows", "no-future-dates",
}
SCHEMA = {r for r, (sev, _) in SCHEMA_RULES.items() if sev == "error"}
WARNINGS = {"adult-at-referral", "substances-consistent", "care-plan-within-episode", "top-within-episode",
            "completion-consistent-with-top", "triage-recorded", "no-overlapping-open-episodes"}
FLAT_ONLY_MISSING = {"orphan-rows", "invalid-number", "out-of-range", "completion-consistent-with-top"}


def _expected(manifest: list[Defect]) -> list[tuple]:
    return sorted((d.rule, d.table, d.file, d.row, d.record) for d in manifest
                  if d.rule in ERROR_RULES | SCHEMA)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "flat-xlsx"])
@pytest.mark.parametrize("seed", [1, 4])
def test_error_defects_are_exactly_the_error_findings(fmt: str, seed: int) -> None:
    synthetic = generate(providers=4, episodes=800, seed=seed, defects=0.06, as_at=AS_AT, fmt=fmt)
    assert sorted(error_findings(synthetic.raw)) == _expected(synthetic.manifest)


@pytest.mark.parametrize("fmt", ["xlsx", "flat-xlsx"])
def test_defects_cover_every_rule(fmt: str) -> None:
    synthetic = generate(providers=3, episodes=800, seed=2, defects=0.05, as_at=AS_AT, fmt=fmt)
    rules = {d.rule for d in synthetic.manifest}
    wanted = ERROR_RULES | SCHEMA | WARNINGS
    if fmt == "flat-xlsx":  # a flat sheet cannot hold orphans, TOP scores or several TOPs of a stage
        wanted -= FLAT_ONLY_MISSING
    assert rules == wanted


def test_about_rate_times_rows_defects() -> None:
    synthetic = generate(providers=3, episodes=1000, seed=3, defects=0.02, as_at=AS_AT)
    rows = sum(len(t) for t in (synthetic.raw.episodes, synthetic.raw.modalities, synthetic.raw.tops))
    assert abs(len(synthetic.manifest) - 0.02 * rows) <= 2


def test_one_defect_per_record() -> None:
    synthetic = generate(providers=3, episodes=600, seed=6, defects=0.1, as_at=AS_AT)
    assert len(synthetic.raw.episodes) == 600  # defects change rows, never add or drop episodes
    rules = defaultdict(set)
    for d in synthetic.manifest:
        rules[d.record].add(d.rule)
    assert all(len(r) == 1 for r in rules.values())
    groups = defaultdict(list)
    for d in synthetic.manifest:
        if d.rule == "unique-ids":
            groups[(d.table, d.record)].append(d.row)
    assert groups and all(len(rows) >= 2 for rows in groups.values())


def test_defects_are_deterministic() -> None:
    a = generate(providers=3, episodes=400, seed=9, defects=0.05, as_at=AS_AT)
    b = generate(providers=3, episodes=400, seed=9, defects=0.05, as_at=AS_AT)
    assert a.manifest == b.manifest
    assert a.raw.episodes.equals(b.raw.episodes)
