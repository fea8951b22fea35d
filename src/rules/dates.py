"""Dates in the styles providers write them, parsed column-wise with RE2 and numpy (no per-row Python).

Accepted: ISO ``yyyy-mm-dd`` (or ``yyyy/mm/dd``, with or without a time, which is dropped),
``dd/mm/yyyy`` (``/``, ``-`` or ``.``, one-digit day or month), ``d/m/yy``, ``dd-Mon-yyyy`` and
``dd Month yyyy`` (also with ``yy``), ``yyyymmdd``, and Excel serial numbers. UK day-first always:
a month-first file is reported by the schema, never swapped. Every value is checked as a real day
(31/02/2025 is not a date). Years outside 1678-2261 cannot be held (pandas' nanosecond range) and
are not dates.

Two-digit years: ``yy`` -> 20yy, except in a date of birth where 20yy would be after today, which
becomes 19yy (``05/06/87`` -> 1987, ``05/06/19`` -> 2019; "today" is the extract's as_at when the
schema parses). Excel serials follow Excel's 1900 date
system including its leap-year bug: serial 1 = 1900-01-01, 59 = 1900-02-28, 60 is the non-existent
1900-02-29 (not a date), and serials above 60 are one day behind a true day count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

NS = "datetime64[ns]"
_TIME = r"(?:[ T]+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.][0-9]+)?)?)?"
ISO = rf"^(?P<y>[0-9]{{4}})[-/](?P<m>[0-9]{{1,2}})[-/](?P<d>[0-9]{{1,2}}){_TIME}$"
DMY = rf"^(?P<d>[0-9]{{1,2}})[/.-](?P<m>[0-9]{{1,2}})[/.-](?P<y>[0-9]{{4}}|[0-9]{{2}}){_TIME}$"
DMONY = r"^(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?[- /]+(?P<mon>[A-Za-z]{3,9})[- /,]+(?P<y>[0-9]{4}|[0-9]{2})$"
COMPACT = r"^(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})$"
SERIAL = r"^[0-9]{1,7}(?:[.][0-9]+)?$"
_MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
                "january", "february", "march", "april", "june", "july", "august", "september", "october",
                "november", "december", "sept"]
_MONTH_NUMBERS = np.array(list(range(1, 13)) + [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 9])
MIN_YEAR, MAX_YEAR = 1678, 2261
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


@dataclass
class DayFirst:
    """The ``a/b/y`` values of a column: where they are, and which read as day-first / month-first."""

    positions: np.ndarray
    day_first_ok: np.ndarray
    month_first_ok: np.ndarray


def parse_dates(text: pd.Series, *, birth: bool = False, today: dt.date | None = None) -> pd.Series:
    """Stripped text (NA = blank) -> datetime64[ns] at midnight; NaT where blank or not a date."""
    return parse_dates_detail(text, birth=birth, today=today)[0]


def parse_dates_detail(text: pd.Series, *, birth: bool = False,
                       today: dt.date | None = None) -> tuple[pd.Series, DayFirst]:
    """``parse_dates`` plus what month-first detection needs about the ``a/b/y`` values."""
    n = len(text)
    days = np.zeros(n, dtype="int64")
    done = np.zeros(n, dtype=bool)
    arr = pa.array(text.astype("string[pyarrow]").array)
    todo = ~np.asarray(pc.is_null(arr).to_numpy(zero_copy_only=False), dtype=bool)
    today = today or dt.date.today()
    slash = DayFirst(np.empty(0, "int64"), np.empty(0, bool), np.empty(0, bool))
    for shape in ("iso", "dmy", "dmony", "compact", "serial"):
        pos = np.flatnonzero(todo & ~done)
        if not len(pos):
            break
        part = arr.take(pa.array(pos)) if len(pos) < n else arr
        if shape == "serial":
            got, ok = _serials(part)
        else:
            got, ok, matched, month_first_ok = _shape(part, shape, birth=birth, today=today)
            if shape == "dmy":
                slash = DayFirst(pos[matched], ok[matched], month_first_ok[matched])
        days[pos[ok]] = got[ok]
        done[pos[ok]] = True
    values = np.full(n, np.datetime64("NaT", "ns"))
    values[done] = days[done].astype("datetime64[D]").astype(NS)
    return pd.Series(values, index=text.index, dtype=NS), slash


def _groups(part: pa.Array, pattern: str) -> tuple[pa.StructArray, np.ndarray]:
    groups = pc.extract_regex(part, pattern)
    matched = np.asarray(pc.is_valid(groups).to_numpy(zero_copy_only=False), dtype=bool)
    return groups, matched


def _ints(groups: pa.StructArray, name: str) -> np.ndarray:
    field = pc.struct_field(groups, [groups.type.get_field_index(name)])
    field = pc.if_else(pc.equal(field, ""), pa.scalar("0"), field)
    return pc.cast(pc.fill_null(field, "0"), pa.int64()).to_numpy(zero_copy_only=False)


def _shape(part: pa.Array, shape: str, *, birth: bool, today: dt.date
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(days, is a real date, matched the shape, real as month-first) for one shape of date."""
    pattern = {"iso": ISO, "dmy": DMY, "dmony": DMONY, "compact": COMPACT}[shape]
    nothing = np.zeros(len(part), dtype=bool)
    if not pc.any(pc.match_substring_regex(part, pattern)).as_py():  # a cheap scan before extracting
        return np.zeros(len(part), "int64"), nothing, nothing, nothing
    groups, matched = _groups(part, pattern)
    day, year = _ints(groups, "d"), _ints(groups, "y")
    if shape == "dmony":
        names = pc.utf8_lower(pc.struct_field(groups, [groups.type.get_field_index("mon")]))
        index = pc.index_in(names, value_set=pa.array(_MONTH_NAMES)).to_numpy(zero_copy_only=False)
        index = np.nan_to_num(np.asarray(index, dtype="float64"), nan=-1).astype("int64")
        month = np.where(index >= 0, _MONTH_NUMBERS[np.clip(index, 0, None)], 0)
    else:
        month = _ints(groups, "m")
    if shape in ("dmy", "dmony"):
        short = np.asarray(pc.utf8_length(pc.struct_field(groups, [groups.type.get_field_index("y")]))
                           .to_numpy(zero_copy_only=False)) == 2
        year = np.where(short, two_digit_year(year, month, day, birth=birth, today=today), year)
    got, ok = civil_days(year, month, day)
    ok &= matched
    month_first_ok = nothing
    if shape == "dmy" and (matched & ~ok).any():
        month_first_ok = civil_days(year, day, month)[1] & matched
    return got, ok, matched, month_first_ok


