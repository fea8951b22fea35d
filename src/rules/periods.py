"""Reporting periods: financial years (April-March), quarters (Q1 = Apr-Jun), year-to-date, ranges.

A period is a closed interval of calendar dates ``[start, end]`` with the label users see
(``2025-26``, ``2025-26 Q1``, ``2025-26 Q2 YTD``, ``2025-04-01..2025-06-30``). Comparisons
(previous quarter, same quarter last year) and trend charts (last N quarters) start from here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

PeriodKind = Literal["year", "quarter", "ytd", "range"]

_FY = r"(?P<fy>\d{4})[-/](?P<fy2>\d{2}|\d{4})"
_YEAR_RE = re.compile(rf"^{_FY}$")
_QUARTER_RE = re.compile(rf"^{_FY}(?:\s+|-)Q(?P<q>[1-4])$", re.IGNORECASE)
_YTD_RE = re.compile(rf"^{_FY}(?:\s+|-)Q(?P<q>[1-4])(?:\s+|-)YTD$", re.IGNORECASE)
_YTD_FIRST_RE = re.compile(rf"^{_FY}(?:\s+|-)YTD(?:\s+|-)Q(?P<q>[1-4])$", re.IGNORECASE)
_RANGE_RE = re.compile(r"^(?P<a>\d{4}-\d{2}-\d{2})\s*\.\.\s*(?P<b>\d{4}-\d{2}-\d{2})$")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, clamped to the month's last day (31 Aug + 6 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def fy_start_year(day: dt.date) -> int:
    """The calendar year in which ``day``'s financial year starts (1 April)."""
    return day.year if day.month >= 4 else day.year - 1


def quarter_of(day: dt.date) -> int:
    """The financial quarter (1-4) of a date: Q1 Apr-Jun ... Q4 Jan-Mar."""
    return (day.month - 4) % 12 // 3 + 1


def _fy_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def financial_year(year: int) -> Period:
    """Financial year starting 1 April ``year`` (``financial_year(2025)`` is 2025-26)."""
    return Period(_fy_label(year), dt.date(year, 4, 1), dt.date(year + 1, 3, 31), "year")


def _quarter_bounds(year: int, q: int) -> tuple[dt.date, dt.date]:
    start = add_months(dt.date(year, 4, 1), 3 * (q - 1))
    end = add_months(start, 3) - dt.timedelta(days=1)
    return start, end


def quarter(year: int, q: int) -> Period:
    """Quarter ``q`` (1-4) of the financial year starting in ``year``."""
    if q not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1-4, not {q}")
    start, end = _quarter_bounds(year, q)
    return Period(f"{_fy_label(year)} Q{q}", start, end, "quarter")


def year_to_date(year: int, q: int) -> Period:
    """From the start of financial year ``year`` to the end of its quarter ``q``."""
    if q not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1-4, not {q}")
    return Period(f"{_fy_label(year)} Q{q} YTD", dt.date(year, 4, 1), _quarter_bounds(year, q)[1], "ytd")


def date_range(start: dt.date, end: dt.date) -> Period:
    """An arbitrary closed range of dates (labelled ``start..end``)."""
    if end < start:
        raise ValueError(f"period {start.isoformat()}..{end.isoformat()} ends before it starts")
    return Period(f"{start.isoformat()}..{end.isoformat()}", start, end, "range")


def quarter_containing(day: dt.date) -> Period:
    """The financial quarter a date falls in."""
    return quarter(fy_start_year(day), quarter_of(day))


