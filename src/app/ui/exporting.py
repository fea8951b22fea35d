"""File > Export corrected extract... and Export audit trail... (a mixin of ``MainWindow``).

Both read the open workspace (sources + every edit) through the session; data is always in one.
They run in the worker with progress; edits wait meanwhile so the export is one consistent state.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
)

from app.ui import prefs

ALL_PROVIDERS = "(every provider)"


class ExportDialog(QDialog):
    """Format (.xlsx or .csv), headers (the product's or the provider's own), and which provider."""

    def __init__(self, providers: list[str], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export corrected extract")
        self.xlsx, self.csv = QRadioButton("Excel workbook (.xlsx), one sheet per table"), QRadioButton(
            "CSV, one file per table")
        self.xlsx.setChecked(True)
        self.canonical = QRadioButton("The product's column names")
        self.provider_headers = QRadioButton("The provider's own headers (from its mapping)")
        self.canonical.setChecked(True)
        for group in ((self.xlsx, self.csv), (self.canonical, self.provider_headers)):
            buttons = QButtonGroup(self)
            for b in group:
                buttons.addButton(b)
        self.provider = QComboBox()
        self.provider.addItem(ALL_PROVIDERS, None)
        for code in providers:
            self.provider.addItem(code, code)
        self.note = QLabel("Codes are written as the product's codes. In .xlsx dates are real Excel dates "
                           "(dd/mm/yyyy) and codes lose stray spaces; the text as written stays in the workspace. "
                           "A spreadsheet program may read CSV text starting with = + - @ as a formula: "
                           "use .xlsx to share.")
        self.note.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b3261e;")
        form = QFormLayout()
        form.addRow("Format", self.xlsx)
        form.addRow("", self.csv)
        form.addRow("Headers", self.canonical)
        form.addRow("", self.provider_headers)
        form.addRow("Provider", self.provider)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export...")
        buttons.accepted.connect(self.confirm)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    @classmethod
    def for_screenshot(cls, window) -> ExportDialog:
        return cls(["N9001", "N9002", "N9003"], window)

    def options(self) -> dict:
        return {"fmt": "xlsx" if self.xlsx.isChecked() else "csv",
                "headers": "provider" if self.provider_headers.isChecked() else "canonical",
                "provider": self.provider.currentData()}

    def confirm(self) -> None:
        if self.provider_headers.isChecked() and self.provider.currentData() is None:
            self.problem.setText("Provider headers belong to one provider's extract: choose a provider.")
            return
        self.accept()


class Exporting:
    """The two exports of the open workspace."""

    def export_corrected(self, path: Path | None = None, *, fmt: str = "xlsx", headers: str = "canonical",
                         provider: str | None = None) -> None:
        """Ask for the options and a file (unless given), then write the corrected extract in the worker."""
        session = self.session
        if session.path is None:
            return
        if path is None:
            dialog = ExportDialog(session.providers(), self)
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            options = dialog.options()
            dialog.deleteLater()
            if not accepted:
                return
            suffix = f".{options['fmt']}"
            default = prefs.folder("export") / (
                f"{session.path.stem} corrected{' ' + options['provider'] if options['provider'] else ''}{suffix}")
            chosen, _ = QFileDialog.getSaveFileName(self, "Export corrected extract", str(default),
                                                    f"{options['fmt'].upper()} (*{suffix})")
            if not chosen:
                return
            self.export_corrected(Path(chosen).with_suffix(suffix), **options)
            return
        prefs.remember_folder("export", Path(path).parent)

        def job(progress):
            progress.report(0.0, "Writing the corrected extract")
            return session.export_corrected(Path(path), fmt, headers, provider=provider, progress=progress)

        self.runner.run("Exporting the corrected extract", job, self._exported, self.show_error,
                        on_cancel=lambda: self.statusBar().showMessage("Export cancelled"), lock=self.set_busy)

    def export_audit(self, path: Path | None = None) -> None:
        """Write the audit trail (every edit; in .xlsx also the sources and accepted findings)."""
        session = self.session
        if session.path is None:
            return
        if path is None:
            default = prefs.folder("export") / f"{session.path.stem} audit trail.xlsx"
            chosen, _ = QFileDialog.getSaveFileName(self, "Export audit trail", str(default),
                                                    "Excel workbook (*.xlsx);;CSV (*.csv)")
            if not chosen:
                return
            path = Path(chosen) if Path(chosen).suffix.lower() in (".xlsx", ".csv") else Path(chosen + ".xlsx")
        prefs.remember_folder("export", Path(path).parent)

        def job(progress):
            progress.report(0.1, "Writing the audit trail")
            return [session.export_audit(Path(path))]

        self.runner.run("Exporting the audit trail", job, self._exported, self.show_error, lock=self.set_busy)

    def _exported(self, paths: list[Path]) -> None:
        self.exported = list(paths)
        names = ", ".join(Path(p).name for p in paths)
        self.statusBar().showMessage(f"Exported {names}")

    def update_actions(self) -> None:
        """The exports are offered whenever data is open (it always lives in a workspace)."""
        open_ = self.session.path is not None
        for name in ("export_corrected", "export_audit"):
            self.actions_[name].setEnabled(open_)
