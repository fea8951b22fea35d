"""The findings dock in a manager's words, and the small things a user notices: titles and labels
(ids in tooltips), dd/mm/yyyy, a reason needed to accept, withdraw from the context menu, and the
Severity facet and status bar counting the same open findings. Driven by keys and clicks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu

from app.ui.accept_dialog import AcceptDialog
from app.ui.main_window import MainWindow
from app.words import day_first, field_label, plain, rule_title, values_text
from rules.catalogue import default_catalogue


@pytest.fixture
def window(qtbot, session):
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.runner.wait()


def _facet_item(panel, group: str, value: str):
    top = next(panel.facets.topLevelItem(i) for i in range(panel.facets.topLevelItemCount())
               if panel.facets.topLevelItem(i).text(0) == group)
    top.setExpanded(True)
    return next(top.child(i) for i in range(top.childCount()) if top.child(i).toolTip(0).endswith(f"({value})"))


def _click_facet(qtbot, panel, group: str, value: str) -> None:
    item = _facet_item(panel, group, value)
    panel.facets.scrollToItem(item)
    qtbot.mouseClick(panel.facets.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.facets.visualItemRect(item).center())


def _click_row(qtbot, panel, row: int, column: int = 2) -> None:
    rect = panel.list.visualRect(panel.model.index(row, column))
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _row_of_rule(panel, rule: str) -> int:
    return next(r for r in range(panel.model.rowCount()) if panel.model.finding(r)["rule"] == rule)


def _severity_counts(panel) -> dict[str, str]:
    return {s: _facet_item(panel, "Severity", s).text(1) for s in ("error", "warning")
            if s in panel.counts["Severity"]}


def test_words_are_a_managers(window) -> None:
    panel, catalogue = window.panel, default_catalogue()
    row = _row_of_rule(panel, "triage-not-before-referral")
    cell = {panel.model.headerData(c, Qt.Orientation.Horizontal): panel.model.index(row, c) for c in range(9)}
    title = catalogue.get("triage-not-before-referral").title
    assert cell["Rule"].data() == title and "triage-not-before-referral" in cell["Rule"].data(Qt.ItemDataRole.ToolTipRole)
    assert cell["Field"].data() == "Referral date, Triage date"
    assert "referral_date" in cell["Field"].data(Qt.ItemDataRole.ToolTipRole)
    assert cell["Value"].data() == "04/04/2025, 01/03/2025"           # ISO in the finding, dd/mm/yyyy shown
    rule_item = _facet_item(panel, "Rule", "triage-not-before-referral")
    assert rule_item.text(0) == title
    assert _facet_item(panel, "Field", "triage_date").text(0) == "Triage date"
    shown = [panel.model.index(r, c).data() for r in range(panel.model.rowCount()) for c in (1, 3, 4, 5)]
    assert not [t for t in shown if "_" in t or "-" in t.replace(" - ", "")]   # no ids, no column names, no ISO


def test_translations() -> None:
    assert rule_title("dob-plausible") == "Date of birth is plausible"
    assert field_label("discharge_reason") == "Discharge reason"
    assert day_first("from 2023-10-04 to 2024-01-31") == "from 04/10/2023 to 31/01/2024"
    assert plain("Dated after the as-at date 2025-10-15: care_plan_date 2025-12-11") == (
        "Dated after the as-at date 15/10/2025: Care plan date 11/12/2025")
    assert plain("Missing drug1, dob (consent is Y)") == "Missing Drug 1, Date of birth (consent is Y)"
    assert values_text(("2024-08-21", "")) == "21/08/2024, (blank)"      # not a stray comma


def test_an_empty_reason_is_refused_then_a_reason_accepts(window, qtbot) -> None:
    panel, session = window.panel, window.session
    warnings = session.counts()["warning"]
    _click_row(qtbot, panel, _row_of_rule(panel, "triage-within-6-weeks"))
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    dialog = panel.accept_dialog
    assert isinstance(dialog, AcceptDialog) and dialog.isVisible()
    qtbot.keyClick(dialog.reason_box, Qt.Key.Key_Return)                # OK with no reason
    assert dialog.isVisible() and "reason is needed" in dialog.problem.text()
    assert session.counts()["warning"] == warnings
    qtbot.keyClicks(dialog.reason_box, "   ")
    qtbot.keyClick(dialog.reason_box, Qt.Key.Key_Return)                # blanks are no reason either
    assert dialog.isVisible() and session.counts()["warning"] == warnings
    qtbot.keyClicks(dialog.reason_box, "referral sat with the GP")
    qtbot.keyClick(dialog.reason_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.counts()["warning"] == warnings - 1, timeout=3000)
    assert session.findings.loc[session.findings["accepted"], "accept_reason"].tolist() == ["referral sat with the GP"]


def test_the_accept_dialog_says_what_in_words(window) -> None:
    f = window.session.findings
    dialog = AcceptDialog(f[f["rule"] == "triage-not-before-referral"].head(1), window.session.catalogue, window)
    text = " ".join(label.text() for label in dialog.findChildren(type(dialog.problem)))
    assert rule_title("triage-not-before-referral", default_catalogue()) in text
    assert "04/04/2025" in text and "2025-04-04" not in text and "triage_date" not in text
    dialog.close()


def _context_menu(qtbot, panel, row: int) -> QMenu:
    """A right click on the row (QTest's click does not make the window system's context-menu event,
    so the event a right click makes is sent as Qt would)."""
    point = panel.list.visualRect(panel.model.index(row, 2)).center()
    viewport = panel.list.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.RightButton, pos=point)
    QApplication.sendEvent(viewport, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point,
                                                       viewport.mapToGlobal(point)))
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=3000)
    return QApplication.activePopupWidget()


@pytest.mark.qt_log_ignore("This plugin does not support")   # the offscreen platform has no popups to raise
def test_an_acceptance_is_withdrawn_from_the_context_menu(window, qtbot) -> None:
    panel, session = window.panel, window.session
    warnings = session.counts()["warning"]
    row = _row_of_rule(panel, "triage-within-6-weeks")
    menu = _context_menu(qtbot, panel, row)
    texts = {a.text(): a for a in menu.actions()}
    assert not texts["Withdraw acceptance"].isEnabled()                # nothing accepted yet
    menu.close()
    panel.accept([int(panel.model.finding(row)["finding"])], "known late")
    assert session.counts()["warning"] == warnings - 1
    row = _row_of_rule(panel, "triage-within-6-weeks")
    menu = _context_menu(qtbot, panel, row)
    withdraw = next(a for a in menu.actions() if a.text() == "Withdraw acceptance")
    assert withdraw.isEnabled()
    menu.setActiveAction(withdraw)
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.counts()["warning"] == warnings, timeout=3000)
    assert not session.findings["accepted"].any()
    assert window.undo_stack.count() == 2                              # accept, then withdraw: one step each


def test_the_severity_facet_and_the_status_bar_agree(window, qtbot) -> None:
    panel, session = window.panel, window.session

    def status_numbers() -> tuple[str, str]:
        first = window.statusBar().currentMessage().split(" - ")[-1]
        words = first.split()
        return words[0], words[3]

    before = _severity_counts(panel)
    assert status_numbers() == (before["error"], before["warning"]) == ("2", "1")
    row = _row_of_rule(panel, "triage-within-6-weeks")                 # accepting: both count it out
    panel.accept([int(panel.model.finding(row)["finding"])], "known late")
    counts = _severity_counts(panel)
    assert counts["warning"] == "0 (+1 accepted)" and status_numbers() == ("2", "0")
    _click_facet(qtbot, panel, "Provider", "N9002")                   # filtering: the facet's numbers
    expected = session.findings[(session.findings["provider"] == "N9002") & ~session.findings["accepted"]]
    counts = _severity_counts(panel)
    assert status_numbers()[0] == str((expected["severity"] == "error").sum()) == counts.get("error", "0").split()[0]
    assert "2 errors and 0 warnings open" in window.statusBar().currentMessage()   # and the whole document's
    window.push([session.change_for("episodes", 7, "sex", "M")])       # an edit (patched, not reloaded)
    counts = _severity_counts(panel)
    assert status_numbers()[0] == counts.get("error", "0").split()[0]


@pytest.fixture
def saved_window(qtbot, tmp_path_factory):
    """A window on a workspace-backed session (the audit trail has times) of a small partnership."""
    from ui_data import synthetic_extracts

    from app.session import Session

    session = Session()
    session.open_files(synthetic_extracts(tmp_path_factory, "words", episodes=40, seed=3, defects=0.05,
                                          providers=1),
                       workspace_path=tmp_path_factory.mktemp("ws") / "Words.trworkspace")
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.runner.wait()
    session.close()


def test_history_and_undo_speak_in_labels_titles_and_day_first_dates(saved_window, qtbot) -> None:
    import re

    window, session = saved_window, saved_window.session
    view = window.views["episodes"]
    view.go_to(0, "referral_date")
    window.push([session.change_for("episodes", 0, "referral_date", "10/04/2024")])
    assert window.actions_["undo"].text().replace("&", "").endswith("Referral date = 10/04/2024")
    panel = window.panel
    _click_row(qtbot, panel, 0)
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(panel.accept_dialog.reason_box, "checked with the provider")
    qtbot.keyClick(panel.accept_dialog.reason_box, Qt.Key.Key_Return)
    rule = session.findings.loc[session.findings["accepted"], "rule"].iloc[0]
    assert window.undo_stack.undoText().startswith(f"Accept {rule_title(rule, session.catalogue)} on ")
    dock = window.history_dock
    tabs = dock.tabs
    qtbot.mouseClick(tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tabs.tabBar().tabRect(1).center())
    assert tabs.currentWidget() is dock.audit
    model = dock.audit_model
    rows = [{model.headerData(c, Qt.Orientation.Horizontal): model.index(r, c).data()
             for c in range(model.columnCount())} for r in range(model.rowCount())]
    edit = next(r for r in rows if r["Kind"] == "Edit")
    assert edit["Field"] == "Referral date" and edit["Now"] == "10/04/2024"
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", edit["Was"])
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", edit["When"])
    accepted = next(r for r in rows if r["Kind"] == "Accepted")
    assert accepted["Field"] == rule_title(rule, session.catalogue)
    field_col = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())].index("Field")
    assert "referral_date" in model.index(rows.index(edit), field_col).data(Qt.ItemDataRole.ToolTipRole)
