"""Start the desktop app: the QApplication, the main window, and what to open first."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__
from app.ui import prefs
from app.ui.main_window import MainWindow
from app.ui.opening import last_changed, recent_entries
from app.workspace import SUFFIX as WORKSPACE_SUFFIX

ICON = "treatment_returns.png"


def icon_path() -> Path | None:
    """The app's icon: ``icons/`` in a PyInstaller bundle, else ``packaging/icons/`` of the checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    candidates = [Path(bundle) / "icons" / ICON] if bundle else []
    candidates.append(Path(__file__).resolve().parents[3] / "packaging" / "icons" / ICON)
    return next((p for p in candidates if p.is_file()), None)


def application() -> QApplication:
    """The QApplication (created once), named so QSettings has a home, with the window icon."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("Treatment Returns")
    app.setApplicationName("Treatment Returns")
    app.setApplicationVersion(__version__)
    path = icon_path()
    if path is not None:
        app.setWindowIcon(QIcon(str(path)))
    return app


def start(paths: Sequence[Path] = (), *, demo: bool = False) -> MainWindow:
    """Show the window; open the given extracts, or the demo when asked or on the very first start.

    Otherwise offer the work left open when the app last stopped without closing (a crash), or else
    the most recent workspace.
    """
    application()
    left_open = prefs.unfinished()
    window = MainWindow()
    window.show()
    first_start = not prefs.started()
    prefs.set_started()
    if paths:
        QTimer.singleShot(0, lambda: window.open_files(list(paths)))
    elif demo:
        QTimer.singleShot(0, window.opener.open_demo)
    elif left_open is not None:
        QTimer.singleShot(0, lambda: offer_reopen(window, left_open, unfinished=True))
    elif (recent := recent_workspace()) is not None:
        QTimer.singleShot(0, lambda: offer_reopen(window, recent, unfinished=False))
    elif first_start:
        QTimer.singleShot(0, window.opener.open_demo)
    return window


def recent_workspace() -> Path | None:
    """The most recently opened workspace that still exists."""
    for entry in recent_entries():
        path = Path(entry)
        if "\n" not in entry and path.suffix == WORKSPACE_SUFFIX and path.is_file():
            return path
    return None


def offer_reopen(window: MainWindow, path: Path, *, unfinished: bool) -> QMessageBox:
    """Ask (without blocking) whether to reopen a workspace, saying when it was last changed."""
    when = last_changed(path)
    stamp = when.strftime("%d/%m/%Y at %H:%M") if when else "an unknown time"
    if unfinished:
        text = (f"Treatment Returns stopped last time without closing. Your work is safe: every change up to "
                f"{stamp} is saved in {path.name}.\n\nReopen it now?")
    else:
        text = f"Reopen {path.name}? It was last changed on {stamp}."
    box = QMessageBox(QMessageBox.Icon.Question, "Treatment Returns", text,
                      QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close, window)
    box.setObjectName("reopen-box")
    box.button(QMessageBox.StandardButton.Open).setText("Reopen")
    box.button(QMessageBox.StandardButton.Close).setText("Not now")
    box.setDefaultButton(QMessageBox.StandardButton.Open)

    def answered(button) -> None:
        if box.standardButton(button) == QMessageBox.StandardButton.Open:
            window.open_files([path])
        elif unfinished:
            prefs.set_unfinished(None)  # asked once; the workspace stays in File > Open recent

    box.buttonClicked.connect(answered)
    box.open()
    window.reopen_box = box
    return box


def main(paths: Sequence[Path] = (), *, demo: bool = False) -> int:
    app = application()
    window = start(paths, demo=demo)  # noqa: F841 - kept alive while the loop runs
    return app.exec()
