"""The as-at date at the foot of the main window: shown after every open, changed there at any time.

Extracts seldom say when they were taken, so opening proposes a date (``app.session.as_at``) and
this field shows it with where it came from ("the latest date in the data"). Typing another date
(dd/mm/yyyy, as in Excel) and pressing Enter judges everything again as at that date, in the
worker, and the workspace keeps it for the next open. A plain text box: a person types the date
whole, which a sectioned date editor makes awkward.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from app.session.as_at import BASIS_TEXT, change, parse_day

TIP = ("The date the extracts were taken: the rules judge every record as at this date.\n"
       "Type another (dd/mm/yyyy) and press Enter to check everything again.")


class AsAtField(QWidget):
    """``As at [17/06/2025] (the latest date in the data)`` for the window's session."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("as-at")
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("dd/mm/yyyy")
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("00/00/00000") + 16)
        self.edit.setToolTip(TIP)
        self.basis = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("As at"))
        layout.addWidget(self.edit)
        layout.addWidget(self.basis)
        self.edit.editingFinished.connect(self._edited)

    def show_session(self) -> None:
        """Show the open session's date (hidden while nothing is open)."""
        session = self.window_.session
        when = session.raw.as_at
        self.setVisible(when is not None and session.path is not None)
        self.edit.setText(f"{when:%d/%m/%Y}" if when is not None else "")
        self.edit.setStyleSheet("")
        self.edit.setToolTip(TIP)
        basis = getattr(session, "as_at_basis", None)
        self.basis.setText(f"({BASIS_TEXT[basis]})" if basis else "(kept in the workspace)")

    def _edited(self) -> None:
        window, session = self.window_, self.window_.session
        try:
            when = parse_day(self.edit.text())
        except ValueError as exc:
            self.edit.setStyleSheet("QLineEdit { border: 1px solid #b3261e; }")
            self.edit.setToolTip(f"{exc}\n{TIP}")
            window.statusBar().showMessage(f"As-at date not changed: {exc}")
            return
        if when == session.raw.as_at:
            self.show_session()
            return
        if window.runner.busy():  # a job reads the tables now: the date stays, try again after
            window.statusBar().showMessage("Busy: change the as-at date when the current job is done")
            self.show_session()
            return

        def done(_result) -> None:
            window._findings_changed()
            self.show_session()
            window.statusBar().showMessage(f"Checked again as at {when:%d/%m/%Y}; the workspace keeps this date")

        def failed(exc: BaseException) -> None:
            self.show_session()
            window.show_error(exc)

        window.runner.run(f"Checking as at {when:%d/%m/%Y}", lambda progress: change(session, when, progress),
                          done, failed, on_cancel=self.show_session, lock=window.set_busy)
