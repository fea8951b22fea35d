"""Generate the returns: templates, period, draft or final, output folder; the tag check comes first.

A final return is refused while errors remain unaccepted (the service says so); a draft always
works and is marked DRAFT. When done, the output folder can be opened.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from app.session.as_at import covered_periods, default_period
from app.ui import prefs
from app.ui.period_picker import PeriodPicker


def _default_templates() -> list[Path]:
    from app.returns.generate import default_templates

    return default_templates()


class GenerateDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Generate returns")
        area = window.screen().availableGeometry()
        self.resize(min(700, int(area.width() * 0.9)), min(520, int(area.height() * 0.85)))
        self.templates = QListWidget()
        self.templates.setMaximumHeight(90)
        for path in _default_templates():
            self.templates.addItem(str(path))
        add = QPushButton("Add template...")
        add.clicked.connect(self._add_template)
        session = window.session
        self.period = PeriodPicker(covered_periods(session), default_period(session.raw.as_at))
        self.period.invalid.connect(lambda why: self.log.setPlainText(f"Not a period: {why}"))
        self.draft = QCheckBox("Draft (marked DRAFT; allowed while errors remain)")
        self.draft.setChecked(window.session.counts()["error"] > 0)
        self.folder = QLineEdit(str(prefs.folder("generate", Path.home() / "Returns")))
        browse = QPushButton("Choose...")
        browse.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.log = QPlainTextEdit(readOnly=True)
        self.check_button = QPushButton("Check templates")
        self.check_button.clicked.connect(self.check)
        self.generate_button = QPushButton("Generate")
        self.generate_button.clicked.connect(self.generate)
        self.open_button = QPushButton("Open folder")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_folder)
        form = QFormLayout()
        form.addRow("Templates", self.templates)
        form.addRow("", add)
        form.addRow("Period", self.period)
        form.addRow("", self.draft)
        form.addRow("Output folder", folder_row)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.check_button, self.generate_button, self.open_button, add, browse):
            b.setAutoDefault(False)  # Enter in the period box picks the period; it never generates
        for b in (self.check_button, self.generate_button, self.open_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.log, 1)
        layout.addLayout(buttons)
        self.outputs: list[Path] = []
        self.problems: list | None = None

    @classmethod
    def for_screenshot(cls, window) -> GenerateDialog:
        dialog = cls(window)
        dialog.log.setPlainText("Checking templates...\nEvery tag of both templates can be filled.")
        return dialog

    def _add_template(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Template", "", "Templates (*.xlsx *.docx)")
        if path:
            self.templates.addItem(path)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Output folder", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _chosen(self) -> list[Path]:
        return [Path(self.templates.item(i).text()) for i in range(self.templates.count())]

    def check(self, then=None) -> None:
        """List every tag the templates use that cannot be filled (before any filling)."""
        session, period, templates = self.window_.session, self.period.period(), self._chosen()
        if period is None:
            self.log.setPlainText("Choose a period first (or type one, such as 2024-25 Q3)")
            return
        self.log.setPlainText(f"Checking templates for {period.label}...")

        def done(problems) -> None:
            self.problems = list(problems)
            if self.problems:
                self.log.appendPlainText("These tags cannot be filled; fix the template first:")
                for p in self.problems:
                    self.log.appendPlainText(f"  {p}")
            else:
                self.log.appendPlainText("Every tag of the templates can be filled.")
                if then:
                    then()

        self.window_.runner.run("Checking templates", lambda progress: session.generate(
            period, Path(self.folder.text()), templates=templates, draft=self.draft.isChecked(), check_only=True),
            done, self._failed, lock=self.window_.set_busy)

    def generate(self) -> None:
        self.check(then=self._fill)

    def _fill(self) -> None:
        session, period, templates = self.window_.session, self.period.period(), self._chosen()
        out = Path(self.folder.text())
        prefs.remember_folder("generate", Path(out))
        draft = self.draft.isChecked()
        self.log.appendPlainText(f"Generating {'draft ' if draft else ''}returns for {period.label}...")

        def job(progress):
            out.mkdir(parents=True, exist_ok=True)
            return session.generate(period, out, templates=templates, draft=draft)

        def done(result) -> None:
            self.outputs = list(result.outputs)
            for path in self.outputs:
                self.log.appendPlainText(f"Wrote {path}")
            for warning in result.warnings:
                self.log.appendPlainText(f"Note: {warning}")
            self.open_button.setEnabled(True)

        self.window_.runner.run("Generating returns", job, done, self._failed, lock=self.window_.set_busy)

    def _failed(self, exc: BaseException) -> None:
        from app.returns.generate import ReturnRefused

        if isinstance(exc, ReturnRefused):  # worded here for this dialog, never the command line's
            errors = self.window_.session.counts()["error"]
            exc = f"a final return needs every error fixed or accepted with a reason ({errors:,} left); " \
                  "fix or accept them (Findings panel), or tick Draft"
        self.log.appendPlainText(f"Not generated: {exc}")

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder.text()))
