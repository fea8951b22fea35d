"""Screenshots of the app on the demo partnership, for looking at what users will see.

Usage: xvfb-run -a -s '-screen 0 1366x768x24' .venv/bin/python scripts/screenshots.py OUT [EXTRACTS_DIR]
(a 1366x768 laptop screen; or QT_QPA_PLATFORM=offscreen); without EXTRACTS_DIR the bundled demo
partnership is used. Saves the main window, findings facets, the File menu, the history and audit
trail, and every dialog at the size it takes on that screen (each sizes itself to fit).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QWidget


def _settle(app: QApplication, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()


def shoot(widget: QWidget, path: Path, app: QApplication) -> None:
    """The widget as drawn, and (``screen_*.png``) the whole screen: what is cut off shows there."""
    widget.show()
    widget.raise_()
    _settle(app)
    widget.grab().save(str(path))
    widget.screen().grabWindow(0).save(str(path.with_name(f"screen_{path.name}")))
    print(f"saved {path}")


def main(out: Path, extracts: Path | None = None) -> int:
    out.mkdir(parents=True, exist_ok=True)
    QCoreApplication.setOrganizationName("Treatment Returns Screenshots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication.instance() or QApplication(sys.argv[:1])

    from app.session import Session, demo_files
    from app.ui.main_window import MainWindow
    from app.ui.opening import cache_dir

    session = Session()
    session.open_files(sorted(extracts.glob("*.xlsx")) if extracts else demo_files(cache_dir() / "demo"),
                       workspace_path=Path(tempfile.mkdtemp()) / "Screenshots.trworkspace")
    window = MainWindow(session)   # sized for the screen it is on (main_window._restore)
    view = window.views["episodes"]
    window.panel.list.selectRow(0)
    window.panel.jump_to(0)                  # the first error, as F3 from the top would
    shoot(window, out / "main_window.png", app)

    window.panel.choose("Severity", "error")
    window.panel.choose("Table", "episodes")
    window.panel.list.selectRow(0)
    window.panel.jump_to(0)
    shoot(window, out / "findings_facets.png", app)
    window.panel.clear_facets()
    view.flagged.setChecked(True)
    _settle(app)
    file_menu = window.menuBar().actions()[0].menu()
    file_menu.popup(window.mapToGlobal(window.menuBar().geometry().bottomLeft()))
    _settle(app)
    file_menu.grab().save(str(out / "file_menu.png"))
    print(f"saved {out / 'file_menu.png'}")
    file_menu.close()
    window.history_dock.tabs.setCurrentWidget(window.history_dock.audit)
    episodes = window.session.table("episodes")   # one edit, so the audit trail has a row to show
    window.push([window.session.change_for("episodes", 0, "referral_date",
                                           "01/04/2024" if episodes.at[0, "referral_date"] != "2024-04-01" else "02/04/2024")])
    shoot(window, out / "history_audit.png", app)

    for name, module, cls in (("mapping_dialog", "app.ui.mapping_dialog", "MappingDialog"),
                              ("dashboard", "app.ui.dashboard", "Dashboard"),
                              ("generate_dialog", "app.ui.generate_dialog", "GenerateDialog"),
                              ("export_dialog", "app.ui.exporting", "ExportDialog"),
                              ("rules_dialog", "app.ui.rules_dialog", "RulesDialog"),
                              ("settings_dialog", "app.ui.settings_dialog", "SettingsDialog"),
                              ("accept_dialog", "app.ui.accept_dialog", "AcceptDialog"),
                              ("help", "app.ui.help", "HelpDialog")):
        try:
            dialog = getattr(__import__(module, fromlist=[cls]), cls).for_screenshot(window)
        except (ImportError, AttributeError) as exc:
            print(f"skipped {name}: {exc}")
            continue
        area = dialog.screen().availableGeometry()
        if dialog.height() > area.height() or dialog.width() > area.width():
            print(f"{name} is {dialog.width()}x{dialog.height()}: bigger than the screen")
        shoot(dialog, out / f"{name}.png", app)
        dialog.close()
    window.close()
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(Path(args[0] if args else "screenshots"), Path(args[1]) if len(args) > 1 else None))
