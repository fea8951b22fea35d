"""The history dock: every undo step of this session, click one to go back to it."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDockWidget, QUndoView


def history_dock(stack: QUndoStack, parent=None) -> QDockWidget:
    """A dock holding a ``QUndoView`` of the window's undo stack."""
    dock = QDockWidget("History", parent)
    dock.setObjectName("history")
    view = QUndoView(stack)
    view.setEmptyLabel("Opened")
    dock.setWidget(view)
    return dock
