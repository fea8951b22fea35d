"""The workspace records the hash of the bytes its rows were read from, not of whatever is on disk later.

A provider's file replaced (or deleted) between reading it and making the workspace must not leave
the new file's sha256 beside the old file's rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

import app.extracts
from app.extracts import open_extracts
from app.session import Session
from app.synth import generate, write
from app.workspace import Workspace
from rules.columns import SOURCE_FILE, TABLES
from rules.tables import Tables

AS_AT = dt.date(2026, 1, 15)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _extracts(folder: Path, *, fmt: str = "xlsx", seed: int = 5) -> list[Path]:
    return write(generate(providers=2, episodes=40, seed=seed, defects=0.0, as_at=AS_AT, fmt=fmt), folder)


def _one_file(raw: Tables, name: str) -> Tables:
    frames = {t: f[f[SOURCE_FILE] == name].reset_index(drop=True) for t in TABLES if (f := raw.get(t)) is not None}
    return Tables(**frames, as_at=raw.as_at, files=[name])


def test_a_file_replaced_after_reading_keeps_the_hash_of_what_was_read(tmp_path: Path) -> None:
    first = _extracts(tmp_path / "first")[0]
    other = _extracts(tmp_path / "other", seed=6)[0]
    original = first.read_bytes()
    opened = open_extracts([first], as_at=AS_AT)
    first.write_bytes(other.read_bytes())                 # the provider sends a new file meanwhile
    assert _sha(first.read_bytes()) != _sha(original)
    with Workspace.create(tmp_path / "a.trworkspace", partnership="Test", year="2025-26") as ws:
        ws.import_source(_one_file(opened.raw, first.name), file_path=first, profile=None,
                         digests=opened.digests)
        stored = ws.sources()["sha256"].tolist()
    assert stored == [_sha(original)]
    # Without the digests of what was read, only the file as it is now could be hashed (the old fault).
    with Workspace.create(tmp_path / "b.trworkspace", partnership="Test", year="2025-26") as ws:
        ws.import_source(_one_file(opened.raw, first.name), file_path=first, profile=None)
        assert ws.sources()["sha256"].tolist() == [_sha(first.read_bytes())]


def test_a_file_deleted_after_reading_is_still_recorded(tmp_path: Path) -> None:
    first = _extracts(tmp_path / "x")[0]
    original = first.read_bytes()
    opened = open_extracts([first], as_at=AS_AT)
    first.unlink()
    with Workspace.create(tmp_path / "c.trworkspace", partnership="Test", year="2025-26") as ws:
        ws.import_source(_one_file(opened.raw, first.name), file_path=first, profile=None,
                         digests=opened.digests)
        assert ws.sources()["sha256"].tolist() == [_sha(original)]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_opening_in_the_app_records_the_bytes_read_when_files_change_before_the_workspace(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    """Through the session: the files are overwritten between reading them and making the workspace."""
    paths = _extracts(tmp_path / "in", fmt=fmt)
    files = {p: p.read_bytes() for p in paths} if fmt == "xlsx" else {
        p: {f: f.read_bytes() for f in sorted(p.iterdir()) if f.suffix == ".csv"} for p in paths}
    real = app.extracts.open_extracts

    def read_then_replace(*args, **kwargs):
        opened = real(*args, **kwargs)
        for p in paths:                              # every file now holds something else
            for f in ([p] if p.is_file() else [f for f in p.iterdir() if f.suffix == ".csv"]):
                f.write_bytes(f.read_bytes() + b"\n")
        return opened

    monkeypatch.setattr(app.extracts, "open_extracts", read_then_replace)
    session = Session()
    session.open_files(paths, workspace_path=tmp_path / "s.trworkspace", as_at=AS_AT)
    stored = dict(zip(session.workspace.sources()["file_name"], session.workspace.sources()["sha256"], strict=True))
    session.workspace.close()
    if fmt == "xlsx":
        expected = {p.name: _sha(data) for p, data in files.items()}
    else:   # a folder of CSV files: the hash of the read files' hashes, in order
        expected = {}
        for folder in files.values():
            used = [f for f in folder if f.name != "about.csv"]
            expected[", ".join(f.name for f in used)] = _sha("\n".join(_sha(folder[f]) for f in used).encode())
    assert stored == expected
