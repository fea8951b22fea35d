"""File > Export corrected extract... and Export audit trail..., by the window's ``Exporter``.

Both read the open workspace (sources + every edit) through the session; data is always in one.
They run in the worker with progress; edits wait meanwhile so the export is one consistent state.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QRadioButton,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from app.ui import prefs

if TYPE_CHECKING:
    from app.session import Session
    from app.ui.worker import JobRunner

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


@runtime_checkable
class Host(Protocol):
    """What exporting needs of the window it serves (``MainWindow`` is one): the open session, the
    job runner, its status bar, and itself as the parent of the dialogs (``window()``)."""

    session: Session
    runner: JobRunner

    def show_error(self, exc: BaseException) -> None: ...
    def set_busy(self, busy: bool) -> None: ...
    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name
    def window(self) -> QWidget: ...


class Exporter:
    """The two exports of the open workspace; ``exported`` is what the last one wrote."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.exported: list[Path] | None = None

    def export_corrected(self, path: Path | None = None, *, fmt: str = "xlsx", headers: str = "canonical",
                         provider: str | None = None) -> None:
        """Ask for the options and a file (unless given), then write the corrected extract in the worker."""
        host = self.host
        session = host.session
        if session.path is None:
            return
        if path is None:
            dialog = ExportDialog(session.providers(), host.window())
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            options = dialog.options()
            dialog.deleteLater()
            if not accepted:
                return
            suffix = f".{options['fmt']}"
            default = prefs.folder("export") / (
                f"{session.path.stem} corrected{' ' + options['provider'] if options['provider'] else ''}{suffix}")
            chosen, _ = QFileDialog.getSaveFileName(host.window(), "Export corrected extract", str(default),
                                                    f"{options['fmt'].upper()} (*{suffix})")
            if not chosen:
                return
            self.export_corrected(Path(chosen).with_suffix(suffix), **options)
            return
        prefs.remember_folder("export", Path(path).parent)

        def job(progress):
            progress.report(0.0, "Writing the corrected extract")
            return session.export_corrected(Path(path), fmt, headers, provider=provider, progress=progress)

        host.runner.run("Exporting the corrected extract", job, self._exported, host.show_error,
                        on_cancel=lambda: host.statusBar().showMessage("Export cancelled"), lock=host.set_busy)

    def export_audit(self, path: Path | None = None) -> None:
        """Write the audit trail (every edit; in .xlsx also the sources and accepted findings)."""
        host = self.host
        session = host.session
        if session.path is None:
            return
        if path is None:
            default = prefs.folder("export") / f"{session.path.stem} audit trail.xlsx"
            chosen, _ = QFileDialog.getSaveFileName(host.window(), "Export audit trail", str(default),
                                                    "Excel workbook (*.xlsx);;CSV (*.csv)")
            if not chosen:
                return
            path = Path(chosen) if Path(chosen).suffix.lower() in (".xlsx", ".csv") else Path(chosen + ".xlsx")
        prefs.remember_folder("export", Path(path).parent)

        def job(progress):
            progress.report(0.1, "Writing the audit trail")
            return [session.export_audit(Path(path))]

        host.runner.run("Exporting the audit trail", job, self._exported, host.show_error, lock=host.set_busy)

    def _exported(self, paths: list[Path]) -> None:
        self.exported = list(paths)
        names = ", ".join(Path(p).name for p in paths)
        self.host.statusBar().showMessage(f"Exported {names}")
