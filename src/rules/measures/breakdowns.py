"""Breakdowns: every count and measure split by a field of the episodes its units are made of.

A client or journey belongs to every value its episodes have (a client seen by two providers is in
both providers' rows), so rows may add up to more than the partnership figure, which counts each
client once. Nothing is recomputed: each result is filtered by its units' member episodes.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from rules.measures.base import Breakdown, CountResult, MeasureResult
from rules.measures.context import BY_FIELDS, Context


def resolve(by: Sequence[str]) -> list[str]:
    """Canonical breakdown field names; an unknown one is a ValueError listing the accepted ones."""
    out = []
    for name in by:
        if name not in BY_FIELDS:
            raise ValueError(f"cannot break down by {name!r}: use one of "
                             f"{', '.join(sorted(set(BY_FIELDS.values())))}")
        if BY_FIELDS[name] not in out:
            out.append(BY_FIELDS[name])
    return out


def _split(result: CountResult | MeasureResult, values: pd.Series) -> dict[str, pd.Index]:
    if not result.available or result.members.empty:
        return {}
    frame = pd.DataFrame({"unit": result.members["unit"].to_numpy(),
                          "value": values.to_numpy()[result.members["ep"].to_numpy()]}).drop_duplicates()
    return {str(v): pd.Index(g["unit"].to_numpy()) for v, g in frame.groupby("value", sort=True)}


def breakdown(ctx: Context, field: str, counts: dict[str, CountResult],
              measures: dict[str, MeasureResult]) -> dict[str, Breakdown]:
    """``{value: Breakdown}`` for one field, values sorted; every id present in every value."""
    values = ctx.ep[field]
    splits = {k: _split(r, values) for k, r in {**counts, **measures}.items()}
    keys = sorted(set(values.astype(str).unique()))
    empty = pd.Index([])
    out: dict[str, Breakdown] = {}
    for value in keys:
        out[value] = Breakdown(
            counts={k: r.subset(splits[k].get(value, empty)) for k, r in counts.items()},
            measures={k: r.subset(splits[k].get(value, empty)) for k, r in measures.items()},
        )
    return out
