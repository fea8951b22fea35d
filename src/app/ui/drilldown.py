"""The records behind one figure of the dashboard, by group, shown in the main window.

Opening it filters the main window's episodes to the chosen group's records (missed target
first: those are the ones a manager looks into) and brings that window forward; picking another
group filters again. The findings panel's facets are cleared first, so its tree never claims a
filter the records do not show. Double-click a record in the list to go to it.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout

#: Groups in the order offered: the ones to look into first.
ORDER = ("denominator_only", "pending", "provisional", "excluded", "numerator", "counted")
GROUP_LABELS = {"numerator": "Met (in the numerator)", "denominator_only": "Missed the target",
                "provisional": "Provisional", "pending": "Pending", "excluded": "Excluded by errors",
                "counted": "Counted"}


class DrillDown(QDialog):
    def __init__(self, figure, window, parent=None) -> None:
        super().__init__(parent)
        self.figure, self.window_ = figure, window
        self.setWindowTitle(f"Records behind: {figure.title}")
        self.resize(440, 520)
        self.group = QComboBox()
        for group in sorted(figure._groups, key=lambda g: ORDER.index(g) if g in ORDER else len(ORDER)):
            n = int((figure.units["group"] == group).sum())
            self.group.addItem(f"{GROUP_LABELS.get(group, group)} ({n:,})", group)
        self.records = QListWidget()
        self.records.itemDoubleClicked.connect(lambda item: self.go_to(item.text().split("  ")[0]))
        self.show_button = QPushButton("Show in the main window")
        self.show_button.setToolTip("Filter the episodes in the main window to these records")
        self.show_button.clicked.connect(self.show_in_window)
        row = QHBoxLayout()
        row.addWidget(QLabel("Double-click a record to go to it."), 1)
        row.addWidget(self.show_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.group)
        layout.addWidget(self.records)
        layout.addLayout(row)
        self.group.currentIndexChanged.connect(lambda _: self.fill())
        self.fill()

    def fill(self) -> None:
        group = self.group.currentData()
        self.records.clear()
        excluded = self.figure.excluded_by() if group == "excluded" else {}
        for record in self.figure.records(group):
            self.records.addItem(f"{record}  ({excluded[record]})" if record in excluded else record)
        if self.isVisible():
            self.show_in_window()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.show_in_window()

    def _keys(self):
        """Each episode's record key (``rules.columns.record_key``: provider/episode), as a Series."""
        episodes = self.window_.session.table("episodes")
        return episodes["provider_code"].astype(str) + "/" + episodes["episode_id"].astype(str)

    def show_in_window(self) -> int:
        """Filter the main window's episodes to this group's records and bring it forward; returns
        how many rows it shows."""
        window, group = self.window_, self.group.currentData()
        view = window.views.get("episodes")
        if view is None or group is None:
            return 0
        chosen = set(self.figure.records(group))
        positions = np.flatnonzero(self._keys().isin(chosen).to_numpy(dtype=bool)).astype(np.int64)
        if window.panel.chosen:
            window.panel.clear_facets()   # its facets would claim a filter the records no longer show
        view.set_facet(positions, f"{self.figure.title}: {GROUP_LABELS.get(group, group).lower()} "
                                  f"({len(chosen):,} records)")
        window.tabs.setCurrentWidget(view)
        window.raise_()
        window.activateWindow()
        return len(positions)

    def go_to(self, record: str) -> bool:
        keys = self._keys()
        hits = np.flatnonzero((keys == record).to_numpy(dtype=bool))
        if not len(hits):
            return False
        self.window_.go_to("episodes", int(hits[0]), "episode_id")
        return True

