"""The findings list as a Qt model over (a filtered view of) the session's findings table.

The model keeps the findings' own ids and column names (what the exports and the tests compare);
what a person reads is translated as a row is shown (``app.words``): rule titles, field labels,
dates as dd/mm/yyyy. The ids stay in the tooltips.
"""

from __future__ import annotations

import bisect

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app import words
from app.ui.tints import TINTS

RANK = {"error": 3, "warning": 2, "info": 1}
HEADERS = ("Severity", "Rule", "Record", "Field", "Value", "Message", "File", "Row", "Accepted because")


def _joined(values: tuple) -> str:
    return ", ".join(str(v) for v in values)


def order_rank(severity: pd.Series) -> pd.Series:
    """Errors first, then warnings, then the rest (the list's first sort key)."""
    return severity.map({"error": 0, "warning": 1}).fillna(2)


def columns_of(f: pd.DataFrame) -> tuple[list[list], np.ndarray, list]:
    """The shown texts (lists: an edit inserts into them without copying), the accepted flags and the
    order keys (rank array, table list, file list, row array) of findings."""
    if not len(f):
        return [[] for _ in HEADERS], np.array([], dtype=bool), [np.array([], dtype=np.int8), [], [],
                                                                  np.array([], dtype=float)]
    rows = f["row"].astype("Int64")
    cells = [np.asarray(v, dtype=object).tolist() for v in (
        f["severity"], f["rule"], f["record"], f["fields"].map(", ".join), f["values"].map(_joined), f["message"],
        f["file"], rows.astype(object).map(lambda r: "" if r is pd.NA or r is None else str(r)),
        f["accept_reason"])]
    order = [order_rank(f["severity"]).to_numpy(dtype=np.int8), np.asarray(f["table"], dtype=object).tolist(),
             np.asarray(f["file"], dtype=object).tolist(),
             rows.astype("Float64").fillna(np.inf).to_numpy(dtype=float)]
    return cells, f["accepted"].to_numpy(dtype=bool), order


class FindingsModel(QAbstractTableModel):
    """Rows of a findings frame (``rules.findings`` columns plus ``pos``/``accepted``)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.source = pd.DataFrame()
        self.labels = np.array([], dtype=np.int64)
        self.cells: list[list] = [[] for _ in HEADERS]
        self.accepted = np.array([], dtype=bool)
        self.severity = np.array([], dtype=object)
        self.order_cols: list[np.ndarray] = []
        #: Rule id -> title, from the session's catalogue (``app.words.rule_title`` for ids not in it).
        self.titles: dict[str, str] = {}

    def set_frame(self, frame: pd.DataFrame, source: pd.DataFrame | None = None) -> None:
        """Show ``frame`` (findings in display order, indexed as in ``source``, the session's table)."""
        self.set_prepared(frame if source is None else source, frame.index.to_numpy(dtype=np.int64),
                          columns_of(frame))

    def set_prepared(self, source: pd.DataFrame, labels: np.ndarray, columns: tuple) -> None:
        """Show rows already turned into arrays (``columns_of``), e.g. by the opening worker."""
        self.beginResetModel()
        self.source, self.labels = source, labels
        self.cells, self.accepted, self.order_cols = columns
        self.severity = self.cells[0]
        self.endResetModel()

    def apply_delta(self, source: pd.DataFrame, removed: np.ndarray, added: pd.DataFrame) -> None:
        """Findings that went (by index) out, findings that came in at their place in the order:
        a few row removals and insertions (selection and scroll stay), never the whole list."""
        self.source = source
        gone = np.flatnonzero(np.isin(self.labels, np.asarray(removed, dtype=np.int64)))
        lists = [*self.cells, self.order_cols[1], self.order_cols[2]]
        for row in gone[::-1].tolist():
            self.beginRemoveRows(QModelIndex(), row, row)
            for values in lists:
                del values[row]
            self.labels, self.accepted = np.delete(self.labels, row), np.delete(self.accepted, row)
            self.order_cols[0], self.order_cols[3] = np.delete(self.order_cols[0], row), np.delete(self.order_cols[3], row)
            self.endRemoveRows()
        if not len(added):
            return
        # each goes after its equals, in the order the session appended them: as a stable sort would
        cells, flags, order = columns_of(added)
        for i, label in enumerate(added.index.to_numpy(dtype=np.int64).tolist()):
            key = [order[0][i], order[1][i], order[2][i], order[3][i]]
            at = self._place(key, self.order_cols)
            self.beginInsertRows(QModelIndex(), at, at)
            for values, new in zip(self.cells, cells, strict=True):
                values.insert(at, new[i])
            self.order_cols[1].insert(at, key[1])
            self.order_cols[2].insert(at, key[2])
            self.order_cols[0], self.order_cols[3] = (np.insert(self.order_cols[0], at, key[0]),
                                                      np.insert(self.order_cols[3], at, key[3]))
            self.labels, self.accepted = np.insert(self.labels, at, label), np.insert(self.accepted, at, flags[i])
            self.endInsertRows()
        self.severity = self.cells[0]

    @staticmethod
    def _place(key: list, order_cols: list) -> int:
        """Where a finding goes in the list's order (severity, table, file, row), after its equals."""
        lo, hi = 0, len(order_cols[0])
        for values, value in zip(order_cols, key, strict=True):
            if isinstance(values, list):
                lo, hi = bisect.bisect_left(values, value, lo, hi), bisect.bisect_right(values, value, lo, hi)
            else:
                part = values[lo:hi]
                lo, hi = (lo + int(np.searchsorted(part, value, side="left")),
                          lo + int(np.searchsorted(part, value, side="right")))
        return hi

    def finding(self, row: int) -> pd.Series:
        """One finding; ``finding`` is its index in the session's findings table."""
        label = int(self.labels[row])
        return pd.concat([pd.Series({"finding": label}, dtype=object), self.source.loc[label]])

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.labels)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def shown(self, col: int, text: str) -> str:
        """A cell as a manager reads it: the rule's title, the fields' labels, dates as dd/mm/yyyy."""
        if col == 1:
            return self.titles.get(text) or words.rule_title(text)
        if col == 3:
            return words.field_labels(text.split(", ")) if text else text
        if col == 4:   # the values as joined in ``columns_of``: one part per field
            return words.values_text(text.split(", ")) if text else ""
        if col == 5:
            return words.plain(text)
        return text

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.shown(col, self.cells[col][row])
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.cells[col][row]
            return f"{self.shown(col, text)} ({text})" if col in (1, 3) and text else self.shown(col, text)
        if role == Qt.ItemDataRole.BackgroundRole and col == 0 and not self.accepted[row]:
            return TINTS.get(RANK.get(self.severity[row], 0))
        if role == Qt.ItemDataRole.FontRole and self.accepted[row]:
            font = QFont()
            font.setItalic(True)
            return font
        return None
