"""Help lists the keys and every measure's definition."""

from __future__ import annotations

from app.ui.help import HelpDialog


def test_help_has_getting_started_and_every_definition(qtbot) -> None:
    from rules.measures import DEFINITIONS

    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    assert "Getting started" in text and "F3 / Shift+F3" in text
    assert all(d.title in text for d in DEFINITIONS.values())
