"""Starting the app: the demo partnership on the very first start, window state kept between runs."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from app import session as session_module
from app.ui.app import application, start
from app.ui.main_window import MainWindow


def test_first_start_opens_the_demo_then_not_again(qtbot, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setitem(session_module.DEMO, "episodes", 90)
    application()
    QSettings().remove("app/started")
    window = start()
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(window.session.sources), timeout=60000)
    assert [p.name for p in window.session.sources] == ["N9001_extract.xlsx", "N9002_extract.xlsx",
                                                        "N9003_extract.xlsx"]
    assert (tmp_path / "cache").exists()
    assert window.session.counts()["warning"] > 0
    window.runner.wait()
    window.close()
    again = start()   # not the demo again: the workspace it made is offered back instead
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.findChild(QMessageBox, "reopen-box") is not None, timeout=5000)
    box = again.findChild(QMessageBox, "reopen-box")
    assert "Partnership 2025-26 Q2.trworkspace" in box.text() and "last changed" in box.text()
    assert again.session.files == [] and not again.runner.busy()
    box.button(QMessageBox.StandardButton.Close).click()
    again.close()


def test_window_size_and_docks_are_remembered(qtbot) -> None:
    application()
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.resize(720, 520)   # inside the offscreen screen (800 x 600)
    first.history_dock.hide()
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (720, 520)
    assert second.history_dock.isHidden()


def test_the_window_icon_is_found_in_the_checkout_or_the_bundle(qtbot, tmp_path, monkeypatch) -> None:
    import shutil
    import sys

    from app.ui import app as app_module

    source = app_module.icon_path()
    assert source is not None and source.parts[-3:] == ("packaging", "icons", "treatment_returns.png")
    application()
    window = MainWindow()
    qtbot.addWidget(window)
    assert not window.windowIcon().isNull() and window.windowIcon().availableSizes()
    (tmp_path / "icons").mkdir()
    shutil.copy(source, tmp_path / "icons" / source.name)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert app_module.icon_path() == tmp_path / "icons" / source.name
