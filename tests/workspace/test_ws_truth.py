"""Workspaces tell the truth: a damaged file, a full disk and a failed Save As each give one line
naming the file, and leave nothing half-written behind (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest
from wsdata import import_all, synthetic

from app.cli import main
from app.workspace import Workspace, WorkspaceError
from app.workspace.store import Store


@pytest.fixture
def made(tmp_path: Path) -> Path:
    path = tmp_path / "Anytown 2025-26 Q2.trworkspace"
    with Workspace.create(path, partnership="Anytown", year="2025-26") as ws:
        import_all(ws, synthetic(episodes=40), tmp_path)
        ws.edit("episodes", 0, "postcode", "ZZ1 1ZZ", reason="typo")
    return path


def test_a_damaged_file_is_refused_in_one_line(made: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = bytearray(made.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    data[2 * page: 4 * page] = b"\x5a" * (2 * page)   # two pages of the tables overwritten
    made.write_bytes(bytes(data))
    with pytest.raises(WorkspaceError) as refused:
        Workspace.open(made)
    message = str(refused.value)
    assert "damaged" in message and made.name in message and "\n" not in message
    assert main(["audit", "--workspace", str(made)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "damaged" in err and "Traceback" not in err


def test_a_full_disk_says_so_and_the_change_is_not_half_saved(made: Path) -> None:
    with Workspace.open(made) as ws:
        before = len(ws.history())
        pages = ws._store.conn.execute("PRAGMA page_count").fetchone()[0]
        ws._store.conn.execute(f"PRAGMA max_page_count = {pages}")   # the disk has no room for one more page
        rows = list(range(len(ws.tables().episodes)))
        with pytest.raises(WorkspaceError) as refused:
            ws.bulk_replace("episodes", "client_ref", {v: "X" * 2000 for v in set(ws.tables().episodes["client_ref"])},
                            rows=rows, reason="fill")
        assert str(refused.value).startswith(f"{made}: the disk is full")
        assert "rollback" not in str(refused.value)
    with Workspace.open(made) as again:   # what was saved before is whole; the refused step is not there
        assert len(again.history()) == before
        assert again.tables().episodes.at[0, "postcode"] == "ZZ1 1ZZ"


def test_a_save_as_that_fails_leaves_no_file(made: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "copy" / "Anytown copy.trworkspace"
    real_create = Store.create

    def cramped(path: Path) -> Store:   # the copy's disk fills up at once
        store = real_create(path)
        store.conn.execute("PRAGMA max_page_count = 2")
        return store

    monkeypatch.setattr(Store, "create", staticmethod(cramped))
    with Workspace.open(made) as ws:
        with pytest.raises(WorkspaceError, match="the disk is full"):
            ws.save_copy(target)
    assert not target.exists() and list(target.parent.iterdir()) == []


def _read_only_medium(monkeypatch: pytest.MonkeyPatch) -> None:
    """What opening for writing says on a read-only medium (root, as the tests run, may write anywhere)."""
    def refused(path: Path) -> Store:
        raise WorkspaceError("cannot open the workspace (attempt to write a readonly database)", file=str(path))

    monkeypatch.setattr(Store, "open", staticmethod(refused))


def test_a_workspace_on_a_read_only_medium_is_read_for_measures_and_generate(
        made: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    before = made.read_bytes()
    _read_only_medium(monkeypatch)
    assert main(["measures", "--workspace", str(made), "--period", "2025-26 Q1", "--format", "json"]) == 0
    capsys.readouterr()
    out = tmp_path / "returns"
    assert main(["generate", "--workspace", str(made), "--period", "2025-26 Q1", "--out", str(out), "--draft"]) == 0
    printed = capsys.readouterr()
    assert "read-only: no snapshot" in printed.err and len(list(out.iterdir())) == 2
    assert made.read_bytes() == before and not Path(f"{made}-wal").exists()   # not a byte written


def test_a_read_only_workspace_refuses_any_change(made: Path) -> None:
    before = made.read_bytes()
    with Workspace.open(made, read_only=True) as ws:
        assert ws.read_only and ws.tables().episodes.at[0, "postcode"] == "ZZ1 1ZZ"
        with pytest.raises(WorkspaceError, match="opened read-only"):
            ws.edit("episodes", 0, "postcode", "ZZ2 2ZZ")
    assert made.read_bytes() == before
