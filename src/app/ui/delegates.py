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
    """Editors for a ``RecordsModel``; Ctrl+Enter in an editor fills the whole selection."""

    fill_selection = Signal(str)

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
            editor.lineEdit().selectAll()  # as in Excel, what is typed replaces the value (never "X" + "F" = "XF")
            return
        model = index.model()
        if columns.column(model.table, model.fields[index.column()]).type == "date":
            text = display_date(text)
        editor.setText(text)
        editor.selectAll()

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


def editor_text(editor) -> str:
    """What an editor holds: a combo's code (or typed text), a line edit's text."""
    if isinstance(editor, QComboBox):
        text = editor.currentText()
        index = editor.findText(text)
        return editor.itemData(index) if index > 0 else text
    return editor.text()
