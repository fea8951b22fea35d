"""The Settings dialog's provider names, committee-paper details and as-at date, typed by keys and
read back from the committee report the session then generates."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document
from docx.table import Table
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QScrollArea
from ui_data import synthetic_extracts, window_on


@pytest.fixture(scope="module")
def extracts(tmp_path_factory):
    return synthetic_extracts(tmp_path_factory, "names", episodes=120, seed=9)


@pytest.fixture
def window(qtbot, extracts, tmp_path):
    yield from window_on(qtbot, extracts, tmp_path / "n.trworkspace")


def _table_after(doc, caption: str) -> Table:
    """The first table after the paragraph starting with ``caption`` (body order)."""
    seen = False
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p" and "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")).startswith(caption):
            seen = True
        elif tag == "tbl" and seen:
            return Table(child, doc)
    raise AssertionError(f"no table after {caption!r}")


def _type_in_cell(qtbot, table, row: int, column: int, text: str) -> None:
    """Click the cell, type (typing starts the editor, as in Excel), Enter commits."""
    table.window().findChild(QScrollArea).ensureWidgetVisible(table)
    rect = table.visualRect(table.model().index(row, column))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert table.currentRow() == row and table.currentColumn() == column
    if text:
        qtbot.keyClicks(table, text[0])                  # typing opens the cell's editor...
        qtbot.keyClicks(QApplication.focusWidget(), text[1:])   # ...which takes the rest
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: table.item(row, column).text() == text)   # the delegate commits queued


def _opened(window, qtbot):
    """The Settings dialog as the menu opens it, active (the offscreen screen does not activate it)."""
    dialog = window.show_settings()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def _apply(qtbot, dialog) -> None:
    apply = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Apply)
    qtbot.mouseClick(apply, Qt.MouseButton.LeftButton)


def test_a_provider_name_typed_in_settings_is_printed_beside_its_code_in_table_3(window, qtbot, tmp_path) -> None:
    session = window.session
    dialog = _opened(window, qtbot)
    table = dialog.providers.table
    codes = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert codes == session.providers() == ["N9001", "N9002"]      # prefilled from the open data
    _type_in_cell(qtbot, table, 0, 1, "Anytown Recovery")
    dialog.details["report_author"].selectAll()
    qtbot.keyClicks(dialog.details["report_author"], "Jo Bloggs, Commissioning Officer")
    dialog.name.selectAll()
    qtbot.keyClicks(dialog.name, "Testshire")
    _apply(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.message.text() == "Applied", timeout=30000)
    assert dict(session.settings.provider_names) == {"N9001": "Anytown Recovery"}
    assert session.workspace.settings.provider_names == (("N9001", "Anytown Recovery"),)   # kept in the workspace
    assert "provider_names" in set(session.history()["field"].astype(str))                  # and in the audit trail

    result = session.generate("2025-26 Q2", tmp_path / "out", draft=True)
    doc = Document(next(p for p in result.outputs if p.suffix == ".docx"))
    providers = [row.cells[0].text for row in _table_after(doc, "Table 3").rows]
    assert "Anytown Recovery (N9001)" in providers and "N9002" in providers
    details = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert details["Report author:"] == "Jo Bloggs, Commissioning Officer"
    assert any("services in Testshire" in p.text for p in doc.paragraphs)
    dialog.close()


def test_rows_are_added_and_removed_and_a_name_without_a_code_is_refused(window, qtbot) -> None:
    session = window.session
    dialog = _opened(window, qtbot)
    names = dialog.providers
    qtbot.mouseClick(names.add, Qt.MouseButton.LeftButton)          # a new row, its code cell editing
    assert names.table.rowCount() == 3
    qtbot.keyClicks(QApplication.focusWidget(), "N9003")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)       # on to the name
    qtbot.waitUntil(lambda: names.table.item(2, 0).text() == "N9003" and names.table.currentColumn() == 1
                    and QApplication.focusWidget() is not names.table)   # the name cell's editor is open
    qtbot.keyClicks(QApplication.focusWidget(), "Elsewhere Services")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: names.table.item(2, 1).text() == "Elsewhere Services")
    assert names.names() == {"N9003": "Elsewhere Services"}
    _type_in_cell(qtbot, names.table, 1, 1, "Second Provider")
    _apply(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.message.text() == "Applied", timeout=30000)
    assert dict(session.settings.provider_names) == {"N9002": "Second Provider", "N9003": "Elsewhere Services"}

    _type_in_cell(qtbot, names.table, 2, 0, "")                      # select the N9003 row
    qtbot.mouseClick(names.remove, Qt.MouseButton.LeftButton)
    assert [names.table.item(r, 0).text() for r in range(names.table.rowCount())] == ["N9001", "N9002"]
    _type_in_cell(qtbot, names.table, 0, 1, "No Code Yet")
    names.table.item(0, 0).setText("")                               # the code cleared: the name has none
    _apply(qtbot, dialog)
    assert dialog.message.text().startswith("Not applied:") and "needs its provider code" in dialog.message.text()
    assert dict(session.settings.provider_names) == {"N9002": "Second Provider", "N9003": "Elsewhere Services"}
    names.table.item(0, 0).setText("N9001")
    _apply(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.message.text() == "Applied", timeout=30000)
    assert dict(session.settings.provider_names) == {"N9001": "No Code Yet", "N9002": "Second Provider"}
    dialog.close()


def test_the_as_at_row_changes_the_date_as_the_status_bar_does(window, qtbot) -> None:
    session = window.session
    bar = window.as_at_field()
    bar.show_session()
    dialog = _opened(window, qtbot)
    edit = dialog.as_at.edit
    assert edit.text() == "15/10/2025" and dialog.as_at.isVisible()
    edit.selectAll()
    qtbot.keyClicks(edit, "31/02/2025")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert session.raw.as_at == dt.date(2025, 10, 15) and "not a date" in edit.toolTip()
    assert not window.runner.busy()
    edit.selectAll()
    qtbot.keyClicks(edit, "30/09/2025")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.message.text() == ""       # Enter took the date, not Apply or Close
    qtbot.waitUntil(lambda: session.raw.as_at == dt.date(2025, 9, 30) and not window.runner.busy(), timeout=30000)
    assert session.workspace.as_at == dt.date(2025, 9, 30)         # the workspace keeps it
    assert bar.edit.text() == "30/09/2025"                          # the status bar's field follows
    dialog.close()
