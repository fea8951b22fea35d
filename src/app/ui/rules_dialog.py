"""The rule catalogue as a table: on/off, severity, thresholds; load and save a catalogue file.

A threshold that is a partnership setting (``triage_target_days``) is changed in the settings, so
the rule and its measure keep one number. Apply re-validates everything in the worker.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.ui import prefs
from app.ui.fitting import fit, guard_wheel
from rules.findings import SEVERITIES
from rules.settings import Settings

SETTING_NAMES = {f.name for f in fields(Settings)}
COLUMNS = ("On", "Rule", "Title", "Category", "Severity", "Thresholds")


def thresholds(rule, settings: Settings) -> dict[str, int | float]:
    """The rule's numeric parameters by name; a parameter read from settings under the setting's name."""
    out: dict[str, int | float] = {}
    for check in rule.checks:
        for name, value in check.params.items():
            if isinstance(value, str) and value.startswith("settings.") and value[9:] in SETTING_NAMES:
                out[value[9:]] = getattr(settings, value[9:])
            elif isinstance(value, int | float) and not isinstance(value, bool):
                out[name] = value
    return out


def parse_thresholds(text: str) -> dict[str, float | int]:
    """``a=1, b=2.5`` -> {'a': 1, 'b': 2.5}; anything else is a ValueError saying so."""
    out: dict[str, float | int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        if not value.strip():
            raise ValueError(f"{part!r}: write thresholds as name=number")
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"{part!r}: {value.strip()!r} is not a number") from None
        out[name.strip()] = int(number) if number.is_integer() else number
    return out


class RulesDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Rules")
        fit(self, 1100, 640)
        self.catalogue = window.session.catalogue
        self.settings = window.session.settings
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        for col, width in enumerate((36, 230, 300, 100, 90)):
            self.table.setColumnWidth(col, width)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemChanged.connect(self._item_changed)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for text, slot in (("Load catalogue...", self.load), ("Save catalogue...", self.save),
                           ("Apply", self.apply), ("Close", self.close)):
            button = QPushButton(text)
            button.clicked.connect(lambda checked=False, s=slot: s())
            buttons.addWidget(button)
        buttons.insertWidget(0, self.message, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.fill()

    @classmethod
    def for_screenshot(cls, window) -> RulesDialog:
        return cls(window)

    def fill(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.catalogue))
        for row, rule in enumerate(self.catalogue):
            on = QTableWidgetItem()
            on.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            on.setCheckState(Qt.CheckState.Checked if rule.enabled else Qt.CheckState.Unchecked)
            self.table.setItem(row, 0, on)
            for col, text in ((1, rule.id), (2, rule.title), (3, rule.category)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                item.setToolTip(rule.description or rule.title)
                self.table.setItem(row, col, item)
            severity = QComboBox()
            severity.addItems(list(SEVERITIES))
            severity.setCurrentText(rule.severity)
            guard_wheel(severity)
            severity.currentTextChanged.connect(lambda text, rid=rule.id: self.change(rid, severity=text))
            self.table.setCellWidget(row, 4, severity)
            values = thresholds(rule, self.settings)
            item = QTableWidgetItem(", ".join(f"{k}={v:g}" for k, v in values.items()))
            if not values:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 5, item)
        self.table.blockSignals(False)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        rule_id = self.table.item(item.row(), 1).text()
        if item.column() == 0:
            self.change(rule_id, enabled=item.checkState() == Qt.CheckState.Checked)
        elif item.column() == 5:
            try:
                self.set_thresholds(rule_id, parse_thresholds(item.text()))
            except ValueError as exc:
                self.refuse(f"{rule_id}: {exc}")

    def change(self, rule_id: str, **changes) -> None:
        """Change one rule (``enabled``, ``severity`` or a parameter); a refused change is said, not applied."""
        try:
            self.catalogue = self.catalogue.changed(rule_id, **changes)
        except ValueError as exc:
            self.refuse(f"{rule_id}: {exc}")
            return
        self.say("Changed: press Apply to check the data again")

    def set_thresholds(self, rule_id: str, values: dict[str, float | int]) -> None:
        """Set a rule's thresholds, all or none: a name the rule does not have or a value the rule or
        the settings refuse is said (in red), and the cell shows the thresholds as they still are."""
        known = thresholds(self.catalogue.get(rule_id), self.settings)
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ValueError(f"no threshold {', '.join(unknown)} (this rule has: {', '.join(known) or 'none'})")
        settings = {k: v for k, v in values.items() if k in SETTING_NAMES}
        params = {k: v for k, v in values.items() if k not in SETTING_NAMES}
        new_settings = self.settings.updated(settings) if settings else self.settings  # checked: ValueError
        new_catalogue = self.catalogue.changed(rule_id, **params) if params else self.catalogue
        self.settings, self.catalogue = new_settings, new_catalogue
        self.say("Changed: press Apply to check the data again")
        self.fill()

    def say(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    def refuse(self, text: str) -> None:
        """A change not made: said in red; the table shows what still holds."""
        self.fill()
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setText(f"Not changed - {text}")

    def apply(self) -> None:
        session, window = self.window_.session, self.window_
        catalogue, settings = self.catalogue, self.settings
        self.message.setText("Checking the data again with the changed rules...")

        def done(_result) -> None:
            window._findings_changed()
            self.message.setText("Applied: findings updated")

        window.runner.run("Checking with the changed rules",
                          lambda progress: session.set_rules(catalogue=catalogue, settings=settings, progress=progress),
                          done, window.show_error, lock=window.set_busy)

    def load(self, path: Path | None = None) -> None:
        from rules.catalogue import load

        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "Load catalogue", str(prefs.folder("catalogues")),
                                                    "Rule catalogues (*.toml)")
            if not chosen:
                return
            path = Path(chosen)
        try:
            self.catalogue = load(path)
        except ValueError as exc:
            self.message.setText(str(exc))
            return
        self.fill()
        self.message.setText(f"Loaded {path.name}: press Apply to check the data again")

    def save(self, path: Path | None = None) -> Path | None:
        from rules.catalogue import save

        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(self, "Save catalogue", str(prefs.folder("catalogues") / "rules.toml"),
                                                    "Rule catalogues (*.toml)")
            if not chosen:
                return None
            path = Path(chosen)
        save(self.catalogue, path)
        prefs.remember_folder("catalogues", path.parent)
        self.message.setText(f"Saved {path.name}")
        return path
