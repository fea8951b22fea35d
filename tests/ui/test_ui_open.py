"""Opening extracts through the worker: progress after ~500 ms, cancel, errors, recent files, the gui command."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from ui_data import synthetic_extracts

from app.cli import main as cli_main
from app.ui.main_window import MainWindow
from app.ui.worker import Job, JobRunner
from rules.progress import Cancelled


@pytest.fixture(scope="module")
def extracts(tmp_path_factory):
    return synthetic_extracts(tmp_path_factory, "extracts", episodes=120, seed=9)


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.runner.wait()


def test_open_extracts_in_the_worker_and_remember_them(window, qtbot, extracts) -> None:
    before = window.session
    window.open_files(extracts)
    qtbot.waitUntil(lambda: window.session is not before, timeout=30000)
    assert [window.tabs.tabText(i).split()[0] for i in range(window.tabs.count())] == ["Episodes", "Modalities", "TOPs"]
    assert window.views["episodes"].model.rowCount() == len(window.session.table("episodes")) > 0
    made = window.session.workspace.path   # the workspace made at once, in the user's data folder
    assert window.windowTitle() == f"Treatment Returns - {made.stem} (N9001_extract.xlsx, N9002_extract.xlsx)"
    recent = QSettings().value("files/recent")
    assert recent[0] == str(made)
    assert window.opener.recent_menu.actions()[0].text() == made.name
    assert not window.runner.busy()


def test_a_bad_file_gives_one_clear_message(window, qtbot, tmp_path) -> None:
    bad = tmp_path / "not_an_extract.csv"
    bad.write_text("name,colour\nx,blue\n", encoding="utf-8")
    window.open_files([bad])
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "error-box") is not None, timeout=30000)
    box = window.findChild(QMessageBox, "error-box")
    assert "not_an_extract.csv" in box.text()
    assert window.session.table("episodes").empty


def test_progress_shows_after_half_a_second_and_cancel_stops_the_job(qtbot) -> None:
    runner = JobRunner()
    outcome = []

    def slow(progress):
        for i in range(200):
            if progress.cancelled():
                raise Cancelled()
            progress.report(i / 200, f"step {i}")
            time.sleep(0.02)
        return "finished"

    job = runner.run("Slow job", slow, outcome.append, outcome.append, on_cancel=lambda: outcome.append("cancelled"))
    qtbot.wait(200)
    assert not job.dialog.isVisible()            # quick jobs never flash a dialog
    qtbot.waitUntil(job.dialog.isVisible, timeout=2000)
    qtbot.waitUntil(lambda: job.dialog.value() > 0, timeout=2000)
    qtbot.mouseClick(job.dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)   # the Cancel button
    qtbot.waitUntil(lambda: outcome == ["cancelled"], timeout=5000)
    assert runner.wait() and not runner.busy()


def test_a_quick_job_returns_its_result_without_a_dialog(qtbot) -> None:
    runner = JobRunner()
    got = []
    job = runner.run("Quick", lambda progress: 6 * 7, got.append, got.append)
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert got == [42] and not job.dialog.isVisible()
    runner.wait()


def test_gui_command_without_a_display_exits_2(monkeypatch, capsys) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert cli_main(["gui"]) == 2
    err = capsys.readouterr().err
    assert "no display" in err and len(err.strip().splitlines()) == 1


def test_save_as_workspace_and_open_it_again(window, qtbot, extracts, tmp_path) -> None:
    before = window.session
    window.open_files(extracts)
    qtbot.waitUntil(lambda: window.session is not before, timeout=30000)
    session = window.session
    first = session.workspace.path
    path = tmp_path / "Testshire 2025-26.trworkspace"
    window.opener.save_workspace(path)
    qtbot.waitUntil(lambda: session.workspace.path == path and window.centralWidget().isEnabled(), timeout=30000)
    assert first.is_file() and QSettings().value("files/recent")[0] == str(path)
    view = window.views["episodes"]
    view.go_to(0, "postcode")
    window.push([session.change_for("episodes", 0, "postcode", "zz9 9zz")], "")
    assert session.workspace.history()["new"].iloc[-1] == "zz9 9zz"
    window.history_dock.tabs.setCurrentWidget(window.history_dock.audit)   # read from the workspace
    audit = window.history_dock.audit_model
    assert audit.index(0, 5).data() == "zz9 9zz" and audit.index(0, 1).data() != ""
    window.open_files([path])      # the window releases the first one's lock before opening
    qtbot.waitUntil(lambda: window.session is not session, timeout=30000)
    assert window.session.table("episodes").at[0, "postcode"] == "zz9 9zz"
    assert path.stem in window.windowTitle()
    window.close()


def test_dropping_files_on_the_window_opens_them(window, qtbot, extracts) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in extracts])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    before = window.session
    window.dropEvent(event)
    qtbot.waitUntil(lambda: window.session is not before, timeout=30000)
    assert window.session.sources == list(extracts)


def test_the_window_is_what_its_opener_and_exporter_ask_of_it(window) -> None:
    from app.ui import exporting, opening

    assert isinstance(window, opening.Host) and isinstance(window, exporting.Host)
    assert window.opener.host is window and window.exporter.host is window
    assert not isinstance(window.opener, opening.Host)  # the protocol names what only a window has

def test_files_dragged_over_the_window_may_be_dropped_and_text_may_not(window) -> None:
    from PySide6.QtCore import QMimeData, QPoint, QUrl
    from PySide6.QtGui import QDragEnterEvent

    def entered(mime: QMimeData) -> bool:
        event = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
        event.setAccepted(False)
        window.dragEnterEvent(event)
        return event.isAccepted()

    files, text = QMimeData(), QMimeData()
    files.setUrls([QUrl.fromLocalFile("/tmp/acme_episodes.xlsx")])
    text.setText("not a file")
    assert entered(files) and not entered(text)


def test_a_job_that_reads_the_session_blocks_edits_but_not_its_cancel_button(window, qtbot) -> None:
    release = []

    def waiting(progress):
        while not release and not progress.cancelled():
            time.sleep(0.01)
        return "done"

    got = []
    job = window.runner.run("Reading", waiting, got.append, got.append, lock=window.set_busy)
    assert not window.centralWidget().isEnabled() and not window.menuBar().isEnabled()
    qtbot.waitUntil(job.dialog.isVisible, timeout=2000)
    assert job.dialog.isEnabled() and job.dialog.findChild(QPushButton).isEnabled()
    release.append(True)
    qtbot.waitUntil(lambda: got == ["done"], timeout=5000)
    assert window.centralWidget().isEnabled() and window.menuBar().isEnabled()


def test_in_a_workspace_a_bulk_fix_undo_and_redo_are_one_step_each(window, qtbot, extracts, tmp_path) -> None:
    before = window.session
    window.open_files(extracts)
    qtbot.waitUntil(lambda: window.session is not before, timeout=30000)
    session = window.session
    ws = session.workspace
    view = window.views["episodes"]
    males = int((session.table("episodes")["sex"] == "M").sum())
    assert view.replace("sex", "U", old_text="M", selected_only=False, reason="recoded") == males > 1
    history = ws.history()
    assert len(history) == males and history["batch_id"].nunique() == 1 and set(history["reason"]) == {"recoded"}
    window.actions_["undo"].trigger()
    assert (session.table("episodes")["sex"] == "M").sum() == males
    assert ws.tables().episodes["sex"].eq("M").sum() == males       # the file agrees
    window.actions_["redo"].trigger()
    window.actions_["undo"].trigger()
    steps = ws.history().groupby("batch_id", sort=True).agg(kind=("kind", "first"), n=("id", "size"))
    assert list(steps["kind"]) == ["edit", "undo", "redo", "undo"] and set(steps["n"]) == {males}
    assert not ws.can_undo and ws.can_redo
    window.close()


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    """Files with defects: providers' files are formatted in turn (national, friendly, upper-case headers)."""
    return synthetic_extracts(tmp_path_factory, "messy", episodes=120, seed=9, defects=0.02, providers=3)


