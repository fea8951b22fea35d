"""The desktop bundle's entry point: ``--selftest`` first, everything else to ``app.cli.main``.

``--selftest`` is handled here so the bundle can check itself whether or not the command line
has a ``selftest`` sub-command. With no arguments ``app.cli.main`` opens the desktop app.
"""

from __future__ import annotations

import multiprocessing
import os
import sys


def main(argv: list[str]) -> int:
    if argv[:1] == ["--selftest"]:
        from app.selftest import main as selftest

        return selftest(argv[1:])
    from app.cli import main as cli

    return cli(argv)


if __name__ == "__main__":
    multiprocessing.freeze_support()
    # a windowed Windows build has no console: printing must not crash it
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - kept for the run
    sys.exit(main(sys.argv[1:]))
