"""Screenshots of the app on the demo partnership, for looking at what users will see.

Usage: xvfb-run -a -s '-screen 0 1400x900x24' .venv/bin/python scripts/screenshots.py OUT [EXTRACTS_DIR]
(or QT_QPA_PLATFORM=offscreen); without EXTRACTS_DIR the bundled demo partnership is used. Saves main window, findings facets, the File menu, mapping,
export and other dialogs, and the dashboard.
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
    widget.show()
    widget.raise_()
    _settle(app)
    widget.grab().save(str(path))
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
    window = MainWindow(session)
    window.resize(1400, 900)
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

    for name, module, cls, size in (("mapping_dialog", "app.ui.mapping_dialog", "MappingDialog", (900, 600)),
                                    ("dashboard", "app.ui.dashboard", "Dashboard", (1300, 860)),
                                    ("generate_dialog", "app.ui.generate_dialog", "GenerateDialog", (700, 520)),
                                    ("export_dialog", "app.ui.exporting", "ExportDialog", (520, 300)),
                                    ("rules_dialog", "app.ui.rules_dialog", "RulesDialog", (1100, 700)),
                                    ("settings_dialog", "app.ui.settings_dialog", "SettingsDialog", (620, 720)),
                                    ("help", "app.ui.help", "HelpDialog", (820, 720))):
        try:
            dialog = getattr(__import__(module, fromlist=[cls]), cls).for_screenshot(window)
        except (ImportError, AttributeError) as exc:
            print(f"skipped {name}: {exc}")
            continue
        dialog.resize(*size)
        shoot(dialog, out / f"{name}.png", app)
        dialog.close()
    window.close()
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(Path(args[0] if args else "screenshots"), Path(args[1]) if len(args) > 1 else None))
