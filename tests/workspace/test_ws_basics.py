"""Create, open, import, working tables, single edits, undo and redo, and persistence."""

from __future__ import annotations

import os
import sqlite3

import pytest
from wsdata import AS_AT, frames_equal, import_all, per_file, source_file, synthetic

from app.workspace import RowLocator, Workspace, WorkspaceError


@pytest.fixture
def raw():
    return synthetic()


def test_import_then_tables_gives_the_rows_as_imported(tmp_path, raw):
    path = tmp_path / "ws.trworkspace"
    with Workspace.create(path, partnership="Anytown", year="2025-26") as ws:
        import_all(ws, raw, tmp_path)
        tables = ws.tables()
    with Workspace.open(path) as ws:
        again = ws.tables()
        assert ws.partnership == "Anytown" and ws.year == "2025-26"
    for t in ("episodes", "modalities", "tops"):
        want = raw.get(t)
        assert frames_equal(tables.get(t)[want.columns], want)
        assert frames_equal(again.get(t)[want.columns], want)
        assert all(v is None or isinstance(v, str) for v in again.get(t)["episode_id"])
    assert again.as_at == AS_AT
    assert again.files == sorted(per_file(raw))


def test_edit_is_saved_and_shows_in_the_working_tables(tmp_path, raw):
    path = tmp_path / "ws.trworkspace"
    with Workspace.create(path, partnership="A", year="2025-26") as ws:
        import_all(ws, raw, tmp_path)
        before = ws.tables().episodes.at[3, "discharge_reason"]
        edit = ws.edit("episodes", 3, "discharge_reason", "INDO" if before != "INDO" else "TCDF",
                       reason="provider confirmed")
        assert edit.old_value == before and edit.position == 3 and edit.reason == "provider confirmed"
        assert edit.record == f"{raw.episodes.at[3, 'provider_code']}/{raw.episodes.at[3, 'episode_id']}"
        assert edit.user and edit.time.endswith("+00:00")
    with Workspace.open(path) as ws:
        assert ws.tables().episodes.at[3, "discharge_reason"] == edit.new_value
        history = ws.history(record=edit.record)
        assert list(history[["field", "old", "new", "reason"]].iloc[0]) == [
            "discharge_reason", before, edit.new_value, "provider confirmed"]


def test_row_locators_all_reach_the_same_row(tmp_path, raw):
    with Workspace.create(tmp_path / "ws.trworkspace", partnership="A", year="2025-26") as ws:
        ids = import_all(ws, raw, tmp_path)
        episodes = ws.tables().episodes
        position = len(episodes) - 2
        file, row = episodes.at[position, "_file"], int(episodes.at[position, "_row"])
        assert ws.locate("episodes", RowLocator(ids[file], row)) == position
        assert ws.locate("episodes", (file, row)) == position
        assert ws.locate("episodes", episodes.iloc[position]) == position
        assert ws.locate("episodes", {"file": file, "row": row}) == position
        with pytest.raises(KeyError):
            ws.locate("episodes", (file, 99999))
        with pytest.raises(KeyError):
            ws.locate("episodes", len(episodes))


def test_undo_and_redo_round_trip_and_survive_reopening(tmp_path, raw):
    path = tmp_path / "ws.trworkspace"
    with Workspace.create(path, partnership="A", year="2025-26") as ws:
        import_all(ws, raw, tmp_path)
        original = ws.tables()
        assert not ws.can_undo and not ws.can_redo
        ws.edit("episodes", 0, "triage_date", "2023-07-30", reason="typo")
        ws.edit("episodes", 0, "triage_date", "2023-07-31", reason="typo again")
        ws.edit("tops", 1, "top_stage", "E", reason="stage")
        assert ws.undo_text.startswith("Edit top_stage")
        change = ws.undo()
        assert change.changed == {"tops": [1]} and change.edits[0].kind == "undo"
        assert ws.tables().tops.at[1, "top_stage"] == original.tops.at[1, "top_stage"]
        ws.undo()
        assert ws.tables().episodes.at[0, "triage_date"] == "2023-07-30"
        assert ws.can_redo
    with Workspace.open(path) as ws:  # the stacks are replayed from the file
        assert ws.can_undo and ws.can_redo
        ws.redo()
        assert ws.tables().episodes.at[0, "triage_date"] == "2023-07-31"
        ws.redo()
        assert ws.tables().tops.at[1, "top_stage"] == "E"
        assert not ws.can_redo
        while ws.can_undo:
            ws.undo()
        after = ws.tables()
        for t in ("episodes", "modalities", "tops"):
            assert frames_equal(after.get(t), original.get(t))
        kinds = list(ws.history()["kind"])
        assert kinds == ["edit"] * 3 + ["undo"] * 2 + ["redo"] * 2 + ["undo"] * 3
        undo_of = ws.history()["ref_edit"].iloc[3]
        assert undo_of == 3  # the undo says which edit it undid


