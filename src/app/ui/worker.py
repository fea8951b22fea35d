"""Long work off the GUI thread: a one-worker pool, a progress dialog after ~500 ms, and cancel.

The job is a plain function taking a ``rules.progress.Progress``; it never touches widgets. Its
result (or exception) comes back through signals of an object living in the GUI thread, so the
callbacks run in the GUI thread (and pytest-qt can wait on a main-thread signal).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from rules.progress import Cancelled

SHOW_AFTER_MS = 500


class _Relay(QObject):
    progressed = Signal(float, str)
    done = Signal(object)
    failed = Signal(object)


class JobProgress:
    """The ``Progress`` a job reports through (thread-safe)."""

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._cancel = threading.Event()

    def report(self, fraction: float, text: str = "") -> None:
        self._relay.progressed.emit(float(fraction), text)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class _Task(QRunnable):
    def __init__(self, fn: Callable[[JobProgress], Any], progress: JobProgress, relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.fn, self.progress, self.relay = fn, progress, relay

    def run(self) -> None:
        try:
            result = self.fn(self.progress)
        except BaseException as exc:  # reported to the GUI thread, never lost in the pool
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class Job(QObject):
    """One running job; ``finished`` fires in the GUI thread after the callbacks."""

    finished = Signal()

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.relay = _Relay(self)
        self.progress = JobProgress(self.relay)
        self.dialog = QProgressDialog(title, "Cancel", 0, 1000, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(10**8)  # shown by our own timer only
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.progress.cancel)
        self.dialog.hide()
        self.timer = QTimer(self, singleShot=True, interval=SHOW_AFTER_MS)
        self.timer.timeout.connect(self.dialog.show)
        self.relay.progressed.connect(self._progressed)
        self.running = True

    def _progressed(self, fraction: float, text: str) -> None:
        self.dialog.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
        if text:
            self.dialog.setLabelText(text)

    def close(self) -> None:
        self.running = False
        self.timer.stop()
        self.dialog.hide()
        self.dialog.deleteLater()


class JobRunner(QObject):
    """Runs one job at a time in its own pool."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.widget = parent
        self.jobs: list[Job] = []

    def run(self, title: str, fn: Callable[[JobProgress], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None], on_cancel: Callable[[], None] | None = None, *,
            lock: Callable[[bool], None] | None = None) -> Job:
        """Run ``fn`` in the worker; ``lock(True)`` meanwhile, ``lock(False)`` after (a job that reads
        or changes the session must not race the user's edits; its Cancel button stays usable)."""
        job = Job(self.widget, title)
        self.jobs.append(job)
        if lock is not None:
            lock(True)
            job.finished.connect(lambda: lock(False))

        def done(result: Any) -> None:
            self._end(job)
            on_done(result)
            job.finished.emit()

        def failed(exc: BaseException) -> None:
            self._end(job)
            if isinstance(exc, Cancelled):
                if on_cancel:
                    on_cancel()
            else:
                on_error(exc)
            job.finished.emit()

        job.relay.done.connect(done)
        job.relay.failed.connect(failed)
        job.timer.start()
        self.pool.start(_Task(fn, job.progress, job.relay))
        return job

    def _end(self, job: Job) -> None:
        job.close()
        if job in self.jobs:
            self.jobs.remove(job)
        # deleted once its callbacks have run: its connections hold the job's closures (and through
        # them the session they opened), which would otherwise live as long as the window
        job.finished.connect(job.deleteLater)

    def busy(self) -> bool:
        return bool(self.jobs)

    def wait(self, msecs: int = 30000) -> bool:
        """Join the worker (teardown, closing the window)."""
        for job in self.jobs:
            job.progress.cancel()
        return self.pool.waitForDone(msecs)
