"""The synthetic generator's files read back to exactly the tables it generated."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from app.extracts import open_extracts
from app.synth import writer
from app.synth.generate import generate
from rules import schema

AS_AT = dt.date(2025, 9, 30)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "flat-xlsx"])
def test_clean_synthetic_files_read_back_exactly(tmp_path: Path, fmt: str) -> None:
    generated = generate(providers=2, episodes=60, seed=5, defects=0.0, as_at=AS_AT, fmt=fmt)
    paths = writer.write(generated, tmp_path)
    opened = open_extracts(paths)
    assert opened.findings.empty
    assert opened.tables.as_at == AS_AT
    expected, _ = schema.check(generated.raw)
    for table in ("episodes", "modalities", "tops"):
        got = opened.tables.get(table)
        want = expected.get(table)
        key = ["_file", "_row"] + (["modality_id"] if table == "modalities" else [])
        key += ["top_id"] if table == "tops" else []
        got = got.sort_values(key).reset_index(drop=True)
        want = want.sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want, check_dtype=True)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "flat-xlsx"])
def test_messy_synthetic_files_read_back_outside_the_defects(tmp_path: Path, fmt: str) -> None:
    """Providers' styles (national headers, titles, labels, dd/mm/yyyy, dd-Mon-yyyy, stray spaces)."""
    generated = generate(providers=4, episodes=40, seed=9, defects=0.05, as_at=AS_AT, fmt=fmt)
    paths = writer.write(generated, tmp_path)
    opened = open_extracts(paths)
    expected, _ = schema.check(generated.raw)
    defect_rows = {(d.file, d.table, d.row) for d in generated.manifest}
    for table in ("episodes", "modalities", "tops"):
        got, want = opened.tables.get(table), expected.get(table)
        assert len(got) == len(want)
        keep = [(f, table, r) not in defect_rows for f, r in zip(want["_file"], want["_row"], strict=True)]
        key = ["_file", "_row"] + (["modality_id"] if table == "modalities" else [])
        key += ["top_id"] if table == "tops" else []
        want = want[keep].sort_values(key).reset_index(drop=True)
        got = got.merge(want[key], on=key).sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want, check_dtype=True)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "flat-xlsx"])
def test_schema_findings_are_exactly_the_injected_schema_defects(tmp_path: Path, fmt: str) -> None:
    from rules.findings import SCHEMA_RULES

    generated = generate(providers=4, episodes=200, seed=11, defects=0.05, as_at=AS_AT, fmt=fmt)
    opened = open_extracts(writer.write(generated, tmp_path))
    want = {(d.rule, d.file, d.table, d.row, d.field) for d in generated.manifest if d.rule in SCHEMA_RULES}
    got = {(f.rule, f.file, f.table, int(f.row), f.fields[0]) for f in opened.findings.itertuples()}
    assert want and got == want
