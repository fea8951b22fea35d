"""``treatment-returns measures``: JSON shape of spec/cli.md, table output, settings file, exit codes."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from app.cli import main
from app.synth import generate, write
from rules.measures import COUNT_IDS, MEASURE_IDS, compute
from rules.periods import parse_period
from rules.schema import check

AS_AT = dt.date(2025, 10, 15)


@pytest.fixture(scope="module")
def extracts(tmp_path_factory):
    out = tmp_path_factory.mktemp("extracts")
    synthetic = generate(providers=2, episodes=300, seed=11, defects=0.0, as_at=AS_AT, fmt="csv")
    return synthetic, write(synthetic, out)  # one folder of three CSV files per provider


def run(capsys, *argv):
    code = main(["measures", *map(str, argv)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_has_the_spec_shape_and_matches_compute(extracts, capsys):
    synthetic, files = extracts
    code, out, _ = run(capsys, *files, "--period", "2025-26 Q1", "--as-at", AS_AT, "--format", "json",
                       "--by", "provider_code")
    assert code == 0
    doc = json.loads(out)
    assert doc["period"] == {"label": "2025-26 Q1", "start": "2025-04-01", "end": "2025-06-30"}
    assert doc["as_at"] == "2025-10-15"
    assert doc["settings"]["triage_target_days"] == 42 and doc["settings"]["planned_reasons"] == ["TCDF", "TCOU"]
    assert list(doc["counts"]) == list(COUNT_IDS) and list(doc["measures"]) == list(MEASURE_IDS)
    for m in doc["measures"].values():
        assert {"unit", "numerator", "denominator", "percent", "pending", "excluded", "available"} <= set(m)
    assert set(doc["by"]["provider_code"]) == set(synthetic.providers)
    assert doc["restricted"] is True
    typed, _ = check(synthetic.raw)
    direct = compute(typed, parse_period("2025-26 Q1"), as_at=AS_AT).to_json()
    assert doc["counts"] == direct["counts"] and doc["measures"] == direct["measures"]


def test_table_output_and_settings_file(extracts, capsys, tmp_path):
    _, files = extracts
    settings = tmp_path / "settings.toml"
    settings.write_text('triage_target_days = 10\nplanned_reasons = ["TCDF", "TCOU", "TRNC"]\n'
                        '[targets]\ntriage_within_6_weeks = 50\n', encoding="utf-8")
    code, out, _ = run(capsys, *files, "--period", "2025-26-Q1", "--as-at", AS_AT, "--settings", settings)
    assert code == 0
    assert out.startswith("Restricted - not for publication")
    assert "triage_within_6_weeks" in out and "top_review" in out
    assert "triage_target_days = 10" in out and "'TRNC'" in out
    as_json = tmp_path / "settings.json"
    as_json.write_text(json.dumps({"triage_target_days": 10}), encoding="utf-8")
    code, out, _ = run(capsys, *files, "--period", "2025-26", "--as-at", AS_AT, "--settings", as_json,
                       "--format", "json")
    assert code == 0 and json.loads(out)["settings"]["triage_target_days"] == 10


@pytest.mark.parametrize("argv", [
    ("--period", "2025-26 Q7"),
    ("--period", "2025-26", "--by", "postcode"),
    ("--period", "2025-26", "--as-at", "15.10.2025"),
])
def test_bad_usage_exits_2(extracts, capsys, argv):
    _, files = extracts
    with pytest.raises(SystemExit) as exc:
        run(capsys, *files, *argv)
    assert exc.value.code == 2


def test_bad_settings_file_exits_2_naming_the_file(extracts, capsys, tmp_path):
    _, files = extracts
    bad = tmp_path / "bad.toml"
    bad.write_text("no_such_setting = 3\n", encoding="utf-8")
    code, _, err = run(capsys, *files, "--period", "2025-26", "--settings", bad)
    assert code == 2 and "bad.toml" in err and "no_such_setting" in err
