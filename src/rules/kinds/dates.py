"""Kinds comparing dates: ``date-order``, ``max-days-between``, ``date-range``, ``not-after-as-at``.

Days are calendar days, ``days(a, b) = b - a``. A blank or unparseable date is never judged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rules.kinds.base import Check, Context, Hits, Param, as_text, dates_or, days_between, label, no_hits
from rules.kinds.registry import register


@register("date-order", params=(
    Param("earlier", "column-list", doc="the date that must come first (a list: the first given)"),
    Param("later", "column", doc="the date that must not be before it"),
), evidence=("earlier", "later", "earlier_field", "later_field", "earlier_label", "later_label", "days"))
def date_order(ctx: Context, check: Check) -> Hits:
    """``later`` is on or after ``earlier``; fails when both are given and later < earlier."""
    table = check.table
    names = list(check.params["earlier"])
    later_name = check.params["later"]
    earlier, which, unknown = dates_or(ctx, table, names)
    later = ctx.table(table)[later_name]
    days = days_between(later, earlier)  # how many days later comes before earlier
    rows = np.flatnonzero((days > 0) & ~unknown)
    chosen = np.array(names, dtype=object)[which[rows]]
    fields = [(e, later_name) for e in chosen]
    return Hits(rows, fields, {
        "earlier": as_text(earlier.iloc[rows]), "later": as_text(later.iloc[rows]),
        "earlier_field": chosen, "later_field": later_name,
        "earlier_label": [label(table, e) for e in chosen], "later_label": label(table, later_name),
        "days": days[rows].astype(np.int64),
    })


def _first_per_episode(ctx: Context, check: Check, order: pd.Series) -> np.ndarray:
    """Mask of the first row per (provider_code, episode_id) by ``order`` (ties: table order)."""
    key = ctx.episode_key(check.table)
    if not len(key):
        return np.zeros(0, dtype=bool)
    when = order.to_numpy(dtype="datetime64[ns]")
    when = np.where(np.isnat(when), np.datetime64("2262-01-01"), when)
    pos = np.arange(len(key))
    ranked = np.lexsort((pos, when, key))
    first = np.r_[True, key[ranked][1:] != key[ranked][:-1]]
    mask = np.zeros(len(key), dtype=bool)
    mask[ranked[first]] = True
    return mask


@register("max-days-between", params=(
    Param("start", "column"),
    Param("end", "column"),
    Param("max_days", "days", doc="the target: more days than this fails"),
    Param("missing_end", "choice", required=False, default="skip", choices=("skip", "as-at"),
          doc="skip: judge rows with an end; as-at: judge rows without one, counting to as_at"),
    Param("first_only", "bool", required=False, default=False,
          doc="judge only each episode's first row (earliest start)"),
), evidence=("days", "target", "start", "end", "as_at"))
def max_days_between(ctx: Context, check: Check) -> Hits:
    """days(start, end) <= max_days; with ``missing_end = "as-at"`` an unfinished wait counts to as_at."""
    table = check.table
    frame = ctx.table(table)
    start_name, end_name = check.params["start"], check.params["end"]
    target = ctx.days(check.params["max_days"])
    start = frame[start_name]
    if check.get("missing_end", "skip") == "as-at":
        end = pd.Series(ctx.as_at, index=frame.index, dtype="datetime64[ns]")
        judged = ~ctx.present(table, end_name)
    else:
        end = frame[end_name]
        judged = np.ones(len(frame), dtype=bool)
    if check.get("first_only", False):
        judged &= _first_per_episode(ctx, check, start)
    judged &= ~ctx.is_flagged(table, start_name)
    days = days_between(start, end)
    rows = np.flatnonzero(judged & (days > target))
    return Hits(rows, (start_name, end_name) if check.get("missing_end", "skip") == "skip" else (start_name,), {
        "days": days[rows].astype(np.int64), "target": target,
        "start": as_text(start.iloc[rows]), "end": as_text(end.iloc[rows]),
        "as_at": ctx.as_at.strftime("%Y-%m-%d"),
    })


@register("date-range", params=(
    Param("column", "column"),
    Param("min", "bound", required=False, doc="earliest allowed: an ISO date or a column"),
    Param("max", "bound", required=False, doc="latest allowed: an ISO date or a column"),
), evidence=("value", "bound", "bound_label", "bound_text", "side"))
def date_range(ctx: Context, check: Check) -> Hits:
    """``min <= column <= max``; each bound an ISO date or another date column of the row."""
    table = check.table
    frame = ctx.table(table)
    name = check.params["column"]
    value = frame[name]
    fails = np.zeros(len(frame), dtype=bool)
    bound = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    bound_label = np.full(len(frame), "", dtype=object)
    side = np.full(len(frame), "", dtype=object)
    for key, sign in (("min", 1), ("max", -1)):
        spec = check.get(key)
        if spec is None:
            continue
        if spec in frame.columns:
            limit = frame[spec]
            text = label(table, spec)
            unknown = ctx.is_flagged(table, spec)
        else:
            limit = pd.Series(pd.Timestamp(spec), index=frame.index, dtype="datetime64[ns]")
            text = ""
            unknown = np.zeros(len(frame), dtype=bool)
        days = days_between(limit, value) * sign  # negative: outside the bound
        bad = (days < 0) & ~unknown & ~fails
        bound = bound.where(~bad, limit)
        bound_label[bad] = text
        side[bad] = "before" if key == "min" else "after"
        fails |= bad
    rows = np.flatnonzero(fails)
    if not len(rows):
        return no_hits((name,))
    bound_text = as_text(bound.iloc[rows])
    return Hits(rows, (name,), {"value": as_text(value.iloc[rows]), "bound": bound_text,
                                "bound_label": bound_label[rows], "side": side[rows],
                                "bound_text": [f"{lab} {b}".strip() for lab, b in zip(bound_label[rows], bound_text, strict=True)]})


@register("not-after-as-at", params=(Param("columns", "columns", doc="date columns"),),
          evidence=("dates", "as_at"))
def not_after_as_at(ctx: Context, check: Check) -> Hits:
    """No date after the extract's as_at; one finding per row naming every such date."""
    frame = ctx.table(check.table)
    columns = list(check.params["columns"])
    after = np.column_stack([(frame[c] > ctx.as_at).fillna(False).to_numpy(dtype=bool) for c in columns])
    rows = np.flatnonzero(after.any(axis=1))
    if not len(rows):
        return no_hits()
    names = np.array(columns, dtype=object)
    texts = {c: as_text(frame[c].iloc[rows]) for c in columns}
    fields, values, dates = [], [], []
    for i, mask in enumerate(after[rows]):
        picked = tuple(names[mask])
        fields.append(picked)
        vals = tuple(texts[c][i] for c in picked)
        values.append(vals)
        dates.append(", ".join(f"{c} {v}" for c, v in zip(picked, vals, strict=True)))
    return Hits(rows, fields, {"dates": dates, "as_at": ctx.as_at.strftime("%Y-%m-%d")}, values=values)
