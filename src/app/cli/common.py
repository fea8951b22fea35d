"""Argument types shared by the sub-commands: dates, periods, files, each refused in one line."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path


def iso_date(text: str) -> dt.date:
    """``YYYY-MM-DD`` -> date; anything else is a usage error (exit 2)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def existing_path(text: str) -> Path:
    """A file or folder that exists."""
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{text}: no such file or folder")
    return path


def add_as_at(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-at", type=iso_date, default=None, metavar="DATE",
                        help="the date the extracts were taken (default: recorded in the extract, else today)")
