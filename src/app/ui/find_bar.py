"""Ctrl+F: a find bar over one records table, going from cell to cell as Excel's Find does.

It searches the cells as shown (dates as dd/mm/yyyy, whatever style the provider's file used, so
"17/06/2024" finds every row with that date), in the rows the filters show, in view order, and
wraps round. Found cells are worked out once per search (numpy over the model's Arrow columns),
again only when the text, the rows shown or a value changes.
"""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)


class FindBar(QWidget):
    """Text, Next, Previous, a count; Enter finds the next cell, Shift+Enter the previous, Escape closes."""

    def __init__(self, view, parent=None) -> None:
        super().__init__(parent)
        self.view = view
        self.text = QLineEdit(placeholderText="Find in this table (dates as dd/mm/yyyy)")
        self.text.setClearButtonEnabled(True)
        self.next_button = QPushButton("Next")
        self.previous_button = QPushButton("Previous")
        self.status = QLabel()
        self.close_button = QToolButton(text="Close")
        self.close_button.setToolTip("Close the find bar (Escape)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Find"))
        for widget in (self.text, self.next_button, self.previous_button, self.status, self.close_button):
            layout.addWidget(widget)
        layout.setStretch(1, 1)
        self._hits: np.ndarray | None = None
        self.text.textChanged.connect(self._forget)
        self.text.installEventFilter(self)
        self.next_button.clicked.connect(lambda: self.find(1))
        self.previous_button.clicked.connect(lambda: self.find(-1))
        self.close_button.clicked.connect(self.close_bar)
        model = view.model
        for signal in (model.modelReset, model.dataChanged, model.layoutChanged):
            signal.connect(self._forget)
        self.hide()

    def open_bar(self) -> None:
        """Show the bar with its text selected, ready to type."""
        self.show()
        self.text.setFocus()
        self.text.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.view.grid.setFocus()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.text and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.find(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)

    def _forget(self, *_args) -> None:
        self._hits = None

    def hits(self) -> np.ndarray:
        """The found cells in view order, as ``row * columns + column``."""
        if self._hits is None:
            model, query = self.view.model, self.text.text().strip()
            found = np.zeros((model.rowCount(), model.columnCount()), dtype=bool)
            if query:
                for col in range(model.columnCount()):
                    match = pc.match_substring(model.searchable(col), query, ignore_case=True)
                    found[:, col] = match.fill_null(False).to_numpy(zero_copy_only=False)[model.order]
            self._hits = np.flatnonzero(found)
        return self._hits

    def find(self, step: int) -> bool:
        """Go to the next (``step`` 1) or previous (-1) cell showing the text, wrapping round."""
        hits, query = self.hits(), self.text.text().strip()
        if not len(hits):
            self.status.setText(f'No cell shows "{query}"' if query else "Type what to find")
            return False
        grid, width = self.view.grid, self.view.model.columnCount()
        here = grid.currentIndex()
        at = here.row() * width + here.column() if here.isValid() else -1
        i = int(np.searchsorted(hits, at, side="right")) if step > 0 else int(np.searchsorted(hits, at)) - 1
        i %= len(hits)
        row, col = divmod(int(hits[i]), width)
        index = self.view.model.index(row, col)
        grid.setCurrentIndex(index)
        grid.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        self.status.setText(f"{i + 1:,} of {len(hits):,}")
        return True
