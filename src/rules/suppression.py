"""Small-number suppression for public outputs (spec/measures.md "Small-number suppression").

Public (committee) outputs show counts of 1-4 as ``*`` and suppress more cells where a row or
column total would let a suppressed value be worked out by subtraction. Restricted outputs (the
national return, internal views) are unsuppressed and say "Restricted - not for publication".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

SUPPRESSED = "*"
RESTRICTED_LABEL = "Restricted - not for publication"
PUBLIC_FOOTNOTE = ("Counts of 1 to 4 are shown as * and some other cells are suppressed too, so that "
                   "small numbers cannot be worked out from the totals; percentages are * when their "
                   "numerator or denominator is suppressed or the denominator is under 5.")
SMALL_MIN, SMALL_MAX = 1, 4


def disclosure_label(restricted: bool) -> str:
    """The line every output carries: restricted (unsuppressed) or public (suppressed)."""
    return RESTRICTED_LABEL if restricted else "Public - small numbers suppressed"


def is_small(value: int | float | None) -> bool:
    """A count of 1-4 (0 is shown as 0)."""
    return value is not None and not pd.isna(value) and SMALL_MIN <= value <= SMALL_MAX


def suppress_count(value: int | None) -> int | str | None:
    """Primary suppression of one count: 1-4 -> ``*``."""
    return SUPPRESSED if is_small(value) else value


def percent(numerator: int, denominator: int) -> float | None:
    """100 * numerator / denominator rounded half-up to 1 decimal; None when the denominator is 0."""
    if not denominator:
        return None
    value = Decimal(100) * Decimal(int(numerator)) / Decimal(int(denominator))
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def suppress_percent(numerator: int | str | None, denominator: int | str | None) -> float | str | None:
    """A public percentage: ``*`` when the numerator or denominator is suppressed (given as ``*`` or
    1-4) or the denominator is under 5; None (shown "-") when the denominator is 0 or missing."""
    if denominator is None or (not isinstance(denominator, str) and denominator == 0):
        return None
    if SUPPRESSED in (numerator, denominator) or is_small(numerator) or denominator < 5:  # type: ignore[operator]
        return SUPPRESSED
    return percent(int(numerator), int(denominator))  # type: ignore[arg-type]


def _lines(n_rows: int, n_cols: int, row_total: bool, col_total: bool) -> list[tuple[list, tuple]]:
    """Every (cells, total) equation of the table: body rows/columns and the totals row/column."""
    body_r = n_rows - (1 if col_total else 0)
    body_c = n_cols - (1 if row_total else 0)
    lines: list[tuple[list, tuple]] = []
    if row_total:
        for i in range(n_rows):
            lines.append(([(i, j) for j in range(body_c)], (i, n_cols - 1)))
    if col_total:
        for j in range(n_cols):
            lines.append(([(i, j) for i in range(body_r)], (n_rows - 1, j)))
    return lines


def _close_lines(v: np.ndarray, mask: np.ndarray, lines: list) -> None:
    """The spec's rule: a line with exactly one unknown gets its smallest other non-zero cell
    suppressed (ties: right-most, then bottom-most; a zero when only zeros are left); repeat."""
    changed = True
    while changed:
        changed = False
        for cells, total in lines:
            unknown = sum(mask[c] for c in cells) + int(mask[total])
            if unknown == 1 and _suppress_smallest(v, mask, cells):
                changed = True


def _suppress_smallest(v: np.ndarray, mask: np.ndarray, cells: list) -> bool:
    candidates = [c for c in cells if not mask[c] and v[c] != 0] or [c for c in cells if not mask[c]]
    if not candidates:
        return False
    mask[min(candidates, key=lambda c: (v[c], -c[1], -c[0]))] = True
    return True


def determined(mask: np.ndarray, lines: list) -> list[tuple[int, int]]:
    """Suppressed cells whose value follows from the published totals by any combination of
    additions and subtractions (the unknowns' coefficient in every solution of the equations is fixed)."""
    unknown = [tuple(c) for c in np.argwhere(mask)]
    if not unknown or not lines:
        return []
    index = {c: k for k, c in enumerate(unknown)}
    a = np.zeros((len(lines), len(unknown)))
    for r, (cells, total) in enumerate(lines):
        for c in cells:
            if c in index:
                a[r, index[c]] = 1.0
        if total in index:
            a[r, index[total]] = -1.0
    _, sv, vt = np.linalg.svd(a)
    rank = int((sv > 1e-9).sum())
    null = vt[rank:]  # basis of the solutions' free directions
    free = np.abs(null).max(axis=0) > 1e-9 if len(null) else np.zeros(len(unknown), dtype=bool)
    return [c for c, f in zip(unknown, free, strict=True) if not f]


def suppression_mask(values: np.ndarray, *, row_total: bool = True, col_total: bool = True) -> np.ndarray:
    """Which cells to show as ``*``. ``values`` holds the body and, when flagged, each row's total in
    the last column and each column's total in the last row (the corner is the grand total).

    Primary: 1-4. Secondary: the spec's line rule (``_close_lines``); then, should some suppressed
    value still follow from a combination of rows and columns, the smallest other cell of one of its
    lines is suppressed too, and the line rule runs again, until nothing can be worked out. Totals are
    suppressed when they are 1-4; a total is suppressed further only in the one case the spec's rule
    cannot otherwise close: a lone small total in the totals row/column, which the grand total reveals.
    """
    v = np.asarray(values, dtype="float64")
    mask = (v >= SMALL_MIN) & (v <= SMALL_MAX)
    lines = _lines(v.shape[0], v.shape[1], row_total, col_total)
    while True:
        _close_lines(v, mask, lines)
        exposed = determined(mask, lines)
        if not any(_suppress_smallest(v, mask, cells) for cell in exposed for cells, total in lines
                   if cell in cells or cell == total):
            return mask


def suppress(table: pd.DataFrame, *, total_column: str | None = "Total",
             total_row: object | None = "Total") -> pd.DataFrame:
    """A public copy of a table of counts: suppressed cells become ``*``, others stay integers.

    ``total_column`` names the column holding each row's total and ``total_row`` the index label of
    the row holding each column's total; either absent from the table means "no published total".
    Totals must be the last column / last row.
    """
    has_col = total_column is not None and total_column in table.columns
    has_row = total_row is not None and total_row in table.index
    if has_col and table.columns[-1] != total_column:
        raise ValueError(f"the total column {total_column!r} must be the last column")
    if has_row and table.index[-1] != total_row:
        raise ValueError(f"the total row {total_row!r} must be the last row")
    values = table.fillna(0).to_numpy(dtype="float64")
    mask = suppression_mask(values, row_total=has_col, col_total=has_row)
    out = table.astype(object).copy()
    out[:] = np.where(mask, SUPPRESSED, table.astype(object).to_numpy())
    return out
