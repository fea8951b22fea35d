"""The as-at date of opened extracts: proposed on open, shown, and changed by the person.

Real extracts carry no ``about`` sheet. Taking today then judges last year's file as if nothing had
happened for a year (every figure 0 or 100%, thousands of reviews "overdue"), so the date is
proposed from what the files say: the about sheet's date, else the latest date in the data that
is not after today (a typo such as 2052 is not the day the extract was taken), else the date the
files were last written. Rules judge as at the date chosen; the workspace keeps it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from rules import columns
from rules.periods import Period, periods_between, quarter_containing
from rules.progress import NO_PROGRESS, Progress
from rules.tables import Tables

Basis = Literal["about", "data", "file", "today", "chosen"]

#: How each basis is said after the date ("as at 17/06/2025, the latest date in the data").
BASIS_TEXT: dict[str, str] = {
    "about": "the date the extract records",
    "data": "the latest date in the data",
    "file": "the date the file was saved",
    "today": "today (nothing else to go on)",
    "chosen": "as chosen",
}


@dataclass(frozen=True)
class AsAt:
    """A proposed (or chosen) as-at date and where it came from."""

    date: dt.date
    basis: Basis

    def describe(self) -> str:
        """``17/06/2025 (the latest date in the data)``: the words the window shows."""
        return f"{self.date:%d/%m/%Y} ({BASIS_TEXT[self.basis]})"


def parse_day(text: str) -> dt.date:
    """A date as a person types it: ``17/06/2025`` (dd/mm/yyyy, as Excel shows dates here) or
    ``2025-06-17``; anything else is a ValueError saying what is accepted."""
    cleaned = str(text).strip()
    for form in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(cleaned, form).date()
        except ValueError:
            continue
    raise ValueError(f"{cleaned!r} is not a date: write it as dd/mm/yyyy (17/06/2025) or yyyy-mm-dd")


def latest_date(typed: Tables, today: dt.date) -> dt.date | None:
    """The latest date in any date column of the typed tables that is not after ``today``."""
    limit = pd.Timestamp(today)
    best: pd.Timestamp | None = None
    for table in columns.TABLES:
        frame = typed.get(table)
        if frame is None:
            continue
        for col in columns.COLUMNS[table]:
            if col.type != "date" or col.name not in frame.columns:
                continue
            values = pd.to_datetime(frame[col.name], errors="coerce")
            top = values[values <= limit].max()
            if pd.notna(top) and (best is None or top > best):
                best = top
    return None if best is None else best.date()


def file_date(paths: Sequence[Path]) -> dt.date | None:
    """When the files (or the files in a folder of CSVs) were last written, in local time."""
    times = []
    for path in (Path(p) for p in paths):
        if path.is_dir():
            times += [f.stat().st_mtime for f in path.iterdir() if f.is_file()]
        elif path.is_file():
            times.append(path.stat().st_mtime)
    return dt.datetime.fromtimestamp(max(times)).date() if times else None


def propose(recorded: dt.date | None, typed: Tables | None, paths: Sequence[Path],
            today: dt.date | None = None) -> AsAt:
    """The as-at date to propose: the about sheet's, else the data's latest, else the files' date."""
    today = today or dt.date.today()
    if recorded is not None:
        return AsAt(recorded, "about")
    if typed is not None and (latest := latest_date(typed, today)) is not None:
        return AsAt(latest, "data")
    if (saved := file_date(paths)) is not None:
        return AsAt(min(saved, today), "file")
    return AsAt(today, "today")


def settle(opened: Any, paths: Sequence[Path], today: dt.date) -> AsAt:
    """Give freshly opened extracts (``app.extracts.Opened``) their proposed as-at date, before
    the rules judge them. ``today`` is the date taken before reading: an as-at equal to it is
    import's fallback for files without an about sheet, not a recorded date."""
    recorded = opened.raw.as_at if opened.raw.as_at not in (None, today, dt.date.today()) else None
    chosen = propose(recorded, opened.tables, paths, today)
    opened.raw.as_at = opened.tables.as_at = chosen.date
    return chosen


def change(session: Any, when: dt.date, progress: Progress = NO_PROGRESS) -> None:
    """Judge everything again as at ``when`` and keep the date in the workspace (a reopen keeps it).
    Cancelled or failed part-way, the session is left as it was."""
    before = session.raw.as_at
    session.raw.as_at = when
    try:
        session.revalidate(progress=progress)
    except BaseException:
        session.raw.as_at = before
        raise
    session.workspace.set_as_at(when)
    session.as_at_basis = "chosen"


def covered_periods(session: Any) -> list[Period]:
    """Every quarter, year-to-date and year from the earliest referral to the as-at date, newest
    first (``rules.periods.periods_between``); with nothing open, the quarters up to today's."""
    as_at = session.raw.as_at or dt.date.today()
    typed = session.typed
    first = as_at
    if typed is not None and typed.episodes is not None and "referral_date" in typed.episodes:
        earliest = pd.to_datetime(typed.episodes["referral_date"], errors="coerce").min()
        if pd.notna(earliest) and earliest.date() < as_at:
            first = earliest.date()
    return periods_between(min(first, quarter_containing(as_at).previous().start), as_at)


def default_period(as_at: dt.date | None) -> Period:
    """The period a picker starts on: the last complete quarter before the as-at date."""
    return quarter_containing(as_at or dt.date.today()).previous()
