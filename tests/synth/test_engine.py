"""The generator against the real reader, schema and rule engine (built by other developers).

Clean files read back to exactly ``schema.check(raw)``; the engine finds no error in clean data,
and with defects its error findings are exactly the manifest's, each warning defect is reported.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests.synth.conftest import AS_AT
from tests.synth.test_defects import ERROR_RULES, SCHEMA, _expected

import app.extracts as extracts
import rules.engine as engine
import rules.schema as schema
from app.synth import Synthetic, generate, write
from rules.tables import Tables

KEYS = {"episodes": ["_file", "_row"], "modalities": ["_file", "_row", "modality_id"],
        "tops": ["_file", "_row", "top_id"]}


def _same_tables(got: Tables, want: Tables) -> None:
    for table, key in KEYS.items():
        a = got.get(table).sort_values(key, kind="stable").reset_index(drop=True)
        b = want.get(table).sort_values(key, kind="stable").reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, check_dtype=True)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "flat-xlsx"])
@pytest.mark.parametrize("defects", [0.0, 0.05])
def test_files_read_back_to_the_typed_raw(tmp_path: Path, fmt: str, defects: float) -> None:
    synthetic = generate(providers=4, episodes=300, seed=2, defects=defects, as_at=AS_AT, fmt=fmt)
    opened = extracts.open_extracts(write(synthetic, tmp_path))
    typed, findings = schema.check(synthetic.raw)
    assert opened.tables.as_at == AS_AT and opened.raw.files == synthetic.raw.files
    _same_tables(opened.tables, typed)
    if defects == 0:  # plain style: even the raw text is the same
        for table in KEYS:
            got = opened.raw.get(table).astype(object)
            got = got.where(got.notna(), None)
            assert got.to_dict("records") == synthetic.raw.get(table).to_dict("records")
    got = sorted(zip(opened.findings["rule"], opened.findings["file"], opened.findings["row"], strict=True))
    assert got == sorted(zip(findings["rule"], findings["file"], findings["row"], strict=True))


def _evaluate(synthetic: Synthetic) -> pd.DataFrame:
    typed, schema_findings = schema.check(synthetic.raw)
    return engine.evaluate(typed, schema_findings=schema_findings).findings


@pytest.mark.parametrize("fmt", ["xlsx", "flat-xlsx"])
def test_engine_finds_no_error_in_clean_data(fmt: str) -> None:
    findings = _evaluate(generate(providers=3, episodes=800, seed=1, as_at=AS_AT, fmt=fmt))
    errors = findings[findings["severity"] == "error"]
    assert errors.empty, errors[["rule", "record", "fields", "values"]].head(10).to_string()
    assert (findings["category"] == "performance").any()  # warnings occur naturally


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "flat-xlsx"])
def test_engine_errors_are_exactly_the_manifest(fmt: str) -> None:
    synthetic = generate(providers=4, episodes=800, seed=3, defects=0.06, as_at=AS_AT, fmt=fmt)
    findings = _evaluate(synthetic)
    errors = findings[findings["severity"] == "error"]
    got = sorted(zip(errors["rule"], errors["table"], errors["file"], errors["row"].astype(int), errors["record"],
                     strict=True))
    assert got == _expected(synthetic.manifest)
    flat_cannot = {"orphan-rows", "invalid-number", "out-of-range"} if fmt == "flat-xlsx" else set()
    assert {r for r, *_ in got} == (ERROR_RULES | SCHEMA) - flat_cannot


def test_engine_reports_every_warning_defect() -> None:
    synthetic = generate(providers=3, episodes=800, seed=4, defects=0.06, as_at=AS_AT)
    findings = _evaluate(synthetic)
    found = set(zip(findings["rule"], findings["table"], findings["file"], findings["row"].astype(int), strict=True))
    warnings = [d for d in synthetic.manifest if d.rule not in ERROR_RULES | SCHEMA]
    assert warnings
    missing = [d for d in warnings if (d.rule, d.table, d.file, d.row) not in found]
    assert missing == []
