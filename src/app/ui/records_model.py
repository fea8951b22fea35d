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
import pyarrow as pa
import pyarrow.compute as pc
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app import words
from app.session import Session
from app.ui.prepared import fields_of, load_values, open_findings_of, rank_cells
from app.ui.shown_dates import ShownColumns
from app.ui.tints import TINTS
from rules import columns

#: Tints blend with the palette's base colour, so they read in light and dark themes alike.
SOURCE_LABELS = {"_file": "Source file", "_sheet": "Sheet", "_row": "Source row"}

#: A cell's flags, made once (the view asks for every cell it paints; enum arithmetic is slow in Python).
READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
EDITABLE = READ_ONLY | Qt.ItemFlag.ItemIsEditable
#: The roles the records answer (as ints: Qt asks for seven roles per painted cell, most of them not ours).
DISPLAY, EDIT = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.EditRole)
BACKGROUND, TOOLTIP = int(Qt.ItemDataRole.BackgroundRole), int(Qt.ItemDataRole.ToolTipRole)
CELL_ROLES = frozenset({DISPLAY, EDIT, BACKGROUND, TOOLTIP})
#: The findings' columns that tint cells (a few rows of only these are picked after an edit).
RANKED_BY = ("table", "pos", "accepted", "severity", "fields")

EditHandler = Callable[[str, int, str, str | None], bool]


