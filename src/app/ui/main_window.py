"""The main window: composes the records tabs, the findings and history docks, and the dialogs.

It holds one ``Session`` and one ``QUndoStack``; every edit is pushed as an ``EditCommand`` and
the session tells the window what changed, so tints and facet counts update at once. Opening and
exporting are objects it owns (``opener``, ``exporter``), each asking it only for what its ``Host``
protocol declares.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QToolBar,
)

from app.errors import InputError
from app.session import CellChange, EditResult, Session
from app.ui import actions, prefs
from app.ui.as_at_field import AsAtField
from app.ui.commands import AcceptCommand, EditCommand, describe, describe_acceptance, restore
from app.ui.exporting import Exporter
from app.ui.findings_panel import FindingsPanel
from app.ui.history_panel import HistoryDock
from app.ui.opening import Opener
from app.ui.records_view import RecordsView
from app.ui.worker import JobRunner
from rules.findings import FINDING_COLUMNS

#: The tables as a manager names them (tab titles).
TABLE_TITLES = {"episodes": "Episodes", "modalities": "Modalities", "tops": "TOPs"}


class MainWindow(QMainWindow):
    def __init__(self, session: Session | None = None, *,
                 make_session: Callable[[], Session] = Session) -> None:
        super().__init__()
        self.setWindowTitle("Treatment Returns")
        self.setAcceptDrops(True)
        self.undo_stack = QUndoStack(self)
        self.runner = JobRunner(self)
        self.opener = Opener(self, make_session)
        self.exporter = Exporter(self)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.findings_dock = QDockWidget("Findings", self)
        self.findings_dock.setObjectName("findings")
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.findings_dock)
        self.history_dock = HistoryDock(self.undo_stack, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_dock)
        self.views: dict[str, RecordsView] = {}
        self.panel: FindingsPanel | None = None
        self.actions_ = actions.build(self)
        self.session = session or make_session()
        self.set_session(self.session)
        self._restore()

    # -- the open document ----------------------------------------------------------------------
    def set_session(self, session: Session, *, prepared: dict | None = None) -> None:
        """Show a (newly opened) session: one tab per table, fresh findings panel, empty history.

        ``prepared`` (``app.ui.prepared.prepare_all``, computed by the worker) keeps this quick."""
        old = self.session
        if old is not session:
            if self._on_edit in old.listeners:
                old.listeners.remove(self._on_edit)
            if old.path is not None and old.path != session.path:
                old.close()  # release its lock
        self.session = session
        session.listeners.append(self._on_edit)
        restore(self.undo_stack, session)  # the workspace's undo history, where it was left
        # the old session's views are deleted now, not only taken out: a widget Qt still owns keeps
        # its session (all its tables) alive as long as the window, and the opening job then
        # freezes what is alive for the collector
        old_widgets = [*self.views.values(), self.panel]
        self.tabs.clear()
        self.views = {}
        for table in session.raw.present():
            view = RecordsView(session, table, self.push,
                               prepared=(prepared or {}).get("tables", {}).get(table))
            self.views[table] = view
            self.tabs.addTab(view, f"{TABLE_TITLES.get(table, table.capitalize())} ({len(session.table(table)):,})")
        self.panel = FindingsPanel(session, prepared=(prepared or {}).get("findings"))
        self.panel.jump.connect(self.go_to)
        self.panel.facet_changed.connect(self._facet)
        self.panel.push_acceptance = self.push_acceptance
        self.findings_dock.setWidget(self.panel)
        for widget in old_widgets:
            if widget is not None:
                shiboken6.delete(widget)
        self.history_dock.show_session(session)
        self.show_workspace()
        self.show_counts()
        prefs.set_unfinished(session.path)  # the workspace open until the window closes properly

    def open_files(self, paths: Sequence[Path], *, profile=None) -> None:
        """Open extracts or a workspace (``Opener.open_files``: read in the worker, shown when done)."""
        self.opener.open_files(paths, profile=profile)

    def show_workspace(self) -> None:
        """The title names the open workspace; the exports are offered whenever data is open."""
        self._title()
        for name in ("export_corrected", "export_audit"):
            self.actions_[name].setEnabled(self.session.path is not None)

    def as_at_field(self) -> AsAtField:
        """The as-at date at the foot of the window (``app.ui.as_at_field``), made when first needed."""
        field = self.findChild(AsAtField, "as-at")
        if field is None:
            field = AsAtField(self)
            self.statusBar().addPermanentWidget(field)
        return field

    def say_saved(self) -> None:
        """Ctrl+S out of habit: there is nothing to do, and the person is told so."""
        path = self.session.path
        self.statusBar().showMessage(f"Every change is already saved in {path.name}" if path is not None
                                     else "Nothing is open yet")

    def _title(self) -> None:
        """The workspace's name, with the extracts it holds: "Treatment Returns - Anytown 2025-26 Q2 (a.xlsx, b.xlsx)"."""
        path, names = self.session.path, ", ".join(p.name for p in self.session.sources)
        title = "Treatment Returns"
        if path is not None:
            title += f" - {path.stem}" + (f" ({names})" if names else "")
        elif self.session.files:
            title += " - " + ", ".join(p.name for p in self.session.files)
        self.setWindowTitle(title)

    def push(self, changes: list[CellChange], text: str = "", reason: str = "") -> None:
        """One undo step for these changes (applied now by the command's first redo)."""
        command = EditCommand(self.session, changes, text or describe(changes), reason=reason)
        self.undo_stack.push(command)
        if command.error is not None:
            self.show_error(command.error)

    def push_acceptance(self, index, reason: str, accept: bool = True) -> None:
        """One undo step accepting findings (by index) with a reason, or withdrawing their acceptance."""
        chosen = self.session.findings.loc[[index] if isinstance(index, int | np.integer) else list(index)]
        if not accept:
            chosen = chosen[chosen["accepted"].to_numpy(dtype=bool)]
        if not reason.strip() and accept:
            raise ValueError("an accepted finding needs a reason")
        rows = chosen[list(FINDING_COLUMNS)].to_dict("records")
        if not rows:
            return
        command = AcceptCommand(self.session, rows, reason.strip() or "acceptance withdrawn",
                                describe_acceptance(rows, accept), accept=accept)
        self.undo_stack.push(command)
        if command.error is not None:
            self.show_error(command.error)

    def _on_edit(self, result: EditResult) -> None:
        """Repaint what the edit changed: its cells, the rows whose findings came or went, the counts."""
        if result.acceptances:
            self._findings_changed()
            self.history_dock.refresh()
            return
        for view in self.views.values():
            view.model.update_cells(result.changes)
        if result.full:  # every finding was judged (and numbered) again
            self._findings_changed()
        else:
            for view in self.views.values():
                view.model.update_findings(result.added, result.removed)
            self.panel.apply_delta(result.added, result.removed)
            self.show_counts()
        self.history_dock.refresh()

    def _findings_changed(self) -> None:
        for view in self.views.values():
            view.model.refresh_findings()
        self.panel.refresh()
        self.show_counts()

    def show_counts(self) -> None:
        """The open counts, from the same numbers as the Severity facet (``FindingsPanel.status_text``)."""
        self.statusBar().showMessage(self.panel.status_text())

    def _facet(self, positions, text: str) -> None:
        self.show_counts()  # the counts of the chosen facets, as the Severity facet shows them
        for table, view in self.views.items():
            chosen = None if positions is None else positions.get(table, np.array([], dtype=np.int64))
            view.set_facet(chosen, text)
        if positions:
            first = next(iter(positions))
            self.tabs.setCurrentWidget(self.views[first])

    def set_busy(self, busy: bool) -> None:
        """No edits while a job reads or changes the session (the progress dialog stays usable)."""
        for widget in (self.centralWidget(), self.menuBar(), self.findings_dock, self.history_dock,
                       *self.findChildren(QToolBar)):
            widget.setEnabled(not busy)

    def current_view(self) -> RecordsView | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, RecordsView) else None

    def with_view(self, act: Callable[[RecordsView], object]) -> None:
        """Do ``act`` (a ``RecordsView`` method: clear, fill, find) to the table on show, if any."""
        view = self.current_view()
        if view is not None:
            act(view)

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
            dialog = ReplaceDialog(view, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()

    def show_error(self, exc: BaseException) -> None:
        """Bad input gets its one clear line; anything else its message (and a traceback on stderr)."""
        text = str(exc)
        if not isinstance(exc, InputError):
            print(getattr(exc, "__traceback_text__", repr(exc)), file=sys.stderr)
            text = (f"Something went wrong that the app did not expect ({type(exc).__name__}: {exc}). "
                    "The details were written to the log.")
        box = QMessageBox(QMessageBox.Icon.Warning, "Treatment Returns", text or type(exc).__name__,
                          parent=self)
        box.setObjectName("error-box")
        box.open()

    # -- other windows (each imported when first asked for: the window starts quicker) ---------
    def show_rules(self) -> QDialog:
        from app.ui.rules_dialog import RulesDialog

        return self._shown(RulesDialog(self))

    def show_settings(self) -> QDialog:
        from app.ui.settings_dialog import SettingsDialog

        return self._shown(SettingsDialog(self))

    def show_dashboard(self) -> QDialog:
        from app.ui.dashboard import Dashboard

        return self._shown(Dashboard(self))

    def show_generate(self) -> QDialog:
        from app.ui.generate_dialog import GenerateDialog

        return self._shown(GenerateDialog(self))

    def show_help(self) -> QDialog:
        from app.ui.help import HelpDialog

        return self._shown(HelpDialog(self))

    def _shown(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # not kept (with what it holds) by the window
        dialog.show()
        return dialog

    # -- window state ---------------------------------------------------------------------------
    def _restore(self) -> None:
        saved = prefs.window_state()
        if saved.geometry is not None:
            self.restoreGeometry(saved.geometry)
        else:  # first run: most of the screen (a 1366 x 768 laptop included)
            area = self.screen().availableGeometry()
            self.resize(min(1360, int(area.width() * 0.95)), min(860, int(area.height() * 0.9)))
            self.resizeDocks([self.history_dock], [min(340, area.width() // 4)], Qt.Orientation.Horizontal)
            self.resizeDocks([self.findings_dock], [300], Qt.Orientation.Vertical)
        if saved.state is not None:
            self.restoreState(saved.state)
        self.opener.fill_recent()

    def dragEnterEvent(self, event) -> None:
        if self.opener.can_open(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        if self.opener.open_dropped(event.mimeData()):
            event.acceptProposedAction()

    def closeEvent(self, event) -> None:
        """Nothing to ask: every change is already in the workspace. The window forgets it was open."""
        prefs.set_window_state(self.saveGeometry(), self.saveState())
        self.runner.wait()
        self.session.close()
        prefs.set_unfinished(None)
        super().closeEvent(event)
