"""The self-test's Qt step: the main window over the opened partnership and the dashboard, offscreen.

Kept in ``app.ui`` so that Qt is imported only here; ``app.selftest`` calls it as its last step.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from app.selftest_kit import PARTNERSHIP, expect

if TYPE_CHECKING:
    from app.selftest_kit import State


def show_windows(state: State) -> str:
    """Show both windows offscreen and check what they hold; returns a one-line summary."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QSettings

    # the user's own settings (window geometry, recent files) are neither read nor changed
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(state.folder / "settings"))

    from app.session import Session
    from app.ui.app import application
    from app.ui.dashboard import Dashboard
    from app.ui.main_window import MainWindow

    qt_app = application()
    opened = state.values["opened"]
    session = Session()
    session.load(opened.raw, files=state.paths, typed=opened.tables, schema_findings=opened.findings)
    window = MainWindow(session)
    window.show()
    qt_app.processEvents()
    try:
        expect(window.isVisible(), "the main window did not show")
        tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
        expect(len(tabs) == 3, f"expected three record tabs, got {tabs}")
        shown = window.views["episodes"].model.rowCount()
        expect(shown == PARTNERSHIP["episodes"], f"episodes tab shows {shown} rows")
        dashboard = Dashboard.for_screenshot(window)
        dashboard.show()
        qt_app.processEvents()
        dashboard.canvas.draw()
        image = dashboard.grab().toImage()
        expect(not image.isNull() and image.width() > 0, "the dashboard could not be drawn")
        charts = len(dashboard.figure.axes)
        expect(charts >= 2, f"the dashboard drew {charts} charts")
        dashboard.close()
    finally:
        window.close()
        qt_app.processEvents()
    return f"platform {qt_app.platformName()}, tabs {', '.join(tabs)}, dashboard {image.width()}x{image.height()}"
