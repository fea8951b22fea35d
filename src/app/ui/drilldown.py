"""The records behind one figure of the dashboard, by group; double-click one to go to it."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QListWidget, QVBoxLayout

from rules.columns import record_key

GROUP_LABELS = {"numerator": "In the numerator", "denominator_only": "In the denominator only",
                "provisional": "Provisional", "pending": "Pending", "excluded": "Excluded by errors",
                "counted": "Counted"}


class DrillDown(QDialog):
    def __init__(self, figure, window, parent=None) -> None:
        super().__init__(parent)
        self.figure, self.window_ = figure, window
        self.setWindowTitle(f"Records behind: {figure.title}")
        self.resize(420, 520)
        self.group = QComboBox()
        for group in figure._groups:
            n = int((figure.units["group"] == group).sum())
            self.group.addItem(f"{GROUP_LABELS.get(group, group)} ({n:,})", group)
        self.records = QListWidget()
        self.records.itemDoubleClicked.connect(lambda item: self.go_to(item.text().split("  ")[0]))
        layout = QVBoxLayout(self)
        layout.addWidget(self.group)
        layout.addWidget(self.records)
        layout.addWidget(QLabel("Double-click a record to show it in the episodes table."))
        self.group.currentIndexChanged.connect(lambda _: self.fill())
        self.fill()

    def fill(self) -> None:
        group = self.group.currentData()
        self.records.clear()
        excluded = self.figure.excluded_by() if group == "excluded" else {}
        for record in self.figure.records(group):
            self.records.addItem(f"{record}  ({excluded[record]})" if record in excluded else record)

    def go_to(self, record: str) -> bool:
        episodes = self.window_.session.table("episodes")
        keys = [record_key(p, e) for p, e in zip(episodes["provider_code"], episodes["episode_id"], strict=True)]
        if record not in keys:
            return False
        self.window_.go_to("episodes", keys.index(record), "episode_id")
        return True
