"""The findings dock: facets with counts (click to filter, like OpenRefine) over a findings list.

Facets narrow both the list and the records view (the rows holding the chosen findings).
Double-click a finding to jump to its cell; accept the selected finding with a reason.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.session import Session
from app.ui.accept_dialog import AcceptDialog
from app.ui.facets import (
    FACETS,
    OPEN,
    delta_counts,
    facet_counts,
    facet_values,
    open_counts,
    open_text,
    value_label,
)
from app.ui.facets import mask as _mask
from app.ui.findings_model import FindingsModel, order_rank

__all__ = ["FACETS", "FindingsPanel", "delta_counts", "facet_counts", "facet_values", "prepare_findings"]

def prepare_findings(session: Session, chosen: dict[str, str] | None = None) -> dict:
    """Facet counts and the sorted list's arrays (Qt-free: the opening worker computes them)."""
    from app.ui.findings_model import columns_of

    f = session.findings
    chosen = chosen or {}
    counts = facet_counts(f, chosen)
    shown = f[_mask(f, chosen)]
    shown = shown.assign(_rank=order_rank(shown["severity"])).sort_values(
        ["_rank", "table", "file", "row"], kind="stable").drop(columns="_rank")
    return {"counts": counts, "labels": shown.index.to_numpy(dtype=np.int64), "columns": columns_of(shown),
            "shown": len(shown)}


