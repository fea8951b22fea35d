"""The main window: composes the records tabs, the findings and history docks, and the dialogs.

It holds one ``Session`` and one ``QUndoStack``; every edit is pushed as an ``EditCommand`` and
the session tells the window what changed, so tints and facet counts update at once.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QDockWidget, QFileDialog, QMainWindow, QMessageBox, QTabWidget

from app.errors import InputError
from app.session import CellChange, EditResult, Session
from app.ui import actions
from app.ui.commands import EditCommand, describe
from app.ui.findings_panel import FindingsPanel
from app.ui.history_panel import history_dock
from app.ui.records_view import RecordsView
from app.ui.worker import JobRunner
from app.workspace import SUFFIX as WORKSPACE_SUFFIX

MAX_RECENT = 8
EXTRACT_FILTER = "Extracts (*.xlsx *.xlsm *.csv);;Workspaces (*.trworkspace);;All files (*)"
WORKSPACE_FILTER = "Workspaces (*.trworkspace)"


class MainWindow(QMainWindow):
    def __init__(self, session: Session | None = None, *,
                 make_session: Callable[[], Session] = Session) -> None:
        super().__init__()
        self.setWindowTitle("Treatment Returns")
        self.setAcceptDrops(True)
        self.make_session = make_session
        self.undo_stack = QUndoStack(self)
        self.runner = JobRunner(self)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.findings_dock = QDockWidget("Findings", self)
        self.findings_dock.setObjectName("findings")
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.findings_dock)
        self.history_dock = history_dock(self.undo_stack, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_dock)
        self.views: dict[str, RecordsView] = {}
        self.actions_ = actions.build(self)
        self.session = session or make_session()
        self.set_session(self.session)
        self._restore()

    # -- the open document ----------------------------------------------------------------------
    def set_session(self, session: Session) -> None:
        """Show a (newly opened) session: one tab per table, fresh findings panel, empty history."""
        old = getattr(self, "session", None)
        if old is not None and old is not session:
            if self._on_edit in old.listeners:
                old.listeners.remove(self._on_edit)
            if old.workspace is not None and old.workspace is not session.workspace:
                old.workspace.close()  # release its lock
        self.session = session
        session.listeners.append(self._on_edit)
        self.undo_stack.clear()
        self.tabs.clear()
        self.views = {}
        for table in session.raw.present():
            view = RecordsView(session, table, self.push)
            self.views[table] = view
            self.tabs.addTab(view, f"{table.capitalize()} ({len(session.table(table)):,})")
        self.panel = FindingsPanel(session)
        self.panel.jump.connect(self.go_to)
        self.panel.facet_changed.connect(self._facet)
        self.panel.accepted.connect(self._findings_changed)
        self.findings_dock.setWidget(self.panel)
        names = ", ".join(p.name for p in session.files)
        self.setWindowTitle(f"Treatment Returns - {names}" if names else "Treatment Returns")
        self._status()

    def push(self, changes: list[CellChange], text: str = "") -> None:
        """One undo step for these changes (applied now by the command's first redo)."""
        self.undo_stack.push(EditCommand(self.session, changes, text or describe(changes)))

    def _on_edit(self, result: EditResult) -> None:
        for view in self.views.values():
            view.model.update_cells(result.changes)
        self._findings_changed()

    def _findings_changed(self) -> None:
        for view in self.views.values():
            view.model.refresh_findings()
        self.panel.refresh()
        self._status()

    def _status(self) -> None:
        c = self.session.counts()
        self.statusBar().showMessage(f"{c['error']:,} errors and {c['warning']:,} warnings open")

    def _facet(self, positions, text: str) -> None:
        import numpy as np

        for table, view in self.views.items():
            chosen = None if positions is None else positions.get(table, np.array([], dtype=np.int64))
            view.set_facet(chosen, text)
        if positions:
            first = next(iter(positions))
            self.tabs.setCurrentWidget(self.views[first])

    def current_view(self) -> RecordsView | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, RecordsView) else None

    def with_view(self, method: str) -> None:
        view = self.current_view()
        if view is not None:
            getattr(view, method)()

    # -- findings navigation --------------------------------------------------------------------
    def go_to(self, table: str, pos: int, field: str) -> None:
        view = self.views.get(table)
        if view is not None:
            self.tabs.setCurrentWidget(view)
            view.go_to(pos, field)

    def next_finding(self, step: int) -> None:
        """F3 / Shift+F3: the next (previous) open finding's cell in view order, wrapping round."""
        view = self.current_view()
        if view is None:
            return
        model = view.model
        f = self.session.findings
        mine = f[(f["table"] == view.table) & (f["pos"] >= 0) & ~f["accepted"]]
        if mine.empty:
            return
        cells = sorted({(model.row_of(int(p)), model.column_of(fl[0]) if fl and fl[0] in model.fields else 0)
                        for p, fl in zip(mine["pos"], mine["fields"], strict=True)} - {(-1, 0)})
        cells = [c for c in cells if c[0] >= 0]
        if not cells:
            return
        here = (view.grid.currentIndex().row(), view.grid.currentIndex().column())
        later = [c for c in cells if (c > here if step > 0 else c < here)]
        row, col = (later[0] if step > 0 else later[-1]) if later else (cells[0] if step > 0 else cells[-1])
        index = model.index(row, col)
        view.grid.setCurrentIndex(index)
        view.grid.scrollTo(index)

    def accept_finding(self) -> None:
        self.findings_dock.show()
        self.panel.accept_selected()

    # -- clipboard and bulk edits ---------------------------------------------------------------
    def copy(self) -> None:
        view = self.current_view()
        if view is not None:
            QApplication.clipboard().setText(view.copy_text())

    def paste(self) -> None:
        view = self.current_view()
        if view is not None:
            view.paste(QApplication.clipboard().text())

    def replace_dialog(self) -> None:
        from app.ui.replace_dialog import ReplaceDialog

        view = self.current_view()
        if view is not None:
            ReplaceDialog(view, self).open()

    # -- opening --------------------------------------------------------------------------------
    def choose_files(self) -> None:
        start = QSettings().value("files/last_folder", str(Path.home()))
        paths, _ = QFileDialog.getOpenFileNames(self, "Open extracts", str(start), EXTRACT_FILTER)
        if paths:
            self.open_files([Path(p) for p in paths])

    def open_files(self, paths: Sequence[Path], *, profile=None) -> None:
        """Read and validate extracts in the worker; the window shows them when done.

        Without a profile, headers import had to guess (or required columns it could not find)
        are shown in the mapping dialog first; the files open with the mapping confirmed there.
        """
        paths = [Path(p) for p in paths]
        session = self.make_session()
        current = self.session.workspace
        if current is not None and len(paths) == 1 and paths[0].resolve() == Path(current.path).resolve():
            current.close()  # opening the same workspace again: it reads what was saved
            self.session.workspace = None

        def job(progress):
            if len(paths) == 1 and paths[0].suffix == WORKSPACE_SUFFIX:
                session.open_workspace(paths[0], progress=progress)
                return session
            if profile is None:
                from app.extracts import read_extract
                from app.ui.mapping_dialog import header_samples, needs_a_look

                probes = [(p, m) for p in paths for m in read_extract(p, progress=progress).mappings]
                if needs_a_look([m for _, m in probes]):
                    return [(m, header_samples(p, m)) for p, m in probes if m.needs_confirmation or m.unmapped]
            session.open_files(paths, progress=progress, profile=profile)
            return session

        def done(result) -> None:
            if isinstance(result, Session):
                self.set_session(result)
                self._remember(paths)
                return
            from app.ui.mapping_dialog import MappingDialog

            dialog = MappingDialog(result, self)
            dialog.confirmed.connect(lambda chosen: self.open_files(paths, profile=chosen))
            dialog.open()
            self.mapping_dialog = dialog

        self.runner.run("Opening extracts", job, done, self.show_error,
                        on_cancel=lambda: self.statusBar().showMessage("Opening cancelled"))

    def choose_workspace(self) -> None:
        folder = QSettings().value("files/last_folder", str(Path.home()))
        path, _ = QFileDialog.getOpenFileName(self, "Open workspace", str(folder), WORKSPACE_FILTER)
        if path:
            self.open_files([Path(path)])

    def save_workspace(self, path: Path | None = None) -> None:
        """Save what is open (files as imported, every edit, acceptances, settings) as a workspace."""
        from app.workspace import default_path
        from rules.periods import quarter_containing

        session = self.session
        year = quarter_containing(session.raw.as_at or dt.date.today()).label.split()[0]
        if path is None:
            default = default_path(session.settings.partnership_name, year)
            chosen, _ = QFileDialog.getSaveFileName(self, "Save as workspace", str(default), WORKSPACE_FILTER)
            if not chosen:
                return
            path = Path(chosen).with_suffix(WORKSPACE_SUFFIX)
        Path(path).parent.mkdir(parents=True, exist_ok=True)

        def done(_result) -> None:
            self._remember([Path(path)])
            self.setWindowTitle(f"Treatment Returns - {Path(path).name}")
            self.statusBar().showMessage(f"Saved {Path(path).name}: every change from now on is saved as you make it")

        self.runner.run("Saving the workspace", lambda progress: session.save_workspace(Path(path), year=year),
                        done, self.show_error, lock=self)

    def open_with_profile(self) -> None:
        """Open extracts with a saved mapping profile (a provider's headers and codes, from last quarter)."""
        from app.extracts import MappingProfile

        folder = str(QSettings().value("files/profiles", str(Path.home())))
        chosen, _ = QFileDialog.getOpenFileName(self, "Mapping profile", folder, "Mapping profiles (*.json)")
        if not chosen:
            return
        paths, _ = QFileDialog.getOpenFileNames(self, "Open extracts", str(QSettings().value(
            "files/last_folder", str(Path.home()))), EXTRACT_FILTER)
        if paths:
            try:
                profile = MappingProfile.load(Path(chosen))
            except InputError as exc:
                self.show_error(exc)
                return
            self.open_files([Path(p) for p in paths], profile=profile)

    def open_demo(self) -> None:
        from app.session import demo_files

        folder = Path(QSettings().value("demo/folder", "") or _cache_dir() / "demo")
        self.runner.run("Preparing the demo partnership", lambda p: demo_files(folder, progress=p),
                        lambda paths: self.open_files(paths), self.show_error)

    def _remember(self, paths: list[Path]) -> None:
        settings = QSettings()
        key = "\n".join(str(p) for p in paths)
        recent = [r for r in (settings.value("files/recent", []) or []) if r != key]
        settings.setValue("files/recent", [key, *recent][:MAX_RECENT])
        settings.setValue("files/last_folder", str(paths[0].parent))
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = QSettings().value("files/recent", []) or []
        if isinstance(recent, str):
            recent = [recent]
        for entry in recent:
            paths = [Path(p) for p in entry.split("\n")]
            action = self.recent_menu.addAction(", ".join(p.name for p in paths))
            action.triggered.connect(lambda checked=False, ps=paths: self.open_files(ps))
        self.recent_menu.setEnabled(bool(recent))

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.open_files(paths)
            event.acceptProposedAction()

    def show_error(self, exc: BaseException) -> None:
        """Bad input gets its one clear line; anything else its message (and a traceback on stderr)."""
        if not isinstance(exc, InputError):
            print(getattr(exc, "__traceback_text__", repr(exc)), file=sys.stderr)
        box = QMessageBox(QMessageBox.Icon.Warning, "Treatment Returns", str(exc) or type(exc).__name__,
                          parent=self)
        box.setObjectName("error-box")
        box.open()

    # -- other windows --------------------------------------------------------------------------
    def show_rules(self) -> None:
        self._dialog("app.ui.rules_dialog", "RulesDialog")

    def show_dashboard(self) -> None:
        self._dialog("app.ui.dashboard", "Dashboard")

    def show_generate(self) -> None:
        self._dialog("app.ui.generate_dialog", "GenerateDialog")

    def show_help(self) -> None:
        self._dialog("app.ui.help", "HelpDialog")

    def _dialog(self, module: str, name: str):
        import importlib

        try:
            cls = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError) as exc:
            self.show_error(RuntimeError(f"Not available in this version ({exc})"))
            return None
        dialog = cls(self)
        dialog.show()
        return dialog

    # -- window state ---------------------------------------------------------------------------
    def _restore(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:  # first run: most of the screen (a 1366 x 768 laptop included)
            area = self.screen().availableGeometry()
            self.resize(min(1360, int(area.width() * 0.95)), min(860, int(area.height() * 0.9)))
            self.resizeDocks([self.history_dock], [200], Qt.Orientation.Horizontal)
            self.resizeDocks([self.findings_dock], [300], Qt.Orientation.Vertical)
        state = settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        self._fill_recent()

    def closeEvent(self, event) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        self.runner.wait()
        if self.session.workspace is not None:
            self.session.workspace.close()
        super().closeEvent(event)


def _cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("treatment-returns", appauthor=False))
