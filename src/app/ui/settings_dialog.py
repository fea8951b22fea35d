"""The partnership's settings: name, day thresholds, planned reasons, targets (``rules.settings``).

One number, one place: a threshold changed here moves the rule and the measure together. Apply
checks the data again in the worker (and saves the settings in the workspace, when one is open).
"""

from __future__ import annotations

from dataclasses import fields, replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.ui.fitting import fit, guard_wheel
from rules.codes import LEGACY_PLANNED_REASONS
from rules.settings import Settings

DAYS = [f.name for f in fields(Settings) if f.type in ("int", int)]


LABELS = {"triage_target_days": "Triage within", "wait_target_days": "Wait for treatment within",
          "retention_days": "Retained for", "care_plan_grace_days": "Care plan due after",
          "top_review_after_days": "TOP review due after", "top_review_window_days": "TOP review counts within",
          "top_window_days": "TOP start/exit within (either side)", "journey_gap_days": "Journey gap up to",
          "exit_gap_days": "Exit: no new start within", "representation_months": "Re-presentation within"}


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def _title(measure: str) -> str:
    from rules.measures import DEFINITIONS

    return DEFINITIONS[measure].title if measure in DEFINITIONS else _label(measure)


class SettingsDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Partnership settings")
        fit(self, 720, 640)
        settings = window.session.settings
        self.name = QLineEdit(settings.partnership_name)
        self.days: dict[str, QSpinBox] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Partnership name", self.name)
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
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addLayout(form)
        inner.addWidget(targets)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # rows wrap instead
        guard_wheel(self.retention_start, *self.days.values(), *self.targets.values())
        scroll.setWidget(body)
        self.message = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Close)
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
        """The settings as the form shows them."""
        base = self.window_.session.settings
        planned = LEGACY_PLANNED_REASONS if self.legacy.isChecked() else Settings().planned_reasons
        return replace(base, partnership_name=self.name.text().strip() or "Partnership",
                       planned_reasons=planned, retention_start=self.retention_start.currentData(),
                       effective_pdu_only=self.pdu_only.isChecked(),
                       targets=tuple((m, box.value()) for m, box in self.targets.items()),
                       **{name: box.value() for name, box in self.days.items()})

    def apply(self) -> None:
        window, session, chosen = self.window_, self.window_.session, self.settings()
        self.message.setText("Checking the data again...")

        def done(_result) -> None:
            window._findings_changed()
            self.message.setText("Applied")

        window.runner.run("Checking with the new settings",
                          lambda progress: session.set_rules(settings=chosen, progress=progress),
                          done, window.show_error, lock=window.set_busy)
