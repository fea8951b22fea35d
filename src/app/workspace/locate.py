"""Finding a row: by working position, by (source id, _row), or by (file name, _row).

``_row`` alone is not enough (a flat sheet's TOP rows share their episode's row, and two
providers may send files of the same name), so the stored locator is (source id, seq): the
row's position in its own source table, which never changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from app.workspace.working import Working
from rules.columns import SOURCE_FILE, SOURCE_ROW


class RowLocator(NamedTuple):
    """A row as (source id, ``_row`` in that source's file)."""

    source_id: int
    row: int


def locate(working: Working, table: str, locator: Any) -> int:
    """The working position of the row a locator names; KeyError when none or ambiguous.

    Accepted: an int (working position, e.g. the UI model's row), ``RowLocator`` or
    ``(source_id, row)``, ``(file_name, row)``, or a mapping/Series with ``_file`` and ``_row``
    (a row of ``Workspace.tables()``, or a finding with ``file`` and ``row``).
    """
    if isinstance(locator, (int, np.integer)) and not isinstance(locator, bool):
        position = int(locator)
        if not 0 <= position < len(working.frame(table)):
            raise KeyError(f"{table} has no row at position {position}")
        return position
    if isinstance(locator, (Mapping, pd.Series)):
        file = locator.get(SOURCE_FILE, locator.get("file"))
        row = locator.get(SOURCE_ROW, locator.get("row"))
        locator = (str(file), int(row))
    if isinstance(locator, tuple) and len(locator) == 2:
        first, row = locator
        if isinstance(first, (int, np.integer)):
            source_id = int(first)
            if source_id not in working.starts.get(table, {}):
                raise KeyError(f"source {source_id} is not an active source of {table}")
        else:
            sources = working.sources_by_file(table, str(first))
            if not sources:
                raise KeyError(f"{table} has no rows from a file named {first!r}")
            if len(sources) > 1:
                raise KeyError(f"several sources are named {first!r}; locate the row by source id")
            source_id = sources[0]
        seq = working.seq_of_row(table, source_id, int(row))
        return int(working.position(table, source_id, seq))
    raise TypeError(f"cannot locate a row from {locator!r}")


def as_text(value: Any) -> str | None:
    """A value as RAW text: blank is None, dates ISO, numbers their usual text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, dt.datetime):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def positions_of(working: Working, table: str, rows: Any) -> np.ndarray:
    """Working positions of the rows given (None: every row), by position or any ``locate`` form."""
    n = len(working.frame(table))
    if rows is None:
        return np.arange(n, dtype=np.int64)
    rows = list(rows) if isinstance(rows, Iterable) and not isinstance(rows, (str, tuple)) else [rows]
    if all(isinstance(r, (int, np.integer)) and not isinstance(r, bool) for r in rows):
        positions = np.asarray(rows, dtype=np.int64)
        if len(positions) and (positions.min() < 0 or positions.max() >= n):
            raise KeyError(f"{table} has no row at some of the positions given")
        return np.unique(positions)
    return np.unique(np.array([locate(working, table, r) for r in rows], dtype=np.int64))
