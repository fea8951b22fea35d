"""The findings list as a Qt model over (a filtered view of) the session's findings table."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.ui.records_model import TINTS

RANK = {"error": 3, "warning": 2, "info": 1}
HEADERS = ("Severity", "Rule", "Record", "Field", "Value", "Message", "File", "Row", "Accepted because")


class FindingsModel(QAbstractTableModel):
    """Rows of a findings frame (``rules.findings`` columns plus ``pos``/``accepted``)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.frame = pd.DataFrame()

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self.frame = frame.reset_index(names="finding")
        self.endResetModel()

    def finding(self, row: int) -> pd.Series:
        """One finding; ``finding`` is its index in the session's findings table."""
        return self.frame.iloc[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.frame)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        f = self.frame.iloc[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            row = "" if pd.isna(f["row"]) else str(int(f["row"]))
            values = (f["severity"], f["rule"], f["record"], ", ".join(f["fields"]), ", ".join(f["values"]),
                      f["message"], f["file"], row, f["accept_reason"])
            return values[col]
        if role == Qt.ItemDataRole.BackgroundRole and col == 0 and not f["accepted"]:
            return TINTS.get(RANK.get(f["severity"], 0))
        if role == Qt.ItemDataRole.FontRole and f["accepted"]:
            font = QFont()
            font.setItalic(True)
            return font
        return None
