"""Words a manager reads: the TOPs tab is "TOPs", and a greyed-out action says why (issue 14)."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar
from ui_data import TinyValidator, small_raw

from app.session import Session
from app.ui.main_window import MainWindow
from rules import columns


def _with_tops() -> Session:
    raw = small_raw()
    row = {c: None for c in columns.column_names("tops")} | {
        "provider_code": "N9001", "episode_id": "E00000", "top_id": "T1", "_file": "n9001.xlsx",
        "_sheet": "tops", "_row": 2}
    raw.tops = pd.DataFrame([row], dtype=object)
    session = Session(validator=TinyValidator())
    session.load(raw)
    return session


def test_tabs_say_tops_as_a_manager_writes_it(qtbot) -> None:
    window = MainWindow(_with_tops())
    qtbot.addWidget(window)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Episodes (40)", "TOPs (1)"]
    menus = [a.text() for m in window.menuBar().findChildren(type(window.opener.recent_menu)) for a in m.actions()]
    assert not [t for t in [*titles, *menus] if "Tops" in t]


def test_disabled_actions_say_why_in_their_tooltip(qtbot, session) -> None:
    window = MainWindow(session)          # nothing saved in a workspace, nothing done yet
    qtbot.addWidget(window)
    window.show()
    a = window.actions_
    toolbar = window.findChild(QToolBar, "main-toolbar")
    undo_button = toolbar.widgetForAction(a["undo"])
    assert not a["undo"].isEnabled() and undo_button.toolTip() == "Undo: nothing to undo"
    assert a["redo"].toolTip() == "Redo: nothing to redo"
    assert not a["export_corrected"].isEnabled() and a["export_corrected"].toolTip() == "Export: open extracts first"
    assert a["export_audit"].toolTip() == "Export audit trail: open extracts first"
    view = window.views["episodes"]
    index = view.model.index(0, view.model.column_of("client_ref"))
    view.grid.setCurrentIndex(index)
    view.grid.setFocus()
    qtbot.keyClicks(view.grid, "N")
    qtbot.keyClick(view.grid.indexWidget(index), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: a["undo"].isEnabled())
    assert "nothing" not in undo_button.toolTip() and "client" in undo_button.toolTip().lower()
