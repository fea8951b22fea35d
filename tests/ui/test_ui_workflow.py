"""The daily loop end to end on a synthetic partnership with defects, with the real schema and engine."""

from __future__ import annotations

import pandas as pd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from ui_data import synthetic_extracts

from app import words
from app.ui.main_window import MainWindow


@pytest.fixture(scope="module")
def extracts(tmp_path_factory):
    return synthetic_extracts(tmp_path_factory, "defects", episodes=300, seed=7, defects=0.03)


@pytest.fixture
def window(qtbot, extracts):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    before = w.session
    w.open_files(extracts)
    qtbot.waitUntil(lambda: w.session is not before, timeout=60000)
    yield w
    w.runner.wait()


def _count(window, rule: str) -> int:
    f = window.session.findings
    return int(((f["rule"] == rule) & ~f["accepted"]).sum())


def test_facet_jump_fix_a_code_from_the_dropdown_undo_and_bulk_fix(window, qtbot) -> None:
    session, panel = window.session, window.panel
    errors = session.counts()["error"]
    assert errors > 0
    panel.choose("Rule", "invalid-code")
    assert panel.model.rowCount() == _count(window, "invalid-code") >= 1
    finding = panel.model.finding(0)
    table, name, bad = finding["table"], finding["fields"][0], finding["values"][0]
    view = window.views[table]
    assert view.model.rowCount() >= 1                       # the records view follows the facet
    panel.jump_to(0)
    assert window.tabs.currentWidget() is view
    index = view.grid.currentIndex()
    assert view.model.fields[index.column()] == name and index.data() == bad
    assert index.data(Qt.ItemDataRole.ToolTipRole) == words.plain(finding["message"])  # labels, dd/mm/yyyy
    view.grid.edit(index)
    combo = view.grid.findChild(QComboBox)
    good = combo.itemData(1)                                 # the first code of the list, with its label
    combo.setCurrentIndex(1)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.table(table).at[int(finding["pos"]), name] == good, timeout=5000)
    assert session.counts()["error"] == errors - 1
    assert panel.model.rowCount() == _count(window, "invalid-code") == panel.model.rowCount()
    assert f"{errors - 1:,} errors" in window.statusBar().currentMessage()
    window.actions_["undo"].trigger()
    assert session.table(table).at[int(finding["pos"]), name] == bad and session.counts()["error"] == errors
    # the same bad code in a second row, then one bulk fix of both: one undo step
    other = next(p for p in range(len(session.table(table))) if p != finding["pos"]
                 and session.table(table).at[p, name] != bad)
    window.push([session.change_for(table, other, name, bad)])
    assert session.counts()["error"] == errors + 1
    panel.clear_facets()
    steps = window.undo_stack.count()
    assert view.replace(name, good, old_text=bad, selected_only=False) == 2
    assert session.counts()["error"] == errors - 1 and window.undo_stack.count() == steps + 1


