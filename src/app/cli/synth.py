"""``treatment-returns synth``: write a fictional partnership's extracts (the source of test and demo data)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from app.cli.common import iso_date
from app.errors import InputError
from app.synth import FORMATS, generate, write


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be at least 1")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("the seed must not be negative")
    return value


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not a rate between 0 and 1 (e.g. 0.02)")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "synth", help="write a synthetic partnership's extracts (fictional data, for tests and demos)",
        description="Write one extract per provider of a fictional partnership, and manifest.json listing "
                    "every defect injected on purpose.")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write into")
    parser.add_argument("--providers", type=_positive, default=3, metavar="N", help="providers (default 3)")
    parser.add_argument("--episodes", type=_positive, default=2000, metavar="N",
                        help="episodes in total (default 2000)")
    parser.add_argument("--seed", type=_seed, default=1, metavar="N", help="random seed (default 1)")
    parser.add_argument("--defects", type=_rate, default=0.0, metavar="RATE",
                        help="share of rows given a defect, 0-1 (default 0: clean data)")
    parser.add_argument("--format", dest="fmt", choices=FORMATS, default="xlsx",
                        help="xlsx workbooks, csv folders, or flat-xlsx (one row per episode)")
    parser.add_argument("--as-at", type=iso_date, default=None, metavar="DATE",
                        help="the date the extracts are taken, dd/mm/yyyy or YYYY-MM-DD (default: today)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    as_at = args.as_at or dt.date.today()
    if args.out.exists() and not args.out.is_dir():
        raise InputError("is a file, not a folder: give a folder to write the extracts into", file=str(args.out))
    synthetic = generate(providers=args.providers, episodes=args.episodes, seed=args.seed,
                         defects=args.defects, as_at=as_at, fmt=args.fmt)
    try:
        paths = write(synthetic, args.out)
    except OSError as exc:
        raise InputError(f"cannot write there ({exc.strerror or exc})", file=str(args.out)) from None
    for path in paths:
        print(path)
    print(args.out / "manifest.json")
    return 0
