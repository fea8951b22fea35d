"""The period picker shared by the dashboard and Generate: every period the data covers, or typed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from ui_data import synthetic_extracts, window_on

from app.ui.period_picker import PeriodPicker
from rules.periods import parse_period, periods_between


@pytest.fixture(scope="module")
def extracts(tmp_path_factory):
    return synthetic_extracts(tmp_path_factory, "periods", episodes=120, seed=9)


@pytest.fixture
def window(qtbot, extracts, tmp_path):
    yield from window_on(qtbot, extracts, tmp_path / "p.trworkspace")


def test_generate_lists_every_period_since_the_first_referral_and_takes_a_typed_one(window, qtbot, tmp_path) -> None:
    from app.ui.generate_dialog import GenerateDialog

    dialog = GenerateDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    picker = dialog.period
    assert picker.period().label == "2025-26 Q2"             # the last complete quarter before 15/10/2025
    listed = [picker.itemText(i) for i in range(picker.count())]
    first = window.session.typed.episodes["referral_date"].min().date()
    assert listed == [p.label for p in periods_between(first, window.session.raw.as_at)]
    assert len([label for label in listed if " " not in label]) >= 3 and "2024-25 Q3 YTD" in listed
    dialog.folder.setText(str(tmp_path / "out"))
    edit = picker.lineEdit()
    edit.selectAll()
    qtbot.keyClicks(edit, "2023-24 Q4")
    qtbot.keyClick(edit, Qt.Key.Key_Return)                   # picks the period; never generates
    assert picker.period() == parse_period("2023-24 Q4") and not dialog.outputs
    assert "Generating" not in dialog.log.toPlainText()
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert dialog.log.toPlainText().startswith("Checking templates for 2023-24 Q4")
    qtbot.waitUntil(lambda: "Every tag of the templates can be filled." in dialog.log.toPlainText(), timeout=30000)
    edit.selectAll()
    qtbot.keyClicks(edit, "2023-24 Q9")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert dialog.log.toPlainText().startswith("Not a period:") and picker.period().label == "2023-24 Q4"


def test_the_arrow_keys_walk_the_list_and_a_typed_period_outside_it_is_added(qtbot) -> None:
    periods = [parse_period(t) for t in ("2025-26 Q2", "2025-26 Q1", "2025-26")]
    picker = PeriodPicker(periods, periods[0])
    qtbot.addWidget(picker)
    picker.show()
    seen = []
    picker.period_changed.connect(seen.append)
    qtbot.keyClick(picker, Qt.Key.Key_Down)
    assert picker.period() == periods[1] and seen == [periods[1]]
    picker.lineEdit().selectAll()
    qtbot.keyClicks(picker.lineEdit(), "2019-04-01..2019-06-30")
    qtbot.keyClick(picker.lineEdit(), Qt.Key.Key_Return)
    assert picker.period().kind == "range" and picker.itemText(0) == "2019-04-01..2019-06-30"
    assert seen[-1] == picker.period() and picker.count() == 4
