"""Soak: a long day's work on the demo partnership in one process, and the app still answers.

The window opens the bundled demo partnership (``app.session.DEMO``) as a person would, then, in
one process: 2,000 cell edits (1,200 typed into the records view - select the cell, type, Enter -
the rest pushed as the views push them), 50 bulk replaces over every shown row through the Replace
dialog (each confirmed), then every one of those 2,050 steps undone and every one redone (the first 100 each way by
the shortcut keys, the rest through the undo stack), with events processed - and the views
repainted - as it goes. Undoing everything must give back the tables exactly as opened, redoing
everything the tables as edited. Afterwards the window must still answer (a typed edit lands and is
repainted, a dialog opens) and its findings must be exactly those of validating its current RAW
tables afresh.

It drives the window as the other UI tests do (``opener.open_demo``, ``views``, ``push``, ``undo_stack``,
the Replace dialog, the actions' shortcuts) and reads the session only through ``table``,
``change_for``, ``findings`` (and ``raw`` and ``settings`` to validate afresh), so it holds whether
edits stay in memory or go to a workspace.

It takes several minutes (6.5-7.5 on the project's 2-core machine): nearly all of it is the app's
own cost of a step (the re-check and the workspace commit, 55-75 ms) times about 6,100 steps.
"""

from __future__ import annotations

import random
import resource
import time
from collections import Counter

import pandas as pd
import pytest
import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from app.session import Session, finding_keys
from app.ui.main_window import MainWindow
from app.ui.replace_dialog import ConfirmReplace, ReplaceDialog
from rules.tables import Tables

pytestmark = pytest.mark.slow

EDITS = 2_000
TYPED = 1_200         # of the edits, typed into the grid; the rest are pushed
BULK = 50
BY_KEYS = 100         # of the undos, and of the redos, made with their shortcut keys
EVENTS_EVERY = 10     # the other undos and redos: events processed (views repainted) every this many
OPEN_TIMEOUT_MS = 180_000

#: (table, field, what a person might type): good and bad values, so findings come and go
TYPING = [
    ("episodes", "triage_date", ["03/04/2025", "17/06/2025", "31/02/2025", "01/01/1990", "2025-05-09"]),
    ("episodes", "care_plan_date", ["10/04/2025", "30/09/2025", "00/00/0000"]),
    ("episodes", "discharge_date", ["30/09/2025", "01/01/2030", "12/08/2025"]),
    ("episodes", "postcode", ["ZZ9 9ZZ", "AB1 2CD", "not a postcode", "ZZ99ZZ"]),
    ("episodes", "first_initial", ["A", "Q", "7"]),
    ("episodes", "referral_date", ["02/02/2025", "14/07/2025", "x"]),
]
PUSHED = [
    ("episodes", "sex", ["F", "M", "Q", None]),
    ("episodes", "drug1", ["HER", "CRA", "NOPE"]),
    ("episodes", "discharge_reason", ["TCDF", "ZZ", None]),
    ("modalities", "modality_type", ["PHA", "XXX", None]),
    ("modalities", "modality_start_date", ["01/05/2025", "nope"]),
    ("tops", "opiate_days", ["0", "29", "3.5", "abc", None]),
    ("tops", "top_stage", ["S", "R", "Z"]),
]
#: bulk fixes over every row the episodes view shows, as (field, value to find, new value): each field
#: twice, the second undoing the first's sameness, so each replace changes cells on every round of
#: the list ("*" finds any value that is not blank)
REPLACES = [("sex", "*", "F"), ("postcode", "*", "ZZ9 9ZZ"), ("injecting_status", "*", "X"), ("consent", "Y", "N"),
            ("drug2", "*", "CRA"), ("sex", "F", "Q"), ("postcode", "ZZ9 9ZZ", "AA1 1AA"), ("consent", "N", "Y"),
            ("drug2", "CRA", "HER"), ("injecting_status", "X", "N")]


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the demo is generated here
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    w.opener.open_demo()
    qtbot.waitUntil(lambda: bool(w.session.files) and not w.runner.busy(), timeout=OPEN_TIMEOUT_MS)
    yield w
    w.runner.wait()


