"""``treatment-returns gui [FILE ...] [--demo]``: open the desktop app.

Qt is imported only when the command runs, so the CLI (and its tests) never load it. With no
display Qt would abort the process; say so in one line and exit 2 instead.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.cli.common import existing_path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("gui", help="open the app, optionally with extracts",
                                   description="Open the desktop app, optionally with provider extracts.")
    parser.add_argument("files", nargs="*", type=existing_path, metavar="FILE",
                        help="extracts to open (.xlsx, .csv, or a folder of CSVs)")
    parser.add_argument("--demo", action="store_true", help="open the bundled demo partnership")
    parser.set_defaults(run=run)


def has_display(env: dict[str, str] | None = None) -> bool:
    """True when Qt can start: a display, or a platform chosen explicitly (offscreen, windows...)."""
    env = dict(os.environ) if env is None else env
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") or env.get("QT_QPA_PLATFORM"))


def run(args: argparse.Namespace) -> int:
    if not has_display():
        print("treatment-returns: no display found (set DISPLAY, or run a headless command such as "
              "'treatment-returns demo --out DIR')", file=sys.stderr)
        return 2
    from app.ui.app import main

    return main([Path(p) for p in args.files], demo=args.demo)
