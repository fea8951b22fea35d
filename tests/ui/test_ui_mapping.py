"""Headers import could not be sure of: the mapping dialog proposes, the user corrects, the files open."""

from __future__ import annotations

import pytest

from app.extracts import MappingProfile
from app.ui.main_window import MainWindow
from app.ui.mapping_dialog import IGNORE, MappingDialog
from app.workspace import default_folder

CSV = (
    "Provider,Episode ID,Client Code,DOB,Consent,Referal Dat,Main Drug,Notes\n"
    "N9001,E1,C1,01/02/1980,Y,03/04/2025,HER,call back\n"
    "N9001,E2,C2,05/06/1975,N,07/04/2025,ALC,\n"
)


def test_guessed_headers_are_confirmed_corrected_and_saved(qtbot, tmp_path) -> None:
    extract = tmp_path / "acme_episodes.csv"
    extract.write_text(CSV, encoding="utf-8")
    window = MainWindow()
    qtbot.addWidget(window)
    before = window.session
    window.open_files([extract])
    qtbot.waitUntil(lambda: isinstance(window.opener.mapping_dialog, MappingDialog), timeout=20000)
    dialog = window.opener.mapping_dialog
    table = dialog.tables[0]
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    assert table.item(rows["Referal Dat"], 3).text() == "guess: please check"
    assert table.cellWidget(rows["Referal Dat"], 2).currentData() == "referral_date"
    assert table.item(rows["Referal Dat"], 1).text() == "03/04/2025, 07/04/2025"   # sample values
    assert table.cellWidget(rows["Notes"], 2).currentText() == IGNORE
    client = table.cellWidget(rows["Client Code"], 2)
    if client.currentData() != "client_ref":                # not recognised: the person picks it
        assert "client_ref" in table.missing_required()
        dialog.confirm()
        assert "client_ref" in dialog.problem.text() and dialog.isVisible()
        client.setCurrentIndex(client.findData("client_ref"))
    saved = dialog.save_profile(tmp_path / "acme.json")
    assert MappingProfile.load(saved).headers["Referal Dat"] == "referral_date"
    assert MappingProfile.load(saved).headers["Notes"] == ""
    dialog.confirm()
    qtbot.waitUntil(lambda: window.session is not before, timeout=20000)
    episodes = window.session.table("episodes")
    assert list(episodes["client_ref"]) == ["C1", "C2"]
    assert list(episodes["referral_date"]) == ["03/04/2025", "07/04/2025"]
    window.runner.wait()
    made = sorted(p.name for p in default_folder().glob("*.trworkspace"))   # the first read's one went
    assert made == [window.session.workspace.path.name]


def test_confirming_the_guesses_unchanged_opens_what_was_read(qtbot, tmp_path, monkeypatch) -> None:
    extract = tmp_path / "acme_episodes.csv"
    extract.write_text(CSV.replace("Client Code", "Client Number").replace(",Notes", "").replace(
        ",call back", "").replace("ALC,\n", "ALC\n"), encoding="utf-8")
    window = MainWindow()
    qtbot.addWidget(window)
    before = window.session
    window.open_files([extract])
    qtbot.waitUntil(lambda: isinstance(window.opener.mapping_dialog, MappingDialog), timeout=20000)
    reads = []
    monkeypatch.setattr(window.opener, "open_files", lambda *a, **k: reads.append(a))   # no second read wanted
    window.opener.mapping_dialog.confirm()
    assert reads == [] and window.session is not before
    assert list(window.session.table("episodes")["referral_date"]) == ["03/04/2025", "07/04/2025"]
    window.runner.wait()