class FindingsPanel(QWidget):
    """Facets tree + findings table + accept button."""

    jump = Signal(str, int, str)          # table, RAW position, field
    facet_changed = Signal(object, str)   # {table: positions} or None, description
    accepted = Signal()                   # a finding was accepted: tints and counts change

    def __init__(self, session: Session, parent=None, *, prepared: dict | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.chosen: dict[str, str] = {}
        self.facets = QTreeWidget()
        self.facets.setHeaderLabels(["Facet", "Findings"])
        header = self.facets.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, header.ResizeMode.Stretch)
        header.setSectionResizeMode(1, header.ResizeMode.ResizeToContents)
        self.facets.itemClicked.connect(self._clicked)
        self.model = FindingsModel(self)
        self.model.titles = {rule.id: rule.title for rule in session.catalogue if rule.title}
        self.list = QTableView()
        self.list.setModel(self.model)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.verticalHeader().setDefaultSectionSize(22)
        self.list.verticalHeader().hide()
        for col, width in enumerate((64, 250, 120, 170, 150, 440, 110, 50, 160)):
            self.list.setColumnWidth(col, width)
        self.list.doubleClicked.connect(lambda idx: self.jump_to(idx.row()))
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.summary = QLabel()
        self.accept_button = QPushButton("Accept finding...")
        self.accept_button.clicked.connect(self.accept_selected)
        self.withdraw_button = QPushButton("Withdraw acceptance")
        self.withdraw_button.setToolTip("The selected accepted findings count as open again (one step: undo restores them)")
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        #: How an acceptance is made: the window's undoable step (index, reason, accept) when shown in one.
        self.push_acceptance: Callable[..., None] | None = None
        self.clear_button = QPushButton("Clear facets")
        self.clear_button.clicked.connect(self.clear_facets)
        buttons = QHBoxLayout()
        for w in (self.summary, self.clear_button, self.withdraw_button, self.accept_button):
            buttons.addWidget(w)
        buttons.setStretch(0, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.facets)
        split.addWidget(self.list)
        split.setSizes([330, 900])
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(split)
        self.refresh(prepared)

    # -- facets -------------------------------------------------------------------------------
    def _mask(self, findings: pd.DataFrame, skip: str | None = None) -> np.ndarray:
        return _mask(findings, self.chosen, skip)

    def filtered(self) -> pd.DataFrame:
        """The findings the chosen facets select."""
        f = self.session.findings
        return f[self._mask(f)]

    def refresh(self, prepared: dict | None = None) -> None:
        """Recount the facets and refill the list (after loading, an acceptance, a facet chosen)."""
        ready = prepared or prepare_findings(self.session, self.chosen)
        self.counts = ready["counts"]
        self._fill_facets()
        self.model.set_prepared(self.session.findings, ready["labels"], ready["columns"])
        self._summary(ready["shown"])

    def apply_delta(self, added: pd.DataFrame, removed: pd.DataFrame) -> None:
        """After an edit: count the findings that came and went, and patch the list with them only."""
        if len(added) or len(removed):
            touched = set()
            for frame, sign in ((added, 1), (removed, -1)):
                for group, found in delta_counts(frame, self.chosen).items():
                    counts = self.counts.setdefault(group, {})
                    for value, n in found.items():
                        counts[value] = counts.get(value, 0) + sign * n
                        if counts[value] <= 0:
                            del counts[value]
                        touched.add((group, value))
            self._update_facets(touched)
            self.model.apply_delta(self.session.findings, removed.index.to_numpy(), added[self._mask(added)])
        self._summary(self.model.rowCount())

    def _update_facets(self, touched: set[tuple[str, str]]) -> None:
        """New counts written into the facet items in place (the tree keeps its order, what is open
        and where it is scrolled); built again only when a value appears or goes."""
        touched = {("Severity", value) if group == OPEN else (group, value) for group, value in touched}
        if any((key in self._facet_items) != (key[1] in self.counts.get(key[0], {})) for key in touched):
            self._fill_facets()
            return
        for group, value in touched:
            if (item := self._facet_items.get((group, value))) is not None:
                item.setText(1, self._count_text(group, value))

    def _count_text(self, group: str, value: str) -> str:
        """A facet value's count; a severity's is its open findings (as the status bar counts them),
        with the accepted ones beside it."""
        count = self.counts.get(group, {}).get(value, 0)
        if group != "Severity":
            return f"{count:,}"
        still = self.counts.get(OPEN, {}).get(value, 0)
        return f"{still:,}" + (f" (+{count - still:,} accepted)" if count > still else "")

    def _fill_facets(self) -> None:
        self.facets.clear()
        self._facet_items: dict[tuple[str, str], QTreeWidgetItem] = {}
        for group in FACETS:
            top = QTreeWidgetItem(self.facets, [group, ""])
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for value, _n in sorted(self.counts.get(group, {}).items(), key=lambda vc: -vc[1]):
                item = QTreeWidgetItem(top, [value_label(group, value, self.session.catalogue), self._count_text(
                    group, value)])
                item.setToolTip(0, f"{item.text(0)} ({value})")
                item.setData(0, Qt.ItemDataRole.UserRole, (group, value))
                self._facet_items[(group, value)] = item
                item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
                if self.chosen.get(group) == value:
                    item.setSelected(True)
                    font = item.font(0)
                    font.setBold(True)
                    item.setFont(0, font)
            top.setExpanded(group in ("Severity", "Rule", "Provider") or group in self.chosen)

    def _summary(self, shown: int) -> None:
        c = open_counts(self.counts)
        self.summary.setText(open_text(c["error"], c["warning"]) + (f" - showing {shown:,}" if self.chosen else ""))

    def status_text(self) -> str:
        """The window's status bar: the open findings as the Severity facet counts them (the same
        numbers), and, while facets are chosen, the whole document's beside them."""
        c = open_counts(self.counts)
        if not self.chosen:
            return open_text(c["error"], c["warning"])
        total = self.session.counts()
        return (f"{open_text(total['error'], total['warning'])} - "
                f"{open_text(c['error'], c['warning']).removesuffix(' open')} in the chosen facets")

    def _clicked(self, item: QTreeWidgetItem) -> None:
        key = item.data(0, Qt.ItemDataRole.UserRole)
        if key:
            self.choose(*key)

    def choose(self, group: str, value: str | None) -> None:
        """Select (or, clicked again, clear) one value of a facet group."""
        if value is None or self.chosen.get(group) == value:
            self.chosen.pop(group, None)
        else:
            self.chosen[group] = value
        self.refresh()
        self._emit()

    def clear_facets(self) -> None:
        self.chosen.clear()
        self.refresh()
        self._emit()

    def _emit(self) -> None:
        if not self.chosen:
            self.facet_changed.emit(None, "")
            return
        shown = self.filtered()
        positions = {t: np.unique(g["pos"].to_numpy(dtype=np.int64)) for t, g in shown.groupby("table")}
        self.facet_changed.emit(positions, ", ".join(f"{g} = {value_label(g, v, self.session.catalogue)}"
                                                     for g, v in self.chosen.items()))

    # -- actions ------------------------------------------------------------------------------
    def jump_to(self, row: int) -> None:
        f = self.model.finding(row)
        if f["pos"] >= 0:
            self.jump.emit(f["table"], int(f["pos"]), f["fields"][0] if f["fields"] else "")

    def selected_findings(self) -> list[int]:
        """Indexes (in the session's findings) of the selected rows of the list."""
        return [int(self.model.finding(r.row())["finding"]) for r in self.list.selectionModel().selectedRows()]

    def selected_finding(self) -> int | None:
        chosen = self.selected_findings()
        return chosen[0] if chosen else None

    def accept_selected(self) -> AcceptDialog | None:
        """Ask one reason (required) and accept every selected finding with it."""
        chosen = self.selected_findings()
        if not chosen:
            return None
        dialog = AcceptDialog(self.session.findings.loc[chosen], self.session.catalogue, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.accept(chosen, dialog.reason()))
        self.accept_dialog = dialog
        dialog.open()
        return dialog

    def _context_menu(self, point) -> None:  # noqa: ANN001 - QPoint
        """Right-click a finding: go to its cell, accept it, or withdraw its acceptance."""
        row = self.list.indexAt(point).row()
        if row < 0:
            return
        if row not in {r.row() for r in self.list.selectionModel().selectedRows()}:
            self.list.selectRow(row)
        chosen = self.selected_findings()
        accepted = self.session.findings.loc[chosen, "accepted"].to_numpy(dtype=bool)
        menu = QMenu(self)
        menu.addAction("Go to cell", lambda: self.jump_to(row))
        menu.addAction("Accept finding...", self.accept_selected).setEnabled(not accepted.all())
        withdraw = menu.addAction("Withdraw acceptance", self.withdraw_selected)
        withdraw.setEnabled(bool(accepted.any()))
        if not accepted.any():
            withdraw.setToolTip("None of the chosen findings is accepted")
        self.context_menu = menu
        menu.popup(self.list.viewport().mapToGlobal(point))

    def accept(self, index: int | list[int], reason: str) -> None:
        if self.push_acceptance is not None:
            self.push_acceptance(index, reason, True)
        else:
            self.session.accept(index, reason)
        self.accepted.emit()

    def withdraw_selected(self) -> None:
        """Withdraw the acceptance of the selected findings that are accepted (one undoable step)."""
        chosen = [i for i in self.selected_findings() if bool(self.session.findings.at[i, "accepted"])]
        if not chosen:
            return
        if self.push_acceptance is not None:
            self.push_acceptance(chosen, "", False)
        else:
            self.session.withdraw(chosen)
        self.accepted.emit()
