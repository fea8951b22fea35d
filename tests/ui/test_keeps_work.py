"""The app never loses work: close without saving and reopen, or be killed, and everything is there,
with undo walking back through it and the audit trail dated when each thing was done (issue 13)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from ui_data import synthetic_extracts

from app.ui import prefs
from app.ui.app import application, start
from app.ui.main_window import MainWindow


@pytest.fixture(scope="module")
def extracts(tmp_path_factory):
    return synthetic_extracts(tmp_path_factory, "keeps-work", episodes=120, seed=21, defects=0.02)


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _type(qtbot, window, row: int, field: str, text: str) -> None:
    """Select a cell, type over it and press Enter, as a person does."""
    view = window.views["episodes"]
    window.tabs.setCurrentWidget(view)
    index = view.model.index(row, view.model.column_of(field))
    view.grid.setCurrentIndex(index)
    steps = window.undo_stack.count()
    qtbot.keyClicks(view.grid, text[:1])
    editor = view.grid.indexWidget(index)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.undo_stack.count() == steps + 1, timeout=5000)


def _reopen_offered(qtbot) -> tuple[MainWindow, QMessageBox]:
    window = start()   # a plain start, as `treatment-returns gui` with no files
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "reopen-box") is not None, timeout=5000)
    return window, window.findChild(QMessageBox, "reopen-box")


def _reopen(qtbot, window: MainWindow, box: QMessageBox) -> None:
    box.button(QMessageBox.StandardButton.Open).click()
    qtbot.waitUntil(lambda: window.session.workspace is not None and not window.runner.busy(), timeout=30000)


def test_close_without_saving_then_reopen_keeps_edits_settings_and_acceptances(qtbot, extracts) -> None:
    application()
    QSettings().setValue("app/started", True)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.open_files(extracts)
    qtbot.waitUntil(lambda: window.session.workspace is not None and not window.runner.busy(), timeout=30000)
    session = window.session
    path = session.workspace.path
    assert window.actions_["export_audit"].isEnabled() and window.actions_["export_corrected"].isEnabled()
    original = [session.table("episodes").at[r, "client_ref"] for r in (0, 1)]

    windows = []
    for row, text in ((0, "FIXED-A"), (1, "FIXED-B")):
        before = _utc_now()
        _type(qtbot, window, row, "client_ref", text)
        windows.append((before, _utc_now()))
        time.sleep(1.1)   # the trail is to the second: the two edits get different times

    dialog = window.show_settings()
    dialog.days["triage_target_days"].setValue(35)
    dialog.apply()
    qtbot.waitUntil(lambda: dialog.message.text() == "Applied", timeout=30000)
    dialog.close()

    panel = window.panel
    panel.list.selectRow(0)
    chosen = panel.selected_findings()
    accepted_key = session.findings.at[chosen[0], "key"]
    panel.accept(chosen, "confirmed with the provider")
    assert session.counts() != {} and session.findings.at[chosen[0], "accepted"]
    labels = [window.undo_stack.text(i) for i in range(window.undo_stack.count())]
    assert len(labels) == 3 and labels[2].startswith("Accept ")

    window.close()                                      # no question: nothing is unsaved
    assert not window.isVisible()
    assert prefs.unfinished() is None                   # closed properly: nothing to recover

    again, box = _reopen_offered(qtbot)
    assert path.name in box.text() and "last changed" in box.text()
    _reopen(qtbot, again, box)
    reopened = again.session
    rows = reopened.table("episodes")
    assert [rows.at[0, "client_ref"], rows.at[1, "client_ref"]] == ["FIXED-A", "FIXED-B"]
    assert reopened.settings.triage_target_days == 35
    assert reopened.findings.loc[reopened.findings["key"] == accepted_key, "accepted"].all()
    stack = again.undo_stack
    assert [stack.text(i) for i in range(stack.count())] == labels and stack.canUndo() and not stack.canRedo()

    history = reopened.workspace.history()
    for (before, after), text in zip(windows, ("FIXED-A", "FIXED-B"), strict=True):
        when = history.loc[(history["kind"] == "edit") & (history["new"] == text), "time"]
        assert len(when) == 1 and before <= when.iat[0] <= after   # the time it was typed, not of a save
    assert {"accept", "settings"} <= set(history["kind"])

    grid = again.views["episodes"].grid
    again.activateWindow()
    qtbot.waitUntil(again.isActiveWindow, timeout=5000)   # shortcuts go to the active window
    grid.setFocus()
    for _ in range(3):                                  # undo walks back through all of it
        qtbot.keyClick(grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not stack.canUndo(), timeout=5000)
    rows = reopened.table("episodes")
    assert [rows.at[0, "client_ref"], rows.at[1, "client_ref"]] == original
    assert not reopened.findings.loc[reopened.findings["key"] == accepted_key, "accepted"].any()
    assert list(reopened.workspace.history()["kind"].iloc[-3:]) == ["withdraw", "undo", "undo"]
    again.close()


CHILD = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from app.ui.app import application
from app.ui.main_window import MainWindow

app = application()
window = MainWindow()
window.show()
window.open_files([Path(p) for p in sys.argv[1:]])
made = []

def tick():
    session = window.session
    if session.workspace is None or not session.sources or window.runner.busy():
        QTimer.singleShot(20, tick)
        return
    n = len(made)
    window.push([session.change_for("episodes", n, "client_ref", f"KILLED-{n}")], "", "before the kill")
    made.append(n)
    print("done", n, flush=True)
    QTimer.singleShot(0, tick)

QTimer.singleShot(0, tick)
app.exec()
"""


@pytest.mark.slow
def test_a_killed_app_offers_its_work_back_at_the_next_start(qtbot, extracts, tmp_path) -> None:
    import os

    application()
    # the child keeps its settings where this process's QSettings reads them (Qt fixes that per process)
    config_home = Path(QSettings().fileName()).parent.parent
    child = subprocess.Popen([sys.executable, "-c", CHILD, *map(str, extracts)], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True,
                             env={**os.environ, "XDG_CONFIG_HOME": str(config_home)})
    done = 0
    try:
        for line in child.stdout:
            if line.startswith("done"):
                done += 1
            if done == 7:
                break
    finally:
        child.kill()   # SIGKILL: no closeEvent, nothing put away
        child.wait(timeout=30)
    assert done == 7
    QSettings().sync()   # read what the killed app wrote
    unfinished = prefs.unfinished()
    assert unfinished is not None and unfinished.is_file()

    window, box = _reopen_offered(qtbot)
    assert "stopped last time without closing" in box.text() and unfinished.name in box.text()
    assert "every change up to" in box.text()
    _reopen(qtbot, window, box)
    rows = window.session.table("episodes")
    assert [rows.at[n, "client_ref"] for n in range(7)] == [f"KILLED-{n}" for n in range(7)]
    assert window.undo_stack.count() >= 7 and window.undo_stack.canUndo()
    last = window.undo_stack.count() - 1             # the child may have got further than it said
    assert window.session.table("episodes").at[last, "client_ref"] == f"KILLED-{last}"
    window.actions_["undo"].trigger()
    assert window.session.table("episodes").at[last, "client_ref"] != f"KILLED-{last}"
    window.close()
    assert prefs.unfinished() is None
