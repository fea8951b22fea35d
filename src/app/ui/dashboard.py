"""Performance dashboard: pick a period; a card per count and measure; trend and provider charts.

Click a card to see the records behind the figure (numerator, denominator only, pending, excluded)
and double-click a record to go to it. Charts are matplotlib (QtCharts is not installed).
"""

from __future__ import annotations

from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
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

from app.ui.drilldown import DrillDown
from rules.periods import Period, quarter_containing

TREND = ("planned_exits", "retention_and_care_planned_discharges", "top_start", "top_review", "top_exit")
PLURAL = {"modality": "modalities", "journey": "journeys", "client": "clients", "episode": "episodes"}
MET_COLOURS = {True: "#1b7f3b", False: "#b3261e", None: "palette(mid)"}


def periods_for(session) -> list[Period]:
    """The last eight quarters up to the one holding as_at, newest first, then their years."""
    import datetime as dt

    current = quarter_containing(session.raw.as_at or dt.date.today())
    quarters = [current]
    for _ in range(7):
        quarters.append(quarters[-1].previous())
    from rules.periods import parse_period

    years = sorted({q.label.split()[0] for q in quarters}, reverse=True)
    return quarters + [parse_period(y) for y in years]


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
        self.resize(1300, 860)
        self.period = QComboBox()
        self.periods = periods_for(window.session)
        for p in self.periods:
            self.period.addItem(p.label, p)
        self.period.setCurrentIndex(1)  # the last complete quarter
        self.status = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("Period:"))
        top.addWidget(self.period)
        top.addWidget(self.status, 1)
        refresh = QPushButton("Refresh")
        refresh.setToolTip("Compute again with the latest edits and rules")
        refresh.clicked.connect(self.refresh)
        top.addWidget(refresh)
        self.cards = QWidget()
        self.grid = QGridLayout(self.cards)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.cards)
        self.figure = Figure(figsize=(6, 6), layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(self.canvas)
        split.setSizes([780, 500])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.period.currentIndexChanged.connect(lambda _: self.refresh())
        self.result = None
        if compute_now:
            self.show_result(self.compute(self.period.currentData()))
        else:
            self.refresh()

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
        period = self.period.currentData()
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
