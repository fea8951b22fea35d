"""A tiny progress protocol long work reports through, so the core needs no Qt.

The UI passes an object that forwards to a progress dialog; the CLI passes ``NO_PROGRESS``.
"""

from __future__ import annotations

from typing import Protocol


class Cancelled(Exception):
    """Raised by long work when the user asked to cancel."""


class Progress(Protocol):
    def report(self, fraction: float, text: str = "") -> None:
        """Say how far the work is (0.0 .. 1.0) and what it is doing."""

    def cancelled(self) -> bool:
        """True once the user asked to stop; the work then raises ``Cancelled``."""


class _NoProgress:
    def report(self, fraction: float, text: str = "") -> None:
        pass

    def cancelled(self) -> bool:
        return False


NO_PROGRESS: Progress = _NoProgress()


def check_cancelled(progress: Progress) -> None:
    """Raise ``Cancelled`` when the user asked to stop."""
    if progress.cancelled():
        raise Cancelled()
