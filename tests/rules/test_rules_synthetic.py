"""Against the synthetic generator: clean data gives no error; every injected defect is found by its
intended rule at its file/table/row, and no other error is reported (precision and recall 100%)."""

from __future__ import annotations

import datetime as dt

import pytest

import app.synth as synth
import rules.schema as schema
from rules.catalogue import default_catalogue
from rules.engine import evaluate
from rules.findings import SCHEMA_RULES

AS_AT = dt.date(2025, 7, 15)


def severity_of() -> dict[str, str]:
    out = {r.id: r.severity for r in default_catalogue()}
    out.update({k: v[0] for k, v in SCHEMA_RULES.items()})
    return out


def _validate(defects: float, fmt: str, seed: int):
    s = synth.generate(providers=3, episodes=500, seed=seed, defects=defects, as_at=AS_AT, fmt=fmt)
    typed, schema_findings = schema.check(s.raw)
    return s, evaluate(typed, schema_findings=schema_findings)


@pytest.mark.parametrize("fmt", ["xlsx", "flat-xlsx"])
def test_clean_partnership_has_no_errors(fmt: str) -> None:
    _, report = _validate(0.0, fmt, seed=11)
    errors = report.findings[report.findings["severity"] == "error"]
    assert errors.empty, errors[["rule", "file", "table", "row", "message"]].head(10).to_string()
    assert report.warnings > 0  # performance warnings occur naturally
    assert report.not_run == {}


@pytest.mark.parametrize("fmt, seed, rate", [("xlsx", 1, 0.02), ("csv", 3, 0.05), ("flat-xlsx", 4, 0.05),
                                             ("xlsx", 5, 0.1)])
def test_every_injected_error_is_found_by_its_rule_and_nothing_else(fmt: str, seed: int, rate: float) -> None:
    s, report = _validate(rate, fmt, seed)
    sev = severity_of()
    assert {d.rule for d in s.manifest} <= set(sev), "the manifest names a rule the engine does not know"
    wanted = {(d.rule, d.file, d.table, d.row) for d in s.manifest if sev[d.rule] == "error"}
    assert len(wanted) >= 10
    f = report.findings
    errors = f[f["severity"] == "error"]
    got = set(zip(errors["rule"], errors["file"], errors["table"], errors["row"].astype(int), strict=True))
    assert sorted(wanted - got) == [], "injected errors not found"
    assert sorted(got - wanted) == [], "errors reported that were not injected"
    # warning defects are found too (other warnings occur naturally, so only recall is checked)
    warned = {(d.rule, d.file, d.table, d.row) for d in s.manifest if sev[d.rule] == "warning"}
    warnings = f[f["severity"] == "warning"]
    have = set(zip(warnings["rule"], warnings["file"], warnings["table"], warnings["row"].astype(int), strict=True))
    assert sorted(warned - have) == []
