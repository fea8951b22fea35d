"""The guard for every upgrade of the PySide6 pin: emitting signals must not eat references to ``True``.

PySide6 6.12.0 (Python 3.11) hands back a borrowed ``True`` from every ``SignalInstance.emit``, so
each emission from Python - a signal of our own, or ``dataChanged`` of a model - drops one
reference to ``True`` (drift -1 per emission, slot or no slot); after a few hundred the process
dies with "Fatal Python error: bool_dealloc". 6.11.3 keeps the count still over 20,000 + 20,000.

Both tests emit a Python-defined signal connected to a Python slot 20,000 times and ``dataChanged``
of a model shown in a view (connected to a Python slot too, the view repainted as it goes) 20,000
times, and assert that ``sys.getrefcount(True)`` did not move. The count is read every ``CHUNK``
emissions and the probe stops at the first drift, so a leaking binding fails the test with the
figures instead of aborting pytest. The subprocess test is the robust one (a binding that crashes
some other way only fails it); the in-process one checks the test process itself and puts back
any references the binding took, so the rest of the run is not killed either.

Run by hand: ``.venv/bin/python tests/ui/test_binding_guard.py [emissions]`` prints the figures.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import PySide6
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QTableView

EMISSIONS = 20_000
CHUNK = 100
#: references to True put back when a chunk leaked them (so the process survives a leaking binding)
_RESTORED: list[bool] = []


class _Sender(QObject):
    fired = Signal(int)


class _Model(QAbstractTableModel):
    """A Python model (like the records model): the view calls back into Python to paint it."""

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else 20

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return f"{index.row()}:{index.column()}" if role == Qt.ItemDataRole.DisplayRole else None


def measure(emissions: int = EMISSIONS, chunk: int = CHUNK) -> dict:
    """Emit both signals ``emissions`` times each; per signal, how many were emitted and the drift of
    ``sys.getrefcount(True)`` (stopping at the first chunk that moved it). Needs a QApplication."""
    app = QApplication.instance()
    assert app is not None, "measure() needs a QApplication"
    sender, heard = _Sender(), [0, 0]

    def on_fired(value: int) -> None:
        heard[0] += 1

    def on_changed(top_left, bottom_right, roles=()) -> None:
        heard[1] += 1

    sender.fired.connect(on_fired)
    model = _Model()
    view = QTableView()
    view.setModel(model)
    view.resize(400, 300)
    view.show()
    model.dataChanged.connect(on_changed)
    app.processEvents()  # shown and painted once before counting
    top_left, bottom_right = model.index(0, 0), model.index(model.rowCount() - 1, model.columnCount() - 1)

    def emit_fired() -> None:
        for i in range(chunk):
            sender.fired.emit(i)

    def emit_changed() -> None:
        for _ in range(chunk):
            model.dataChanged.emit(top_left, bottom_right)
        view.viewport().repaint()  # paints now (Python data()), without running other queued events

    result = {"pyside6": PySide6.__version__, "python": sys.version.split()[0], "chunk": chunk}
    enabled = gc.isenabled()
    gc.disable()  # no unrelated garbage freed (with its references to True) while counting
    try:
        _drift(emit_fired)  # warm up: the first paints and look-ups keep what they make
        _drift(emit_changed)
        heard[:] = [0, 0]
        for name, emit in (("signal", emit_fired), ("dataChanged", emit_changed)):
            done, drift = 0, 0
            while done < emissions and drift == 0:
                drift = _drift(emit)
                done += chunk
            result[name] = {"emitted": done, "drift": drift}
    finally:
        if enabled:
            gc.enable()
    result["heard"] = {"signal": heard[0], "dataChanged": heard[1]}
    view.close()
    view.deleteLater()
    return result


def _drift(emit) -> int:
    """How far one chunk of emissions moved the count of True; references it took are put back
    at once, so a leaking binding is measured without the process dying of it."""
    before = sys.getrefcount(True)
    emit()
    drift = sys.getrefcount(True) - before
    if drift < 0:
        _RESTORED.extend([True] * -drift)
    return drift


def _problems(result: dict) -> list[str]:
    chunk = result["chunk"]
    return [f"PySide6 {result['pyside6']} on Python {result['python']}: "
            f"{'a Python signal' if name == 'signal' else 'dataChanged on a shown model'} emitted "
            f"{r['emitted']:,} times; the last {chunk:,} emissions moved sys.getrefcount(True) by "
            f"{r['drift']:+,} ({r['drift'] / chunk:+.2f} per emission). A binding that loses references to "
            "True aborts the app ('Fatal Python error: bool_dealloc'): keep the pin on a release that "
            "passes this test (6.11.3 does)"
            for name in ("signal", "dataChanged") if (r := result[name])["drift"] != 0]


def test_emitting_signals_keeps_the_count_of_true_in_a_fresh_process() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run([sys.executable, str(Path(__file__)), str(EMISSIONS)], env=env, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, (f"the binding probe died (exit {run.returncode}); PySide6 {PySide6.__version__} "
                                 f"is not safe to pin:\n{run.stderr[-2000:]}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    problems = _problems(result)
    assert not problems, "\n".join(problems)
    assert result["signal"]["emitted"] >= EMISSIONS and result["dataChanged"]["emitted"] >= EMISSIONS
    assert result["heard"] == {"signal": result["signal"]["emitted"],
                               "dataChanged": result["dataChanged"]["emitted"]}


def test_emitting_signals_keeps_the_count_of_true_in_the_test_process(qapp) -> None:
    result = measure()
    problems = _problems(result)
    assert not problems, "\n".join(problems)
    assert result["signal"]["emitted"] >= EMISSIONS and result["dataChanged"]["emitted"] >= EMISSIONS
    assert result["heard"] == {"signal": result["signal"]["emitted"],
                               "dataChanged": result["dataChanged"]["emitted"]}


if __name__ == "__main__":  # the subprocess of the first test, and a check to run by hand
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QApplication([])
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else EMISSIONS)))