def test_a_confirmed_profile_is_kept_in_the_workspace_and_offered_next_time(qtbot, tmp_path) -> None:
    from PySide6.QtCore import QSettings

    from app.ui.profiles_store import KEY
    from app.workspace import Workspace

    QSettings().remove(KEY)
    first = tmp_path / "acme_q1.csv"
    first.write_text(CSV, encoding="utf-8")
    window = MainWindow()
    qtbot.addWidget(window)
    path = tmp_path / "acme.trworkspace"
    window.session.workspace = Workspace.create(path, partnership="Testshire", year="2025-26")
    window.open_files([first])
    qtbot.waitUntil(lambda: isinstance(window.opener.mapping_dialog, MappingDialog), timeout=20000)
    dialog = window.opener.mapping_dialog
    assert dialog.saved_box.count() == 1                      # nothing saved yet: only "(none)"
    table = dialog.tables[0]
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    client = table.cellWidget(rows["Client Code"], 2)
    client.setCurrentIndex(client.findData("client_ref"))
    dialog.name.setText("Acme")
    before = window.session
    dialog.confirm()
    qtbot.waitUntil(lambda: window.session is not before, timeout=20000)
    with Workspace.open(path) as ws:                           # the window closed it when the files opened
        assert ws.profiles["Acme"]["headers"]["Client Code"] == "client_ref"
    assert "Acme" in str(QSettings().value(KEY))
    # next quarter: the same headers are offered the saved profile, already applied
    second = tmp_path / "acme_q2.csv"
    second.write_text(CSV.replace("E1,C1", "E3,C3"), encoding="utf-8")
    window.opener.mapping_dialog = None
    window.open_files([second])
    qtbot.waitUntil(lambda: isinstance(window.opener.mapping_dialog, MappingDialog), timeout=20000)
    dialog = window.opener.mapping_dialog
    table = dialog.tables[0]
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    assert dialog.saved_box.currentData() == "Acme" and dialog.name.text() == "Acme"
    assert table.cellWidget(rows["Client Code"], 2).currentData() == "client_ref"
    assert table.item(rows["Client Code"], 3).text() == "saved profile 'Acme'"
    before = window.session
    dialog.confirm()
    qtbot.waitUntil(lambda: window.session is not before, timeout=20000)
    assert list(window.session.table("episodes")["client_ref"]) == ["C3", "C2"]
    window.runner.wait()


def _many_headers_dialog(qtbot):
    from app.extracts.mapping import map_headers

    headers = ["Provider", "Episode Ref", "Client Code", "Referal Dat", *[f"Extra {i}" for i in range(30)]]
    result, _ = map_headers(headers, file="acme.csv", sheet=None, header_row=1, table="episodes")
    dialog = MappingDialog([(result, {h: ["x"] for h in headers})])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _wheel_over(qtbot, dialog, widget, notches: int) -> None:
    """A real wheel turn (through the window system) over the middle of ``widget``."""
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    at = widget.mapTo(dialog, widget.rect().center())
    QTest.wheelEvent(dialog.windowHandle(), at, QPoint(0, -120 * notches))
    qtbot.wait(20)


@pytest.mark.qt_log_ignore("This plugin does not support")   # the offscreen platform has no popups to raise
def test_the_wheel_scrolls_the_list_and_never_remaps_a_column_not_clicked(qtbot) -> None:
    from PySide6.QtCore import Qt

    dialog = _many_headers_dialog(qtbot)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    table = dialog.tables[0]
    bar = table.verticalScrollBar()
    assert bar.maximum() > 0                                        # more rows than fit: the list scrolls
    combo = table.cellWidget(1, 2)
    chosen = {r: table.cellWidget(r, 2).currentData() for r in range(table.rowCount())}
    _wheel_over(qtbot, dialog, combo, 2)
    assert {r: table.cellWidget(r, 2).currentData() for r in range(table.rowCount())} == chosen
    assert bar.value() > 0                                          # the wheel went to the list
    bar.setValue(0)
    combo = table.cellWidget(0, 2)
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)             # clicked: now the wheel is the user's choice
    qtbot.keyClick(combo.view(), Qt.Key.Key_Escape)                # close the list the click opened
    dialog.activateWindow()                                         # offscreen leaves the closed list active
    qtbot.waitUntil(combo.hasFocus, timeout=3000)
    before = combo.currentIndex()
    _wheel_over(qtbot, dialog, combo, 1)
    assert combo.currentIndex() != before


def test_drop_downs_show_labels_wide_enough_and_ids_in_tooltips(qtbot) -> None:
    from PySide6.QtCore import Qt

    dialog = _many_headers_dialog(qtbot)
    combo = dialog.tables[0].cellWidget(3, 2)                       # "Referal Dat": a guess
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert "Referral date" in texts and not [t for t in texts if "_" in t]
    assert combo.itemData(combo.findText("Referral date"), Qt.ItemDataRole.ToolTipRole) == "referral_date"
    longest = max(combo.fontMetrics().horizontalAdvance(t) for t in texts)
    assert combo.view().minimumWidth() >= longest
    why = dialog.tables[0].item(0, 3).text()
    assert why != "canonical" and "_" not in why
