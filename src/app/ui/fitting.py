"""Windows that fit a laptop screen, and drop-downs the mouse wheel cannot change by accident.

A dialog asks for the size it would like; ``fit`` gives it at most what the screen has (less a
real window's title bar, which the offscreen test screen does not draw), so on a 1366x768 laptop
every dialog's buttons stay on screen and its content scrolls inside it. ``guard_wheel`` keeps a
combo box from changing while the user scrolls the list or table it sits in: the wheel only turns
a combo that was clicked (has focus), as in Excel.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QWidget

#: Room kept for the window's frame and title bar, which the window system adds outside the widget,
#: and for a taskbar a screen may not report (the offscreen test screen reports neither).
FRAME_ALLOWANCE = (16, 80)


def fit(widget: QWidget, width: int, height: int) -> None:
    """Resize ``widget`` to (width, height), or less where its screen is smaller."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    area = screen.availableGeometry()
    widget.resize(min(width, area.width() - FRAME_ALLOWANCE[0]), min(height, area.height() - FRAME_ALLOWANCE[1]))


class _WheelGuard(QObject):
    """Passes a wheel event on to the widget's parent unless the widget has focus (was clicked)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            event.ignore()   # ignored, Qt offers it to the parent: the scroll area or table under it scrolls
            return True
        return super().eventFilter(watched, event)


_GUARD = _WheelGuard()


def guard_wheel(*widgets: QWidget) -> None:
    """Make each drop-down (or number box) ignore the wheel until clicked; a drop-down's list is as
    wide as its longest item (call after the items are added)."""
    for widget in widgets:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.installEventFilter(_GUARD)
        if isinstance(widget, QComboBox):   # the closed box takes its layout's or column's width
            view = widget.view()
            view.setMinimumWidth(view.sizeHintForColumn(0) + 24)
