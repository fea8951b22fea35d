"""Find the header row under any title rows, and the data rows under it.

Providers put titles, dates and notes above the header and totals below the data. The header is
the row (among the first ``SCAN_ROWS``) with the most cells that are known column names; blank rows
are skipped, and rows at the end that start with "Total" (or "Grand total", "Count") are dropped.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from app.extracts.mapping import score_row, score_row_fuzzy
from app.extracts.profiles import MappingProfile

SCAN_ROWS = 30
#: A header must name at least this many known columns (one could be a title that says "Episodes").
MIN_HEADER_SCORE = 2
MIN_FUZZY_SCORE = 3
_TOTALS = re.compile(r"^\s*(grand\s+)?(totals?|count|sum)\b", re.IGNORECASE)


def find_header(grid: pd.DataFrame, profile: MappingProfile | None = None) -> int | None:
    """Position (0-based, in ``grid``) of the header row, or None when no row looks like one.

    Rows are scored by cells that are known names; if none scores, by cells that merely look like
    known names (misspelt headers still give a header row, whose mapping then asks for confirmation).
    """
    rows = list(grid.iloc[:SCAN_ROWS].itertuples(index=False, name=None))
    for scorer, least in ((lambda cells: score_row(cells, profile), MIN_HEADER_SCORE),
                          (score_row_fuzzy, MIN_FUZZY_SCORE)):
        best, best_score = None, least - 1
        for pos, cells in enumerate(rows):
            score = scorer(cells)
            if score > best_score:
                best, best_score = pos, score
        if best is not None:
            return best
    return None


def data_rows(grid: pd.DataFrame, header: int) -> pd.DataFrame:
    """The rows under the header without blank rows and trailing totals rows (index kept)."""
    body = grid.iloc[header + 1:]
    if body.empty:
        return body
    keep = body.notna().to_numpy().any(axis=1)
    # Walk back over the last non-blank rows: a "Total" row at the end goes, one in the middle stays.
    for pos in np.flatnonzero(keep)[::-1]:
        cells = [c for c in body.iloc[pos].tolist() if isinstance(c, str) and c.strip()]
        if cells and _TOTALS.match(cells[0]):
            keep[pos] = False
        else:
            break
    return body[keep]
