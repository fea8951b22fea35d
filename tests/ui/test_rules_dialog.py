"""An invalid threshold typed in the Rules dialog is refused with a message (the cell shows what
still holds), and a valid one is taken. Typed with keys, as a user edits the table."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from app.ui.main_window import MainWindow


@pytest.fixture
def dialog(qtbot, session):
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    d = window.show_rules()
    qtbot.waitExposed(d)
    d.activateWindow()
    qtbot.waitUntil(d.isActiveWindow, timeout=3000)
    yield d
    d.close()
    window.runner.wait()


def _type_thresholds(qtbot, dialog, rule_id: str, text: str) -> int:
    table = dialog.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 1).text() == rule_id)
    table.setFocus()
    table.setCurrentCell(row, 5)
    qtbot.keyClick(table, Qt.Key.Key_F2)                     # edit the cell
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState, timeout=3000)   # committed (queued)
    return row


@pytest.mark.parametrize("typed, said", [("min_age=-3", "whole number"), ("min_age=eighteen", "not a number"),
                                         ("min_ag=18", "no threshold min_ag"), ("18", "name=number")])
def test_an_invalid_threshold_is_refused_with_a_message(dialog, qtbot, typed, said) -> None:
    before = dialog.catalogue
    row = _type_thresholds(qtbot, dialog, "adult-at-referral", typed)
    assert dialog.message.text().startswith("Not changed") and said in dialog.message.text()
    assert dialog.catalogue is before
    assert dialog.table.item(row, 5).text() == "min_age=18"   # what still holds


def test_an_invalid_setting_threshold_is_refused_and_a_valid_one_taken(dialog, qtbot) -> None:
    row = _type_thresholds(qtbot, dialog, "triage-within-6-weeks", "triage_target_days=-1")
    assert dialog.message.text().startswith("Not changed") and dialog.settings.triage_target_days == 42
    assert dialog.table.item(row, 5).text() == "triage_target_days=42"
    row = _type_thresholds(qtbot, dialog, "adult-at-referral", "min_age=21")
    assert dialog.message.text().startswith("Changed") and dialog.table.item(row, 5).text() == "min_age=21"
    assert "min_age=21" in [dialog.table.item(row, 5).text()]
