"""The partnership's settings: name, as-at date, thresholds, targets, provider names, report details.

One number, one place (``rules.settings``): a threshold changed here moves the rule and the measure
together. Apply checks the data again in the worker and saves the settings in the workspace (a step
of the audit trail), as the Rules dialog does. The as-at date is the status bar's field
(``app.ui.as_at_field``): Enter there judges everything again as at the date typed.
"""

from __future__ import annotations

from dataclasses import fields, replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.as_at_field import AsAtField
from app.ui.fitting import fit, guard_wheel
from rules.codes import LEGACY_PLANNED_REASONS
from rules.settings import Settings

DAYS = [f.name for f in fields(Settings) if f.type in ("int", int)]


LABELS = {"triage_target_days": "Triage within", "wait_target_days": "Wait for treatment within",
          "retention_days": "Retained for", "care_plan_grace_days": "Care plan due after",
          "top_review_after_days": "TOP review due after", "top_review_window_days": "TOP review counts within",
          "top_window_days": "TOP start/exit within (either side)", "journey_gap_days": "Journey gap up to",
          "exit_gap_days": "Exit: no new start within", "representation_months": "Re-presentation within"}

#: The committee paper's details (printed at the head and foot of the committee report).
REPORT_DETAILS = {"committee": "Committee", "report_of": "Report of", "report_author": "Report author",
                  "contact_officer": "Contact officer", "contact_details": "Contact details"}


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def _title(measure: str) -> str:
    from rules.measures import DEFINITIONS

    return DEFINITIONS[measure].title if measure in DEFINITIONS else _label(measure)


