"""The window's actions, menus and toolbar in one place (names, shortcuts, where they live)."""

from __future__ import annotations

import shiboken6
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from app.ui.records_view import RecordsView

Key = QKeySequence.StandardKey


def _act(window: QMainWindow, text: str, slot, shortcut=None, tip: str = "") -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut) if isinstance(shortcut, str) else shortcut)
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(lambda checked=False: slot())
    return action


#: Why an action is greyed out, said in its tooltip (menus and toolbar).
WHY_DISABLED = {
    "undo": "Undo: nothing to undo",
    "redo": "Redo: nothing to redo",
    "export_corrected": "Export: open extracts first",
    "export_audit": "Export audit trail: open extracts first",
}


def explain_when_disabled(action: QAction, why: str) -> None:
    """While ``action`` is disabled its tooltip says why; enabled, it says what it does."""
    def update() -> None:
        if not shiboken6.isValid(action):  # the window is being taken down
            return
        wanted = why if not action.isEnabled() else (action.statusTip() or action.text().replace("&", ""))
        if action.toolTip() != wanted:  # setToolTip emits ``changed`` again
            action.setToolTip(wanted)

    action.changed.connect(update)
    update()


def build(window) -> dict[str, QAction]:
    """Create every action of ``window`` (a MainWindow), its menus and toolbar; return them by name."""
    opener, exporter = window.opener, window.exporter
    a = {
        "open": _act(window, "&Open extracts...", opener.choose_files, Key.Open, "Open provider extracts"),
        "open_profile": _act(window, "Open extracts with a mapping &profile...", opener.open_with_profile),
        "open_workspace": _act(window, "Open &workspace...", opener.choose_workspace),
        "save_workspace": _act(window, "Save workspace &as...", opener.save_workspace, Key.SaveAs,
                               "Copy the workspace (the files, every edit and acceptance) where you choose "
                               "and carry on there; every change is already saved as you make it"),
        "save": _act(window, "&Save", window.say_saved, Key.Save, "Every change is already saved as you make it"),
        "demo": _act(window, "Open the &demo partnership", opener.open_demo),
        "export_corrected": _act(window, "&Export corrected extract...", exporter.export_corrected,
                                 tip="The providers' extracts with every correction, as .xlsx or .csv"),
        "export_audit": _act(window, "Export &audit trail...", exporter.export_audit,
                             tip="Every edit with who, when, old, new and why"),
        "quit": _act(window, "&Quit", window.close, Key.Quit),
        "undo": window.undo_stack.createUndoAction(window, "&Undo"),
        "redo": window.undo_stack.createRedoAction(window, "&Redo"),
        "copy": _act(window, "&Copy", window.copy, Key.Copy),
        "paste": _act(window, "&Paste", window.paste, Key.Paste, "Paste a block copied from Excel"),
        "clear": _act(window, "C&lear cells", lambda: window.with_view(RecordsView.clear_cells), Key.Delete),
        "fill_down": _act(window, "Fill &down", lambda: window.with_view(RecordsView.fill_down), "Ctrl+D"),
        "fill_selection": _act(window, "Fill &selection", lambda: window.with_view(RecordsView.fill_selection),
                               "Ctrl+Return", "Put the current cell's value in every selected cell"),
        "find": _act(window, "&Find...", lambda: window.with_view(RecordsView.show_find), "Ctrl+F",
                     "Find a value in this table's cells as shown (dates as dd/mm/yyyy)"),
        "replace": _act(window, "&Replace value...", window.replace_dialog, "Ctrl+H",
                        "Replace a value in the selected or filtered rows"),
        "next": _act(window, "&Next finding", lambda: window.next_finding(1), "F3"),
        "previous": _act(window, "Pre&vious finding", lambda: window.next_finding(-1), "Shift+F3"),
        "accept": _act(window, "&Accept finding...", window.accept_finding, "Ctrl+Shift+A"),
        "rules": _act(window, "&Rules...", window.show_rules),
        "settings": _act(window, "Partnership &settings...", window.show_settings),
        "dashboard": _act(window, "&Performance dashboard", window.show_dashboard, "Ctrl+M"),
        "generate": _act(window, "&Generate returns...", window.show_generate, "Ctrl+G"),
        "help": _act(window, "&Getting started", window.show_help, Key.HelpContents),
    }
    a["undo"].setShortcut(Key.Undo)
    # Ctrl+Y on every platform, as Help says (and as Excel does), beside the platform's own redo key
    a["redo"].setShortcuts([QKeySequence("Ctrl+Y"), *(k for k in QKeySequence.keyBindings(Key.Redo)
                                                      if k != QKeySequence("Ctrl+Y"))])
    for name, why in WHY_DISABLED.items():
        explain_when_disabled(a[name], why)
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([a["open"], a["open_profile"], a["open_workspace"], a["save"], a["save_workspace"], a["demo"]])
    file_menu.addMenu(opener.recent_menu)
    file_menu.addSeparator()
    file_menu.addActions([a["export_corrected"], a["export_audit"]])
    file_menu.addSeparator()
    file_menu.addAction(a["quit"])
    edit = bar.addMenu("&Edit")
    edit.addActions([a["undo"], a["redo"]])
    edit.addSeparator()
    edit.addActions([a["copy"], a["paste"], a["clear"], a["fill_down"], a["fill_selection"], a["find"],
                  a["replace"]])
    findings = bar.addMenu("F&indings")
    findings.addActions([a["next"], a["previous"], a["accept"]])
    view = bar.addMenu("&View")
    view.addActions([window.findings_dock.toggleViewAction(), window.history_dock.toggleViewAction()])
    tools = bar.addMenu("&Tools")
    tools.addActions([a["dashboard"], a["generate"], a["rules"], a["settings"]])
    bar.addMenu("&Help").addAction(a["help"])
    for menu in (file_menu, edit, findings, view, tools):
        menu.setToolTipsVisible(True)  # a greyed-out item says why when pointed at
    tools_bar = window.addToolBar("Main")
    tools_bar.setObjectName("main-toolbar")
    tools_bar.addActions([a["open"], a["undo"], a["redo"], a["previous"], a["next"], a["accept"],
                          a["dashboard"], a["generate"]])
    return a
