"""``treatment-returns synth``: writes the files and manifest, exits 0; bad options exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main


def test_synth_writes_files_and_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo"
    code = main(["synth", "--out", str(out), "--providers", "2", "--episodes", "150", "--seed", "4",
                 "--defects", "0.03", "--as-at", "2025-06-30"])
    assert code == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(out / "N9001_extract.xlsx"), str(out / "N9002_extract.xlsx"), str(out / "manifest.json")]
    manifest = json.loads((out / "manifest.json").read_text())
    assert {k: manifest[k] for k in ("as_at", "seed", "providers", "episodes", "defects_rate", "format")} == {
        "as_at": "2025-06-30", "seed": 4, "providers": 2, "episodes": 150, "defects_rate": 0.03, "format": "xlsx"}
    assert manifest["defects"] and set(manifest["defects"][0]) == {"rule", "file", "table", "row", "record", "field"}


def test_synth_csv_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["synth", "--out", str(tmp_path), "--episodes", "60", "--format", "csv", "--as-at", "2025-06-30"]) == 0
    names = sorted(p.name for p in (tmp_path / "N9003_extract").iterdir())
    assert names == ["N9003_episodes.csv", "N9003_modalities.csv", "N9003_tops.csv", "about.csv"]
    assert (tmp_path / "N9003_extract" / "about.csv").read_text().splitlines()[0] == "as_at,2025-06-30"


@pytest.mark.parametrize("args", [
    ["--episodes", "0"], ["--episodes", "many"], ["--providers", "-1"], ["--defects", "2"], ["--defects", "x"],
    ["--format", "ods"], ["--as-at", "31/06/2025"], ["--seed", "-3"], ["--colour", "red"],
])
def test_bad_options_exit_2(tmp_path: Path, args: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["synth", "--out", str(tmp_path), *args])
    assert exc.value.code == 2
    assert not (tmp_path / "manifest.json").exists()


def test_missing_out_exits_2() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["synth"])
    assert exc.value.code == 2


def test_as_a_process(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "app", "synth", "--out", str(tmp_path), "--episodes", "40",
                           "--providers", "1", "--format", "flat-xlsx"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "N9001_extract.xlsx").exists() and (tmp_path / "manifest.json").exists()


def test_out_is_a_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "taken.txt"
    target.write_text("not a folder")
    assert main(["synth", "--out", str(target), "--episodes", "10"]) == 2
    assert "taken.txt" in capsys.readouterr().err
