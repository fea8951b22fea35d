"""``treatment-returns validate``: JSON shape, exit codes 0/1/2, and the report files it writes."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

import app.extracts  # noqa: F401 - imported plainly: a broken module fails
import app.synth as synth
from app.cli import main

AS_AT = dt.date(2025, 7, 15)


def _write(tmp: Path, defects: float, seed: int):
    s = synth.generate(providers=2, episodes=160, seed=seed, defects=defects, as_at=AS_AT)
    return s, synth.write(s, tmp)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory):
    return _write(tmp_path_factory.mktemp("clean"), 0.0, 3)


@pytest.fixture(scope="module")
def dirty(tmp_path_factory: pytest.TempPathFactory):
    return _write(tmp_path_factory.mktemp("dirty"), 0.05, 4)


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_clean_extracts_exit_0_with_a_table(clean, capsys) -> None:
    _, paths = clean
    code, out, _ = run(capsys, "validate", *paths, "--as-at", AS_AT.isoformat())
    assert code == 0
    assert out.startswith("Validation as at 2025-07-15: 2 files (")
    assert "\n0 errors, " in out


def test_errors_exit_1_and_json_has_the_spec_shape(dirty, capsys) -> None:
    s, paths = dirty
    code, out, _ = run(capsys, "validate", *paths, "--as-at", AS_AT.isoformat(), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert set(data) == {"as_at", "summary", "findings"}
    assert data["as_at"] == "2025-07-15"
    summary = data["summary"]
    assert summary["files"] == 2
    assert set(summary["rows"]) == {"episodes", "modalities", "tops"}
    assert summary["rows"]["episodes"] == len(s.raw.episodes)
    assert summary["errors"] == sum(f["severity"] == "error" for f in data["findings"]) > 0
    assert summary["warnings"] == sum(f["severity"] == "warning" for f in data["findings"])
    assert sum(summary["by_rule"].values()) == len(data["findings"])
    for f in data["findings"]:
        assert set(f) == {"rule", "severity", "category", "file", "table", "row", "record", "fields",
                          "values", "message"}
        assert isinstance(f["row"], int) and isinstance(f["fields"], list)
        assert len(f["fields"]) == len(f["values"])
        assert re.fullmatch(r"N\d{4}/.+", f["record"])
    found = {(f["rule"], f["file"], f["table"], f["row"]) for f in data["findings"] if f["severity"] == "error"}
    injected = {(d.rule, d.file, d.table, d.row) for d in s.manifest}
    assert found <= injected


def test_out_files_are_written_and_reopen(dirty, capsys, tmp_path: Path) -> None:
    s, paths = dirty
    as_json = tmp_path / "report.json"
    code, out, _ = run(capsys, "validate", *paths, "--as-at", "2025-07-15", "--format", "json", "--out", as_json)
    assert code == 1
    from app.reports.redact import redact_json

    stdout_json = json.loads(out)
    withheld = {**stdout_json, "findings": redact_json(stdout_json["findings"])}
    assert withheld != stdout_json  # the dirty partnership has findings on identifying fields
    assert json.loads(as_json.read_text(encoding="utf-8")) == withheld
    code, _, _ = run(capsys, "validate", *paths, "--as-at", "2025-07-15", "--out", as_json, "--identifiers")
    assert json.loads(as_json.read_text(encoding="utf-8")) == stdout_json
    findings = stdout_json["findings"]

    as_xlsx = tmp_path / "report.xlsx"
    assert run(capsys, "validate", *paths, "--as-at", "2025-07-15", "--out", as_xlsx)[0] == 1
    ws = load_workbook(as_xlsx)["Findings"]
    assert ws.max_row == len(findings) + 1
    triage = [f for f in findings if f["rule"] == "triage-not-before-referral"][0]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    match = [r for r in rows if r[0] == triage["rule"] and r[4] == triage["file"] and r[6] == triage["row"]]
    assert len(match) == 1
    assert match[0][7] == triage["record"] and match[0][10] == triage["message"]
    assert match[0][9] == ", ".join(triage["values"])

    as_html = tmp_path / "report.html"
    code, out, _ = run(capsys, "validate", *paths, "--as-at", "2025-07-15", "--out", as_html)
    assert code == 1 and f"Report written to {as_html}" in out
    html = as_html.read_text(encoding="utf-8")
    assert triage["message"] in html
    eps = s.raw.episodes
    for column in ("client_ref", "dob", "postcode"):
        for value in eps[column].dropna().unique():
            assert not re.search(r"(?<![\w-])" + re.escape(str(value)) + r"(?![\w-])", html), (column, value)


def test_bad_input_and_usage_exit_2(clean, capsys, tmp_path: Path) -> None:
    _, paths = clean
    with pytest.raises(SystemExit) as info:
        main(["validate", str(tmp_path / "nope.xlsx")])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["validate", str(paths[0]), "--out", str(tmp_path / "r.pdf")])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["validate", str(paths[0]), "--as-at", "31/06/2025"])
    assert info.value.code == 2
    capsys.readouterr()
    junk = tmp_path / "notes.txt"
    junk.write_text("hello\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", junk)
    assert code == 2 and err.startswith("treatment-returns: ") and len(err.strip().splitlines()) == 1


def test_a_user_catalogue_is_used_and_a_bad_one_refused(clean, capsys, tmp_path: Path) -> None:
    _, paths = clean
    strict = tmp_path / "strict.toml"
    strict.write_text('[[rule]]\nid = "triage-within-6-weeks"\nseverity = "error"\n', encoding="utf-8")
    code, out, _ = run(capsys, "validate", *paths, "--as-at", "2025-07-15", "--rules", strict, "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert {f["severity"] for f in data["findings"] if f["rule"] == "triage-within-6-weeks"} == {"error"}
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rule]]\nid = "my-rule"\ncategory = "data-quality"\nseverity = "error"\nkind = "magic"\n'
                   'table = "episodes"\n', encoding="utf-8")
    code, _, err = run(capsys, "validate", *paths, "--rules", bad)
    assert code == 2
    assert "bad.toml" in err and "my-rule" in err and "unknown kind 'magic'" in err


def test_mapping_profile_is_used_and_a_damaged_one_refused(clean, capsys, tmp_path: Path) -> None:
    from app.extracts import MappingProfile

    _, paths = clean
    profile = tmp_path / "acme.json"
    MappingProfile("acme", {"Notes": ""}, {}).save(profile)
    code, out, _ = run(capsys, "validate", *paths, "--as-at", "2025-07-15", "--mapping", profile)
    assert code == 0 and "0 errors" in out
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "validate", *paths, "--mapping", broken)
    assert code == 2 and "broken.json" in err
