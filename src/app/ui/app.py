"""Start the desktop app: the QApplication, the main window, and what to open first."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from app import __version__
from app.ui.main_window import MainWindow

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
    """Show the window; open the given extracts, or the demo when asked or on the very first start."""
    application()
    window = MainWindow()
    window.show()
    settings = QSettings()
    first_start = not settings.value("app/started", False, type=bool)
    settings.setValue("app/started", True)
    if paths:
        QTimer.singleShot(0, lambda: window.open_files(list(paths)))
    elif demo or first_start:
        QTimer.singleShot(0, window.open_demo)
    return window


def main(paths: Sequence[Path] = (), *, demo: bool = False) -> int:
    app = application()
    window = start(paths, demo=demo)  # noqa: F841 - kept alive while the loop runs
    return app.exec()
