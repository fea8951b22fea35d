"""In the app, a bad file gives a message box with the one line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_refused import REFUSED

from app.errors import InputError
from app.extracts import open_extracts

pytest.importorskip("PySide6.QtWidgets")
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from app.ui.main_window import MainWindow  # noqa: E402


@pytest.mark.parametrize("name", ["password.xlsx", "formulas_no_results.xlsx"])
def test_opening_a_bad_file_shows_its_line_in_a_message_box(qtbot, tmp_path: Path, name: str,
                                                            capfd: pytest.CaptureFixture[str]) -> None:
    make, _, words = REFUSED[name]
    path = make(tmp_path / name)
    with pytest.raises(InputError) as caught:
        open_extracts([path])
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    before = window.session
    try:
        window.open_files([path])                      # the path File > Open and drag-and-drop take
        qtbot.waitUntil(lambda: window.findChild(QMessageBox, "error-box") is not None, timeout=30000)
    finally:
        window.runner.wait()
    box = window.findChild(QMessageBox, "error-box")
    assert box.text() == str(caught.value)
    assert words in box.text() and box.icon() == QMessageBox.Icon.Warning
    assert window.session is before                   # nothing half-opened
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err


def test_an_unexpected_error_is_named_in_words_not_a_bare_repr(qtbot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show_error(KeyError("referral_date"))
    box = window.findChild(QMessageBox, "error-box")
    assert box is not None
    assert box.text().startswith("Something went wrong that the app did not expect (KeyError: 'referral_date')")
    assert "log" in box.text()