class _Paints(QObject):
    """Counts the paint events a widget gets."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def _settle(qtbot, done, timeout_ms: int = 10_000) -> None:
    """Process events until ``done()`` (a committed edit comes through a queued call)."""
    for _ in range(50):
        QApplication.processEvents()
        if done():
            return
    qtbot.waitUntil(done, timeout=timeout_ms)


def _type_into(qtbot, window, table: str, row: int, field: str, text: str) -> None:
    """Select the cell, type the text (the first key opens the editor), press Enter; wait for the step."""
    view = window.views[table]
    window.tabs.setCurrentWidget(view)
    index = view.model.index(row, view.model.column_of(field))
    view.grid.setCurrentIndex(index)
    view.grid.scrollTo(index)
    steps = window.undo_stack.count()
    qtbot.keyClicks(view.grid, text[:1])
    editor = view.grid.indexWidget(index)
    assert editor is not None, f"typing into {table}.{field} row {row} opened no editor"
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    _settle(qtbot, lambda: window.undo_stack.count() == steps + 1)


def _pick(rng: random.Random, window, plan):
    """A (table, view row, field, text) whose text changes the cell."""
    session = window.session
    while True:
        table, field, texts = rng.choice(plan)
        view = window.views.get(table)
        if view is None or view.model.rowCount() == 0:
            continue
        row = rng.randrange(view.model.rowCount())
        text = rng.choice(texts)
        change = session.change_for(table, view.model.position(row), field, text)
        if change.old != change.new:
            return table, row, field, text, change


def _replace(qtbot, window, field: str, find: str, value: str) -> None:
    """Edit > Replace value... on every row the episodes view shows, as a person does it: the value
    to find, the new value, OK, then (more than a handful of rows) the confirmation's button."""
    view = window.views["episodes"]
    window.tabs.setCurrentWidget(view)
    steps = window.undo_stack.count()
    window.replace_dialog()
    dialog = next(d for d in window.findChildren(ReplaceDialog) if d.isVisible())
    dialog.field.setCurrentIndex(dialog.field.findData(field))
    dialog.old.setText(find)
    dialog.new.setText(value)
    assert dialog.filtered.isChecked() and f"All {view.model.rowCount():,} rows" in dialog.filtered.text()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    def confirm():
        return next((d for d in dialog.findChildren(ConfirmReplace) if d.isVisible()), None)

    _settle(qtbot, lambda: window.undo_stack.count() == steps + 1 or confirm() is not None)
    if confirm() is not None:
        qtbot.mouseClick(confirm().buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    _settle(qtbot, lambda: window.undo_stack.count() == steps + 1
            and not (shiboken6.isValid(dialog) and dialog.isVisible()))   # closed (and deleted)


def _tables(window) -> dict[str, pd.DataFrame]:
    """A copy of every RAW working table the window shows."""
    return {t: window.session.table(t).copy() for t in window.views}


def _same(window, tables: dict[str, pd.DataFrame]) -> bool:
    return all(window.session.table(t).reset_index(drop=True).equals(f.reset_index(drop=True))
               for t, f in tables.items())


def _keys(window) -> Counter:
    return Counter(finding_keys(window.session.findings))


def _fresh_keys(session: Session) -> Counter:
    """The finding keys of validating a copy of the session's RAW tables from scratch."""
    raw = session.raw
    copy = Tables(**{t: f.copy() if (f := raw.get(t)) is not None else None
                     for t in ("episodes", "modalities", "tops")}, as_at=raw.as_at, files=list(raw.files))
    again = Session(settings=session.settings)
    again.load(copy)
    return Counter(finding_keys(again.findings))


def _walk(qtbot, window, direction: str) -> None:
    """Undo (or redo) every step: BY_KEYS by the shortcut, as a person would, the rest through the stack."""
    stack, grid = window.undo_stack, window.views["episodes"].grid
    step = -1 if direction == "undo" else 1
    for _ in range(BY_KEYS):
        before = stack.index()
        qtbot.keySequence(grid, window.actions_[direction].shortcut())
        _settle(qtbot, lambda b=before: stack.index() == b + step)
    move = stack.undo if direction == "undo" else stack.redo
    can = stack.canUndo if direction == "undo" else stack.canRedo
    done = 0
    while can():
        move()
        done += 1
        if done % EVENTS_EVERY == 0:
            QApplication.processEvents()
    QApplication.processEvents()


def test_a_long_session_of_edits_replaces_undo_and_redo_leaves_the_app_answering(window, qtbot) -> None:
    rng = random.Random(13)
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    assert set(window.views) >= {"episodes", "modalities", "tops"}
    shown = window.views["episodes"].model.rowCount()
    assert shown == len(window.session.table("episodes")) > 1000
    opened, opened_keys = _tables(window), _keys(window)

    for i in range(EDITS):
        if i * TYPED // EDITS != (i + 1) * TYPED // EDITS:  # TYPED of every EDITS, spread evenly
            table, row, field, text, _ = _pick(rng, window, TYPING)
            _type_into(qtbot, window, table, row, field, text)
        else:
            _, _, _, _, change = _pick(rng, window, PUSHED)
            window.push([change])
            QApplication.processEvents()
    assert window.undo_stack.count() == EDITS
    timings["edits"] = time.perf_counter() - clock

    clock = time.perf_counter()
    for i in range(BULK):
        field, find, value = REPLACES[i % len(REPLACES)]
        _replace(qtbot, window, field, find, value)
    assert window.undo_stack.count() == EDITS + BULK
    timings["replaces"] = time.perf_counter() - clock

    # every step undone, then redone: the tables come back exactly as opened, then as edited
    steps = window.undo_stack.count()
    edited, edited_keys = _tables(window), _keys(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)   # shortcuts belong to the active window
    clock = time.perf_counter()
    _walk(qtbot, window, "undo")
    assert window.undo_stack.index() == 0 and window.undo_stack.count() == steps
    timings["undo"] = time.perf_counter() - clock
    assert _same(window, opened), "undoing every step did not give back the tables as opened"
    assert _keys(window) == opened_keys
    clock = time.perf_counter()
    _walk(qtbot, window, "redo")
    assert window.undo_stack.index() == window.undo_stack.count() == steps
    timings["redo"] = time.perf_counter() - clock
    assert _same(window, edited), "redoing every step did not give back the edited tables"
    assert _keys(window) == edited_keys

    # nothing failed on the way (a failed step is made obsolete and shown in an error box)
    assert window.findChild(QMessageBox, "error-box") is None

    # the app still answers: a typed edit lands and is repainted, a dialog opens
    clock = time.perf_counter()
    assert window.isVisible()
    view = window.views["episodes"]
    paints = _Paints()
    view.grid.viewport().installEventFilter(paints)
    row = 0
    col = view.model.column_of("postcode")
    text = "AA1 1AA" if view.model.index(row, col).data() != "AA1 1AA" else "BB2 2BB"
    _type_into(qtbot, window, "episodes", row, "postcode", text)
    qtbot.waitUntil(lambda: paints.count > 0, timeout=5000)
    assert view.model.index(row, col).data() == text
    assert window.session.table("episodes").at[view.model.position(row), "postcode"] == text
    dialog = window.show_rules()
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    dialog.close()

    # and its findings are those of checking everything again
    assert Counter(finding_keys(window.session.findings)) == _fresh_keys(window.session)
    timings["checks"] = time.perf_counter() - clock
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("soak timings (s):", {k: round(v, 1) for k, v in timings.items()}, f"peak RSS {peak:.0f} MiB")

