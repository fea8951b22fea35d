"""Cell editors that fit the field: a code drop-down with labels, a date box taking dd/mm/yyyy.

The editor hands back exactly what the person typed or picked; ``Session`` converts it to the RAW
form (ISO dates, upper-case codes), so the GUI and any other caller convert the same way.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyledItemDelegate

from rules import codes, columns


def display_date(text: str) -> str:
    """ISO text -> dd/mm/yyyy for editing (anything else unchanged)."""
    try:
        return dt.date.fromisoformat(text).strftime("%d/%m/%Y")
    except (TypeError, ValueError):
        return text


class RecordsDelegate(QStyledItemDelegate):
    """Editors for a ``RecordsModel``; Ctrl+Enter in an editor fills the whole selection.

    As in Excel, typing over a cell replaces its value (the editor opens with it selected), while
    F2 or a double click edits it in place (``in_place``, set by the grid: cursor at the end)."""

    fill_selection = Signal(str)
    in_place = False

    def createEditor(self, parent, option, index):
        model = index.model()
        kind = columns.column(model.table, model.fields[index.column()])
        if kind.type == "code" and kind.code_list:
            box = QComboBox(parent)
            box.setEditable(True)
            box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            box.addItem("")
            for code, label in codes.CODE_LISTS[kind.code_list].items():
                box.addItem(f"{code} - {label}", code)
            box.installEventFilter(self)
            fit_popup(box)
            return box
        editor = QLineEdit(parent)
        if kind.type == "date":
            editor.setPlaceholderText("dd/mm/yyyy")
            editor.setToolTip("Type a date as dd/mm/yyyy (e.g. 03/04/2025); it is stored as 2025-04-03")
        editor.installEventFilter(self)
        return editor

    def setEditorData(self, editor, index):
        text = index.data(Qt.ItemDataRole.EditRole) or ""
        if isinstance(editor, QComboBox):
            found = editor.findData(text)
            if found >= 0:
                editor.setCurrentIndex(found)
            else:
                editor.setEditText(text)
            self._place_cursor(editor.lineEdit())
            return
        model = index.model()
        if columns.column(model.table, model.fields[index.column()]).type == "date":
            text = display_date(text)
        editor.setText(text)
        self._place_cursor(editor)

    def _place_cursor(self, line: QLineEdit) -> None:
        """In place: the cursor at the end; else all selected, so what is typed replaces the value
        (never "X" + "F" = "XF")."""
        if self.in_place:
            line.deselect()
            line.end(False)
        else:
            line.selectAll()

    def setModelData(self, editor, model, index):
        model.setData(index, editor_text(editor), Qt.ItemDataRole.EditRole)

    def eventFilter(self, editor, event):
        if (event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            text = editor_text(editor)
            self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
            self.fill_selection.emit(text)
            return True
        return super().eventFilter(editor, event)


def fit_popup(box: QComboBox) -> None:
    """The drop-down list as wide as its widest label ("TCDF - Treatment completed drug free"),
    however narrow the column the editor sits in."""
    metrics = box.view().fontMetrics()
    widest = max((metrics.horizontalAdvance(box.itemText(i)) for i in range(box.count())), default=0)
    scrollbar = box.view().verticalScrollBar().sizeHint().width()
    box.view().setMinimumWidth(widest + scrollbar + 32)


def editor_text(editor) -> str:
    """What an editor holds: a combo's code (or typed text), a line edit's text."""
    if isinstance(editor, QComboBox):
        text = editor.currentText()
        index = editor.findText(text)
        return editor.itemData(index) if index > 0 else text
    return editor.text()
