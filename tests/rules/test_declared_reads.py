"""A rule's declared reads decide what an edit re-checks (``rules.kinds.reads``): so every rule's
findings must stay the same when any column it does not declare changes. Each rule is judged
alone on a partnership with defects, then again with every undeclared column shuffled."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import app.synth as synth
import rules.schema as schema
from rules.catalogue import Catalogue, default_catalogue
from rules.columns import column_names
from rules.engine import evaluate
from rules.kinds.reads import KEY_FIELDS, rule_reads
from rules.tables import Tables

AS_AT = dt.date(2025, 7, 15)
RULES = [r for r in default_catalogue() if r.enabled]


@pytest.fixture(scope="module")
def partnership() -> tuple[Tables, pd.DataFrame]:
    s = synth.generate(providers=2, episodes=400, seed=8, defects=0.05, as_at=AS_AT)
    return schema.check(s.raw)


def _findings(typed: Tables, schema_findings: pd.DataFrame, rule) -> list[tuple]:
    found = evaluate(typed, catalogue=Catalogue((rule,)), schema_findings=schema_findings).findings
    found = found[found["rule"] == rule.id]
    return sorted(zip(found["table"], found["file"], found["row"].astype(str), found["fields"].map(tuple),
                      found["values"].map(tuple), found["message"], strict=True))


def _shuffled(typed: Tables, columns: list[tuple[str, str]], seed: int) -> Tables:
    rng = np.random.default_rng(seed)
    frames = {t: typed.get(t).copy() if typed.get(t) is not None else None for t in ("episodes", "modalities", "tops")}
    for table, column in columns:
        frame = frames[table]
        frame[column] = frame[column].to_numpy()[rng.permutation(len(frame))]
    return Tables(**frames, as_at=typed.as_at, files=list(typed.files))


def _undeclared(rule, typed: Tables) -> list[tuple[str, str]]:
    reads = rule_reads(rule.checks)
    return [(t, c) for t in typed.present() for c in column_names(t)
            if (t, c) not in reads and c not in KEY_FIELDS and c in typed.get(t).columns]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_a_rules_findings_do_not_move_when_a_column_it_does_not_read_changes(partnership, rule) -> None:
    typed, schema_findings = partnership
    before = _findings(typed, schema_findings, rule)
    others = _undeclared(rule, typed)
    if _findings(_shuffled(typed, others, 1), schema_findings, rule) == before:
        return
    culprits = [c for c in others if _findings(_shuffled(typed, [c], 1), schema_findings, rule) != before]
    pytest.fail(f"{rule.id} reads {culprits or 'a combination of columns'} without declaring it "
                f"(an edit there would not re-check it)")


def test_the_check_can_fail(partnership) -> None:
    """Shuffling a column a rule does read moves its findings (so the test above can see a miss)."""
    typed, schema_findings = partnership
    rule = next(r for r in RULES if r.id == "triage-not-before-referral")
    assert ("episodes", "triage_date") in rule_reads(rule.checks)
    before = _findings(typed, schema_findings, rule)
    assert before and _findings(_shuffled(typed, [("episodes", "triage_date")], 1), schema_findings, rule) != before
