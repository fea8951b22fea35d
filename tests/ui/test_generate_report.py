"""The Generate dialog's committee-paper details, typed by keys: the partnership's name (asked for
while it is the default), the meeting date and the commissioner's commentary, read back from the
committee report written."""

from __future__ import annotations

import pytest
from docx import Document
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_data import synthetic_extracts, window_on


@pytest.fixture(scope="module")
def extracts(tmp_path_factory):
    return synthetic_extracts(tmp_path_factory, "paper", episodes=120, seed=9)


@pytest.fixture
def window(qtbot, extracts, tmp_path):
    yield from window_on(qtbot, extracts, tmp_path / "g.trworkspace")


def _opened(window, qtbot, out):
    dialog = window.show_generate()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.folder.setText(str(out))
    dialog.draft.setChecked(True)
    return dialog


def _texts(doc) -> list[str]:
    """Every paragraph of the body and of each table cell, in order."""
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            out += [cell.text for cell in row.cells]
    return out


def test_the_default_name_is_asked_for_and_a_bad_meeting_date_refused(window, qtbot, tmp_path) -> None:
    dialog = _opened(window, qtbot, tmp_path / "out")
    assert window.session.settings.partnership_name == "Partnership" and dialog.partnership.text() == ""
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert dialog.log.toPlainText().startswith("Type the partnership's name first")
    assert QApplication.focusWidget() is dialog.partnership and not window.runner.busy()
    qtbot.keyClicks(dialog.partnership, "Testshire")
    qtbot.keyClicks(dialog.meeting_date, "31/06/2025")              # June has 30 days
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert dialog.log.toPlainText().startswith("Not generated: meeting date:")
    assert QApplication.focusWidget() is dialog.meeting_date
    assert not window.runner.busy() and not (tmp_path / "out").exists()
    assert window.session.settings.partnership_name == "Partnership"   # nothing saved while refused
    dialog.close()


def test_commentary_and_meeting_date_typed_in_generate_are_in_the_report(window, qtbot, tmp_path) -> None:
    session = window.session
    dialog = _opened(window, qtbot, tmp_path / "out")
    qtbot.keyClicks(dialog.partnership, "Testshire")
    qtbot.keyClicks(dialog.meeting_date, "12/06/2025")
    dialog.commentary.setFocus()
    qtbot.keyClicks(dialog.commentary, "Waiting times have improved at both providers.")
    qtbot.keyClick(dialog.commentary, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.commentary, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.commentary, "The new outreach worker starts in July.")
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.open_button.isEnabled() or "Not generated" in dialog.log.toPlainText(),
                    timeout=60000)
    assert dialog.open_button.isEnabled(), dialog.log.toPlainText()
    doc = Document(next(p for p in dialog.outputs if p.suffix == ".docx"))
    texts = _texts(doc)
    assert "12 June 2025" in texts                                    # the details table's cell, in words
    first = texts.index("Waiting times have improved at both providers.")
    assert texts[first + 1] == "The new outreach worker starts in July."   # its second paragraph, its own
    assert not any("[Add the commissioner's commentary" in t for t in texts)
    assert any("services in Testshire" in t for t in texts)
    assert session.settings.partnership_name == "Testshire"          # saved as a settings change
    assert session.workspace.settings.partnership_name == "Testshire"
    assert session.settings.meeting_date == ""                        # this paper's date only
    dialog.close()


def test_the_settings_meeting_date_and_name_are_prefilled(window, qtbot, tmp_path) -> None:
    from dataclasses import replace

    session = window.session
    session.set_rules(settings=replace(session.settings, partnership_name="Testshire", meeting_date="3 July 2025"))
    dialog = _opened(window, qtbot, tmp_path / "out")
    assert dialog.partnership.text() == "Testshire" and dialog.meeting_date.text() == "03/07/2025"
    assert dialog.report() == {"commentary": "", "meeting_date": "3 July 2025"}
    dialog.close()