def test_a_new_edit_clears_redo(tmp_path, raw):
    with Workspace.create(tmp_path / "ws.trworkspace", partnership="A", year="2025-26") as ws:
        import_all(ws, raw, tmp_path)
        ws.edit("episodes", 0, "sex", "U")
        ws.undo()
        ws.edit("episodes", 0, "sex", "F")
        assert not ws.can_redo and ws.redo() is None


def test_edit_refuses_unknown_fields_and_no_op_values(tmp_path, raw):
    with Workspace.create(tmp_path / "ws.trworkspace", partnership="A", year="2025-26") as ws:
        import_all(ws, raw, tmp_path)
        with pytest.raises(KeyError):
            ws.edit("episodes", 0, "_row", "5")
        with pytest.raises(ValueError):
            ws.edit("episodes", 0, "provider_code", ws.tables().episodes.at[0, "provider_code"])
        assert ws.history().empty


def test_edits_are_append_only_in_the_file(tmp_path, raw):
    path = tmp_path / "ws.trworkspace"
    with Workspace.create(path, partnership="A", year="2025-26") as ws:
        import_all(ws, raw, tmp_path)
        ws.edit("episodes", 0, "sex", "U")
    conn = sqlite3.connect(path)
    for sql in ("UPDATE edits SET new_value = 'M'", "DELETE FROM edits", "DELETE FROM sources"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(sql)
    conn.close()


def test_file_is_owner_only_and_sources_are_not_touched(tmp_path, raw):
    path = tmp_path / "ws.trworkspace"
    files = {name: source_file(tmp_path, name, os.urandom(64)) for name in per_file(raw)}
    before = {n: p.read_bytes() for n, p in files.items()}
    stat = {n: p.stat().st_mtime_ns for n, p in files.items()}
    with Workspace.create(path, partnership="A", year="2025-26") as ws:
        for name, tables in per_file(raw).items():
            ws.import_source(tables, file_path=files[name], profile={"headers": {}})
        ws.edit("episodes", 0, "sex", "U")
        ws.export_corrected(tmp_path / "out.xlsx")
        wal = path.with_name(path.name + "-wal")
        copy = ws.save_copy(tmp_path / "copy.trworkspace")
        if os.name == "posix":
            assert (path.stat().st_mode & 0o777) == 0o600 and (copy.stat().st_mode & 0o777) == 0o600
            assert wal.exists() and (wal.stat().st_mode & 0o077) == 0
    assert {n: p.read_bytes() for n, p in files.items()} == before
    assert {n: p.stat().st_mtime_ns for n, p in files.items()} == stat
    with Workspace.open(path) as ws:
        import hashlib
        for _, source in ws.sources().iterrows():
            assert source["sha256"] == hashlib.sha256(before[source["file_name"]]).hexdigest()
        with Workspace.open(copy) as saved:  # the copy is a whole workspace of its own
            assert frames_equal(saved.tables().episodes, ws.tables().episodes)
            assert list(saved.history()["new"]) == ["U"]


def test_create_refuses_an_existing_file_and_open_refuses_other_files(tmp_path):
    existing = tmp_path / "notes.txt"
    existing.write_text("hello")
    with pytest.raises(WorkspaceError):
        Workspace.create(existing, partnership="A", year="2025-26")
    with pytest.raises(WorkspaceError):
        Workspace.open(existing)
    with pytest.raises(WorkspaceError):
        Workspace.open(tmp_path / "missing.trworkspace")
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(WorkspaceError, match="not a Treatment Returns workspace"):
        Workspace.open(other)


def test_accepting_is_a_step_that_undo_withdraws_and_redo_accepts_again(tmp_path) -> None:
    from app.workspace import Workspace

    finding = {"rule": "triage-within-6-weeks", "severity": "warning", "table": "episodes",
               "record": "N9001/E1", "provider": "N9001", "file": "a.xlsx", "row": 2,
               "fields": ("triage_date",), "values": ("2025-06-01",), "message": "late"}
    with Workspace.create(tmp_path / "w.trworkspace", partnership="P", year="2025-26") as ws:
        ws.acceptance_step([finding], "in hospital", accept=True, kind="accept", description="Accept it")
        assert len(ws.accepted()) == 1 and ws.undo_text == "Accept it"
        ws.undo()
        assert ws.accepted().empty and ws.can_redo
        ws.redo()
        assert len(ws.accepted()) == 1 and not ws.can_redo
        trail = ws.history()
        assert list(trail["kind"]) == ["accept", "withdraw", "accept"]
        assert list(trail["step"]) == ["accept", "undo", "redo"] and list(trail["new"]) == ["accepted", "open", "accepted"]
    with Workspace.open(tmp_path / "w.trworkspace") as again:   # the stacks are read back from the file
        done, undone = again.undo_steps()
        assert [label for _, label in done] == ["Accept it"] and undone == []
