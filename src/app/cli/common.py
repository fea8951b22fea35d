"""Argument types shared by the sub-commands: dates, periods, files, each refused in one line."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path


def iso_date(text: str) -> dt.date:
    """``17/06/2025`` (dd/mm/yyyy, as people write dates here) or ``2025-06-17`` -> date; anything
    else is a usage error (exit 2)."""
    from app.session.as_at import parse_day

    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def existing_path(text: str) -> Path:
    """A file or folder that exists."""
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{text}: no such file or folder")
    return path


def add_as_at(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-at", type=iso_date, default=None, metavar="DATE",
                        help="the date the extracts were taken, dd/mm/yyyy or YYYY-MM-DD; the rules judge every "
                             "record as at it (default: the date recorded in the extract, else today)")
