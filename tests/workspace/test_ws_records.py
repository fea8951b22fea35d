"""What else the workspace keeps: accepted findings, settings, catalogue, profiles, snapshots,
and the schema version."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from wsdata import import_all, synthetic

from app.workspace import Workspace, WorkspaceError, default_folder, default_path
from app.workspace.schema import SCHEMA_VERSION
from rules.findings import findings_frame
from rules.settings import Settings


@pytest.fixture
def path(tmp_path):
    return tmp_path / "ws.trworkspace"


def _finding(record, values, rule="triage-not-before-referral"):
    return {"rule": rule, "severity": "error", "category": "data-quality", "provider": record.split("/")[0],
            "file": "a.xlsx", "table": "episodes", "row": 5, "record": record,
            "fields": ("referral_date", "triage_date"), "values": values, "message": "Triaged before referral"}


def test_acceptance_lasts_while_the_values_do_not_change(path):
    with Workspace.create(path, partnership="A", year="2025-26") as ws:
        found = findings_frame([_finding("N9001/E1", ("2025-05-02", "2025-05-01")),
                                _finding("N9001/E2", ("2025-06-02", "2025-06-01"))])
        with pytest.raises(ValueError):
            ws.accept(found.iloc[0], "  ")
        accepted_id = ws.accept(found.iloc[0], "provider confirmed: triaged on the phone before the referral")
    with Workspace.open(path) as ws:
        marked = ws.mark_accepted(found)
        assert list(marked["accepted"]) == [True, False]
        assert marked["accepted_reason"].iloc[0].startswith("provider confirmed")
        row = ws.accepted().iloc[0]
        assert (row["rule"], row["record"], row["values"], row["id"]) == (
            "triage-not-before-referral", "N9001/E1", ("2025-05-02", "2025-05-01"), accepted_id)
        assert row["user"] and row["time"]
        changed = findings_frame([_finding("N9001/E1", ("2025-05-02", "2025-04-30"))])
        assert not ws.mark_accepted(changed)["accepted"].any()
        ws.withdraw_acceptance(accepted_id, "wrong record")
        assert ws.accepted().empty and not ws.mark_accepted(found)["accepted"].any()


def test_settings_catalogue_and_profiles_round_trip(path):
    with Workspace.create(path, partnership="A", year="2025-26") as ws:
        assert ws.settings == Settings() and ws.catalogue_toml is None and ws.profiles == {}
        ws.set_settings(Settings(triage_target_days=35).with_legacy_planned_reasons())
        ws.set_catalogue_toml('[[rule]]\nid = "adult-at-referral"\nenabled = false\n')
        ws.save_profile("N9001", {"headers": {"REFLD": "referral_date"}, "codes": {}})
        ws.save_profile("N9001", {"headers": {"Referral Date": "referral_date"}, "codes": {}})
        ws.save_profile("N9002", {"headers": {}, "codes": {"sex": {"1": "M"}}})
        import app.extracts.profiles as profiles
        ws.save_profile("N9003", profiles.MappingProfile(name="N9003", headers={"DISRSN": "discharge_reason"}))
    with Workspace.open(path) as ws:
        assert ws.settings == Settings(triage_target_days=35).with_legacy_planned_reasons()
        assert "adult-at-referral" in ws.catalogue_toml
        assert ws.profiles == {"N9001": {"headers": {"Referral Date": "referral_date"}, "codes": {}},
                               "N9002": {"headers": {}, "codes": {"sex": {"1": "M"}}},
                               "N9003": profiles.MappingProfile(name="N9003", headers={
                                   "DISRSN": "discharge_reason"}).to_json()}
        ws.set_catalogue_toml(None)
        assert ws.catalogue_toml is None


def test_snapshots_by_period_label(path):
    with Workspace.create(path, partnership="A", year="2025-26") as ws:
        ws.snapshot_measures("2025-26 Q1", dt.date(2025, 7, 15), {"planned_exits": {"percent": 41.2}})
        ws.snapshot_measures("2025-26 Q2", dt.date(2025, 10, 15), '{"planned_exits": {"percent": 43.0}}')
        ws.snapshot_measures("2025-26 Q1", dt.date(2025, 7, 20), {"planned_exits": {"percent": 41.5}})
        with pytest.raises(ValueError):
            ws.snapshot_measures("2025-26 Q3", None, "not json")
    with Workspace.open(path) as ws:
        assert ws.snapshot("2025-26 Q1") == {"planned_exits": {"percent": 41.5}}
        assert ws.snapshot("2025-26 Q4") is None
        q1 = ws.snapshots("2025-26 Q1")
        assert list(q1["as_at"]) == ["2025-07-15", "2025-07-20"]
        assert list(ws.snapshots()["period_label"]) == ["2025-26 Q1", "2025-26 Q2", "2025-26 Q1"]


def test_as_at_is_the_latest_source_unless_set(path, tmp_path):
    with Workspace.create(path, partnership="A", year="2025-26") as ws:
        assert ws.as_at is None and ws.tables().row_counts() == {"episodes": 0}
        import_all(ws, synthetic(), tmp_path)
        assert ws.tables().as_at == dt.date(2026, 1, 15)
        ws.set_as_at(dt.date(2026, 1, 10))
        assert ws.tables().as_at == dt.date(2026, 1, 10)
        ws.set_as_at(None)
        assert ws.as_at == dt.date(2026, 1, 15)


def test_schema_version_and_a_newer_file(path):
    Workspace.create(path, partnership="A", year="2025-26").close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(WorkspaceError, match="newer version"):
        Workspace.open(path)


def test_workspaces_are_made_in_the_users_data_folder_under_new_names(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = default_folder()
    assert folder == tmp_path / "data" / "Treatment Returns" / "Workspaces"
    first = default_path("Any/town", "2025-26 Q2")
    assert first == folder / "Any_town 2025-26 Q2.trworkspace"
    Workspace.create(first, partnership="Any/town", year="2025-26").close()
    assert default_path("Any/town", "2025-26 Q2") == folder / "Any_town 2025-26 Q2 (2).trworkspace"
    assert isinstance(folder, Path)
