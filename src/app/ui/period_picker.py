"""One period picker for the dashboard and Generate: every period the data covers, or one typed.

An editable drop-down: the list holds the quarters, years-to-date and years of the open data
(``app.session.as_at.covered_periods``); typing ``2024-25 Q3``, ``2024-25`` or ``2024-25 YTD Q3``
and pressing Enter (or leaving the box) picks that period, with the command line's own parser
(``rules.periods.parse_period``). Text it cannot read is refused with the parser's message and the
period stays what it was.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox

from rules.periods import Period, parse_period

HINT = "Pick a period or type one: 2024-25 Q3, 2024-25, 2024-25 YTD Q3 or 2024-04-01..2024-06-30"


class PeriodPicker(QComboBox):
    """Editable combo of periods; ``period_changed`` when another valid period is chosen."""

    period_changed = Signal(object)   # Period
    invalid = Signal(str)             # why typed text is not a period

    def __init__(self, periods: Sequence[Period], default: Period | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setCompleter(None)       # inline completion would turn a typed "2024-25" into "2024-25 Q4"
        self.setMinimumContentsLength(16)
        self.setToolTip(HINT)
        self.lineEdit().setPlaceholderText("2024-25 Q3")
        self.message = ""
        for p in periods:
            self.addItem(p.label, p)
        self._period: Period | None = None
        if default is not None:
            self.set_period(default)
        elif self.count():
            self.set_period(self.itemData(0))
        self.activated.connect(lambda index: self._take(self.itemData(index)))
        self.lineEdit().editingFinished.connect(self._typed)

    def period(self) -> Period | None:
        """The period chosen (None only when the list was empty and nothing valid was typed)."""
        return self._period

    def set_period(self, period: Period) -> None:
        """Show and choose ``period`` (added to the list when it is not there)."""
        index = next((i for i in range(self.count()) if self.itemData(i) == period), -1)
        if index < 0:
            self.insertItem(0, period.label, period)
            index = 0
        self.setCurrentIndex(index)
        self._take(period)

    def _typed(self) -> None:
        text = self.lineEdit().text().strip()
        if self._period is not None and text == self._period.label:
            return
        try:
            period = parse_period(text)
        except ValueError as exc:
            self.message = str(exc)
            self.setStyleSheet("QComboBox { border: 1px solid #b3261e; }")
            self.setToolTip(f"{exc}\n{HINT}")
            self.invalid.emit(self.message)
            return
        self.set_period(period)

    def _take(self, period: Period | None) -> None:
        if period is None:
            return
        self.message = ""
        self.setStyleSheet("")
        self.setToolTip(HINT)
        if self.lineEdit().text() != period.label:
            self.lineEdit().setText(period.label)
        if period != self._period:
            self._period = period
            self.period_changed.emit(period)
