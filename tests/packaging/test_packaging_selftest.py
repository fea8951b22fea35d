"""The ``--selftest`` job from the source tree: passes, keeps its outputs, fails clearly, and the
bundle's entry point routes ``--selftest`` before the command line (the whole run with Qt is in
test_packaging_spec.py, which also checks the modules it loads)."""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from app import __version__, selftest
from app.cli import selftest as selftest_command

ROOT = Path(__file__).resolve().parents[2]
ENTRY = ROOT / "packaging" / "entry.py"


def test_selftest_without_qt_passes_and_keeps_what_it_wrote(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    selftest_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["selftest", "--no-gui", "--keep", str(tmp_path / "kept")])
    out = io.StringIO()
    assert selftest.run(gui=not args.no_gui, keep=args.keep, out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[-1].startswith("selftest: passed")
    assert "selftest: skip main window offscreen (--no-gui)" in lines
    assert sum(line.startswith("selftest: ok") for line in lines) == len(selftest.STEPS) - 1
    kept = tmp_path / "kept"
    assert sorted(p.name for p in (kept / "extracts").glob("*.xlsx")) == ["N9001_extract.xlsx", "N9002_extract.xlsx"]
    workbook = next((kept / "returns").glob("*_DRAFT.xlsx"))
    assert any("DRAFT" in str(c) for c in next(openpyxl.load_workbook(workbook).worksheets[0].iter_rows(
        max_row=1, values_only=True)))
    assert list((kept / "returns").glob("*_DRAFT.docx"))


def test_a_missing_template_fails_at_the_first_step_with_its_name(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import app.returns.generate as generate

    empty = tmp_path / "templates"
    empty.mkdir()
    monkeypatch.setattr(generate, "templates_dir", lambda: empty)
    out = io.StringIO()
    assert selftest.run(gui=False, out=out) == 1
    text = out.getvalue()
    assert text.startswith("selftest: FAILED at 'resources': check failed: template(s) not found: ")
    assert str(empty / "national_quarterly_return.xlsx") in text
    assert "passed" not in text


def test_a_wrong_figure_in_the_workbook_is_caught(tmp_path: Path) -> None:
    """The workbook check compares a cell with the computed count: a changed cell fails it."""
    out = io.StringIO()
    assert selftest.run(gui=False, keep=tmp_path, out=out) == 0
    state = selftest.State(folder=tmp_path, gui=False)
    state.paths = sorted((tmp_path / "extracts").glob("*.xlsx"))
    selftest.open_and_validate(state)
    selftest.compute_measures(state)
    state.values["outputs"] = {".xlsx": next((tmp_path / "returns").glob("*.xlsx"))}
    referrals = state.values["measures"].counts["referrals"]
    book = openpyxl.load_workbook(state.values["outputs"][".xlsx"])
    cell = next(row[1:] for sheet in book.worksheets for row in sheet.iter_rows()
                if row[0].value == referrals.title)
    first = next(c for c in cell if isinstance(c.value, int))
    first.value += 1
    book.save(state.values["outputs"][".xlsx"])
    with pytest.raises(selftest.SelftestFailure, match=f"{referrals.title} row shows"):
        selftest.reopen_workbook(state)


def test_the_entry_point_hands_everything_else_to_the_command_line() -> None:
    version = subprocess.run([sys.executable, str(ENTRY), "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.strip() == f"treatment-returns {__version__}"
    usage = subprocess.run([sys.executable, str(ENTRY), "--selftest", "--help"], capture_output=True, text=True,
                           timeout=60)
    assert usage.returncode == 0 and "treatment-returns --selftest" in usage.stdout and "--no-gui" in usage.stdout
    bad = subprocess.run([sys.executable, str(ENTRY), "--selftest", "--bogus"], capture_output=True, text=True,
                         timeout=60)
    assert bad.returncode == 2 and "unrecognized arguments: --bogus" in bad.stderr
