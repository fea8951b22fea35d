"""Performance dashboard: pick a period; a card per count and measure; trend and provider charts.

Click a card to see the records behind the figure (missed target first) in the main window, and
double-click a record to go to it. The window fits a laptop screen (1366 x 768) and scrolls inside
itself. Charts are matplotlib (QtCharts is not installed).
"""

from __future__ import annotations

from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.session.as_at import covered_periods, default_period
from app.ui.drilldown import DrillDown
from app.ui.period_picker import PeriodPicker
from rules.periods import Period

TREND = ("planned_exits", "retention_and_care_planned_discharges", "top_start", "top_review", "top_exit")
PLURAL = {"modality": "modalities", "journey": "journeys", "client": "clients", "episode": "episodes"}
MET_COLOURS = {True: "#1b7f3b", False: "#b3261e", None: "palette(mid)"}


class Card(QFrame):
    """One figure: title, value, numerator/denominator, target and met; click to drill down."""

    def __init__(self, figure: Any, on_click, parent=None) -> None:
        super().__init__(parent)
        self.figure, self.on_click = figure, on_click
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumWidth(230)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{figure.title}</b>")
        title.setWordWrap(True)
        layout.addWidget(title)
        if not figure.available:
            layout.addWidget(QLabel("not available (table missing)"))
            return
        if hasattr(figure, "percent"):
            value = "-" if figure.percent is None else f"{figure.percent:.1f}%"
            detail = f"{figure.numerator:,} of {figure.denominator:,} {PLURAL.get(figure.unit, figure.unit)}"
            if figure.pending:
                detail += f", {figure.pending:,} pending"
            if figure.provisional:  # completions too recent to be sure of (under 6 months)
                detail += f", {figure.provisional:,} provisional"
            target = "no target" if figure.target is None else \
                f"target {figure.target:g}%: " + ("met" if figure.met else "not met" if figure.met is False else "-")
            colour = MET_COLOURS[figure.met]
        else:
            value, target, colour = f"{figure.value:,}", "", MET_COLOURS[None]
            detail = PLURAL.get(figure.unit, figure.unit)
        self.value_label = QLabel(value)
        self.value_label.setStyleSheet("font-size: 20pt;")
        layout.addWidget(self.value_label)
        layout.addWidget(QLabel(detail))
        if figure.excluded:
            layout.addWidget(QLabel(f"{figure.excluded:,} excluded by errors"))
        if target:
            status = QLabel(target)
            status.setStyleSheet(f"color: {colour}; font-weight: bold;")
            layout.addWidget(status)
        layout.addStretch(1)

    def mousePressEvent(self, event) -> None:
        self.on_click(self.figure)


class Dashboard(QDialog):
    """Non-modal window over the main window's session."""

    def __init__(self, window, *, compute_now: bool = False) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Performance dashboard")
        area = window.screen().availableGeometry()
        self.resize(min(1300, int(area.width() * 0.95)), min(860, int(area.height() * 0.88)))
        session = window.session
        self.period = PeriodPicker(covered_periods(session), default_period(session.raw.as_at))
        self.status = QLabel()
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Period:"))
        top.addWidget(self.period)
        top.addWidget(self.status, 1)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Compute again with the latest edits and rules")
        self.refresh_button.clicked.connect(self.refresh)
        self.refresh_button.setAutoDefault(False)  # Enter in the period box picks the period, nothing more
        top.addWidget(self.refresh_button)
        self.cards = QWidget()
        self.grid = QGridLayout(self.cards)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.cards)
        self.figure = Figure(figsize=(5, 5), layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setMinimumSize(420, 300)  # narrower, the trend legend leaves the axes no room
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.scroll)
        split.addWidget(self.canvas)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.scroll.setMinimumWidth(260)   # one card at least, whatever the splitter is dragged to
        charts = max(420, self.width() * 2 // 5)
        split.setSizes([self.width() - charts, charts])  # three columns of cards on a laptop
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.period.period_changed.connect(lambda _: self.refresh())
        self.period.invalid.connect(self.status.setText)
        self.result = None
        if self.nothing_open():
            return
        if compute_now:
            self.show_result(self.compute(self.period.period()))
        else:
            self.refresh()

    def nothing_open(self) -> bool:
        """With no extracts open there is nothing to compute: the window says so and waits."""
        empty = self.window_.session.table("episodes") is None or self.window_.session.table("episodes").empty
        if empty:
            self.status.setText("Nothing is open: open your providers' extracts (File > Open) "
                                "to see the figures")
        for widget in (self.period, self.refresh_button):
            widget.setEnabled(not empty)
        return empty

    @classmethod
    def for_screenshot(cls, window) -> Dashboard:
        return cls(window, compute_now=True)

    def compute(self, period: Period, progress=None) -> dict[str, Any]:
        session = self.window_.session
        current = session.measures(period, by=["provider_code"])
        quarters = period.last_quarters(4) if period.kind == "quarter" else [period]
        trend = [(q.label, session.measures(q) if q.label != period.label else current) for q in quarters]
        return {"current": current, "trend": trend}

    def refresh(self) -> None:
        period = self.period.period()
        if period is None or self.nothing_open():
            return
        self.status.setText(f"Computing {period.label}...")
        self.window_.runner.run(f"Computing {period.label}", lambda progress: self.compute(period),
                                self.show_result, self.window_.show_error,
                                lock=self.window_.set_busy)  # edits wait: the figures read the tables

    def show_result(self, result: dict[str, Any]) -> None:
        self.result = result
        current = result["current"]
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        figures = [*current.counts.values(), *current.measures.values()]
        for i, figure in enumerate(figures):
            self.grid.addWidget(Card(figure, self.drill), i // 3, i % 3)
        self.status.setText(f"{current.period.label} as at {current.as_at:%d/%m/%Y}; click a figure for its records")
        self._charts(result)

    def _charts(self, result: dict[str, Any]) -> None:
        self.figure.clear()
        trend_ax, provider_ax = self.figure.subplots(2, 1)
        labels = [label for label, _ in result["trend"]]
        for mid in TREND:
            values = [r.measures[mid].percent for _, r in result["trend"]]
            trend_ax.plot(labels, [v if v is not None else float("nan") for v in values], marker="o",
                          label=result["current"].measures[mid].title)
        trend_ax.set_title("Last four quarters (%)")
        trend_ax.set_ylim(0, 100)
        trend_ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
        trend_ax.tick_params(labelsize=8)
        by = result["current"].by.get("provider_code", {})
        names = sorted(by)
        values = [by[n].measures["planned_exits"].percent or 0 for n in names]
        provider_ax.bar(names, values, color="#4472c4")
        target = result["current"].measures["planned_exits"].target
        if target is not None:
            provider_ax.axhline(target, color="#b3261e", linestyle="--", label=f"target {target:g}%")
            provider_ax.legend(fontsize=8)
        provider_ax.set_title("Planned exits by provider (%)")
        provider_ax.tick_params(labelsize=8)
        self.canvas.draw_idle()

    def drill(self, figure) -> DrillDown:
        dialog = DrillDown(figure, self.window_, self)
        dialog.show()
        return dialog
