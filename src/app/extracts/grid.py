"""A grid: one sheet (or CSV) as text cells, with where its first cell was in the source.

A grid is a DataFrame with positional columns, every value text (pandas' default string dtype,
NaN = blank) and ``first_row`` = the 1-based source row of its first line. Excel date cells become
ISO ``YYYY-MM-DD`` text. ``readers`` makes grids from workbooks, ``csvfile`` from CSV text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


@dataclass
class Grid:
    """One sheet (or CSV) as text cells; ``first_row`` is the source row of ``frame``'s first row."""

    sheet: str | None
    frame: pd.DataFrame
    first_row: int
    first_col: int = 0              # 0-based source column of ``frame``'s first column
    hidden: bool = False            # a hidden sheet: read only for a table no visible sheet has
    #: grid column -> 1-based source rows of formula cells Excel saved no result for
    uncached: dict[int, list[int]] = field(default_factory=dict)
    #: merged ranges (row1, col1, row2, col2) in grid positions (0-based, inclusive)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


def _clean(arr: pa.Array, *, excel: bool) -> pa.Array:
    """Blank-only text -> null; Excel date cells ('2025-04-05 00:00:00' from fastexcel) -> '2025-04-05'."""
    arr = arr.cast(pa.string())
    blank = pc.or_(pc.equal(arr, ""), pc.utf8_is_space(arr))
    if pc.any(blank).as_py():
        arr = pc.if_else(blank, pa.scalar(None, pa.string()), arr)
    if not excel:
        return arr
    midnight = pc.and_(pc.ends_with(arr, " 00:00:00"), pc.equal(pc.utf8_length(arr), 19))
    if pc.any(midnight).as_py():
        arr = pc.if_else(midnight, pc.utf8_slice_codeunits(arr, 0, 10), arr)
    # A time or duration cell (serial below 1) comes as '1899-12-31 12:30:00': keep what Excel shows, the
    # time, which is not a date (as a date it would be a silent 31/12/1899).
    time_only = pc.fill_null(pc.match_substring_regex(arr, r"^1899-12-3[01] [0-9]{2}:[0-9]{2}:[0-9]{2}"), False)
    if pc.any(time_only).as_py():
        arr = pc.if_else(time_only, pc.utf8_slice_codeunits(arr, 11, 19), arr)
    return arr


def grid_from_arrow(batch: pa.RecordBatch | pa.Table, *, sheet: str | None, first_row: int,
                    excel: bool = True) -> Grid:
    frame = pd.DataFrame({i: pd.Series(_clean(batch.column(i), excel=excel).to_pandas(), dtype="str")
                          for i in range(batch.num_columns)})
    return Grid(sheet, frame, first_row)


def brief(exc: Exception) -> str:
    """A reader's error on one line of at most 200 characters, for the one-line message."""
    return " ".join(str(exc).split())[:200] or type(exc).__name__
