"""One table of records: quick filter, "only flagged rows", the grid, and the editing gestures.

Every gesture (type, Delete, Ctrl+D, Ctrl+Enter, paste, replace) becomes a list of cell changes
handed to ``push`` (the window's undo stack), so each is one undo step.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.session import CellChange, Session
from app.ui.delegates import RecordsDelegate, editor_text
from app.ui.find_bar import FindBar
from app.ui.records_grid import RecordsGrid
from app.ui.records_model import RecordsModel
from rules import columns

Push = Callable[[list[CellChange], str, str], None]


class RecordsView(QWidget):
    """A ``RecordsModel`` in a ``QTableView`` with its filter bar."""

    def __init__(self, session: Session, table: str, push: Push, parent=None, *,
                 prepared: dict | None = None) -> None:
        super().__init__(parent)
        self.session, self.table, self.push = session, table, push
        self.model = RecordsModel(session, table, self, prepared=prepared)
        self.model.edit_handler = self._typed
        self.filter_box = QLineEdit(placeholderText="Filter rows (any column contains...)")
        self.filter_box.setClearButtonEnabled(True)
        self.flagged = QCheckBox("Only flagged rows")
        self.facet_label = QLabel()
        self.clear_facet = QToolButton(text="Clear facet")
        self.clear_facet.setVisible(False)
        self.count_label = QLabel()
        bar = QHBoxLayout()
        for w in (self.filter_box, self.flagged, self.facet_label, self.clear_facet, self.count_label):
            bar.addWidget(w)
        bar.setStretch(0, 1)
        self.grid = RecordsGrid()
        self.grid.setModel(self.model)
        self.delegate = RecordsDelegate(self.grid)
        self.delegate.fill_selection.connect(self.fill_selection)
        self.grid.setItemDelegate(self.delegate)
        self.grid.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.grid.setSortingEnabled(True)  # file order until a header is clicked
        self.grid.verticalHeader().setDefaultSectionSize(22)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        self.find_bar = FindBar(self)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.grid)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(lambda: self.model.set_filters(text=self.filter_box.text()))
        self.filter_box.textChanged.connect(self._debounce.start)
        self.flagged.toggled.connect(lambda on: self.model.set_filters(flagged_only=on))
        self.clear_facet.clicked.connect(lambda: self.set_facet(None, ""))
        self.model.modelReset.connect(self._count)
        self._count()
        self._sized = False  # column widths are worked out when the tab is first shown

    def showEvent(self, event) -> None:
        if not self._sized:
            self._sized = True
            self.size_columns()
        super().showEvent(event)

    # -- filters ------------------------------------------------------------------------------
    def set_facet(self, positions: np.ndarray | None, text: str) -> None:
        """Show only these rows (a facet of the findings panel); None shows all."""
        self.model.set_filters(facet_positions=positions)
        self.facet_label.setText(f"Facet: {text}" if positions is not None else "")
        self.clear_facet.setVisible(positions is not None)

    def _count(self) -> None:
        self.count_label.setText(f"{self.model.rowCount():,} of {self.model.total_rows:,} rows")

    def size_columns(self) -> None:
        """Widths from the header and a sample of values (never resizeColumnsToContents on big tables)."""
        metrics = self.grid.fontMetrics()
        sample = min(self.model.rowCount(), 60)
        for col, label in enumerate(self.model.labels):
            values = [self.model.index(r, col).data() or "" for r in range(sample)]
            widest = max([metrics.horizontalAdvance(label) + 28,
                          *(metrics.horizontalAdvance(v) + 16 for v in values)])
            self.grid.setColumnWidth(col, min(max(widest, 48), 260))

    def show_find(self) -> None:
        """Ctrl+F: the find bar over this table."""
        self.find_bar.open_bar()

    # -- navigation ---------------------------------------------------------------------------
    def go_to(self, pos: int, name: str | None) -> bool:
        """Select the cell of RAW position ``pos`` (clearing filters that hide it)."""
        row = self.model.row_of(pos)
        if row < 0:
            self.filter_box.clear()
            self.flagged.setChecked(False)
            self.set_facet(None, "")
            self.model.set_filters(text="")
            row = self.model.row_of(pos)
        if row < 0:
            return False
        col = self.model.column_of(name) if name in self.model.fields else 0
        index = self.model.index(row, col)
        self.grid.setCurrentIndex(index)
        self.grid.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.grid.setFocus()
        return True

    # -- editing gestures ---------------------------------------------------------------------
    def _typed(self, table: str, pos: int, name: str, text: str | None) -> bool:
        change = self.session.change_for(table, pos, name, text)
        if change.old != change.new:
            self.push([change], "", "")
        return True

    def _cells(self) -> list[tuple[int, int]]:
        """Selected editable cells as (view row, column), sorted."""
        cells = {(i.row(), i.column()) for i in self.grid.selectionModel().selectedIndexes()
                 if i.column() < self.model.editable}
        return sorted(cells)

    def _change(self, row: int, col: int, text: str | None) -> CellChange:
        return self.session.change_for(self.table, self.model.position(row), self.model.fields[col], text)

    def clear_cells(self) -> None:
        self._push([self._change(r, c, None) for r, c in self._cells()], "Clear cells")

    def fill_down(self) -> None:
        """Copy the top selected cell of each column into the selected cells below it."""
        cells, top = self._cells(), {}
        for r, c in cells:
            top.setdefault(c, r)
        self._push([self._change(r, c, self.model.index(top[c], c).data()) for r, c in cells if r != top[c]],
                   "Fill down")

    def fill_selection(self, text: str | None = None) -> None:
        """Put one value in every selected cell (Ctrl+Enter); without text, the current cell's value."""
        if text is None:
            editor = self._open_editor()
            if editor is not None:  # Ctrl+Enter while typing: the typed value, not the old one
                text = editor_text(editor)
                self.delegate.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
            else:
                text = self.grid.currentIndex().data() or ""
        self._push([self._change(r, c, text) for r, c in self._cells()], "Fill selection")

    def _open_editor(self):
        """The cell editor being typed in, if any (the focus may be inside it, e.g. a combo's line edit)."""
        if self.grid.state() != QAbstractItemView.State.EditingState:
            return None
        widget = QApplication.focusWidget()
        while widget is not None and widget.parentWidget() is not self.grid.viewport():
            widget = widget.parentWidget()
        return widget

    def paste(self, text: str) -> None:
        """Paste a tab-separated block (as Excel copies it) from the current cell down and right."""
        rows = [line.split("\t") for line in text.rstrip("\r\n").replace("\r\n", "\n").split("\n")]
        if len(rows) == 1 and len(rows[0]) == 1 and len(self._cells()) > 1:
            return self.fill_selection(rows[0][0])
        start = self.grid.currentIndex()
        if not start.isValid():
            return None
        changes = []
        for dr, values in enumerate(rows):
            for dc, value in enumerate(values):
                r, c = start.row() + dr, start.column() + dc
                if r < self.model.rowCount() and c < self.model.editable:
                    changes.append(self._change(r, c, value))
        self._push(changes, "Paste")
        return None

    def copy_text(self) -> str:
        """The selection as tab-separated text."""
        cells = {(i.row(), i.column()) for i in self.grid.selectionModel().selectedIndexes()}
        if not cells:
            return ""
        rows, cols = sorted({r for r, _ in cells}), sorted({c for _, c in cells})
        return "\n".join("\t".join(self.model.index(r, c).data() or "" if (r, c) in cells else ""
                                   for c in cols) for r in rows)

    def replace_changes(self, name: str, new_text: str | None, *, old_text: str | None,
                        selected_only: bool) -> list[CellChange]:
        """The changes a replace would make in the selected rows or in every row the filters show.

        ``old_text`` is matched against the cell as shown (dates as dd/mm/yyyy), whole, ignoring case
        and surrounding spaces; ``*`` matches any value that is not blank; None matches every row."""
        rows = sorted({i.row() for i in self.grid.selectionModel().selectedIndexes()}) if selected_only \
            else range(self.model.rowCount())
        positions = self.model.order[np.asarray(list(rows), dtype=np.int64)]
        if old_text is not None:
            shown = pd.Series(self.model.shown(self.model.column_of(name))[positions], dtype="string").str.strip()
            wanted = old_text.strip()
            hit = (shown != "") if wanted == "*" else (shown.str.casefold() == wanted.casefold())
            positions = positions[hit.fillna(False).to_numpy(dtype=bool)]
        return self.session.replace_changes(self.table, positions, name, new_text)

    def replace(self, name: str, new_text: str | None, *, old_text: str | None, selected_only: bool,
                reason: str = "") -> int:
        """Bulk replace as one undo step (see ``replace_changes``); returns the cells changed."""
        changes = self.replace_changes(name, new_text, old_text=old_text, selected_only=selected_only)
        self._push(changes, replace_words(self.table, name, old_text, new_text, past=False), reason)
        return len(changes)

    def _push(self, changes: list[CellChange], text: str, reason: str = "") -> None:
        changes = [c for c in changes if c.old != c.new]
        if changes:
            self.push(changes, text, reason)


def replace_words(table: str, name: str, old_text: str | None, new_text: str | None, *, past: bool) -> str:
    """'Replace HER with CRK in Main drug' (the undo label), or in the past tense (a reason by default)."""
    found = "any value" if old_text is None or old_text.strip() == "*" else old_text.strip()
    new = new_text.strip() if new_text and new_text.strip() else "(blank)"
    return f"{'Replaced' if past else 'Replace'} {found} with {new} in {columns.column(table, name).label}"
