"""``treatment-returns selftest [--no-gui] [--keep DIR]``: check this installation end to end.

The same job as the bundle's ``--selftest`` (``app.selftest``): exit 0 when every step passed,
1 at the first failure, named with its reason.
"""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    from app.selftest import add_arguments

    parser = subparsers.add_parser("selftest", help="check this installation end to end",
                                   description="Synthesise a small partnership, validate it, generate both "
                                               "returns as drafts and show the main window offscreen.")
    add_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from app.selftest import run as selftest

    return selftest(gui=not args.no_gui, keep=args.keep)
