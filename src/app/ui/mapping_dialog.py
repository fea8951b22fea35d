"""Confirm or correct how a provider's headers map to the canonical columns, then save a profile.

Shown when import had to guess (similar-looking names) or could not find a required column. Each
provider header is one row: a few sample values, the proposed canonical column (editable), and
why it was proposed. The result is a ``MappingProfile`` reused for the next quarter's files.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import words
from app.extracts import MappingProfile, MappingResult
from app.extracts.mapping import targets_for
from app.ui import prefs
from app.ui.facets import TABLE_NAMES
from app.ui.fitting import fit, guard_wheel
from rules.columns import COLUMNS

IGNORE = "(ignore this column)"
#: Why a header was mapped, in words (``app.extracts.mapping`` names the ways).
HOW = {"canonical": "the product's own column name", "national": "the national data set's name",
       "alias": "a usual name for it", "label": "its label", "profile": "the saved profile",
       "guess": "guess: please check", "not recognised": "not recognised"}
GUESS_TINT = QColor(245, 170, 20, 110)


def header_samples(path: Path, result: MappingResult, n: int = 3) -> dict[str, list[str]]:
    """A few values under each header of the sheet a mapping describes (for a person to judge)."""
    from app.extracts import readers
    from app.extracts.header import data_rows

    path = Path(path)
    if path.is_dir():  # a folder of CSVs: the mapping names the file inside it
        csv = path / Path(result.file).name
        grids = [readers.read_csv_grid(csv)] if csv.exists() else []
    elif path.suffix.lower() in (".csv", ".txt", ".tsv"):
        grids = [readers.read_csv_grid(path)]
    else:
        grids = readers.read_workbook(path, lambda name: name == result.sheet)
    for grid in grids:
        header = result.header_row - grid.first_row
        if grid.sheet != result.sheet or not 0 <= header < len(grid.frame):
            continue
        body = data_rows(grid.frame, header)
        cells = grid.frame.iloc[header].tolist()
        return {" ".join(str(h).split()): [str(v) for v in body[pos].dropna().head(n)]
                for pos, h in enumerate(cells) if isinstance(h, str) and h.strip()}
    return {}


class MappingTable(QTableWidget):
    """One sheet's headers: provider header | samples | maps to | how."""

    def __init__(self, result: MappingResult, samples: dict[str, list[str]], parent=None) -> None:
        super().__init__(0, 4, parent)
        self.result = result
        self.setHorizontalHeaderLabels(["Provider header", "Sample values", "Maps to", "Why"])
        headers = list(result.columns) + [h for h in result.unmapped if h not in result.columns]
        targets = targets_for(result.table)
        labels = {c.name: c.label for cols in COLUMNS.values() for c in cols}
        self.setRowCount(len(headers))
        for row, header in enumerate(headers):
            self.setItem(row, 0, QTableWidgetItem(header))
            self.setItem(row, 1, QTableWidgetItem(", ".join(samples.get(header, []))))
            combo = QComboBox()
            combo.addItem(IGNORE, "")
            for target in targets:
                combo.addItem(labels.get(target, target), target)
                combo.setItemData(combo.count() - 1, target, Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(max(combo.findData(result.columns.get(header, "")), 0))
            guard_wheel(combo)
            self.setCellWidget(row, 2, combo)
            how = result.how.get(header, "not recognised")
            self.setItem(row, 3, QTableWidgetItem(HOW.get(how, how)))
            if how in ("guess", "not recognised"):
                for col in (0, 1, 3):
                    self.item(row, col).setBackground(GUESS_TINT)
        for col, width in enumerate((180, 230, 250)):
            self.setColumnWidth(col, width)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().hide()

    def apply(self, profile: MappingProfile) -> int:
        """Choose what a saved profile says for every header it knows; how many it knew."""
        known = 0
        for row in range(self.rowCount()):
            target = profile.header_for(self.item(row, 0).text())
            combo = self.cellWidget(row, 2)
            if target is None or combo.findData(target) < 0:
                continue
            combo.setCurrentIndex(combo.findData(target))
            self.item(row, 3).setText(f"saved profile {profile.name!r}")
            known += 1
        return known

    def headers(self) -> dict[str, str]:
        """Provider header -> canonical column ('' = ignore), as chosen."""
        return {self.item(r, 0).text(): self.cellWidget(r, 2).currentData() for r in range(self.rowCount())}

    def missing_required(self) -> list[str]:
        from app.extracts.mapping import REQUIRED

        chosen = set(self.headers().values())
        return [c for c in REQUIRED[self.result.table] if c not in chosen]


class MappingDialog(QDialog):
    """Tabs of ``MappingTable`` (one per file and sheet needing a look); emits the profile on OK."""

    confirmed = Signal(object)  # MappingProfile

    def __init__(self, proposals: list[tuple[MappingResult, dict[str, list[str]]]], parent=None,
                 *, name: str = "", saved: dict[str, MappingProfile] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Confirm column mapping")
        fit(self, 960, 600)
        intro = QLabel("Some headers were not recognised for certain. Check what each column maps to "
                       "(amber rows were guessed or not recognised), then open. Save the mapping as a "
                       "profile to reuse it next quarter.")
        intro.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tables: list[MappingTable] = []
        for result, samples in proposals:
            table = MappingTable(result, samples)
            self.tables.append(table)
            page = QWidget()
            layout = QVBoxLayout(page)
            if result.missing_required:
                warn = QLabel(f"Required columns not found: {words.field_labels(result.missing_required)}")
                warn.setStyleSheet("color: #b3261e; font-weight: bold;")
                layout.addWidget(warn)
            layout.addWidget(table)
            self.tabs.addTab(page, f"{result.where} ({TABLE_NAMES.get(result.table, result.table)})")
        self.name = QLineEdit(name or (proposals[0][0].file.split(".")[0] if proposals else "Provider"))
        self.saved = dict(saved or {})
        self.base: MappingProfile | None = None  # the saved profile chosen (its code mappings kept)
        self.saved_box = QComboBox()
        self.saved_box.addItem("(none)", "")
        for saved_name in self.saved:
            self.saved_box.addItem(saved_name, saved_name)
        guard_wheel(self.saved_box)
        self.saved_box.currentIndexChanged.connect(lambda _: self.use_saved(self.saved_box.currentData()))
        save = QPushButton("Save as profile...")
        save.clicked.connect(self.save_profile)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b3261e;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Open with this mapping")
        buttons.accepted.connect(self.confirm)
        buttons.rejected.connect(self.reject)
        buttons.addButton(save, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tabs, 1)
        if self.saved:
            layout.addWidget(QLabel("Use a saved profile:"))
            layout.addWidget(self.saved_box)
        layout.addWidget(QLabel("Profile name:"))
        layout.addWidget(self.name)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    @classmethod
    def for_screenshot(cls, window) -> MappingDialog:
        from app.extracts.mapping import map_headers

        headers = ["Provider", "Episode Ref", "Client Code", "Date of Birth", "Sex", "Consent", "Referal Dat",
                   "Triage Dt", "Main Drug", "Notes"]
        result, _ = map_headers(headers, file="acme_q2.xlsx", sheet="Sheet1", header_row=3, table="episodes")
        samples = {"Provider": ["N9004"], "Episode Ref": ["A-0012", "A-0013"], "Client Code": ["77812", "77813"],
                   "Date of Birth": ["03/02/1979", "11/10/1990"], "Sex": ["Male", "Female"],
                   "Consent": ["Y", "Y"], "Referal Dat": ["01/07/2025", "04/07/2025"],
                   "Triage Dt": ["08/07/2025"], "Main Drug": ["Heroin", "Alcohol"], "Notes": ["call back"]}
        return cls([(result, samples)], window)

    def offer_saved(self) -> str | None:
        """Choose the saved profile that knows most of these headers, if any knows one."""
        from app.ui.profiles_store import best_match

        headers = [t.item(r, 0).text() for t in self.tables for r in range(t.rowCount())]
        offered = best_match(self.saved, headers)
        if offered:
            self.saved_box.setCurrentIndex(self.saved_box.findData(offered))
        return offered

    def use_saved(self, name: str) -> None:
        """Apply a saved profile's header mappings (offered again next quarter)."""
        self.base = self.saved.get(name)
        if self.base is not None:
            for table in self.tables:
                table.apply(self.base)
            self.name.setText(self.base.name)

    def profile(self) -> MappingProfile:
        headers: dict[str, str] = dict(self.base.headers) if self.base is not None else {}
        for table in self.tables:
            headers.update(table.headers())
        codes = {k: dict(v) for k, v in self.base.codes.items()} if self.base is not None else {}
        return MappingProfile(self.name.text().strip() or "Provider", headers=headers, codes=codes)

    def confirm(self) -> None:
        missing = sorted({c for t in self.tables for c in t.missing_required()})
        if missing:
            self.problem.setText(f"Map these required columns first: {words.field_labels(missing)}")
            return
        self.confirmed.emit(self.profile())
        self.accept()

    def save_profile(self, path: Path | None = None) -> Path | None:
        if path is None:
            folder = str(prefs.folder("profiles"))
            chosen, _ = QFileDialog.getSaveFileName(self, "Save mapping profile",
                                                    str(Path(folder) / f"{self.name.text() or 'profile'}.json"),
                                                    "Mapping profiles (*.json)")
            if not chosen:
                return None
            path = Path(chosen)
        self.profile().save(path)
        prefs.remember_folder("profiles", path.parent)
        return path