def test_exports_of_the_open_workspace_run_in_the_worker(window, qtbot, messy, tmp_path) -> None:
    import csv

    import pandas as pd

    before = window.session
    window.open_files(messy)
    qtbot.waitUntil(lambda: window.session is not before, timeout=30000)
    session = window.session
    assert window.actions_["export_corrected"].isEnabled() and window.actions_["export_audit"].isEnabled()
    window.push([session.change_for("episodes", 0, "client_ref", "FIXED-1")], "", "provider's correction")
    own = next(m for m in session.mappings if m.table == "episodes" and any(h != t for h, t in m.columns.items()))
    provider = session.table("episodes").loc[session.table("episodes")["_file"] == own.file, "provider_code"].iat[0]

    window.exporter.export_corrected(tmp_path / "corrected.xlsx")
    qtbot.waitUntil(lambda: bool(window.exporter.exported) and window.centralWidget().isEnabled(),
                    timeout=30000)
    book = pd.read_excel(window.exporter.exported[0], sheet_name=None, dtype=str, engine="calamine")
    assert set(book) == set(session.raw.present())
    assert len(book["episodes"]) == len(session.table("episodes"))
    assert "FIXED-1" in set(book["episodes"]["client_ref"])

    window.exporter.exported = None
    window.exporter.export_corrected(tmp_path / "acme.csv", fmt="csv", headers="provider", provider=provider)
    qtbot.waitUntil(lambda: bool(window.exporter.exported), timeout=30000)
    episodes = next(p for p in window.exporter.exported if p.name == "acme_episodes.csv")
    with open(episodes, encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    assert header == [h for h, t in own.columns.items() if t][:len(header)] and header[0] != "provider_code"
    assert window.statusBar().currentMessage().startswith("Exported")

    window.exporter.exported = None
    window.exporter.export_audit(tmp_path / "audit.xlsx")
    qtbot.waitUntil(lambda: bool(window.exporter.exported), timeout=30000)
    audit = pd.read_excel(window.exporter.exported[0], sheet_name=None, engine="calamine")
    assert {"edits", "sources", "accepted"} <= set(audit)
    assert list(audit["edits"]["reason"]) == ["provider's correction"]
    assert audit["edits"]["new"].iat[0] != "FIXED-1"                   # client references are withheld
    window.close()


def test_opening_another_partnership_frees_the_previous_one(window, qtbot, extracts) -> None:
    import gc
    import weakref

    window.open_files(extracts)
    qtbot.waitUntil(lambda: len(window.session.sources) == len(extracts), timeout=30000)
    first = weakref.ref(window.session)
    window.open_files(extracts[:1])
    qtbot.waitUntil(lambda: len(window.session.sources) == 1, timeout=30000)
    qtbot.wait(50)                                      # Qt deletes the finished job on the next turn
    gc.collect()
    assert first() is None                              # no old view or job keeps its tables alive
    assert window.findChildren(Job) == []              # finished jobs are deleted, not kept by the window


def test_a_closed_dialog_is_deleted_not_kept_by_the_window(window, qtbot) -> None:
    from app.ui.help import HelpDialog

    for _ in range(3):
        dialog = window.show_help()
        qtbot.waitExposed(dialog)
        dialog.close()
    qtbot.waitUntil(lambda: window.findChildren(HelpDialog) == [], timeout=2000)


@pytest.fixture(scope="module")
def no_about(tmp_path_factory):
    """CSV extracts without about.csv, as real ones come (taken on 20/11/2024, opened much later)."""
    import datetime as dt

    from app.synth import generate, write

    synthetic = generate(providers=1, episodes=80, seed=3, as_at=dt.date(2024, 11, 20), fmt="csv")
    folders = write(synthetic, tmp_path_factory.mktemp("no_about"))
    for folder in folders:
        (folder / "about.csv").unlink()
    return folders


def test_opening_shows_the_proposed_as_at_date_and_a_typed_one_is_kept(window, qtbot, no_about) -> None:
    import datetime as dt

    from app.session.as_at import latest_date

    before = window.session
    window.open_files(no_about)
    qtbot.waitUntil(lambda: window.session is not before, timeout=30000)
    session = window.session
    proposed = latest_date(session.typed, dt.date.today())
    assert session.raw.as_at == proposed and dt.date(2024, 6, 1) < proposed <= dt.date(2024, 11, 20)
    message = window.statusBar().currentMessage()
    assert f"as at {proposed:%d/%m/%Y} (the latest date in the data): change it" in message
    field = window.as_at_field()
    assert field.isVisible() and field.edit.text() == f"{proposed:%d/%m/%Y}"
    assert field.basis.text() == "(the latest date in the data)"

    future = int((session.findings["rule"] == "no-future-dates").sum())
    field.edit.selectAll()
    qtbot.keyClicks(field.edit, "31/06/2023")                   # no such day: refused, nothing changes
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert "not a date" in window.statusBar().currentMessage() and session.raw.as_at == proposed
    field.edit.selectAll()
    qtbot.keyClicks(field.edit, "30/06/2023")
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.raw.as_at == dt.date(2023, 6, 30) and not window.runner.busy(), timeout=30000)
    assert int((session.findings["rule"] == "no-future-dates").sum()) > future   # judged as at the new date
    assert window.statusBar().currentMessage().startswith("Checked again as at 30/06/2023")
    assert field.basis.text() == "(as chosen)"

    path = session.path
    window.open_files([path])                                   # the workspace keeps the date chosen
    qtbot.waitUntil(lambda: window.session is not session, timeout=30000)
    assert window.session.raw.as_at == dt.date(2023, 6, 30) and field.edit.text() == "30/06/2023"
    assert field.basis.text() == "(kept in the workspace)"
    window.close()