def two_digit_year(yy: np.ndarray, month: np.ndarray, day: np.ndarray, *, birth: bool,
                   today: dt.date) -> np.ndarray:
    """yy -> 20yy; for a birth date, 19yy when 20yy would put it after today."""
    year = 2000 + yy
    if birth:
        got, ok = civil_days(year, month, day)
        later = ok & (got > (today - dt.date(1970, 1, 1)).days)
        year = np.where(later, 1900 + yy, year)
    return year


def civil_days(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days since 1970-01-01 of each (year, month, day), and whether that day exists (and fits)."""
    year, month, day = (np.asarray(a, dtype="int64") for a in (year, month, day))
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    m = np.clip(month, 1, 12)
    longest = _DAYS_IN_MONTH[m - 1] + ((m == 2) & leap)
    ok = (month >= 1) & (month <= 12) & (day >= 1) & (day <= longest) & (year >= MIN_YEAR) & (year <= MAX_YEAR)
    y = year - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * ((m + 9) % 12) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468, ok


_EXCEL_EPOCH = -25569  # 1899-12-30 as days since 1970-01-01
_DAY_ONE = -25567      # 1900-01-01


def _serials(part: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    matched = np.asarray(pc.match_substring_regex(part, SERIAL).to_numpy(zero_copy_only=False), dtype=bool)
    matched &= ~np.asarray(pc.is_null(part).to_numpy(zero_copy_only=False), dtype=bool)
    serial = np.zeros(len(part))
    if matched.any():
        cast = pc.cast(pc.if_else(pa.array(matched), part, pa.scalar("0")), pa.float64())
        serial = np.floor(cast.to_numpy(zero_copy_only=False))
    got = np.where(serial < 60, _DAY_ONE + serial - 1, _EXCEL_EPOCH + serial).astype("int64")
    ok = matched & (serial >= 1) & (serial != 60) & (got <= civil_days(np.array([MAX_YEAR]), np.array([12]),
                                                                      np.array([31]))[0][0])
    return got, ok


def month_first_only(slash: DayFirst, rows: np.ndarray | None = None) -> bool:
    """True when some ``a/b/y`` value is not a day-first date yet every one of them is month-first.

    ``rows``: a boolean mask over the column restricting the test to one file's rows.
    """
    keep = np.ones(len(slash.positions), dtype=bool) if rows is None else rows[slash.positions]
    if not keep.any():
        return False
    day_ok, month_ok = slash.day_first_ok[keep], slash.month_first_ok[keep]
    return bool((~day_ok).any() and month_ok.all())