class RecordsModel(QAbstractTableModel):
    """Rows of one table of the session, in ``order`` (positions into the RAW frame)."""

    def __init__(self, session: Session, table: str, parent=None, *, prepared: dict | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.table = table
        self.fields = fields_of(table)
        self.editable = len(columns.column_names(table))
        self.labels = [columns.column(table, f).label if i < self.editable else SOURCE_LABELS[f]
                       for i, f in enumerate(self.fields)]
        self.numeric = {i for i, f in enumerate(self.fields)
                        if f == "_row" or (i < self.editable and columns.column(table, f).type == "int")}
        self.by_value = {f for f in self.fields[:self.editable] if columns.column(table, f).type in ("date", "int")}
        self.dates = {i for i, f in enumerate(self.fields[:self.editable]) if columns.column(table, f).type == "date"}
        self.edit_handler: EditHandler | None = None
        self.quick_filter = ""
        self.flagged_only = False
        self.facet_positions: np.ndarray | None = None
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder
        if prepared is not None:  # computed by the worker (``prepare``): nothing heavy on the GUI thread
            self._n, self._cols = prepared["n"], prepared["cols"]
            self._views = ShownColumns(self._cols, self.fields, self.dates, session.raw.as_at)
            self.row_rank, self.cell_rank, self._mine = prepared["row_rank"], prepared["cell_rank"], None
        else:
            self._load_values()
            self._load_findings()
        self.order = np.arange(self._n, dtype=np.int64)
        self._inverse: np.ndarray | None = None

    # -- data held ---------------------------------------------------------------------------
    def _load_values(self) -> None:
        self._n, self._cols = load_values(self.session, self.table, self.fields)
        self._views = ShownColumns(self._cols, self.fields, self.dates, self.session.raw.as_at)

    def _load_findings(self) -> None:
        """Per-row and per-cell worst severity, vectorised (100k findings in tens of ms).

        Tooltips are looked up when asked for, from the findings sorted by row position.
        """
        self.row_rank = np.zeros(self._n, dtype=np.int8)
        self.cell_rank: dict[int, int] = {}
        self._rank(self._open_findings(self.session.findings))
        self._mine: pd.DataFrame | None = None  # built when a tooltip is first asked for

    def _open_findings(self, f: pd.DataFrame) -> pd.DataFrame:
        return open_findings_of(f, self.table)

    def _rank(self, mine: pd.DataFrame) -> None:
        self.cell_rank = rank_cells(mine, self.fields, self.row_rank, self.cell_rank)

    def _tooltips(self) -> pd.DataFrame:
        if self._mine is None:
            mine = self._open_findings(self.session.findings)
            self._mine = mine.iloc[np.argsort(mine["pos"].to_numpy(), kind="stable")]
            self._mine_pos = self._mine["pos"].to_numpy(dtype=np.int64)
        return self._mine

    def _messages(self, pos: int, name: str | None = None) -> str | None:
        """The messages of the open findings on a row (or on one cell of it)."""
        mine = self._tooltips()
        lo, hi = np.searchsorted(self._mine_pos, [pos, pos + 1])
        rows = mine.iloc[lo:hi]
        texts = [words.plain(m) for m, f in zip(rows["message"], rows["fields"], strict=True)
                 if name is None or name in f]
        return "\n".join(texts) or None

    def update_findings(self, added: pd.DataFrame, removed: pd.DataFrame) -> None:
        """After an edit: re-rank only the rows whose findings came or went, repaint only those."""
        rows = np.unique(np.concatenate([_positions_in(d, self.table) for d in (added, removed)]))
        if not len(rows):
            return
        self._mine = None
        self.row_rank[rows] = 0
        width = len(self.fields)
        for p in rows.tolist():
            for col in range(width):
                self.cell_rank.pop(p * width + col, None)
        f = self.session.findings
        picked = np.flatnonzero(np.isin(f["pos"].to_numpy(dtype=np.int64), rows))
        self._rank(self._open_findings(f[list(RANKED_BY)].iloc[picked]))
        if self.flagged_only:
            self.apply_filters()
            return
        for p in rows.tolist():
            row = self.row_of(p)
            if row >= 0:
                self.dataChanged.emit(self.index(row, 0), self.index(row, width - 1),
                                      [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole])
                self.headerDataChanged.emit(Qt.Orientation.Vertical, row, row)

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
        mine = [c for c in changes if c.table == self.table and c.field in col_of]
        for c in mine:
            self._cols[col_of[c.field]][c.pos] = c.new
        for col in {col_of[c.field] for c in mine}:  # only the edited cells formatted again
            self._views.changed(col, np.array([c.pos for c in mine if col_of[c.field] == col], dtype=np.int64))
        for c in mine:
            row = self.row_of(c.pos)
            if row >= 0:
                idx = self.index(row, col_of[c.field])
                self.dataChanged.emit(idx, idx)

    @property
    def total_rows(self) -> int:
        """Rows of the table, filtered or not."""
        return self._n

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

    def record_label(self, pos: int) -> str:
        """The row's record key (``N9001/E000123``, plus the modality or TOP id): the row header,
        so the record stays in sight however far the grid is scrolled to the right."""
        keys = columns.KEYS[self.table]
        return "/".join("" if (v := self._cols[self.fields.index(k)][pos]) is None or v != v else str(v)
                        for k in keys)

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
            hit = np.zeros(self._n, dtype=bool)
            for col in range(len(self.fields)):
                found = pc.match_substring(self.searchable(col), self.quick_filter, ignore_case=True)
                hit |= found.fill_null(False).to_numpy(zero_copy_only=False)
            keep &= hit
        order = np.flatnonzero(keep)
        self.beginResetModel()
        self.order = self._sorted(order)
        self._inverse = None
        self.endResetModel()

    def shown(self, col: int) -> np.ndarray:
        """A column's values as shown (dates dd/mm/yyyy, whatever style the file used)."""
        return self._views.shown(col)

    def searchable(self, col: int) -> pa.Array:
        return self._views.searchable(col)

    def _sorted(self, order: np.ndarray) -> np.ndarray:
        if self.sort_column < 0 or not len(order):
            return np.sort(order)
        name = self.fields[self.sort_column]
        typed = self.session.typed.get(self.table) if self.session.typed is not None else None
        if name in self.by_value and typed is not None and name in typed:  # dates by date, numbers by number
            values = typed[name].iloc[order]
        else:
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

    def data(self, index, role=DISPLAY):
        if role not in CELL_ROLES or not index.isValid():  # most roles a view asks for are not ours
            return None
        pos = int(self.order[index.row()])
        col = index.column()
        if role == DISPLAY or role == EDIT:
            value = self.shown(col)[pos] if col in self.dates else self._cols[col][pos]
            if value is None or value is pd.NA or value != value:
                return ""
            return str(value)
        rank = self.cell_rank.get(pos * len(self.fields) + col)
        if role == BACKGROUND:
            return TINTS[rank] if rank else None
        return self._messages(pos, self.fields[col]) if rank is not None else None

    def headerData(self, section, orientation, role=DISPLAY):
        if role not in CELL_ROLES:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if role == DISPLAY:
                return self.labels[section]
            if role == TOOLTIP:
                return self.fields[section]
            return None
        if not 0 <= section < len(self.order):
            return None
        pos = int(self.order[section])
        if role == DISPLAY:
            return self.record_label(pos)
        if role == BACKGROUND and self.row_rank[pos]:
            return TINTS[int(self.row_rank[pos])]
        if role == TOOLTIP and self.row_rank[pos]:
            return self._messages(pos)
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return EDITABLE if index.column() < self.editable else READ_ONLY

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


def _positions_in(findings: pd.DataFrame, table: str) -> np.ndarray:
    """The RAW positions of ``table`` that findings are located on (numpy: an edit's few findings)."""
    pos = findings["pos"].to_numpy(dtype=np.int64)
    return pos[(findings["table"].to_numpy(dtype=object) == table) & (pos >= 0)]

