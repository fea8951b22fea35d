"""The catalogue: the default loads, user files override it, bad files are refused clearly, saving round-trips."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from test_rules_frames import tables

from rules.catalogue import CatalogueError, default_catalogue, load, parse, save, to_toml
from rules.engine import evaluate

SPEC_RULES = [
    "required-fields", "dob-plausible", "adult-at-referral", "triage-not-before-referral", "triage-recorded",
    "discharge-not-before-start", "discharge-date-and-reason", "modality-dates-in-order",
    "modality-within-episode", "modality-exit-with-end", "care-plan-within-episode", "top-within-episode",
    "unique-ids", "orphan-rows", "no-future-dates", "no-overlapping-open-episodes", "substances-consistent",
    "completion-consistent-with-top", "triage-within-6-weeks", "wait-within-3-weeks", "retained-12-weeks",
    "care-plan-present", "top-review-due",
]
SPEC = Path("/work/shared/spec/rules.md")


def test_default_catalogue_has_every_rule_of_the_spec_with_its_severity() -> None:
    cat = default_catalogue()
    assert cat.ids() == SPEC_RULES
    if SPEC.exists():
        table = re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning) \| (dq|performance) \|", SPEC.read_text(), re.M)
        assert [r for r, _, _ in table] == SPEC_RULES
        for rule_id, severity, category in table:
            rule = cat.get(rule_id)
            assert rule.severity == severity
            assert rule.category == ("data-quality" if category == "dq" else "performance")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_user_catalogue_changes_threshold_severity_and_turns_rules_off(tmp_path: Path) -> None:
    path = _write(tmp_path, """
[[rule]]
id = "triage-within-6-weeks"
severity = "error"
max_days = 50

[[rule]]
id = "adult-at-referral"
enabled = false
""")
    cat = load(path)
    t = tables([{"referral_date": "2025-04-01", "triage_date": "2025-05-21", "care_plan_date": None,
                 "dob": "2010-01-01"}])
    default = evaluate(t).findings
    assert set(default["rule"]) >= {"triage-within-6-weeks", "adult-at-referral"}
    mine = evaluate(t, catalogue=cat).findings
    assert "adult-at-referral" not in set(mine["rule"])
    assert "triage-within-6-weeks" not in set(mine["rule"])  # 50 days: within the user's 50
    t.episodes.loc[0, "triage_date"] = pd.Timestamp("2025-05-22")
    f = evaluate(t, catalogue=cat).findings
    f = f[f["rule"] == "triage-within-6-weeks"]
    assert list(f["message"]) == ["Triaged 51 days after referral (target 50)"]
    assert list(f["severity"]) == ["error"]


def test_user_catalogue_adds_a_rule_of_an_existing_kind(tmp_path: Path) -> None:
    path = _write(tmp_path, """
