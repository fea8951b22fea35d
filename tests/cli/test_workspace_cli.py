"""`measures` and `generate` on a saved workspace: its edits count, and a generated return is snapshotted."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from app.cli import main
from app.extracts import read_extract
from app.synth import generate, write
from app.workspace import Workspace
from rules.tables import Tables

AS_AT = dt.date(2026, 1, 15)
PERIOD = "2025-26 Q2"
Q2_START, Q2_END = pd.Timestamp("2025-07-01"), pd.Timestamp("2025-09-30")


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    """A workspace holding two providers' real extract files, as imported."""
    paths = write(generate(providers=2, episodes=300, seed=3, defects=0.0, as_at=AS_AT), tmp_path / "extracts")
    path = tmp_path / "partnership.trworkspace"
    with Workspace.create(path, partnership="Testshire", year="2025-26") as ws:
        for extract_path in paths:
            raw = read_extract(extract_path)
            tables = Tables(**{name: raw.tables.get(name) for name in ("episodes", "modalities", "tops")},
                            as_at=raw.as_at, files=raw.files)
            ws.import_source(tables, file_path=extract_path, profile=None)
    return path


def _measures(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["measures", *args, "--period", PERIOD, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_measures_on_a_workspace_follow_its_edits(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _measures(capsys, "--workspace", str(workspace))
    with Workspace.open(workspace) as ws:
        episodes = ws.tables().episodes
        discharged = pd.to_datetime(episodes["discharge_date"]).between(Q2_START, Q2_END)
        unplanned = discharged & ~episodes["discharge_reason"].isin(["TCDF", "TCOU"])
        position = int(unplanned.to_numpy().nonzero()[0][0])
        ws.edit("episodes", position, "discharge_reason", "TCDF", reason="provider confirmed completion")
    after = _measures(capsys, "--workspace", str(workspace))
    planned_before = before["measures"]["planned_exits"]
    planned_after = after["measures"]["planned_exits"]
    assert planned_after["denominator"] == planned_before["denominator"]
    assert planned_after["numerator"] == planned_before["numerator"] + 1


def test_files_and_workspace_together_are_refused(workspace: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["measures", str(workspace), "--workspace", str(workspace), "--period", PERIOD]) == 2
    assert "not both" in capsys.readouterr().err


def test_generate_from_a_workspace_keeps_a_snapshot(workspace: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "returns"
    code = main(["generate", "--workspace", str(workspace), "--period", PERIOD, "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert printed.out.split() == [str(out / "national_quarterly_return_2025-26_Q2.xlsx"),
                                   str(out / "committee_report_2025-26_Q2.docx")]
    written = sorted(p.name for p in out.iterdir())
    assert written == ["committee_report_2025-26_Q2.docx", "national_quarterly_return_2025-26_Q2.xlsx"]
    expected = _measures(capsys, "--workspace", str(workspace))
    with Workspace.open(workspace) as ws:
        snapshot = ws.snapshot(PERIOD)
    assert snapshot is not None
    assert snapshot["measures"]["planned_exits"] == expected["measures"]["planned_exits"]
    assert snapshot["counts"] == expected["counts"]


def test_a_workspace_open_elsewhere_is_a_clear_error(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom app.workspace import Workspace\n"
         f"ws = Workspace.open({str(workspace)!r})\nprint('open', flush=True)\ntime.sleep(30)\n"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        assert main(["measures", "--workspace", str(workspace), "--period", PERIOD]) == 2
        assert "open in another window" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()


def test_generate_holds_the_workspace_for_the_whole_run(workspace: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """No one can change the workspace between reading it and keeping the snapshot of what was made."""
    import app.returns.generate as returns_generate
    from app.workspace import WorkspaceLocked

    real = returns_generate.generate_returns
    tried: list[str] = []

    def while_filling(*args, **kwargs):
        try:
            Workspace.open(workspace).close()
            tried.append("opened")
        except WorkspaceLocked:
            tried.append("locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(returns_generate, "generate_returns", while_filling)
    code = main(["generate", "--workspace", str(workspace), "--period", PERIOD, "--out", str(tmp_path / "out"),
                 "--draft"])
    assert code == 0, capsys.readouterr().err
    assert tried == ["locked"]
    with Workspace.open(workspace) as ws:   # released at the end
        assert ws.snapshot(PERIOD) is not None
