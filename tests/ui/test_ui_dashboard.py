"""Dashboard drill-down and generating the returns, on a synthetic partnership and the real services."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from ui_data import synthetic_extracts

from app.session import Session
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


def test_dashboard_cards_match_the_measures_and_drill_down_to_records(window, qtbot) -> None:
    from app.ui.dashboard import Card, Dashboard
    from rules.measures import COUNT_IDS, MEASURE_IDS

    dashboard = Dashboard(window, compute_now=True)
    qtbot.addWidget(dashboard)
    period = dashboard.period.currentData()
    assert period.label == "2025-26 Q2"
    cards = dashboard.cards.findChildren(Card)
    assert len(cards) == len(COUNT_IDS) + len(MEASURE_IDS)
    expected = window.session.measures(period).measures["planned_exits"]
    card = next(c for c in cards if c.figure.id == "planned_exits")
    texts = [label.text() for label in card.findChildren(QLabel)]
    assert f"{expected.percent:.1f}%" in texts
    assert f"{expected.numerator:,} of {expected.denominator:,} episodes" in texts
    drill = dashboard.drill(card.figure)
    qtbot.addWidget(drill)
    shown = [drill.records.item(i).text() for i in range(drill.records.count())]
    assert shown == expected.records("numerator") and shown
    assert drill.go_to(shown[0])
    view = window.views["episodes"]
    row = view.grid.currentIndex().row()
    assert f"{view.model.index(row, 0).data()}/{view.model.index(row, 1).data()}" == shown[0]


def test_dashboard_recomputes_in_the_worker_when_the_period_changes(window, qtbot) -> None:
    from app.ui.dashboard import Dashboard

    dashboard = Dashboard(window, compute_now=True)
    qtbot.addWidget(dashboard)
    dashboard.period.setCurrentIndex(2)
    qtbot.waitUntil(lambda: dashboard.result is not None
                    and dashboard.result["current"].period.label == dashboard.period.currentData().label, timeout=10000)
    assert [label for label, _ in dashboard.result["trend"]][-1] == dashboard.period.currentData().label


def test_generate_checks_templates_then_writes_both_returns(window, qtbot, tmp_path) -> None:
    from app.ui.generate_dialog import GenerateDialog

    dialog = GenerateDialog(window)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path / "out"))
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
