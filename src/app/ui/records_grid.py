"""The records grid with Excel's keys, so a spreadsheet user's habits do what they expect.

Typing over a cell replaces it; F2 (or a double click) edits it in place; Enter commits and moves
down one row; Tab commits and moves right (Shift+Tab left) without opening the
next cell; Escape leaves the cell as it was.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QLineEdit, QTableView

Trigger = QAbstractItemView.EditTrigger
Hint = QAbstractItemDelegate.EndEditHint
#: How the cursor moves after an editor closes with each hint (rows, columns).
MOVES = {Hint.SubmitModelCache: (1, 0), Hint.EditNextItem: (0, 1), Hint.EditPreviousItem: (0, -1)}


class RecordsGrid(QTableView):
    """A ``QTableView`` whose editing keys behave as Excel's."""

    def edit(self, index, trigger=None, event=None):  # Qt's virtual and its public slot
        """Tell the delegate whether this edit is in place (F2, double click) or typed over."""
        in_place = trigger in (Trigger.EditKeyPressed, Trigger.DoubleClicked)
        delegate = self.itemDelegate()
        if hasattr(delegate, "in_place"):
            delegate.in_place = in_place
        if trigger is None:
            return super().edit(index)
        opened = super().edit(index, trigger, event)
        if opened and in_place:  # Qt selects a new editor's text: in place, the cursor goes to the end
            line = self.indexWidget(index)
            while line is not None and line.focusProxy() is not None:
                line = line.focusProxy()
            if isinstance(line, QLineEdit):
                line.deselect()
                line.end(False)
        return opened

    def closeEditor(self, editor, hint) -> None:
        move = MOVES.get(hint)
        super().closeEditor(editor, Hint.NoHint if move and hint != Hint.SubmitModelCache else hint)
        if move is not None:
            self.move_by(*move)

    def move_by(self, rows: int, cols: int) -> None:
        """Make the cell ``rows`` down and ``cols`` right the current one (staying inside the table)."""
        here = self.currentIndex()
        if not here.isValid():
            return
        model = self.model()
        row = min(max(here.row() + rows, 0), model.rowCount() - 1)
        col = min(max(here.column() + cols, 0), model.columnCount() - 1)
        self.setCurrentIndex(model.index(row, col))

    def keyPressEvent(self, event) -> None:
        """Enter (Shift+Enter) outside an editor moves down (up), as in Excel."""
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if enter and self.state() != QAbstractItemView.State.EditingState and modifiers in (
                Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            self.move_by(-1 if modifiers == Qt.KeyboardModifier.ShiftModifier else 1, 0)
            event.accept()
            return
        super().keyPressEvent(event)
