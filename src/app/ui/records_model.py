"""One RAW working table as a virtual Qt model: numpy-backed, filtered and sorted into a row order.

Never a ``QSortFilterProxyModel`` over Python ``data()`` (42 s to filter a million rows,
research/env-feasibility.md §2): filters and sorting compute an array of row positions with
numpy/pandas, then reset the model (tens of milliseconds). Cells are tinted by the severity of
their open findings, with the messages as tooltip; edits go through ``edit_handler`` so the
window can make each one an undo step.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.session import SEVERITY_RANK, Session
from rules import columns

#: Tints blend with the palette's base colour, so they read in light and dark themes alike.
TINTS = {3: QColor(230, 60, 50, 110), 2: QColor(245, 170, 20, 110), 1: QColor(70, 130, 220, 70)}
SOURCE_LABELS = {"_file": "Source file", "_sheet": "Sheet", "_row": "Source row"}

EditHandler = Callable[[str, int, str, str | None], bool]


class RecordsModel(QAbstractTableModel):
    """Rows of one table of the session, in ``order`` (positions into the RAW frame)."""

    def __init__(self, session: Session, table: str, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.table = table
        self.fields = [*columns.column_names(table), *columns.SOURCE_COLUMNS]
        self.editable = len(columns.column_names(table))
        self.labels = [columns.column(table, f).label if i < self.editable else SOURCE_LABELS[f]
                       for i, f in enumerate(self.fields)]
        self.numeric = {i for i, f in enumerate(self.fields)
                        if f == "_row" or (i < self.editable and columns.column(table, f).type == "int")}
        self.edit_handler: EditHandler | None = None
        self.quick_filter = ""
        self.flagged_only = False
        self.facet_positions: np.ndarray | None = None
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder
        self._load_values()
        self._load_findings()
        self.order = np.arange(self._n, dtype=np.int64)
        self._inverse: np.ndarray | None = None

    # -- data held ---------------------------------------------------------------------------
    def _load_values(self) -> None:
        frame = self.session.table(self.table)
        self._n = 0 if frame is None else len(frame)
        self._cols = [frame[f].to_numpy(dtype=object, copy=True) if frame is not None and f in frame
                      else np.full(self._n, None, dtype=object) for f in self.fields]

    def _load_findings(self) -> None:
        """Per-row worst severity (vectorised) and per-cell tints and messages."""
        f = self.session.findings
        mine = f[(f["table"] == self.table) & (f["pos"] >= 0) & ~f["accepted"]]
        self.row_rank = np.zeros(self._n, dtype=np.int8)
        ranks = mine["severity"].map(SEVERITY_RANK).fillna(0).astype(np.int8).to_numpy()
        np.maximum.at(self.row_rank, mine["pos"].to_numpy(dtype=np.int64), ranks)
        col_of = {name: i for i, name in enumerate(self.fields)}
        cells: dict[tuple[int, int], list] = {}
        rows: dict[int, list[str]] = {}
        for pos, fields, rank, message in zip(mine["pos"], mine["fields"], ranks, mine["message"], strict=True):
            rows.setdefault(int(pos), []).append(message)
            for name in fields:
                if name in col_of:
                    entry = cells.setdefault((int(pos), col_of[name]), [0, []])
                    entry[0] = max(entry[0], int(rank))
                    entry[1].append(message)
        self.cells = cells
        self.row_messages = rows

    def refresh_findings(self) -> None:
        """Findings changed (an edit, an acceptance): re-tint; re-filter if showing flagged rows only."""
        self._load_findings()
        if self.flagged_only:
            self.apply_filters()
        elif self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1),
                                  [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole])
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, self.rowCount() - 1)

    def update_cells(self, changes) -> None:
        """Copy changed values into the model's arrays and repaint those cells."""
        col_of = {name: i for i, name in enumerate(self.fields)}
        for c in changes:
            if c.table == self.table and c.field in col_of:
                self._cols[col_of[c.field]][c.pos] = c.new
                row = self.row_of(c.pos)
                if row >= 0:
                    idx = self.index(row, col_of[c.field])
                    self.dataChanged.emit(idx, idx)

    # -- rows in view ------------------------------------------------------------------------
    def position(self, row: int) -> int:
        """The RAW frame position of a view row."""
        return int(self.order[row])

    def row_of(self, pos: int) -> int:
        """The view row showing a RAW position, or -1 when filtered out."""
        if self._inverse is None:
            self._inverse = np.full(self._n, -1, dtype=np.int64)
            self._inverse[self.order] = np.arange(len(self.order))
        return int(self._inverse[pos]) if 0 <= pos < self._n else -1

    def column_of(self, name: str) -> int:
        return self.fields.index(name)

    def set_filters(self, *, text: str | None = None, flagged_only: bool | None = None,
                    facet_positions: np.ndarray | None | bool = False) -> None:
        """Change any filter (``facet_positions=None`` clears the facet filter) and re-filter."""
        if text is not None:
            self.quick_filter = text.strip()
        if flagged_only is not None:
            self.flagged_only = flagged_only
        if facet_positions is not False:
            self.facet_positions = facet_positions
        self.apply_filters()

    def apply_filters(self) -> None:
        keep = np.ones(self._n, dtype=bool)
        if self.flagged_only:
            keep &= self.row_rank > 0
        if self.facet_positions is not None:
            chosen = np.zeros(self._n, dtype=bool)
            chosen[self.facet_positions[(self.facet_positions >= 0) & (self.facet_positions < self._n)]] = True
            keep &= chosen
        if self.quick_filter:
            needle = self.quick_filter.casefold()
            hit = np.zeros(self._n, dtype=bool)
            for values in self._cols:
                hit |= pd.Series(values, dtype="string").str.casefold().str.contains(
                    needle, regex=False).fillna(False).to_numpy(dtype=bool)
            keep &= hit
        order = np.flatnonzero(keep)
        self.beginResetModel()
        self.order = self._sorted(order)
        self._inverse = None
        self.endResetModel()

    def _sorted(self, order: np.ndarray) -> np.ndarray:
        if self.sort_column < 0 or not len(order):
            return np.sort(order)
        values = pd.Series(self._cols[self.sort_column][order], dtype="string")
        if self.sort_column in self.numeric:
            values = pd.to_numeric(values, errors="coerce")
        ascending = self.sort_order == Qt.SortOrder.AscendingOrder
        ranked = values.reset_index(drop=True).sort_values(ascending=ascending, na_position="last", kind="stable")
        return order[ranked.index.to_numpy()]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self.beginResetModel()
        self.order = self._sorted(self.order)
        self._inverse = None
        self.endResetModel()

    # -- Qt model ----------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fields)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        pos = int(self.order[index.row()])
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            value = self._cols[col][pos]
            return "" if value is None or value is pd.NA or value != value else str(value)
        if role == Qt.ItemDataRole.BackgroundRole:
            cell = self.cells.get((pos, col))
            return TINTS[cell[0]] if cell else None
        if role == Qt.ItemDataRole.ToolTipRole:
            cell = self.cells.get((pos, col))
            return "\n".join(cell[1]) if cell else None
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.labels[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.fields[section]
            return None
        if not 0 <= section < len(self.order):
            return None
        pos = int(self.order[section])
        if role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        if role == Qt.ItemDataRole.BackgroundRole and self.row_rank[pos]:
            return TINTS[int(self.row_rank[pos])]
        if role == Qt.ItemDataRole.ToolTipRole and pos in self.row_messages:
            return "\n".join(self.row_messages[pos])
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() < self.editable else base

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or index.column() >= self.editable:
            return False
        pos, name = int(self.order[index.row()]), self.fields[index.column()]
        text = None if value is None else str(value)
        if self.edit_handler is not None:
            return self.edit_handler(self.table, pos, name, text)
        result = self.session.edit(self.table, pos, name, text)
        self.update_cells(result.changes)
        self.refresh_findings()
        return True
