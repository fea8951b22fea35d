"""Ctrl+H: replace a value of one field in the selected rows or in every row the filters show.

A value to find is required (``*`` for any value that is not blank): Ctrl+H then Enter once
cleared a column on all 1,500 demo episodes. A replace of more than ``ASK_OVER`` rows says how
many and asks first, with the reason the audit trail keeps (by default what was replaced).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
)

from app.session import CellChange
from app.ui.records_view import replace_words
from rules import columns

#: A replace changing more rows than this asks first.
ASK_OVER = 10
OK = QDialogButtonBox.StandardButton.Ok
CANCEL = QDialogButtonBox.StandardButton.Cancel


class ReplaceDialog(QDialog):
    """Field, value to find, new value, reason, scope. One undo step however many cells."""

    def __init__(self, view, parent=None) -> None:
        super().__init__(parent)
        self.view = view
        self.setWindowTitle("Replace value")
        self.field = QComboBox()
        for i, name in enumerate(columns.column_names(view.table)):
            self.field.addItem(columns.column(view.table, name).label, name)
            self.field.setItemData(i, name, Qt.ItemDataRole.ToolTipRole)  # the column's id
        current = view.grid.currentIndex()
        if current.isValid() and current.column() < view.model.editable:
            self.field.setCurrentIndex(current.column())
        self.old = QLineEdit(placeholderText="the value as shown, e.g. HER or 17/06/2024 (* for any value)")
        self.new = QLineEdit(placeholderText="blank clears the cells")
        self.reason = QLineEdit(placeholderText="kept in the audit trail (by default: what was replaced)")
        self.selected = QRadioButton("Selected rows")
        self.filtered = QRadioButton(f"All {view.model.rowCount():,} rows shown")
        self.filtered.setChecked(True)
        self.problem = QLabel()
        self.problem.setObjectName("replace-problem")
        self.problem.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Field", self.field)
        form.addRow("Find", self.old)
        form.addRow("Replace with", self.new)
        form.addRow("Reason", self.reason)
        form.addRow("In", self.selected)
        form.addRow("", self.filtered)
        self.buttons = QDialogButtonBox(OK | CANCEL)
        self.buttons.button(OK).setText("Replace")
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        self.old.textChanged.connect(self._needs_a_value)
        self._needs_a_value()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def _needs_a_value(self) -> None:
        ok = self.buttons.button(OK)
        ok.setEnabled(bool(self.old.text().strip()))
        ok.setToolTip("" if ok.isEnabled() else "Replace: type the value to find first (* for any value)")

    def apply(self) -> int:
        """Replace now, or ask first when many rows change; the number of cells that will change."""
        name, find = self.field.currentData(), self.old.text().strip()
        if not find:
            self.problem.setText("Type the value to find (* for any value that is not blank).")
            return 0
        new = self.new.text() or None
        changes = self.view.replace_changes(name, new, old_text=find, selected_only=self.selected.isChecked())
        label = self.field.currentText()
        if not changes:
            self.problem.setText(f"Nothing to replace: no {'selected ' if self.selected.isChecked() else ''}"
                                 f"row shows {find} in {label}.")
            return 0
        default = replace_words(self.view.table, name, find, new, past=True)
        reason = self.reason.text().strip()
        if len(changes) > ASK_OVER:
            confirm = ConfirmReplace(len(changes), self.view.model.rowCount(), default, reason, self)
            confirm.accepted.connect(lambda: self._done(changes, name, find, new, confirm.reason_text()))
            confirm.open()
        else:
            self._done(changes, name, find, new, reason or default)
        return len(changes)

    def _done(self, changes: list[CellChange], name: str, find: str, new: str | None, reason: str) -> None:
        self.view.push(changes, replace_words(self.view.table, name, find, new, past=False), reason)
        self.accept()


class ConfirmReplace(QDialog):
    """"Replace HER with CRK in Main drug in 1,500 rows?" with the reason for the audit trail."""

    def __init__(self, rows: int, shown: int, default: str, reason: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("confirm-replace")
        self.setWindowTitle("Replace in many rows?")
        self.default = default
        self.message = QLabel(f"{default.replace('Replaced', 'This replaces', 1)} in {rows:,} rows "
                              f"(of {shown:,} shown). It is one step: Undo puts them all back.")
        self.message.setWordWrap(True)
        self.reason = QLineEdit(reason or default)
        self.reason.selectAll()
        form = QFormLayout()
        form.addRow(self.message)
        form.addRow("Reason (kept in the audit trail)", self.reason)
        buttons = QDialogButtonBox(OK | CANCEL)
        buttons.button(OK).setText(f"Replace in {rows:,} rows")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def reason_text(self) -> str:
        """The reason typed, or the default when left blank."""
        return self.reason.text().strip() or self.default
