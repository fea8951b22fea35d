"""Re-importing a newer extract from the same provider: surviving edits move to the new rows,
the others are listed and kept in the trail as orphaned."""

from __future__ import annotations

from wsdata import frames_equal, per_file, source_file, synthetic

from app.workspace import Workspace


def _newer(tables, first):
    """The provider's next extract: rows in reverse order, one episode gone, two values changed."""
    episodes = tables.episodes.iloc[::-1].reset_index(drop=True).copy()
    gone = tables.episodes.at[first + 1, "episode_id"]
    episodes = episodes[episodes["episode_id"] != gone].reset_index(drop=True)
    episodes["_row"] = range(2, len(episodes) + 2)
    ep = dict(zip(episodes["episode_id"], episodes.index, strict=True))
    e2, e3 = tables.episodes.at[first + 2, "episode_id"], tables.episodes.at[first + 3, "episode_id"]
    episodes.at[ep[e2], "sex"] = "U" if tables.episodes.at[first + 2, "sex"] != "U" else "M"
    episodes.at[ep[e3], "drug2"] = "ECS"
    keep = {t: tables.get(t) for t in ("modalities", "tops")}
    for t, frame in keep.items():
        keep[t] = frame[frame["episode_id"] != gone].reset_index(drop=True)
    return type(tables)(episodes=episodes, modalities=keep["modalities"], tops=keep["tops"],
                        as_at=tables.as_at, files=tables.files)


def test_reimport_carries_edits_that_still_apply_and_orphans_the_rest(tmp_path):
    raw = synthetic()
    files = per_file(raw)
    name = sorted(files)[0]
    path = tmp_path / "ws.trworkspace"
    with Workspace.create(path, partnership="A", year="2025-26") as ws:
        for n, tables in files.items():
            ws.import_source(tables, file_path=source_file(tmp_path, n), profile=None)
        first = int(ws.tables().episodes.index[ws.tables().episodes["_file"] == name][0])
        old = files[name].episodes
        a = ws.edit("episodes", first, "discharge_reason", "INTW", reason="a")
        ws.edit("episodes", first + 1, "triage_date", "2024-01-01", reason="b")
        ws.edit("episodes", first + 2, "sex", "F" if old.at[2, "sex"] != "F" else "M", reason="c")
        ws.edit("episodes", first + 3, "drug2", "ECS", reason="d")
        ws.edit("episodes", first + 4, "postcode", "ZZ1 1ZZ", reason="e")
        ws.undo()  # e is undone: nothing to carry or orphan for it
        other = sorted(files)[1]
        o = ws.edit("episodes", ws.locate("episodes", (other, 2)), "sex", "U", reason="other provider")

        newer = _newer(files[name], 0)
        result = ws.import_source(newer, file_path=source_file(tmp_path, "newer.xlsx", b"newer"), profile=None)
        assert result.replaced_source_id is not None and result.provider_code == files[name].episodes.at[0, "provider_code"]
        assert [(e.field, e.new_value, e.ref_edit) for e in result.carried] == [("discharge_reason", "INTW", a.id)]
        why = {e.field: e.reason for e in result.orphaned}
        assert set(why) == {"triage_date", "sex", "drug2"}
        assert "not in the new extract" in why["triage_date"]
        assert "the new extract has" in why["sex"] and "already has the corrected value" in why["drug2"]
        assert not ws.can_undo

        working = ws.tables().episodes
        mine = working[working["_file"] == name].reset_index(drop=True)
        expected = newer.episodes.copy()
        at = expected.index[expected["episode_id"] == old.at[0, "episode_id"]][0]
        expected.at[at, "discharge_reason"] = "INTW"
        assert frames_equal(mine[expected.columns], expected)
        assert working.at[ws.locate("episodes", (other, 2)), "sex"] == o.new_value
    with Workspace.open(path) as ws:
        assert frames_equal(ws.tables().episodes, working)
        kinds = ws.history()["kind"].value_counts().to_dict()
        assert kinds == {"edit": 6, "undo": 1, "carry": 1, "orphan": 3}
        assert len(ws.sources()) == 2 and len(ws.sources(all_versions=True)) == 3
        carried = ws.history(field="discharge_reason")
        assert list(carried["kind"]) == ["edit", "carry"] and carried["row"].iloc[1] != carried["row"].iloc[0]
        # The next quarter's extract again: the carried edit carries on; nothing new is orphaned.
        again = ws.import_source(newer, file_path=source_file(tmp_path, "again.xlsx", b"again"), profile=None)
        assert [(e.field, e.new_value, e.ref_edit) for e in again.carried] == [
            ("discharge_reason", "INTW", int(carried["id"].iloc[1]))]
        assert again.orphaned == []
        assert frames_equal(ws.tables().episodes.drop(columns="_file"), working.drop(columns="_file"))
