"""Bulk fixes: replace values in many rows, fill a field from a list; each one undoable step."""

from __future__ import annotations

import numpy as np
import pytest
from wsdata import frames_equal, import_all, synthetic

from app.workspace import Workspace


@pytest.fixture
def ws(tmp_path):
    with Workspace.create(tmp_path / "ws.trworkspace", partnership="A", year="2025-26") as ws:
        import_all(ws, synthetic(), tmp_path)
        yield ws


def _set_reason(ws, positions, text):
    """Make some rows look like a provider's unmapped label (as a bad import would)."""
    values = ws.tables().episodes["discharge_reason"].unique()
    ws.bulk_replace("episodes", "discharge_reason", {v: text for v in values}, rows=list(positions), reason="set up")


def test_bulk_replace_maps_a_label_to_a_code_in_the_flagged_rows_only(ws):
    flagged = [0, 2, 5, 7]
    _set_reason(ws, range(10), "Completed - drug free")
    before = ws.tables().episodes
    change = ws.bulk_replace("episodes", "discharge_reason", {"Completed - drug free": "TCDF"},
                             rows=flagged, reason="provider's label for TCDF")
    after = ws.tables().episodes
    assert list(change.changed["episodes"]) == flagged
    assert len({e.batch_id for e in change.edits}) == 1 and change.batch_id == change.edits[0].batch_id
    assert (after.loc[flagged, "discharge_reason"] == "TCDF").all()
    others = [p for p in range(10) if p not in flagged]
    assert (after.loc[others, "discharge_reason"] == "Completed - drug free").all()
    assert frames_equal(after.drop(index=flagged), before.drop(index=flagged))
    assert {e.reason for e in change.edits} == {"provider's label for TCDF"}
    ws.undo()
    assert frames_equal(ws.tables().episodes, before)


def test_bulk_replace_on_every_row_and_blanks(ws):
    episodes = ws.tables().episodes
    blank = episodes["drug2"].isna()
    change = ws.bulk_replace("episodes", "drug2", {None: "OTH"}, reason="unknown second drug")
    assert len(change.edits) == int(blank.sum()) > 0
    assert (ws.tables().episodes["drug2"].notna()).all()
    assert ws.undo_text.startswith("Replace None in drug2")
    ws.undo()
    assert ws.tables().episodes["drug2"].isna().sum() == blank.sum()
    ws.redo()
    assert ws.tables().episodes["drug2"].notna().all()


def test_bulk_replace_with_nothing_to_do_adds_no_step(ws):
    change = ws.bulk_replace("episodes", "sex", {"no such value": "M"}, reason="x")
    assert change.edits == [] and not ws.can_undo and ws.history().empty


def test_bulk_fill_fills_blanks_from_a_list_and_reports_what_it_could_not_place(ws):
    episodes = ws.tables().episodes
    ws.bulk_replace("episodes", "care_plan_date", {v: None for v in episodes["care_plan_date"].dropna().unique()},
                    rows=[1, 3, 4], reason="set up")
    keys = (episodes["provider_code"] + "/" + episodes["episode_id"]).tolist()
    ws.edit("episodes", 6, "care_plan_date", "2024-01-01")
    values = {keys[1]: "2024-02-01", keys[3]: "2024-02-03", keys[4]: "2024-02-04", keys[0]: "2024-03-01",
              "N9999/E1": "2024-01-01"}
    change = ws.bulk_fill("episodes", "care_plan_date", values, reason="dates from the provider's list")
    after = ws.tables().episodes
    assert list(after.loc[[1, 3, 4], "care_plan_date"]) == ["2024-02-01", "2024-02-03", "2024-02-04"]
    assert after.at[0, "care_plan_date"] == episodes.at[0, "care_plan_date"]  # had a value: not overwritten
    assert change.skipped == {keys[0]: "already has a value", "N9999/E1": "no such record"}
    assert change.records == {keys[1], keys[3], keys[4]}
    ws.undo()
    assert ws.tables().episodes.loc[[1, 3, 4], "care_plan_date"].isna().all()
    change = ws.bulk_fill("episodes", "care_plan_date", {keys[0]: "2024-03-01"}, reason="x", overwrite=True)
    assert ws.tables().episodes.at[0, "care_plan_date"] == "2024-03-01" and len(change.edits) == 1


def test_bulk_fill_by_row_key_in_a_child_table_and_duplicate_keys(ws):
    tops = ws.tables().tops
    keys = (tops["provider_code"] + "/" + tops["episode_id"] + "/" + tops["top_id"]).tolist()
    ws.edit("tops", 1, "top_id", tops.at[0, "top_id"], reason="make a duplicate")  # rows 0 and 1 now clash
    change = ws.bulk_fill("tops", "psych_health", {keys[0]: "3", keys[2]: "4"}, reason="r", overwrite=True)
    assert change.skipped == {keys[0]: "2 rows have this key"}
    assert ws.tables().tops.at[2, "psych_health"] == "4"
    assert np.array_equal(change.changed["tops"], [2])
