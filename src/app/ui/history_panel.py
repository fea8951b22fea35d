"""The history dock: this session's undo steps (click one to go back to it) and the audit trail.

The audit trail lists every change with its reason, from the workspace: who, when, old, new, undo
and redo, acceptances and their withdrawal, and settings changes.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QTableView, QTabWidget, QUndoView

AUDIT_COLUMNS = (("time", "When"), ("user", "Who"), ("record", "Record"), ("field", "Field"), ("old", "Was"),
                 ("new", "Now"), ("reason", "Reason"), ("kind", "Kind"))


def audit_frame(session) -> pd.DataFrame:
    """The audit trail of a session, newest first, with ``AUDIT_COLUMNS``."""
    frame = session.history()
    return frame.reindex(columns=[c for c, _ in AUDIT_COLUMNS]).iloc[::-1].reset_index(drop=True)


class FrameModel(QAbstractTableModel):
    """A small read-only table of text over a DataFrame."""

    def __init__(self, headers: tuple[tuple[str, str], ...], parent=None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.frame = pd.DataFrame(columns=[c for c, _ in headers])

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self.frame = frame.astype(object).where(frame.notna(), "").astype(str) if len(frame) else frame
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.frame)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section][1]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.frame.iat[index.row(), index.column()]
        return None


class HistoryDock(QDockWidget):
    """Steps (the undo stack) and the audit trail, refreshed when shown."""

    def __init__(self, stack: QUndoStack, parent=None) -> None:
        super().__init__("History", parent)
        self.setObjectName("history")
        self.session = None
        steps = QUndoView(stack)
        steps.setEmptyLabel("Opened")
        self.audit_model = FrameModel(AUDIT_COLUMNS, self)
        self.audit = QTableView()
        self.audit.setModel(self.audit_model)
        self.audit.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.audit.verticalHeader().hide()
        self.audit.verticalHeader().setDefaultSectionSize(22)
        for col, width in enumerate((150, 60, 120, 110, 90, 90, 200, 50)):
            self.audit.setColumnWidth(col, width)
        self.tabs = QTabWidget()
        self.tabs.addTab(steps, "Steps")
        self.tabs.addTab(self.audit, "Audit trail")
        self.tabs.currentChanged.connect(lambda _: self.refresh())
        self.setWidget(self.tabs)

    def show_session(self, session) -> None:
        self.session = session
        self.refresh()

    def refresh(self) -> None:
        """Re-read the audit trail (only when it is the tab shown: the workspace is read each time)."""
        if self.session is not None and self.tabs.currentWidget() is self.audit:
            self.audit_model.set_frame(audit_frame(self.session))
