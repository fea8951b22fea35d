"""Dates in the styles providers write them, parsed column-wise (never one Python call per row).

Accepted, tried in turn on what is still unparsed: ISO ``yyyy-mm-dd`` (also with a midnight or
any time, which is dropped), ``dd/mm/yyyy`` (also ``-`` or ``.``, one-digit day/month),
``dd-Mon-yyyy`` / ``dd Month yyyy``, ``yyyymmdd``, two-digit years ``d/m/yy`` and ``dd-Mon-yy``, and
Excel serial numbers. UK day-first always: a month-first file is reported, never swapped.

Two-digit years: ``yy`` -> 20yy, except in a date of birth where 20yy would be after today, which
becomes 19yy (``05/06/87`` -> 1987, ``05/06/19`` -> 2019). Excel serials follow Excel's 1900 date
system including its leap-year bug: serial 1 = 1900-01-01, 59 = 1900-02-28, 60 is the non-existent
1900-02-29 (not a date), and serials above 60 are one day behind a true day count.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

NS = "datetime64[ns]"
#: Tried in this order with pandas' own parser (fast, exact).
FORMATS: tuple[str, ...] = (
    "%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
    "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%b-%Y", "%d %b %Y", "%d/%b/%Y",
    "%d-%B-%Y", "%d %B %Y", "%Y/%m/%d", "%Y%m%d",
)
# [0-9] and literal spaces, not \d and \s: pandas runs those through Python's re, row by row.
_NUMERIC = (r"^(?P<a>[0-9]{1,2})[/.-](?P<b>[0-9]{1,2})[/.-](?P<y>[0-9]{2}|[0-9]{4})"
            r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?$")
_SHORT_MON = r"^(?P<a>[0-9]{1,2})[- /](?P<b>[A-Za-z]{3,9})[- /](?P<y>[0-9]{2})$"
_SERIAL = r"^[0-9]{1,7}(?:[.][0-9]+)?$"
_MONTHS = {m.lower(): i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTHS.update({"sept": 9, "june": 6, "july": 7})
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
MAX_SERIAL = 2958465  # 9999-12-31


def parse_dates(text: pd.Series, *, birth: bool = False, today: dt.date | None = None) -> pd.Series:
    """Stripped text (NA = blank) -> datetime64[ns] at midnight; NaT where blank or not a date."""
    out = pd.Series(pd.NaT, index=text.index, dtype=NS)
    todo = text.notna()
    if not todo.any():
        return out
    if (text.str.contains("  ", regex=False) | text.str.contains("\t", regex=False)).any():
        text = text.str.replace(r"[ \t]+", " ", regex=True)
    for fmt in FORMATS:
        part = text[todo]
        got = pd.to_datetime(part, format=fmt, errors="coerce")
        ok = got.notna()
        if ok.any():
            out[ok[ok].index] = got[ok].dt.normalize().astype(NS)
            todo &= out.isna()
        if not todo.any():
            return out
    _two_digit_years(text, todo, out, birth=birth, today=today or dt.date.today())
    todo &= out.isna()
    if todo.any():
        _serials(text, todo, out)
    return out


def _two_digit_years(text: pd.Series, todo: pd.Series, out: pd.Series, *, birth: bool, today: dt.date) -> None:
    part = text[todo]
    num = extract(part, _NUMERIC)
    mon = extract(part, _SHORT_MON)
    short = num[2].str.len() == 2
    day = pd.to_numeric(num[0].where(short), errors="coerce")
    month = pd.to_numeric(num[1].where(short), errors="coerce")
    year = pd.to_numeric(num[2].where(short), errors="coerce")
    named = mon[1].str.lower().map(_MONTHS)
    has_mon = named.notna()
    day = day.where(~has_mon, pd.to_numeric(mon[0], errors="coerce"))
    month = month.where(~has_mon, named)
    year = year.where(~has_mon, pd.to_numeric(mon[2], errors="coerce"))
    got = build_dates(day, month, year_from_two_digits(year, day, month, birth=birth, today=today))
    ok = got.notna()
    if ok.any():
        out[ok[ok].index] = got[ok]


def year_from_two_digits(yy: pd.Series, day: pd.Series, month: pd.Series, *, birth: bool,
                         today: dt.date) -> pd.Series:
    """yy -> 20yy; for a birth date, 19yy when 20yy would put it after today."""
    year = 2000 + yy
    if birth:
        later = build_dates(day, month, year) > pd.Timestamp(today)
        year = year.where(~later, 1900 + yy)
    return year


def build_dates(day: pd.Series, month: pd.Series, year: pd.Series) -> pd.Series:
    """Dates from numeric parts; NaT where a part is missing or the day does not exist (31/02)."""
    parts = pd.DataFrame({"year": year, "month": month, "day": day}).astype("Float64")
    valid = parts.notna().all(axis=1) & parts["month"].between(1, 12) & parts["day"].between(1, 31)
    valid &= parts["year"].between(1, 9999)
    parts = parts[valid.fillna(False).astype(bool)].astype("int64")
    out = pd.Series(pd.NaT, index=day.index, dtype=NS)
    if len(parts):
        out[parts.index] = pd.to_datetime(parts, errors="coerce").astype(NS)
    return out


def _serials(text: pd.Series, todo: pd.Series, out: pd.Series) -> None:
    part = text[todo]
    part = part[part.str.match(_SERIAL).fillna(False).astype(bool)]
    if part.empty:
        return
    serial = np.floor(pd.to_numeric(part, errors="coerce").to_numpy(dtype="float64"))
    ok = (serial >= 1) & (serial <= MAX_SERIAL) & (serial != 60)
    days = np.where(serial < 60, serial - 1, serial)  # below 60 Excel counts from 1900-01-01 = 1
    base = np.where(serial < 60, np.datetime64("1900-01-01", "D"), _EXCEL_EPOCH)
    when = base + np.where(ok, days, 0).astype("int64").astype("timedelta64[D]")
    out[part.index[ok]] = pd.to_datetime(when[ok]).astype(NS)


def extract(text: pd.Series, pattern: str) -> pd.DataFrame:
    """Named regex groups as string columns 0, 1, ... (pyarrow's RE2, vectorised; NA where no match)."""
    arr = pa.array(text.astype("string[pyarrow]").array)
    groups = pc.extract_regex(arr, pattern)
    nulls = pc.is_null(groups)
    cols = {}
    for i in range(groups.type.num_fields):
        field = pc.if_else(nulls, pa.scalar(None, pa.string()), pc.struct_field(groups, [i]))
        cols[i] = pd.Series(field.to_pandas().array, index=text.index, dtype="string")
    return pd.DataFrame(cols, index=text.index)


def numeric_parts(text: pd.Series) -> pd.DataFrame:
    """first, second and year numbers of ``a/b/y``-style values (NA for other styles)."""
    num = extract(text, _NUMERIC)
    return pd.DataFrame({"a": pd.to_numeric(num[0], errors="coerce"),
                         "b": pd.to_numeric(num[1], errors="coerce"),
                         "y": pd.to_numeric(num[2], errors="coerce"),
                         "short": num[2].str.len() == 2}, index=text.index)


def month_first_only(text: pd.Series, parsed: pd.Series, *, birth: bool = False,
                     today: dt.date | None = None) -> bool:
    """True when the a/b/y values are consistent only as month-first.

    Some such value is not a valid day-first date, yet every one of them is a valid month-first date.
    """
    failed = text.notna() & parsed.isna()
    if not failed.any():
        return False
    parts = numeric_parts(text[text.notna()])
    numeric = parts["a"].notna()
    if not (numeric & failed[parts.index]).any():
        return False
    parts = parts[numeric]
    year = parts["y"].where(~parts["short"].fillna(False).astype(bool), 2000 + parts["y"])
    as_month_first = build_dates(parts["b"], parts["a"], year)
    return bool(as_month_first.notna().all())