[[rule]]
id = "care-plan-within-30-days"
title = "Care plan within 30 days of triage"
category = "performance"
severity = "info"
kind = "max-days-between"
table = "episodes"
start = "triage_date"
end = "care_plan_date"
max_days = 30
message = "Care plan {days} days after triage (target {target})"
""")
    cat = load(path)
    assert cat.ids()[-1] == "care-plan-within-30-days"
    t = tables([{"triage_date": "2025-01-01", "care_plan_date": "2025-01-31"},
                {"episode_id": "E2", "client_ref": "C2", "triage_date": "2025-01-01", "care_plan_date": "2025-02-01"}])
    f = evaluate(t, catalogue=cat).findings
    f = f[f["rule"] == "care-plan-within-30-days"]
    assert list(f["row"]) == [3]
    assert list(f["message"]) == ["Care plan 31 days after triage (target 30)"]
    assert list(f["severity"]) == ["info"]


@pytest.mark.parametrize("body, reason", [
    ('kind = "no-such-kind"\ntable = "episodes"', "unknown kind 'no-such-kind'"),
    ('kind = "date-order"\ntable = "episodes"\nearlier = "referral_date"', "missing parameter 'later'"),
    ('kind = "date-order"\ntable = "episodes"\nearlier = "referral_date"\nlater = "triage_dat"',
     "unknown column 'triage_dat'"),
    ('kind = "date-order"\ntable = "clients"\nearlier = "referral_date"\nlater = "triage_date"',
     "unknown table 'clients'"),
    ('kind = "date-order"\ntable = "episodes"\nearlier = "referral_date"\nlater = "triage_date"\nbogus = 1',
     "unknown parameter 'bogus'"),
    ('kind = "max-days-between"\ntable = "episodes"\nstart = "referral_date"\nend = "triage_date"\n'
     'max_days = "settings.no_such_setting"', "not a number or a numeric setting"),
    ('kind = "date-order"\ntable = "episodes"\nearlier = "referral_date"\nlater = "triage_date"\n'
     'message = "{nonsense} days"', "unknown field(s) nonsense"),
])
def test_bad_new_rule_is_refused_with_file_rule_and_reason(tmp_path: Path, body: str, reason: str) -> None:
    path = _write(tmp_path, f'# my rules\n\n[[rule]]\nid = "my-rule"\ncategory = "data-quality"\n'
                            f'severity = "warning"\n{body}\n')
    with pytest.raises(CatalogueError) as info:
        load(path)
    err = info.value
    assert err.file == "mine.toml" and err.rule == "my-rule" and err.line == 4
    assert reason in err.reason
    assert str(err).startswith("mine.toml, line 4, rule 'my-rule': ")


@pytest.mark.parametrize("body, reason", [
    ('severity = "fatal"', "severity 'fatal' is not one of error, warning, info"),
    ('max_dayz = 3', "unknown parameter 'max_dayz'"),
    ('max_days = -3', "whole number of days"),
    ('enabled = "no"', "'enabled' must be true or false"),
])
def test_bad_override_is_refused(tmp_path: Path, body: str, reason: str) -> None:
    path = _write(tmp_path, f'[[rule]]\nid = "triage-within-6-weeks"\n{body}\n')
    with pytest.raises(CatalogueError) as info:
        load(path)
    assert info.value.rule == "triage-within-6-weeks"
    assert reason in info.value.reason


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[rule]]\nid = "x"\nseverity = error\n')
    with pytest.raises(CatalogueError) as info:
        load(path)
    assert info.value.file == "mine.toml" and info.value.line == 3


def test_a_new_rule_needs_category_and_severity(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="missing 'severity'"):
        load(_write(tmp_path, '[[rule]]\nid = "x-rule"\ncategory = "data-quality"\nkind = "required"\n'
                              'table = "episodes"\ncolumns = ["dob"]\n'))


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    cat = default_catalogue().changed("wait-within-3-weeks", severity="error", max_days=28)
    cat = cat.changed("substances-consistent", enabled=False)
    path = tmp_path / "saved.toml"
    save(cat, path)
    again = parse(path.read_text(encoding="utf-8"), source="saved.toml")
    assert again == cat
    assert again.get("wait-within-3-weeks").severity == "error"
    assert all(c.params["max_days"] == 28 for c in again.get("wait-within-3-weeks").checks)
    assert again.get("substances-consistent").enabled is False
    assert to_toml(again) == path.read_text(encoding="utf-8")


def test_text_with_quotes_and_newlines_survives_saving(tmp_path: Path) -> None:
    cat = default_catalogue().changed("dob-plausible", title='Date of birth "plausible"\nand \\ sane')
    path = tmp_path / "saved.toml"
    save(cat, path)
    assert load(path).get("dob-plausible").title == 'Date of birth "plausible"\nand \\ sane'


def test_changed_refuses_bad_values() -> None:
    with pytest.raises(CatalogueError):
        default_catalogue().changed("triage-within-6-weeks", severity="loud")
