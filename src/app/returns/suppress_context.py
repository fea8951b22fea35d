"""Small-number suppression of the figures a public (committee) output shows.

The rules are ``rules.suppression``'s (spec/measures.md): counts of 1-4 become ``*``, a percentage
is ``*`` when its numerator or denominator is suppressed or the denominator is under 5, and in a
table with a published total row the smallest other cell is suppressed too when one cell alone
would be recoverable. Restricted outputs pass every figure through unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from rules.suppression import (
    PUBLIC_FOOTNOTE,
    RESTRICTED_LABEL,
    SUPPRESSED,
    suppress,
    suppress_count,
    suppress_percent,
)
from rules.suppression import percent as percent_of

__all__ = ["PUBLIC_FOOTNOTE", "RESTRICTED_LABEL", "SUPPRESSED", "show_count", "show_percent",
           "suppress_columns", "suppress_in_groups", "percent_of"]


def show_count(value: int | None, *, public: bool) -> int | str | None:
    """A count as an output shows it."""
    if value is None:
        return None
    return suppress_count(int(value)) if public else int(value)


def show_percent(numerator: Any, denominator: Any, percent: float | None, *, public: bool) -> float | str | None:
    """A percentage as an output shows it (``numerator``/``denominator`` as already shown)."""
    if not public:
        return percent
    if numerator is None or denominator is None:
        return None
    return suppress_percent(numerator, denominator)


def suppress_columns(rows: Sequence[dict[str, Any]], total: dict[str, Any], columns: Sequence[str],
                     *, public: bool) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Suppress ``columns`` of provider rows under a published total row, column by column.

    Each column with its total is one line of ``rules.suppression.suppress`` (so a lone small cell
    takes the smallest other cell of the column with it). Missing values count as 0 for the sums
    and stay missing. Returns new rows and a new total row.
    """
    rows = [dict(r) for r in rows]
    total = dict(total)
    if not public or not columns:
        return rows, total
    frame = pd.DataFrame([[r.get(c) for c in columns] for r in rows] + [[total.get(c) for c in columns]],
                         columns=list(columns), index=[*range(len(rows)), "Total"])
    shown = suppress(frame.astype("float64"), total_column=None, total_row="Total")
    for i, row in enumerate(rows + [total]):
        label = "Total" if i == len(rows) else i
        for c in columns:
            if row.get(c) is None:
                continue
            value = shown.at[label, c]
            row[c] = SUPPRESSED if value == SUPPRESSED else int(row[c])
    return rows, total


def suppress_in_groups(rows: Sequence[dict[str, Any]], columns: Sequence[str], totals: Mapping[Any, Mapping[str, Any]],
                       *, key: str | None = None, public: bool) -> list[dict[str, Any]]:
    """Suppress ``columns`` of ``rows`` under totals published elsewhere (a sentence's "33 warnings").

    ``totals`` maps each group (the rows' ``key`` value, or None for all rows) to its published totals
    by column; each group's column is one line of ``suppress_columns``. Rows of a group without totals
    get primary suppression only. Returns new rows.
    """
    rows = [dict(r) for r in rows]
    if not public:
        return rows
    groups: dict[Any, list[int]] = {}
    for i, r in enumerate(rows):
        groups.setdefault(r.get(key) if key else None, []).append(i)
    for group, members in groups.items():
        total = totals.get(group)
        cols = [c for c in columns if total is not None and c in total]
        shown, _ = suppress_columns([rows[i] for i in members], dict(total or {}), cols, public=True)
        for i, r in zip(members, shown, strict=True):
            rows[i] = {**r, **{c: show_count(r.get(c), public=True) for c in columns if c not in cols}}
    return rows
