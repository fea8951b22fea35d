"""The tints that mark findings, by severity rank (3 error, 2 warning, 1 info): one place, so the
records and the findings list colour a finding alike."""

from __future__ import annotations

from PySide6.QtGui import QColor

TINTS = {3: QColor(230, 60, 50, 110), 2: QColor(245, 170, 20, 110), 1: QColor(70, 130, 220, 70)}
