"""``treatment-returns``: the same jobs as the app, headless (spec/cli.md).

Each sub-command lives in its own module of this package with two functions:
``register(subparsers)`` adds its parser and ``run(args) -> int`` does the job.
Exit codes: 0 success, 1 the data has errors or a final return was refused, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from app import __version__
from app.errors import InputError

#: Sub-command modules, in the order ``--help`` lists them.
COMMANDS: tuple[str, ...] = (
    "gui", "validate", "measures", "generate", "audit", "synth", "demo", "selftest")


#: The top-level ``--help`` ends with these (scripts and schedulers act on them).
EXIT_CODES = """exit codes:
  0    success
  1    the data has errors (validate), or a final return was refused while errors remain (generate)
  2    bad input or usage: a file that cannot be read, an unknown option, a wrong date or period
  130  interrupted (Ctrl+C)"""


def build_parser() -> tuple[argparse.ArgumentParser, set[str]]:
    """The parser, and the names of the sub-commands it knows."""
    parser = argparse.ArgumentParser(
        prog="treatment-returns",
        description="Validate treatment providers' extracts and produce the quarterly returns.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND",
                                       help="what to do (COMMAND --help for its options)")
    known: set[str] = set()
    for name in COMMANDS:  # imported plainly: a broken sub-command fails loudly, in the tests first
        importlib.import_module(f"app.cli.{name}").register(subparsers)
        known.add(name)
    return parser, known


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, run the sub-command, and return its exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser, known = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        if "gui" not in known:
            parser.print_help()
            return 2
        args = parser.parse_args(["gui", *argv])
    try:
        return int(args.run(args) or 0)
    except InputError as exc:
        print(f"treatment-returns: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("treatment-returns: interrupted", file=sys.stderr)
        return 130
