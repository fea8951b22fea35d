"""Breakdowns: every count and measure split by a field of the episodes behind its units.

By provider, a unit counts under the providers of the episodes ``rules.measures.attribution``
credits it to (spec/measures.md "Provider rows"), and each provider row shows, for each unit, one of
that provider's own records. By any other field, a client or journey belongs to every value its
member episodes have. Either way a client seen by two providers may be in both rows, so rows may add
up to more than the partnership figure, which counts each client once. Nothing is recomputed: each
result is filtered by its units' episodes.
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


def _split(result: CountResult | MeasureResult, field: str, ctx: Context) -> dict[str, tuple[pd.Index, pd.Series]]:
    """value -> (the units in that value's row, unit -> the record shown there)."""
    pairs = result.credits if field == "provider_code" else result.members
    if not result.available or pairs.empty:
        return {}
    eps = pairs["ep"].to_numpy()
    frame = pd.DataFrame({"unit": pairs["unit"].to_numpy(), "value": ctx.ep[field].to_numpy()[eps],
                          "record": ctx.ep["record"].to_numpy()[eps]})
    frame = frame.sort_values(["value", "unit", "record"], kind="stable").drop_duplicates(["value", "unit"])
    out = {}
    for v, g in frame.groupby("value", sort=True):
        records = pd.Series(g["record"].to_numpy(), index=g["unit"].to_numpy()) if field == "provider_code" else None
        out[str(v)] = (pd.Index(g["unit"].to_numpy()), records)
    return out


def breakdown(ctx: Context, field: str, counts: dict[str, CountResult],
              measures: dict[str, MeasureResult]) -> dict[str, Breakdown]:
    """``{value: Breakdown}`` for one field, values sorted; every id present in every value."""
    values = ctx.ep[field]
    splits = {k: _split(r, field, ctx) for k, r in {**counts, **measures}.items()}
    keys = sorted(set(values.astype(str).unique()))
    empty = (pd.Index([]), None)
    out: dict[str, Breakdown] = {}
    for value in keys:
        out[value] = Breakdown(
            counts={k: r.subset(*splits[k].get(value, empty)) for k, r in counts.items()},
            measures={k: r.subset(*splits[k].get(value, empty)) for k, r in measures.items()},
        )
    return out
