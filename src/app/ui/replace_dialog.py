"""Bulk fix: replace a value of one field in the selected rows or in every row the filters show."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
)

from rules import columns


class ReplaceDialog(QDialog):
    """Field, value to find (optional), new value, scope. One undo step however many cells."""

    def __init__(self, view, parent=None) -> None:
        super().__init__(parent)
        self.view = view
        self.setWindowTitle(f"Replace value in {view.table}")
        self.field = QComboBox()
        for name in columns.column_names(view.table):
            self.field.addItem(f"{columns.column(view.table, name).label} ({name})", name)
        current = view.grid.currentIndex()
        if current.isValid() and current.column() < view.model.editable:
            self.field.setCurrentIndex(current.column())
        self.only_when = QCheckBox("Only where the value is")
        self.old = QLineEdit()
        self.new = QLineEdit(placeholderText="blank clears the cells")
        self.reason = QLineEdit(placeholderText="e.g. provider confirmed the code (kept in the audit trail)")
        self.selected = QRadioButton("Selected rows")
        self.filtered = QRadioButton(f"All {view.model.rowCount():,} rows shown")
        self.filtered.setChecked(True)
        self.result = QLabel()
        form = QFormLayout()
        form.addRow("Field", self.field)
        form.addRow(self.only_when, self.old)
        form.addRow("Replace with", self.new)
        form.addRow("Reason", self.reason)
        form.addRow("In", self.selected)
        form.addRow("", self.filtered)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result)
        layout.addWidget(buttons)

    def apply(self) -> int:
        old = self.old.text() if self.only_when.isChecked() else None
        count = self.view.replace(self.field.currentData(), self.new.text() or None, old_text=old,
                                  selected_only=self.selected.isChecked(), reason=self.reason.text().strip())
        self.result.setText(f"{count:,} cells changed")
        self.accept()
        return count
