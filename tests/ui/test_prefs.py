"""The app's preferences are typed: whatever the settings file holds, a read gives its type or the default."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from app.ui import prefs


def test_damaged_or_stale_preferences_fall_back_to_their_defaults(tmp_path: Path) -> None:
    settings = QSettings()
    settings.setValue(prefs.RECENT, 42)                                  # edited by hand
    settings.setValue(prefs.FOLDERS["export"], str(tmp_path / "gone"))   # a folder since deleted
    settings.setValue(prefs.UNFINISHED, str(tmp_path / "gone.trworkspace"))
    settings.setValue(prefs.STARTED, "not a bool")
    assert prefs.recent() == []
    assert prefs.folder("export") == Path.home()
    assert prefs.folder("generate", tmp_path) == tmp_path
    assert prefs.unfinished() is None
    assert prefs.started() is False


def test_preferences_read_back_what_was_written(tmp_path: Path) -> None:
    workspace = tmp_path / "Anytown 2025-26 Q2.trworkspace"
    workspace.write_bytes(b"x")
    prefs.set_recent([str(workspace), "a.xlsx\nb.xlsx"])
    prefs.remember_folder("export", tmp_path)
    prefs.set_unfinished(workspace)
    prefs.set_started()
    assert prefs.recent() == [str(workspace), "a.xlsx\nb.xlsx"]
    assert prefs.folder("export") == tmp_path and prefs.unfinished() == workspace and prefs.started()
    prefs.set_unfinished(None)
    assert prefs.unfinished() is None
