"""Kinds about whether values are given: ``required``, ``required-when``, ``both-or-neither``.

A schema-flagged cell (a value that could not be parsed) counts as given: it is already one
finding, and "missing" would be a second for the same cell.
"""

from __future__ import annotations

import numpy as np

from rules.kinds.base import Check, Context, Hits, Param, label
from rules.kinds.registry import register


def _missing_hits(ctx: Context, check: Check, columns: list[str], applies: np.ndarray) -> Hits:
    table = check.table
    missing = np.column_stack([~ctx.present(table, c) for c in columns]) & applies[:, None]
    rows = np.flatnonzero(missing.any(axis=1))
    names = np.array(columns, dtype=object)
    fields = [tuple(names[m]) for m in missing[rows]]
    return Hits(rows, fields, {"missing": [", ".join(f) for f in fields]},
                values=[("",) * len(f) for f in fields])


@register("required", params=(Param("columns", "columns", doc="columns that must be given"),),
          evidence=("missing",))
def required(ctx: Context, check: Check) -> Hits:
    """Every one of ``columns`` is given; one finding per row naming all that are missing."""
    n = len(ctx.table(check.table))
    return _missing_hits(ctx, check, list(check.params["columns"]), np.ones(n, dtype=bool))


@register("required-when", params=(
    Param("columns", "columns", doc="columns that must be given when the condition holds"),
    Param("when", "column", doc="the column the condition reads"),
    Param("values", "strs", required=False, doc="the condition: `when` is one of these (absent: is given)"),
), evidence=("missing",))
def required_when(ctx: Context, check: Check) -> Hits:
    """``columns`` are given on rows where ``when`` is one of ``values`` (or, without values, given)."""
    frame = ctx.table(check.table)
    when = frame[check.params["when"]]
    values = check.get("values")
    applies = (when.isin(values).fillna(False).to_numpy(dtype=bool) if values
               else when.notna().to_numpy())
    return _missing_hits(ctx, check, list(check.params["columns"]), applies)


@register("both-or-neither", params=(Param("first", "column"), Param("second", "column")),
          evidence=("given", "missing"))
def both_or_neither(ctx: Context, check: Check) -> Hits:
    """``first`` and ``second`` are both given or both blank."""
    first, second = check.params["first"], check.params["second"]
    a, b = ctx.present(check.table, first), ctx.present(check.table, second)
    rows = np.flatnonzero(a != b)
    given = np.where(a[rows], label(check.table, first).capitalize(), label(check.table, second).capitalize())
    missing = np.where(a[rows], label(check.table, second), label(check.table, first))
    return Hits(rows, (first, second), {"given": given, "missing": missing})