@dataclass(frozen=True)
class Period:
    """A closed interval of dates with its label and kind (``year``, ``quarter``, ``ytd``, ``range``)."""

    label: str
    start: dt.date
    end: dt.date
    kind: PeriodKind

    def __str__(self) -> str:
        return self.label

    @property
    def days(self) -> int:
        """Length in days, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def fy_start(self) -> dt.date:
        """1 April of the financial year the period starts in."""
        return dt.date(fy_start_year(self.start), 4, 1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def to_dict(self) -> dict[str, str]:
        """The JSON form of spec/cli.md: label, start, end (ISO dates)."""
        return {"label": self.label, "start": self.start.isoformat(), "end": self.end.isoformat()}

    def previous(self) -> Period:
        """The period just before: previous quarter, previous year, the YTD one quarter shorter
        (Q1 YTD -> previous year's Q4 YTD), or a range of the same length ending the day before."""
        if self.kind == "quarter":
            return quarter_containing(self.start - dt.timedelta(days=1))
        if self.kind == "year":
            return financial_year(self.start.year - 1)
        if self.kind == "ytd":
            q = quarter_of(self.end)
            return year_to_date(self.start.year - 1, 4) if q == 1 else year_to_date(self.start.year, q - 1)
        end = self.start - dt.timedelta(days=1)
        return date_range(end - dt.timedelta(days=self.days - 1), end)

    def previous_quarter(self) -> Period:
        """The financial quarter before the one this period ends in."""
        return quarter_containing(self.end).previous()

    def same_period_last_year(self) -> Period:
        """The same period one year earlier (same quarter last year for a quarter)."""
        if self.kind == "quarter":
            return quarter(fy_start_year(self.start) - 1, quarter_of(self.start))
        if self.kind == "year":
            return financial_year(self.start.year - 1)
        if self.kind == "ytd":
            return year_to_date(self.start.year - 1, quarter_of(self.end))
        return date_range(add_months(self.start, -12), add_months(self.end, -12))

    def same_quarter_last_year(self) -> Period:
        """Alias of ``same_period_last_year`` under the name the returns use."""
        return self.same_period_last_year()

    def last_quarters(self, n: int) -> list[Period]:
        """The ``n`` financial quarters ending with the one this period ends in, oldest first."""
        if n < 1:
            raise ValueError("n must be at least 1")
        out = [quarter_containing(self.end)]
        while len(out) < n:
            out.append(out[-1].previous())
        return out[::-1]


def _fy_year(match: re.Match[str], text: str) -> int:
    year, second = int(match["fy"]), match["fy2"]
    expected = year + 1
    if int(second) != (expected % 100 if len(second) == 2 else expected):
        raise ValueError(f"period {text!r}: {match['fy']}-{second} is not a financial year "
                         f"(write {_fy_label(year)})")
    return year


def parse_period(text: str) -> Period:
    """``2025-26``, ``2025-26 Q1``, ``2025-26-Q1``, ``2025-26 Q2 YTD`` (or ``2025-26 YTD Q2``) or
    ``YYYY-MM-DD..YYYY-MM-DD``.

    Anything else is a ValueError whose message says what is accepted (the CLI exits 2 with it).
    """
    raw = str(text)
    cleaned = " ".join(raw.split())
    if m := _YEAR_RE.match(cleaned):
        return financial_year(_fy_year(m, raw))
    if m := _QUARTER_RE.match(cleaned):
        return quarter(_fy_year(m, raw), int(m["q"]))
    if m := _YTD_RE.match(cleaned) or _YTD_FIRST_RE.match(cleaned):
        return year_to_date(_fy_year(m, raw), int(m["q"]))
    if m := _RANGE_RE.match(cleaned):
        try:
            start, end = dt.date.fromisoformat(m["a"]), dt.date.fromisoformat(m["b"])
        except ValueError as exc:
            raise ValueError(f"period {raw!r}: {exc}") from None
        return date_range(start, end)
    raise ValueError(f"period {raw!r} not understood: use a financial year (2025-26), a quarter "
                     f"(2025-26 Q1 or 2025-26-Q1), year-to-date (2025-26 Q2 YTD) or DATE..DATE "
                     f"(2025-04-01..2025-06-30)")


#: How far back a period list goes at most (financial years before the last date's): an episode
#: referred decades ago must not bury the recent quarters under a hundred old ones.
MAX_YEARS_LISTED = 10


def periods_between(first: dt.date, last: dt.date) -> list[Period]:
    """Every financial quarter, year-to-date and financial year from ``first`` to ``last``, newest
    first: the periods a person can pick for data covering those dates (pickers list them; any
    other period can still be typed). Quarters come first, then the years-to-date (Q2 and Q3:
    Q1's is the quarter and Q4's the year), then the years; at most ``MAX_YEARS_LISTED`` + 1 years."""
    if last < first:
        first, last = last, first
    first = max(first, dt.date(fy_start_year(last) - MAX_YEARS_LISTED, 4, 1))
    quarters = [quarter_containing(last)]
    while quarters[-1].start > first:
        quarters.append(quarters[-1].previous())
    years = sorted({fy_start_year(q.start) for q in quarters}, reverse=True)
    ytds = [year_to_date(fy_start_year(q.start), quarter_of(q.start)) for q in quarters
            if quarter_of(q.start) in (2, 3)]
    return quarters + ytds + [financial_year(y) for y in years]
