"""Raw text -> typed values, column by column, keeping every value that did not parse.

``parse_table`` gives the typed frame (``columns.PANDAS_DTYPES``) and, per column, a mask of the
cells that were not blank but could not be parsed (bad dates, non-whole numbers). Code lists and
ranges are checked afterwards by the pandera schema (``rules.schema``) on the typed frame.
Blank means empty or only spaces; text is stripped; codes are stripped and upper-cased.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from rules.columns import COLUMNS, PANDAS_DTYPES, SOURCE_FILE, SOURCE_ROW, SOURCE_SHEET
from rules.dates import DayFirst, month_first_only, parse_dates_detail

TEXT = "string"


def clean_text(values: pd.Series) -> pd.Series:
    """Any text column -> pandas ``string``, stripped, blank -> NA."""
    text = values.astype(TEXT).str.strip()
    return text.mask(text == "")


WHOLE = r"^[+-]?[0-9]{1,15}(?:[.]0*)?$"


def parse_ints(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Stripped text -> Int64 ('3', '3.0', '+3' ok); also the mask of non-blank values that are not
    whole numbers ('3.5', 'x', '1e3'). Done with pyarrow: pandas' to_numeric on text is row by row.
    """
    arr = pa.array(text.astype("string[pyarrow]").array)
    whole = pc.fill_null(pc.match_substring_regex(arr, WHOLE), False)
    digits = pc.replace_substring_regex(pc.replace_substring_regex(arr, r"[.]0*$", ""), r"^[+]", "")
    ints = pc.cast(pc.if_else(whole, digits, pa.scalar(None, pa.string())), pa.int64())
    whole_np = np.asarray(whole.to_numpy(zero_copy_only=False), dtype=bool)
    bad = pd.Series(text.notna().to_numpy(dtype=bool) & ~whole_np, index=text.index)
    # IntegerArray from numpy values and mask: pd.array(arrow ints) takes a slow element-wise path.
    values = pc.fill_null(ints, 0).to_numpy(zero_copy_only=False).astype("int64", copy=False)
    missing = np.asarray(pc.is_null(ints).to_numpy(zero_copy_only=False), dtype=bool)
    return pd.Series(pd.arrays.IntegerArray(values, missing), index=text.index), bad


@dataclass
class Parsed:
    """A table parsed: typed frame, unparseable cells per column, month-first (file, column) pairs."""

    typed: pd.DataFrame
    bad: dict[str, pd.Series] = field(default_factory=dict)
    month_first: list[tuple[str, str, str]] = field(default_factory=list)  # (file, column, example)


#: Columns every typed frame keeps, even one parsed for a few edited columns: findings name the record.
IDENTITY = ("provider_code", "episode_id")


def parse_table(raw: pd.DataFrame, table: str, *, today: dt.date | None = None,
                only: Collection[str] | None = None) -> Parsed:
    """Parse one raw table; columns missing from ``raw`` come out all-NA. ``only``: parse just these
    columns (and ``IDENTITY``), as a re-check of edited cells does."""
    index = pd.RangeIndex(len(raw))
    raw = raw.reset_index(drop=True)
    typed: dict[str, pd.Series] = {}
    out = Parsed(pd.DataFrame(index=index))
    files = raw[SOURCE_FILE].astype(TEXT) if SOURCE_FILE in raw else pd.Series("", index=index, dtype=TEXT)
    wanted = None if only is None else {*only, *IDENTITY}
    for col in COLUMNS[table]:
        if wanted is not None and col.name not in wanted:
            continue
        source = raw[col.name] if col.name in raw else pd.Series(pd.NA, index=index, dtype=TEXT)
        text = clean_text(source)
        if col.type == "date":
            values, slash = parse_dates_detail(text, birth=col.name == "dob", today=today)
            bad = text.notna() & values.isna()
            if bad.any():
                out.bad[col.name] = bad.to_numpy(dtype=bool)
                out.month_first += _month_first(text, slash, files, col.name)
        elif col.type == "int":
            values, bad = parse_ints(text)
            if bad.any():
                out.bad[col.name] = bad.to_numpy(dtype=bool)
        elif col.type == "code":
            values = text.str.upper()
        else:
            values = text
        typed[col.name] = values.astype(PANDAS_DTYPES[col.type])
    typed[SOURCE_FILE] = files
    typed[SOURCE_SHEET] = (raw[SOURCE_SHEET] if SOURCE_SHEET in raw else pd.Series(pd.NA, index=index)).astype(TEXT)
    rows = raw[SOURCE_ROW] if SOURCE_ROW in raw else pd.Series(np.arange(2, len(raw) + 2), index=index)
    typed[SOURCE_ROW] = pd.to_numeric(rows).astype("Int64")
    out.typed = pd.DataFrame(typed, index=index)
    return out


def _month_first(text: pd.Series, slash: DayFirst, files: pd.Series, column: str) -> list[tuple[str, str, str]]:
    """(file, column, example) for each file whose ``a/b/y`` values in this column read only month-first."""
    found = []
    for name in files.dropna().unique():
        rows = (files == name).fillna(False).to_numpy(dtype=bool)
        if month_first_only(slash, rows):
            keep = rows[slash.positions] & ~slash.day_first_ok
            example = text.iloc[slash.positions[keep][0]]
            found.append((str(name), column, str(example)))
    return found