def test_keyboard_next_finding_delete_and_accept_a_warning(window, qtbot) -> None:
    session = window.session
    view = window.views["episodes"]
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=3000)   # shortcuts belong to the active window
    view.grid.setFocus()
    view.grid.setCurrentIndex(view.model.index(0, 0))
    qtbot.keyClick(view.grid, Qt.Key.Key_F3)
    first = view.grid.currentIndex()
    assert (first.row(), first.column()) != (0, 0)
    assert view.model.row_rank[view.model.position(first.row())] > 0   # a row with a finding
    qtbot.keyClick(view.grid, Qt.Key.Key_F3)
    assert view.grid.currentIndex() != first
    qtbot.keyClick(view.grid, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert view.grid.currentIndex() == first
    # Delete clears the selected cell (one undo step)
    col = view.model.column_of("postcode")
    view.grid.setCurrentIndex(view.model.index(0, col))
    qtbot.keyClick(view.grid, Qt.Key.Key_Delete)
    assert pd.isna(session.table("episodes").at[view.model.position(0), "postcode"])
    assert view.model.index(0, col).data() == ""
    # accept a performance warning with a reason
    warnings = session.counts()["warning"]
    window.panel.choose("Rule", "triage-within-6-weeks")
    window.panel.list.selectRow(0)
    window.panel.accept(window.panel.selected_finding(), "referral sat with the GP for 3 weeks")
    assert session.counts()["warning"] == warnings - 1
    assert window.panel.model.index(0, 8).data() == "referral sat with the GP for 3 weeks"


def test_an_edit_patches_tints_facets_and_list_exactly_as_a_reload_would(window, qtbot) -> None:
    import numpy as np

    from app.ui.findings_panel import FindingsPanel
    from app.ui.records_model import RecordsModel

    session = window.session
    window.panel.choose("Severity", "error")     # patching respects the chosen facets
    seen = []
    session.listeners.append(seen.append)
    frame = session.table("episodes")
    rows = [int(p) for p in frame.index[frame["triage_date"].notna()][:40:8]]
    for i, pos in enumerate(rows):
        result = session.change_for("episodes", pos, "triage_date", "01/01/1990" if i % 2 else "31/02/2025")
        window.push([result])
    window.push([session.change_for("episodes", rows[0], "sex", "Q")])
    window.actions_["undo"].trigger()
    assert len(seen) == 7 and not any(r.full for r in seen)              # patched, not reloaded
    assert sum(len(r.added) + len(r.removed) for r in seen) > 5
    fresh = FindingsPanel(session)
    fresh.chosen = dict(window.panel.chosen)
    fresh.refresh()
    assert list(window.panel.model.labels) == list(fresh.model.labels) and len(fresh.model.labels) > 0
    assert window.panel.model.cells == fresh.model.cells
    assert window.panel.counts == fresh.counts
    for table, view in window.views.items():
        again = RecordsModel(session, table)
        assert np.array_equal(view.model.row_rank, again.row_rank) and view.model.cell_rank == again.cell_rank
        mine = session.findings[(session.findings["table"] == table) & ~session.findings["accepted"]]
        for pos in mine["pos"].head(3):
            assert view.model._messages(int(pos)) == again._messages(int(pos))


@pytest.mark.parametrize("chosen", [{}, {"Severity": "error"}, {"Field": "triage_date"},
                                    {"Status": "open", "Rule": "triage-within-6-weeks"},
                                    {"Provider": "N9002", "Field": "sex", "Table": "episodes"}])
def test_counting_an_edits_findings_row_by_row_agrees_with_the_vectorised_count(chosen) -> None:
    from ui_data import TinyValidator, small_raw

    from app.session import Session
    from app.ui.findings_panel import delta_counts, facet_counts

    session = Session(validator=TinyValidator())
    session.load(small_raw())
    session.edit("episodes", 4, "sex", "Q")
    session.accept(int(session.findings.index[session.findings["rule"] == "triage-within-6-weeks"][0]), "known")
    f = session.findings
    assert len(f) >= 4
    rows = {g: {k: n for k, n in c.items() if n} for g, c in delta_counts(f, chosen).items()}
    assert rows == facet_counts(f, chosen)


def test_an_edit_updates_facet_counts_in_place_keeping_what_the_user_opened(qtbot) -> None:
    from ui_data import TinyValidator, small_raw

    from app.session import Session
    from app.ui.findings_panel import FindingsPanel

    session = Session(validator=TinyValidator())
    session.load(small_raw())
    panel = FindingsPanel(session)
    qtbot.addWidget(panel)
    session.listeners.append(lambda r: panel.apply_delta(r.added, r.removed))
    rule_group = next(panel.facets.topLevelItem(i) for i in range(panel.facets.topLevelItemCount())
                      if panel.facets.topLevelItem(i).text(0) == "Rule")
    rule_group.setExpanded(False)          # the user folded the rules away
    late = panel._facet_items[("Rule", "triage-within-6-weeks")]
    assert late.text(1) == "1"
    session.edit("episodes", 21, "triage_date", "01/09/2025")   # a second late triage: no new facet value
    assert panel._facet_items[("Rule", "triage-within-6-weeks")] is late and late.text(1) == "2"
    assert not rule_group.isExpanded()
    session.edit("episodes", 20, "sex", "Q")                    # a new provider among the facets: built again
    assert panel._facet_items[("Field", "sex")].text(1) == "2"
    assert panel.counts["Rule"]["invalid-code"] == 2
