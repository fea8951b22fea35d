"""Generate the returns: templates, period, draft or final, output folder; the tag check comes first.

A final return is refused while errors remain unaccepted (the service says so); a draft always
works and is marked DRAFT. When done, the output folder can be opened. The committee paper's own
details are given here: the partnership's name (asked for while it is still the default, else the
report reads "services in Partnership"; a new name is saved as a settings change), the meeting date
and the commissioner's commentary (this paper only: ``report=`` over the settings' details).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from app.session.as_at import covered_periods, default_period, parse_day
from app.ui import prefs
from app.ui.fitting import fit
from app.ui.period_picker import PeriodPicker
from rules.settings import Settings

#: The name a partnership has until someone gives it one (``Settings.partnership_name``).
DEFAULT_NAME = Settings().partnership_name
RED = "QLineEdit { border: 1px solid #b3261e; }"


def meeting_words(day: dt.date) -> str:
    """``12 June 2025``: the date as the committee paper prints it."""
    return f"{day.day} {day:%B %Y}"


def _shown_date(text: str) -> str:
    """A settings meeting date (``12 June 2025``, ``12/06/2025`` or ISO) as dd/mm/yyyy to edit."""
    for form in ("%d %B %Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return f"{dt.datetime.strptime(text.strip(), form):%d/%m/%Y}"
        except ValueError:
            continue
    return text.strip()


def _default_templates() -> list[Path]:
    from app.returns.generate import default_templates

    return default_templates()


class GenerateDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Generate returns")
        fit(self, 720, 660)
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
        settings = session.settings
        self.partnership = QLineEdit("" if settings.partnership_name == DEFAULT_NAME else settings.partnership_name)
        self.partnership.setPlaceholderText("Needed: the report reads \"services in ...\"")
        self.meeting_date = QLineEdit(_shown_date(settings.meeting_date))
        self.meeting_date.setPlaceholderText("dd/mm/yyyy")
        self.meeting_date.setMaximumWidth(self.meeting_date.fontMetrics().horizontalAdvance("00/00/00000") + 16)
        self.commentary = QPlainTextEdit()
        self.commentary.setPlaceholderText("The commissioner's commentary on these figures (optional; "
                                           "a blank line starts a new paragraph)")
        self.commentary.setTabChangesFocus(True)
        self.commentary.setMaximumHeight(96)
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
        form.addRow("Partnership name", self.partnership)
        date_row = QHBoxLayout()
        date_row.addWidget(self.meeting_date)
        date_row.addWidget(QLabel("(printed as 12 June 2025)"), 1)
        form.addRow("Meeting date", date_row)
        form.addRow("Commissioner's commentary", self.commentary)
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

    def report(self) -> dict[str, str]:
        """This paper's own details (over the settings'); a meeting date not a date is a ValueError."""
        report = {"commentary": self.commentary.toPlainText().strip()}
        self.meeting_date.setStyleSheet("")
        if self.meeting_date.text().strip():
            try:
                report["meeting_date"] = meeting_words(parse_day(self.meeting_date.text()))
            except ValueError as exc:
                self.meeting_date.setStyleSheet(RED)
                self.meeting_date.setFocus()
                raise ValueError(f"meeting date: {exc}") from None
        return report

    def _name(self) -> str | None:
        """The partnership's name as typed, or None (said in the log) while it is blank or the default."""
        name = self.partnership.text().strip()
        if name and name != DEFAULT_NAME:
            self.partnership.setStyleSheet("")
            return name
        self.partnership.setStyleSheet(RED)
        self.partnership.setFocus()
        self.log.setPlainText("Type the partnership's name first: the committee report says "
                              f"\"services in {name or DEFAULT_NAME}\" without it.")
        return None

    def generate(self) -> None:
        name = self._name()
        if name is None:
            return
        try:
            report = self.report()
        except ValueError as exc:
            self.log.setPlainText(f"Not generated: {exc}")
            return
        self.check(then=lambda: self._fill(name, report))

    def _fill(self, name: str, report: dict[str, str]) -> None:
        window, session, period, templates = self.window_, self.window_.session, self.period.period(), self._chosen()
        out = Path(self.folder.text())
        prefs.remember_folder("generate", Path(out))
        draft = self.draft.isChecked()
        renamed = name != session.settings.partnership_name
        self.log.appendPlainText(f"Generating {'draft ' if draft else ''}returns for {period.label}...")

        def job(progress):
            if renamed:   # a settings change like any other: in the workspace and its audit trail
                session.set_rules(settings=replace(session.settings, partnership_name=name), progress=progress)
            out.mkdir(parents=True, exist_ok=True)
            return session.generate(period, out, templates=templates, draft=draft, report=report)

        def done(result) -> None:
            if renamed:
                window._findings_changed()
                self.log.appendPlainText(f"The partnership's name is now {name!r} in the settings")
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
