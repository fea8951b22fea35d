"""Every corpus file that cannot be imported gives one InputError line naming where, fast, via the CLI too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from corpus_refused import REFUSED

from app.cli import main
from app.errors import InputError
from app.extracts import open_extracts


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("refused")
    for name, (make, _, _) in REFUSED.items():
        make(folder / name)
    return folder


@pytest.mark.parametrize("name", list(REFUSED))
def test_refused_with_one_line_naming_where(corpus_dir: Path, name: str) -> None:
    _, (sheet, row, column), words = REFUSED[name]
    with pytest.raises(InputError) as caught:
        open_extracts([corpus_dir / name])
    err = caught.value
    assert (err.file, err.sheet, err.row, err.column) == (name, sheet, row, column)
    assert words in err.reason
    text = str(err)
    assert "\n" not in text and "Traceback" not in text and len(text) < 400
    assert text.startswith(name)


@pytest.mark.parametrize("name", list(REFUSED))
def test_validate_exits_2_with_the_same_line(corpus_dir: Path, name: str,
                                             capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError) as caught:
        open_extracts([corpus_dir / name])
    capfd.readouterr()
    code = main(["validate", str(corpus_dir / name), "--as-at", "2025-07-15", "--format", "json"])
    out, err = capfd.readouterr()                  # file descriptors: the readers' own stderr shows up too
    assert code == 2
    assert out == ""                               # nothing half-written on stdout for tools to misread
    assert err == f"treatment-returns: {caught.value}\n"


def test_zip_bomb_is_refused_before_inflating(corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    bomb = corpus_dir / "zip_bomb.xlsx"
    assert bomb.stat().st_size < 1_000_000          # small on disk, 200 MB declared inside
    opened: list[int] = []
    real_open = zipfile.ZipFile.open

    def watched(self, name, *args, **kwargs):       # every part anyone inflates, by its declared size
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        opened.append(info.file_size)
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", watched)
    with pytest.raises(InputError, match="zip bomb"):
        open_extracts([bomb])
    assert all(size < 32 * 2**20 for size in opened)   # refused from the declared sizes: the big part never read


def test_a_real_process_prints_one_line_and_exits_2(corpus_dir: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "app", "validate", str(corpus_dir / "password.xlsx")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith("treatment-returns: password.xlsx: the workbook is password-protected")
    assert "remove the password in Excel" in lines[0]


def test_a_pipe_named_like_an_extract_is_refused_at_once(tmp_path: Path) -> None:
    import os

    pipe = tmp_path / "episodes.csv"
    os.mkfifo(pipe)                                   # reading it would wait for a writer for ever
    with pytest.raises(InputError, match="not a regular file") as caught:
        open_extracts([pipe])
    assert caught.value.file == "episodes.csv"
