"""The core daily loop in the window: facet, jump, fix by typing, undo, bulk fix, accept."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from app.ui.findings_model import FindingsModel
from app.ui.main_window import MainWindow
from app.ui.records_model import TINTS, RecordsModel


@pytest.fixture
def window(qtbot, session):
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.runner.wait()


def _facet(window, group, value):
    window.panel.choose(group, value)


def test_models_pass_the_model_tester(qtmodeltester, session) -> None:
    model = RecordsModel(session, "episodes")
    qtmodeltester.check(model)
    model.set_filters(text="N9002", flagged_only=True)
    qtmodeltester.check(model)
    findings = FindingsModel()
    findings.set_frame(session.findings)
    qtmodeltester.check(findings)


def test_cells_are_tinted_with_the_message_as_tooltip(session) -> None:
    model = RecordsModel(session, "episodes")
    bad = session.findings.query("rule == 'triage-not-before-referral'").iloc[0]
    index = model.index(model.row_of(int(bad["pos"])), model.column_of("triage_date"))
    assert index.data(Qt.ItemDataRole.BackgroundRole) == TINTS[3]
    assert "before referral" in index.data(Qt.ItemDataRole.ToolTipRole)
    late = session.findings.query("rule == 'triage-within-6-weeks'").iloc[0]
    assert model.index(model.row_of(int(late["pos"])), model.column_of("triage_date")).data(
        Qt.ItemDataRole.BackgroundRole) == TINTS[2]
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None


def test_filters_and_sort_use_row_order(session) -> None:
    model = RecordsModel(session, "episodes")
    model.set_filters(flagged_only=True)
    assert model.rowCount() == 3
    model.set_filters(flagged_only=False, text="e0001")
    assert {model.index(r, 1).data() for r in range(model.rowCount())} == {f"E{i:05d}" for i in range(10, 20)}
    model.set_filters(text="")
    model.sort(model.column_of("episode_id"), Qt.SortOrder.DescendingOrder)
    assert model.index(0, 1).data() == "E00039"
    assert model.row_of(39) == 0


def test_facet_jump_fix_undo_loop(window, qtbot) -> None:
    session = window.session
    view = window.views["episodes"]
    _facet(window, "Rule", "triage-not-before-referral")
    assert view.model.rowCount() == 1
    assert window.panel.model.rowCount() == 1
    window.panel.jump_to(0)
    current = view.grid.currentIndex()
    assert view.model.fields[current.column()] == "referral_date"
    # type the fix into the triage date as a person would (dd/mm/yyyy), through the delegate
    index = view.model.index(current.row(), view.model.column_of("triage_date"))
    view.grid.setCurrentIndex(index)
    view.grid.edit(index)
    editor = view.grid.findChild(QLineEdit)
    assert editor is not None and editor.text() == "01/03/2025"
    editor.setText("10/04/2025")
    qtbot.keyClick(editor, Qt.Key.Key_Return)   # Qt commits on Return through a queued call
    qtbot.waitUntil(lambda: session.table("episodes").at[3, "triage_date"] == "2025-04-10", timeout=2000)
    assert session.counts()["error"] == 1
    assert window.panel.model.rowCount() == 0      # the facet's finding went away
    assert "1 error and" in window.statusBar().currentMessage()  # one error, said in the singular
    assert index.data(Qt.ItemDataRole.BackgroundRole) is None
    window.undo_stack.undo()
    assert session.table("episodes").at[3, "triage_date"] == "2025-03-01"
    assert session.counts()["error"] == 2 and window.panel.model.rowCount() == 1
    window.undo_stack.redo()
    assert session.counts()["error"] == 1
    assert window.history_dock.tabs.widget(0).model().rowCount() == 2   # "Opened" + one step


def test_code_dropdown_shows_labels_and_bulk_fix_is_one_step(window, qtbot) -> None:
    session = window.session
    view = window.views["episodes"]
    session_rows = session.table("episodes")
    view.go_to(7, "sex")
    view.grid.edit(view.grid.currentIndex())
    combo = view.grid.findChild(QComboBox)
    assert combo.itemText(combo.findData("F")) == "F - Female"
    qtbot.keyClick(combo, Qt.Key.Key_Escape)
    window.push([session.change_for("episodes", 9, "sex", "X")], "make a second bad code")
    assert session.counts()["error"] == 3
    count = view.replace("sex", "u", old_text="X", selected_only=False)
    assert count == 2 and set(session_rows["sex"]) == {"M", "F", "U"}
    assert session.counts()["error"] == 1
    window.undo_stack.undo()                      # the whole bulk fix in one step
    assert list(session_rows.loc[[7, 9], "sex"]) == ["X", "X"]


def test_fill_down_clear_and_paste_from_excel(window) -> None:
    session = window.session
    view = window.views["episodes"]
    col = view.model.column_of("client_ref")
    view.grid.setCurrentIndex(view.model.index(0, col))
    for r in range(1, 4):
        view.grid.selectionModel().select(view.model.index(r, col), view.grid.selectionModel().SelectionFlag.Select)
    view.fill_down()
    assert list(session.table("episodes").loc[0:3, "client_ref"]) == ["C00000"] * 4
    assert window.undo_stack.count() == 1
    view.clear_cells()
    assert session.table("episodes").loc[0:3, "client_ref"].isna().all()
    view.grid.clearSelection()
    view.grid.setCurrentIndex(view.model.index(0, view.model.column_of("sex")))
    QApplication.clipboard().setText("f\tGB\r\nm\tXX\r\n")
    window.paste()
    assert list(session.table("episodes").loc[0:1, "sex"]) == ["F", "M"]
    assert window.undo_stack.count() == 3
    sex = view.model.column_of("sex")
    top_left, bottom_right = view.model.index(0, sex), view.model.index(1, sex + 1)
    from PySide6.QtCore import QItemSelection
    view.grid.selectionModel().select(QItemSelection(top_left, bottom_right),
                                      view.grid.selectionModel().SelectionFlag.ClearAndSelect)
    window.copy()
    assert QApplication.clipboard().text() == "F\tGB\nM\tXX"   # ethnicity kept as typed, for the schema


def test_next_finding_and_accept_with_reason(window) -> None:
    session = window.session
    view = window.views["episodes"]
    view.grid.setCurrentIndex(view.model.index(0, 0))
    window.next_finding(1)
    assert view.grid.currentIndex().row() == 3
    window.next_finding(1)
    assert view.grid.currentIndex().row() == 7
    window.next_finding(-1)
    assert view.grid.currentIndex().row() == 3
    _facet(window, "Severity", "warning")
    assert window.panel.model.rowCount() == 1
    window.panel.list.selectRow(0)
    index = window.panel.selected_finding()
    window.panel.accept(index, "client was in hospital")
    assert session.counts()["warning"] == 0
    assert view.model.row_rank[int(session.findings.loc[index, "pos"])] == 0
    assert window.panel.model.data(window.panel.model.index(0, 8)) == "client was in hospital"


def test_facet_counts_and_records_filter(window) -> None:
    panel = window.panel
    top = {panel.facets.topLevelItem(i).text(0): panel.facets.topLevelItem(i)
           for i in range(panel.facets.topLevelItemCount())}
    severity = {top["Severity"].child(i).text(0): top["Severity"].child(i).text(1)
                for i in range(top["Severity"].childCount())}
    assert severity == {"error": "2", "warning": "1"}
    _facet(window, "Provider", "N9002")
    positions = window.views["episodes"].model.order
    assert len(positions) > 0 and np.all(window.session.table("episodes").loc[positions, "provider_code"] == "N9002")
    _facet(window, "Provider", "N9002")     # clicking again clears
    assert window.views["episodes"].model.rowCount() == 40


def test_ctrl_enter_in_an_editor_fills_every_selected_cell(window, qtbot) -> None:
    session = window.session
    view = window.views["episodes"]
    col = view.model.column_of("referral_source")
    view.grid.setCurrentIndex(view.model.index(0, col))
    for r in (1, 2):
        view.grid.selectionModel().select(view.model.index(r, col), view.grid.selectionModel().SelectionFlag.Select)
    view.grid.edit(view.model.index(0, col))
    combo = view.grid.findChild(QComboBox)
    combo.setCurrentIndex(combo.findData("GP"))
    qtbot.keyClick(combo, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert list(session.table("episodes").loc[0:2, "referral_source"]) == ["GP"] * 3
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert session.table("episodes").loc[0:2, "referral_source"].isna().all()


def test_an_edit_the_workspace_refuses_is_reported_not_made(window, qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    class Refusing:
        def commit(self, *args, **kwargs):
            raise OSError("the workspace file is read-only")

    window.session.workspace = Refusing()
    window.push([window.session.change_for("episodes", 0, "client_ref", "NEW")])
    assert window.session.table("episodes").at[0, "client_ref"] == "C00000"
    assert window.undo_stack.count() == 0
    assert "read-only" in window.findChild(QMessageBox, "error-box").text()
    window.session.workspace = None


def test_replace_dialog_fixes_the_shown_rows_with_a_reason(window, qtbot) -> None:
    from app.ui.replace_dialog import ConfirmReplace, ReplaceDialog

    session = window.session
    view = window.views["episodes"]
    view.model.set_filters(text="N9002")
    dialog = ReplaceDialog(view, window)
    dialog.field.setCurrentIndex(dialog.field.findData("drug1"))
    dialog.old.setText("HER")
    dialog.new.setText("crk")
    dialog.reason.setText("provider recoded")
    assert dialog.apply() == 20
    confirm = dialog.findChild(ConfirmReplace)     # 20 rows: it asks first, with the reason given
    assert "20 rows (of 20 shown)" in confirm.message.text() and confirm.reason.text() == "provider recoded"
    qtbot.mouseClick(confirm.buttons.button(confirm.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    drugs = session.table("episodes").groupby("provider_code")["drug1"].agg(set)
    assert drugs["N9002"] == {"CRK"} and drugs["N9001"] == {"HER"}
    assert {step.reason for step in session.steps} == {"provider recoded"}


def test_dates_sort_as_dates_whatever_way_they_were_written() -> None:
    from ui_data import small_raw

    from app.session import Session

    raw = small_raw()
    raw.episodes.loc[5, "referral_date"] = "2025-01-02"
    raw.episodes.loc[6, "referral_date"] = "01/01/2025"      # as a provider wrote it
    session = Session()                                      # the real schema parses both
    session.load(raw)
    model = RecordsModel(session, "episodes")
    model.sort(model.column_of("referral_date"), Qt.SortOrder.AscendingOrder)
    assert [model.index(r, model.column_of("referral_date")).data() for r in range(2)] == ["01/01/2025", "02/01/2025"]


def test_audit_trail_lists_changes_with_their_reasons(window, qtmodeltester) -> None:
    view = window.views["episodes"]
    view.replace("sex", "U", old_text="X", selected_only=False, reason="provider confirmed")
    dock = window.history_dock
    dock.tabs.setCurrentWidget(dock.audit)
    model = dock.audit_model
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    row = {model.headerData(c, Qt.Orientation.Horizontal): model.index(0, c).data() for c in range(model.columnCount())}
    assert row["Record"] == "N9002/E00007" and row["Was"] == "X" and row["Now"] == "U"
    assert row["Reason"] == "provider confirmed"


def test_dates_kept_as_iso_are_shown_and_found_day_first(session) -> None:
    model = RecordsModel(session, "episodes")
    assert session.table("episodes").at[0, "referral_date"] == "2025-04-01"       # kept as ISO
    cell = model.index(model.row_of(0), model.column_of("referral_date"))
    assert cell.data() == "01/04/2025" and cell.data(Qt.ItemDataRole.EditRole) == "01/04/2025"
    model.set_filters(text="01/04/2025")
    assert [model.position(r) for r in range(model.rowCount())] == [0]
    session.edit("episodes", 1, "referral_date", "31/02/2025")                     # not a date: as typed
    model.update_cells(session.steps[-1].changes)
    model.set_filters(text="")
    assert model.index(model.row_of(1), model.column_of("referral_date")).data() == "31/02/2025"


@pytest.mark.parametrize(("field", "typed", "stored"), [("sex", "F", "F"), ("drug1", "crk", "CRK"),
                                                       ("client_ref", "NEW1", "NEW1")])
def test_typing_into_a_cell_replaces_its_value_as_in_excel(window, qtbot, field, typed, stored) -> None:
    """Select a cell and type: the value is replaced (a code cell used to append: "X" then "F" saved "XF")."""
    session = window.session
    view = window.views["episodes"]
    index = view.model.index(7, view.model.column_of(field))
    view.grid.setCurrentIndex(index)
    view.grid.setFocus()
    assert session.table("episodes").at[view.model.position(7), field] not in (None, stored)
    qtbot.keyClicks(view.grid, typed[:1])
    editor = view.grid.indexWidget(index)
    assert editor is not None
    qtbot.keyClicks(editor.focusProxy() or editor, typed[1:])
    qtbot.keyClick(editor.focusProxy() or editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.table("episodes").at[view.model.position(7), field] == stored, timeout=3000)


def test_ctrl_z_undoes_and_ctrl_y_redoes_on_every_platform(window, qtbot) -> None:
    from PySide6.QtGui import QKeySequence

    assert window.actions_["redo"].shortcuts()[0] == QKeySequence("Ctrl+Y")   # whatever the platform's redo key
    session = window.session
    view = window.views["episodes"]
    before = session.table("episodes").at[view.model.position(0), "client_ref"]
    window.push([session.change_for("episodes", view.model.position(0), "client_ref", "TYPED")])
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)   # shortcuts go to the active window
    view.grid.setFocus()
    qtbot.keyClick(view.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: session.table("episodes").at[view.model.position(0), "client_ref"] == before)
    qtbot.keyClick(view.grid, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: session.table("episodes").at[view.model.position(0), "client_ref"] == "TYPED")


def test_a_cell_tooltip_reads_dates_dd_mm_yyyy_and_field_labels() -> None:
    """The records' tooltips speak like the findings panel: "Triage date ... 14/05/2025", not ids."""
    from ui_data import TinyValidator, small_raw

    from app.session import Session

    class Dated(TinyValidator):
        def evaluate(self, typed, schema_findings, progress=None):  # noqa: ANN001, ANN201
            found = super().evaluate(typed, schema_findings)
            found["message"] = found["message"] + " (triage_date 2025-05-14)"
            return found

    s = Session(validator=Dated())
    s.load(small_raw())
    model = RecordsModel(s, "episodes")
    bad = s.findings.query("rule == 'triage-not-before-referral'").iloc[0]
    tip = model.index(model.row_of(int(bad["pos"])), model.column_of("triage_date")).data(Qt.ItemDataRole.ToolTipRole)
    assert "(Triage date 14/05/2025)" in tip and "triage_date" not in tip and "2025-05-14" not in tip
