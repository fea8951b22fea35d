"""Ctrl+H needs a value to find, and a replace of many rows says how many and asks, with a reason
for the audit trail (issue 14: Ctrl+H then Enter cleared a column of all 1,500 demo episodes)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.ui.main_window import MainWindow
from app.ui.replace_dialog import ConfirmReplace, ReplaceDialog

CTRL = Qt.KeyboardModifier.ControlModifier
OK = QDialogButtonBox.StandardButton.Ok


@pytest.fixture
def window(qtbot, session):
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)   # shortcuts go to the active window
    yield w
    w.runner.wait()


def _open(qtbot, window, field: str) -> ReplaceDialog:
    view = window.views["episodes"]
    view.grid.setCurrentIndex(view.model.index(0, view.model.column_of(field)))
    view.grid.setFocus()
    qtbot.keyClick(view.grid, Qt.Key.Key_H, CTRL)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(ReplaceDialog)))
    dialog = next(d for d in window.findChildren(ReplaceDialog) if d.isVisible())
    assert dialog.field.currentData() == field and dialog.field.currentText() == "Drug 1"
    return dialog


def _confirm(window) -> ConfirmReplace | None:
    return next((d for d in window.findChildren(ConfirmReplace) if d.isVisible()), None)


def test_ctrl_h_then_enter_changes_nothing(window, qtbot) -> None:
    before = window.session.table("episodes")["drug1"].copy()
    dialog = _open(qtbot, window, "drug1")
    assert not dialog.buttons.button(OK).isEnabled()
    assert "value to find" in dialog.buttons.button(OK).toolTip()
    qtbot.keyClick(dialog.old, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert dialog.isVisible() and window.undo_stack.count() == 0
    assert window.session.table("episodes")["drug1"].equals(before)
    assert dialog.apply() == 0 and "value to find" in dialog.problem.text()   # refused even if called
    qtbot.keyClicks(dialog.old, "her")
    assert dialog.buttons.button(OK).isEnabled()


def test_a_replace_of_many_rows_says_how_many_and_asks_for_a_reason(window, qtbot) -> None:
    session = window.session
    dialog = _open(qtbot, window, "drug1")
    qtbot.keyClicks(dialog.old, "her")            # as shown, whatever the case
    qtbot.keyClicks(dialog.new, "crk")
    qtbot.keyClick(dialog.new, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _confirm(window) is not None)
    confirm = _confirm(window)
    assert "40 rows" in confirm.message.text()
    assert confirm.reason.text() == "Replaced her with crk in Drug 1"
    assert set(session.table("episodes")["drug1"]) == {"HER"}   # nothing yet
    qtbot.mouseClick(confirm.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and window.undo_stack.count() == 0
    qtbot.keyClick(dialog.new, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _confirm(window) is not None)
    confirm = _confirm(window)
    confirm.reason.clear()
    qtbot.keyClicks(confirm.reason, "provider recoded")
    qtbot.mouseClick(confirm.buttons.button(OK), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1)
    assert set(session.table("episodes")["drug1"]) == {"CRK"}
    assert session.steps[-1].reason == "provider recoded"
    assert window.undo_stack.text(0) == "Replace her with crk in Drug 1"
    assert not dialog.isVisible()
    window.undo_stack.undo()
    assert set(session.table("episodes")["drug1"]) == {"HER"}


def test_a_blank_reason_becomes_what_was_replaced(window, qtbot) -> None:
    dialog = _open(qtbot, window, "drug1")
    qtbot.keyClicks(dialog.old, "*")
    qtbot.mouseClick(dialog.buttons.button(OK), Qt.MouseButton.LeftButton)   # blank: clears the cells
    qtbot.waitUntil(lambda: _confirm(window) is not None)
    confirm = _confirm(window)
    confirm.reason.clear()
    qtbot.keyClick(confirm.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1)
    assert window.session.table("episodes")["drug1"].isna().all()
    assert window.session.steps[-1].reason == "Replaced any value with (blank) in Drug 1"


def test_a_small_replace_does_not_ask_and_nothing_found_is_said(window, qtbot) -> None:
    session = window.session
    view = window.views["episodes"]
    qtbot.keyClicks(view.filter_box, "E0001")                 # ten rows shown
    qtbot.waitUntil(lambda: view.model.rowCount() == 10)
    dialog = _open(qtbot, window, "drug1")
    qtbot.keyClicks(dialog.old, "CRK")
    qtbot.keyClick(dialog.old, Qt.Key.Key_Return)
    assert dialog.problem.text() == "Nothing to replace: no row shows CRK in Drug 1."
    dialog.old.clear()
    qtbot.keyClicks(dialog.old, "HER")
    qtbot.keyClicks(dialog.new, "CRA")
    qtbot.keyClick(dialog.old, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1)
    assert _confirm(window) is None
    changed = session.table("episodes")["drug1"] == "CRA"
    assert sorted(session.table("episodes").loc[changed, "episode_id"]) == [f"E{i:05d}" for i in range(10, 20)]
    assert session.steps[-1].reason == "Replaced HER with CRA in Drug 1"
