"""Dashboard drill-down and generating the returns, on a synthetic partnership and the real services."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from ui_data import synthetic_extracts

from app.session import Session
from app.ui.drilldown import DrillDown
from app.ui.main_window import MainWindow


@pytest.fixture(scope="module")
def extracts(tmp_path_factory):
    return synthetic_extracts(tmp_path_factory, "extracts", episodes=250, seed=5)


@pytest.fixture
def window(qtbot, extracts):
    session = Session()
    session.open_files(extracts)
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.runner.wait()


@pytest.mark.qt_log_ignore("This plugin does not support raise")   # offscreen: raise_() is a no-op
def test_dashboard_cards_match_the_measures_and_drill_down_to_records(window, qtbot) -> None:
    from app.ui.dashboard import Card, Dashboard
    from rules.measures import COUNT_IDS, MEASURE_IDS

    dashboard = Dashboard(window, compute_now=True)
    qtbot.addWidget(dashboard)
    dashboard.show()
    period = dashboard.period.period()
    assert period.label == "2025-26 Q2"                  # the last complete quarter before the as-at date
    cards = dashboard.cards.findChildren(Card)
    assert len(cards) == len(COUNT_IDS) + len(MEASURE_IDS)
    expected = window.session.measures(period).measures["planned_exits"]
    card = next(c for c in cards if c.figure.id == "planned_exits")
    texts = [label.text() for label in card.findChildren(QLabel)]
    assert f"{expected.percent:.1f}%" in texts
    assert f"{expected.numerator:,} of {expected.denominator:,} episodes" in texts
    window.panel.choose("Severity", "warning")           # a facet chosen before: the drill-down replaces it
    dashboard.scroll.ensureWidgetVisible(card)
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    drill = dashboard.findChild(DrillDown)
    qtbot.waitExposed(drill)
    missed = expected.records("denominator_only")
    assert drill.group.currentData() == "denominator_only" and missed   # missed target first
    shown = [drill.records.item(i).text() for i in range(drill.records.count())]
    assert shown == missed
    view = window.views["episodes"]
    assert window.tabs.currentWidget() is view and window.panel.chosen == {}
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)   # brought forward
    rows = {f"{view.model.index(r, 0).data()}/{view.model.index(r, 1).data()}" for r in range(view.model.rowCount())}
    assert rows == set(missed) and view.facet_label.text().startswith("Facet: ")
    drill.group.setCurrentIndex(drill.group.findData("numerator"))     # another group filters again
    rows = {f"{view.model.index(r, 0).data()}/{view.model.index(r, 1).data()}" for r in range(view.model.rowCount())}
    assert rows == set(expected.records("numerator"))
    item = drill.records.item(0)
    centre = drill.records.visualItemRect(item).center()
    qtbot.mouseClick(drill.records.viewport(), Qt.MouseButton.LeftButton, pos=centre)   # a double-click is
    qtbot.mouseDClick(drill.records.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # press, then twice
    row = view.grid.currentIndex().row()
    assert f"{view.model.index(row, 0).data()}/{view.model.index(row, 1).data()}" == item.text()


def test_dashboard_recomputes_in_the_worker_when_a_period_is_typed(window, qtbot) -> None:
    from app.ui.dashboard import Dashboard

    dashboard = Dashboard(window, compute_now=True)
    qtbot.addWidget(dashboard)
    dashboard.show()
    edit = dashboard.period.lineEdit()
    edit.selectAll()
    qtbot.keyClicks(edit, "2024-25 YTD Q3")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dashboard.result is not None
                    and dashboard.result["current"].period.label == "2024-25 Q3 YTD", timeout=10000)
    assert [label for label, _ in dashboard.result["trend"]] == ["2024-25 Q3 YTD"]
    edit.selectAll()
    qtbot.keyClicks(edit, "2024-25 Q5")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert "not understood" in dashboard.status.text()
    assert dashboard.period.period().label == "2024-25 Q3 YTD"       # a wrong period changes nothing


def test_the_dashboard_fits_a_laptop_screen_and_scrolls_to_its_last_card(window, qtbot) -> None:
    from app.ui.dashboard import Card, Dashboard

    dashboard = Dashboard(window, compute_now=True)
    qtbot.addWidget(dashboard)
    dashboard.show()
    qtbot.waitExposed(dashboard)
    area = dashboard.screen().availableGeometry()
    assert dashboard.frameGeometry().width() <= area.width() and dashboard.frameGeometry().height() <= area.height()
    last = dashboard.cards.findChildren(Card)[-1]
    dashboard.scroll.ensureWidgetVisible(last)
    corner = last.mapTo(dashboard.scroll.viewport(), last.rect().bottomRight())
    assert dashboard.scroll.viewport().rect().contains(corner)


def test_with_nothing_open_the_dashboard_says_so(qtbot) -> None:
    from app.ui.dashboard import Dashboard

    empty = MainWindow()
    qtbot.addWidget(empty)
    dashboard = Dashboard(empty)
    qtbot.addWidget(dashboard)
    assert dashboard.status.text().startswith("Nothing is open")
    assert not dashboard.period.isEnabled() and not empty.runner.busy() and dashboard.result is None


def test_generate_checks_templates_then_writes_both_returns(window, qtbot, tmp_path) -> None:
    from app.ui.generate_dialog import GenerateDialog

    dialog = GenerateDialog(window)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path / "out"))
    dialog.partnership.setText("Testshire")            # the default name is asked for (issue 15)
    dialog.draft.setChecked(True)
    dialog.generate()
    qtbot.waitUntil(lambda: dialog.open_button.isEnabled(), timeout=30000)
    assert dialog.problems == []
    assert sorted(p.suffix for p in dialog.outputs) == [".docx", ".xlsx"]
    assert all(p.exists() and p.stat().st_size > 0 and "DRAFT" in p.name for p in dialog.outputs)
    assert "Every tag of the templates can be filled." in dialog.log.toPlainText()


def test_rules_dialog_threshold_and_switch_off_change_the_findings(window, qtbot, tmp_path) -> None:
    from app.ui.rules_dialog import RulesDialog

    session = window.session
    def late() -> int:
        return int((session.findings["rule"] == "triage-within-6-weeks").sum())

    before = late()
    assert before > 0
    dialog = RulesDialog(window)
    qtbot.addWidget(dialog)
    row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 1).text() == "triage-within-6-weeks")
    assert dialog.table.item(row, 5).text() == "triage_target_days=42"
    dialog.table.item(row, 5).setText("triage_target_days=70")     # typed into the table
    assert dialog.settings.triage_target_days == 70
    dialog.apply()
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Applied"), timeout=30000)
    assert 0 < late() < before
    assert session.settings.triage_target_days == 70                 # the measure follows the same number
    dialog.table.item(row, 0).setCheckState(Qt.CheckState.Unchecked)
    saved = dialog.save(tmp_path / "rules.toml")
    dialog.apply()
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Applied"), timeout=30000)
    assert late() == 0
    facets = window.panel.facets
    rules = next(facets.topLevelItem(i) for i in range(facets.topLevelItemCount()) if facets.topLevelItem(i).text(0) == "Rule")
    assert "triage-within-6-weeks" not in [rules.child(i).text(0) for i in range(rules.childCount())]
    from rules.catalogue import load
    assert not load(saved).get("triage-within-6-weeks").enabled


def test_a_final_return_is_refused_while_errors_are_open(window, qtbot, tmp_path) -> None:
    from app.ui.generate_dialog import GenerateDialog

    session = window.session
    window.push([session.change_for("episodes", 0, "dob", "31/02/1980")])   # one error
    dialog = GenerateDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.draft.isChecked()                    # errors open: a draft is proposed
    dialog.draft.setChecked(False)
    dialog.folder.setText(str(tmp_path / "out"))
    dialog.partnership.setText("Testshire")            # the default name is asked for (issue 15)
    dialog.generate()
    qtbot.waitUntil(lambda: "Not generated" in dialog.log.toPlainText(), timeout=30000)
    assert "tick Draft" in dialog.log.toPlainText() and not dialog.outputs
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_settings_dialog_changes_the_name_and_a_threshold_for_rules_and_measures(window, qtbot) -> None:
    from app.ui.settings_dialog import SettingsDialog

    session = window.session
    late = int((session.findings["rule"] == "triage-within-6-weeks").sum())
    dialog = SettingsDialog(window)
    qtbot.addWidget(dialog)
    dialog.name.setText("Testshire")
    dialog.days["triage_target_days"].setValue(90)
    dialog.targets["planned_exits"].setValue(45.0)
    dialog.apply()
    qtbot.waitUntil(lambda: dialog.message.text() == "Applied", timeout=30000)
    assert session.settings.partnership_name == "Testshire"
    assert int((session.findings["rule"] == "triage-within-6-weeks").sum()) < late
    assert session.measures("2025-26 Q2").measures["planned_exits"].target == 45.0