class _AsAtRow(AsAtField):
    """The status bar's as-at field inside the dialog: same parsing, same re-check, same workspace
    record (``app.session.as_at.change``); shown whenever the session has a date, and the status
    bar's own field follows a change made here."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("settings-as-at")     # the window finds its own field by "as-at"
        self.layout().itemAt(0).widget().hide()  # the form row says "As-at date" already
        self.show_session()

    def show_session(self) -> None:
        super().show_session()
        self.setVisible(self.window_.session.raw.as_at is not None)
        bar = self.window_.findChild(AsAtField, "as-at")
        if bar is not None and bar is not self:
            bar.show_session()


class ProviderNames(QWidget):
    """Code and name of each provider, one a row; the open data's provider codes are listed first."""

    def __init__(self, names: dict[str, str], codes: list[str]) -> None:
        super().__init__()
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Code", "Name"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(150)
        for code in [*codes, *(c for c in names if c not in codes)]:
            self._append(code, names.get(code, ""))
        self.add = QPushButton("Add provider")
        self.remove = QPushButton("Remove selected")
        self.add.clicked.connect(self.add_row)
        self.remove.clicked.connect(self.remove_rows)
        buttons = QHBoxLayout()
        for b in (self.add, self.remove):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def _append(self, code: str, name: str) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(code))
        self.table.setItem(row, 1, QTableWidgetItem(name))
        return row

    def add_row(self) -> None:
        """A blank row, its code cell ready to type into."""
        row = self._append("", "")
        self.table.setFocus()
        self.table.setCurrentCell(row, 0)
        self.table.editItem(self.table.item(row, 0))

    def remove_rows(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def names(self) -> dict[str, str]:
        """Code -> name for every row with both; a row with a name but no code is a ValueError."""
        out: dict[str, str] = {}
        for row in range(self.table.rowCount()):
            code, name = (self.table.item(row, c).text().strip() if self.table.item(row, c) else ""
                          for c in (0, 1))
            if name and not code:
                raise ValueError(f"provider names: {name!r} (row {row + 1}) needs its provider code")
            if code and name:
                out[code] = name
        return out


def _open_providers(session) -> list[str]:
    """The providers of the open data, when the session can say (nothing open: none)."""
    try:
        return list(session.providers())
    except (AttributeError, KeyError, TypeError, ValueError):
        return []


class SettingsDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Partnership settings")
        fit(self, 760, 680)
        settings = window.session.settings
        self.name = QLineEdit(settings.partnership_name)
        self.as_at = _AsAtRow(window)
        self.days: dict[str, QSpinBox] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Partnership name", self.name)
        form.addRow("As-at date", self.as_at)
        for name in DAYS:
            box = QSpinBox(minimum=0, maximum=3650, value=getattr(settings, name))
            box.setSuffix(" months" if name.endswith("months") else " days")
            self.days[name] = box
            form.addRow(_label(name), box)
        self.legacy = QCheckBox("Count transfers (TRNC, TRIC) as planned exits (legacy definition)")
        self.legacy.setChecked(settings.planned_reasons == LEGACY_PLANNED_REASONS)
        self.retention_start = QComboBox()
        for value, text in (("triage", "Triage"), ("first_modality", "First modality")):
            self.retention_start.addItem(text, value)
        self.retention_start.setCurrentIndex(max(self.retention_start.findData(settings.retention_start), 0))
        self.pdu_only = QCheckBox("Effective treatment counts problem drug users only")
        self.pdu_only.setChecked(settings.effective_pdu_only)
        form.addRow("", self.legacy)
        form.addRow("Retention clock starts at", self.retention_start)
        form.addRow("", self.pdu_only)
        targets = QGroupBox("Targets (%)")
        target_form = QFormLayout(targets)
        target_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.targets: dict[str, QDoubleSpinBox] = {}
        for measure, value in settings.targets:
            box = QDoubleSpinBox(minimum=0.0, maximum=100.0, decimals=1, value=value)
            self.targets[measure] = box
            target_form.addRow(_title(measure), box)
        providers = QGroupBox("Provider names (printed as \"Name (CODE)\" in the returns)")
        self.providers = ProviderNames(dict(settings.provider_names), _open_providers(window.session))
        QVBoxLayout(providers).addWidget(self.providers)
        details = QGroupBox("Committee report")
        details_form = QFormLayout(details)
        details_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.details: dict[str, QLineEdit] = {}
        for key, text in REPORT_DETAILS.items():
            self.details[key] = QLineEdit(getattr(settings, key))
            details_form.addRow(text, self.details[key])
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addLayout(form)
        inner.addWidget(details)
        inner.addWidget(providers)
        inner.addWidget(targets)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # rows wrap instead
        guard_wheel(self.retention_start, *self.days.values(), *self.targets.values())
        scroll.setWidget(body)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Close)
        for b in buttons.buttons():
            b.setAutoDefault(False)   # Enter in the as-at date or a table cell never applies or closes
            b.setDefault(False)
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addLayout(bottom)

    @classmethod
    def for_screenshot(cls, window) -> SettingsDialog:
        return cls(window)

    def settings(self) -> Settings:
        """The settings as the form shows them; a value the settings refuse is a ValueError."""
        base = self.window_.session.settings
        planned = LEGACY_PLANNED_REASONS if self.legacy.isChecked() else Settings().planned_reasons
        chosen = replace(base, partnership_name=self.name.text().strip() or "Partnership",
                         planned_reasons=planned, retention_start=self.retention_start.currentData(),
                         effective_pdu_only=self.pdu_only.isChecked(),
                         targets=tuple((m, box.value()) for m, box in self.targets.items()),
                         **{name: box.value() for name, box in self.days.items()},
                         **{key: edit.text() for key, edit in self.details.items()})
        # the table is the whole list (a row removed is a name removed): replaced, not merged
        return Settings.from_dict({**chosen.to_dict(), "provider_names": self.providers.names()})

    def apply(self) -> None:
        window, session = self.window_, self.window_.session
        try:
            chosen = self.settings()
        except ValueError as exc:
            self.message.setText(f"Not applied: {exc}")
            return
        self.message.setText("Checking the data again...")

        def done(_result) -> None:
            window._findings_changed()
            self.message.setText("Applied")

        window.runner.run("Checking with the new settings",
                          lambda progress: session.set_rules(settings=chosen, progress=progress),
                          done, window.show_error, lock=window.set_busy)
