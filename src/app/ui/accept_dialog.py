"""Accepting findings: what is being accepted, in a manager's words, and the reason, which is required.

An acceptance without a reason would leave the audit trail unable to say why a finding was let
stand, so OK with an empty reason says a reason is needed and keeps the dialog open.
"""

from __future__ import annotations

import html

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QScrollArea, QVBoxLayout

from app import words
from app.ui.fitting import fit


def describe(findings: pd.DataFrame, catalogue=None) -> str:  # noqa: ANN001 - rules Catalogue
    """The findings being accepted as rich text: one finding in full, several counted by rule."""
    if len(findings) == 1:
        f = findings.iloc[0]
        values = words.values_text(f["values"])
        rows = [("Rule", words.rule_title(f["rule"], catalogue)), ("Record", f["record"]),
                ("Field", words.field_labels(f["fields"])), ("Value", values),
                ("Finding", words.plain(f["message"]))]
        return "<table>" + "".join(f"<tr><td><b>{k}</b></td><td>{html.escape(str(v))}</td></tr>"
                                   for k, v in rows if v) + "</table>"
    by_rule = findings["rule"].value_counts()
    items = "".join(f"<li>{html.escape(words.rule_title(r, catalogue))}: {n:,}</li>" for r, n in by_rule.items())
    return f"<p>{len(findings):,} findings</p><ul>{items}</ul>"


class AcceptDialog(QDialog):
    """The findings to accept and a reason box; ``reason()`` once accepted."""

    def __init__(self, findings: pd.DataFrame, catalogue=None, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setWindowTitle("Accept finding" if len(findings) == 1 else "Accept findings")
        what = QLabel(describe(findings, catalogue))
        what.setWordWrap(True)
        what.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(what)
        self.reason_box = QLineEdit()
        self.reason_box.setPlaceholderText("Why this is right as it is (kept in the audit trail)")
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b3261e;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Accept")
        buttons.accepted.connect(self.confirm)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(QLabel("Reason for accepting:"))
        layout.addWidget(self.reason_box)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        fit(self, 560, 360)

    @classmethod
    def for_screenshot(cls, window) -> AcceptDialog:  # noqa: ANN001
        findings = window.session.findings
        return cls(findings.head(1), window.session.catalogue, window)

    def reason(self) -> str:
        return self.reason_box.text().strip()

    def confirm(self) -> None:
        """Accept only with a reason; an empty one is said, not taken."""
        if not self.reason():
            self.problem.setText("A reason is needed: say why the finding is right as it is.")
            self.reason_box.setFocus()
            return
        self.accept()
