"""The product's one writer (``app.atomic``): whole or nothing, owner-only, and a file open in Excel
(which Windows will not let anyone replace) gets a message saying to close it."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from app import atomic
from app.errors import InputError


def test_a_file_is_written_whole_and_only_its_owner_can_read_it(tmp_path: Path) -> None:
    out = atomic.write_text(tmp_path / "report.html", "<p>ok</p>")
    assert out.read_text(encoding="utf-8") == "<p>ok</p>"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
    if sys.platform != "win32":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    out = tmp_path / "return.xlsx"
    out.write_bytes(b"the old return")

    def half(tmp: Path) -> None:
        tmp.write_bytes(b"half a ret")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        atomic.atomic_write(out, half)
    assert out.read_bytes() == b"the old return" and [p.name for p in tmp_path.iterdir()] == ["return.xlsx"]


def test_an_output_open_in_excel_says_to_close_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "Anytown audit trail.xlsx"
    out.write_bytes(b"open in Excel")

    def locked(src, dst) -> None:  # what Windows does while Excel holds the file
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(InputError) as refused:
        atomic.write_text(out, "new")
    message = str(refused.value)
    assert "close it and try again" in message and "Anytown audit trail.xlsx" in message and "\n" not in message
    assert out.read_bytes() == b"open in Excel" and [p.name for p in tmp_path.iterdir()] == [out.name]


def test_validation_reports_are_owner_only(tmp_path: Path) -> None:
    import datetime as dt

    import app.synth as synth
    import rules.schema as schema
    from app.reports import write_report
    from rules.engine import evaluate

    s = synth.generate(providers=1, episodes=40, seed=2, defects=0.05, as_at=dt.date(2025, 7, 15))
    typed, found = schema.check(s.raw)
    report = evaluate(typed, schema_findings=found)
    for name in ("report.html", "report.xlsx", "report.json"):
        out = write_report(tmp_path / name, report, identifiers=True)
        assert out.stat().st_size > 0
        if sys.platform != "win32":
            assert stat.S_IMODE(out.stat().st_mode) == 0o600, name


def test_a_killed_runs_hidden_leftover_is_cleared_on_the_next_run(tmp_path: Path) -> None:
    out = tmp_path / "committee_report_2025-26_Q2.docx"
    leftover = tmp_path / ".committee_report_2025-26_Q2-k1ll3d.docx.tmp"     # what a killed run leaves
    recent = tmp_path / ".committee_report_2025-26_Q2-running.docx.tmp"      # another run, still writing
    other = tmp_path / ".national_quarterly_return_2025-26_Q2-k1ll3d.xlsx.tmp"
    for p in (leftover, recent, other):
        p.write_bytes(b"half")
    stale = os.stat(leftover).st_mtime - atomic.LEFTOVER_SECONDS - 60
    os.utime(leftover, (stale, stale))
    os.utime(other, (stale, stale))
    atomic.write_text(out, "report")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, recent.name, other.name])
