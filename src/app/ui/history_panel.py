"""The history dock: this session's undo steps (click one to go back to it) and the audit trail.

The audit trail lists every change with its reason, from the workspace: who, when, old, new, undo
and redo, acceptances and their withdrawal, and settings changes.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QTableView, QTabWidget, QUndoView

from app import words

AUDIT_COLUMNS = (("time", "When"), ("user", "Who"), ("record", "Record"), ("field", "Field"), ("old", "Was"),
                 ("new", "Now"), ("reason", "Reason"), ("kind", "Kind"))
#: What each kind of audit row did, in words.
KINDS = {"edit": "Edit", "undo": "Undo", "redo": "Redo", "accept": "Accepted", "withdraw": "Acceptance withdrawn",
         "settings": "Settings", "carried": "Carried to a new extract", "orphaned": "Row no longer in the extract"}


def audit_frame(session) -> pd.DataFrame:
    """The audit trail of a session, newest first, with ``AUDIT_COLUMNS``, as a manager reads it:
    times dd/mm/yyyy hh:mm, dates dd/mm/yyyy, field labels and rule titles (the ids are in ``field_id``)."""
    from app.workspace.trail import readable

    frame = readable(session.history()).reindex(columns=[c for c, _ in AUDIT_COLUMNS]).iloc[::-1]
    frame = frame.reset_index(drop=True)
    frame["field_id"] = frame["field"]
    frame["field"] = [_field_words(f, k, session.catalogue) for f, k in zip(frame["field"], frame["kind"], strict=True)]
    frame["kind"] = frame["kind"].map(lambda k: KINDS.get(k, k) if isinstance(k, str) else k)
    return frame


def _field_words(field, kind, catalogue) -> str:  # noqa: ANN001 - a field name, a rule id or a setting
    if not isinstance(field, str):
        return field
    if kind in ("accept", "withdraw"):
        return words.rule_title(field, catalogue)
    if kind == "settings":
        from app.ui.settings_dialog import _label

        return _label(field)
    return words.field_label(field)


class FrameModel(QAbstractTableModel):
    """A small read-only table of text over a DataFrame."""

    def __init__(self, headers: tuple[tuple[str, str], ...], parent=None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.frame = pd.DataFrame(columns=[c for c, _ in headers])
        self.ids: list = []

    def set_frame(self, frame: pd.DataFrame) -> None:
        """Show ``frame``'s columns named in the headers; a ``field_id`` column is the Field's tooltip."""
        self.beginResetModel()
        self.ids = frame["field_id"].tolist() if "field_id" in frame.columns else []
        frame = frame.reindex(columns=[c for c, _ in self.headers])
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
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        text = self.frame.iat[index.row(), index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and self.headers[index.column()][0] == "field" and self.ids:
            shown_id = self.ids[index.row()]
            return f"{text} ({shown_id})" if isinstance(shown_id, str) and shown_id != text else text
        return text


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
        for col, width in enumerate((110, 60, 120, 130, 80, 80, 200, 80)):
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
