"""Kinds about keys and belonging: ``unique``, ``exists-in``, ``no-overlap``, ``within-parent``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rules.kinds.base import Check, Context, Hits, Param, as_text, dates_or, days_between, label, no_hits
from rules.kinds.registry import register


@register("unique", params=(
    Param("columns", "columns", doc="the key; rows with a blank key part are not judged"),
    Param("where", "column", required=False, doc="judge only rows where this column ..."),
    Param("values", "strs", required=False, doc="... is one of these"),
    Param("keep", "choice", required=False, default="none", choices=("none", "first"),
          doc="none: every row of a duplicate group fails; first: all but the first by order_by"),
    Param("order_by", "column", required=False),
), evidence=("count", "value"))
def unique(ctx: Context, check: Check) -> Hits:
    """No two rows share ``columns`` (within the rows ``where`` selects)."""
    frame = ctx.table(check.table)
    columns = list(check.params["columns"])
    key = ctx.group_key(check.table, columns)
    judged = key >= 0
    if check.get("where"):
        judged &= frame[check.params["where"]].isin(check.get("values", [])).fillna(False).to_numpy(dtype=bool)
    pos = np.flatnonzero(judged)
    sub = pd.Series(key[pos])
    counts = sub.map(sub.value_counts()).to_numpy()
    if check.get("keep", "none") == "first":
        order = check.get("order_by")
        when = frame[order].to_numpy(dtype="datetime64[ns]")[pos] if order else np.zeros(len(pos), "datetime64[ns]")
        when = np.where(np.isnat(when), np.datetime64("2262-01-01"), when)
        ranked = np.lexsort((pos, when, key[pos]))
        dup = np.zeros(len(pos), dtype=bool)
        sorted_key = key[pos][ranked]
        dup[ranked[1:]] = sorted_key[1:] == sorted_key[:-1]
        bad = dup
    else:
        bad = sub.duplicated(keep=False).to_numpy()
    rows = pos[bad]
    last = columns[-1]
    return Hits(rows, (last,), {"count": counts[bad], "value": as_text(frame[last].iloc[rows])})


def _needs_parent(check: Check) -> tuple[str, ...]:
    return (check.params["parent"],)


@register("exists-in", params=(
    Param("parent", "table"),
    Param("columns", "columns", doc="the key, named the same in both tables"),
), evidence=("key",), needs=_needs_parent)
def exists_in(ctx: Context, check: Check) -> Hits:
    """Every row's key matches a row of ``parent`` (rows with a blank key part are not judged)."""
    frame = ctx.table(check.table)
    parent = ctx.table(check.params["parent"])
    columns = list(check.params["columns"])
    judged = frame[columns].notna().all(axis=1).to_numpy().copy()
    if columns == ["provider_code", "episode_id"] and check.params["parent"] == "episodes":
        found = ctx.episode_pos(check.table) >= 0
    else:
        found = pd.MultiIndex.from_frame(frame[columns]).isin(pd.MultiIndex.from_frame(parent[columns]))
    rows = np.flatnonzero(judged & ~found)
    key = ["/".join(parts) for parts in zip(*(as_text(frame[c].iloc[rows]) for c in columns), strict=True)]
    return Hits(rows, tuple(columns), {"key": key})


@register("no-overlap", params=(
    Param("group", "columns", doc="rows of one group must not overlap (e.g. provider_code, client_ref)"),
    Param("start", "column"),
    Param("end", "column", doc="blank = still open"),
    Param("open_only", "bool", required=False, default=False,
          doc="only count open rows: at most one open row per group"),
), evidence=("count",))
def no_overlap(ctx: Context, check: Check) -> Hits:
    """Within a group, intervals [start, end] do not overlap; with ``open_only`` at most one is open."""
    frame = ctx.table(check.table)
    group = list(check.params["group"])
    start, end = check.params["start"], check.params["end"]
    key = ctx.group_key(check.table, group)
    judged = key >= 0
    if check.get("open_only", False):
        pos = np.flatnonzero(judged & ~ctx.present(check.table, end))
        sub = pd.Series(key[pos])
        bad = sub.duplicated(keep=False).to_numpy()
        counts = sub.map(sub.value_counts()).to_numpy()
        return Hits(pos[bad], (group[-1], end), {"count": counts[bad]})
    pos = np.flatnonzero(judged & frame[start].notna().to_numpy())
    if not len(pos):
        return no_hits((group[-1], start, end))
    s_ = frame[start].to_numpy(dtype="datetime64[ns]")[pos]
    e_ = frame[end].to_numpy(dtype="datetime64[ns]")[pos]
    e_ = np.where(np.isnat(e_), np.datetime64("2262-01-01"), e_)
    order = np.lexsort((pos, s_, key[pos]))
    k, s_, e_, p_ = key[pos][order], s_[order], e_[order], pos[order]
    running = pd.Series(e_).groupby(k).cummax().to_numpy()
    same = np.r_[False, k[1:] == k[:-1]]
    clash = same & (s_ <= np.r_[running[:1], running[:-1]])
    clash_prev = np.r_[clash[1:], False]
    rows = np.sort(p_[clash | clash_prev])
    return Hits(rows, (group[-1], start, end), {"count": np.full(len(rows), 2)})


@register("within-parent", params=(
    Param("parent", "table"),
    Param("column", "column", doc="the child's date"),
    Param("parent_column", "parent-column-list", doc="the parent's date (a list: the first given)"),
    Param("relation", "choice", choices=("not-before", "not-after", "open-while-closed"),
          doc="not-before: column >= parent; not-after: column <= parent + slack_days; "
              "open-while-closed: column blank while the parent's date is given"),
    Param("slack_days", "days", required=False, default=0),
    Param("require", "columns", required=False, doc="judge only rows where these are given"),
), evidence=("value", "parent_value", "parent_field", "parent_label", "days"), needs=_needs_parent)
def within_parent(ctx: Context, check: Check) -> Hits:
    """A child row's date lies inside its episode (orphans are ``exists-in``'s business)."""
    table = check.table
    frame = ctx.table(table)
    name = check.params["column"]
    names = list(check.params["parent_column"])
    pos = ctx.episode_pos(table)
    if not len(ctx.table("episodes")):
        return no_hits((name,))
    parent_date, which, unknown = dates_or(ctx, "episodes", names)
    value_parent = ctx.from_episodes(table, parent_date)
    unknown_child = pd.Series(unknown).iloc[np.maximum(pos, 0)].to_numpy() & (pos >= 0)
    which_child = np.where(pos >= 0, which[np.maximum(pos, 0)], -1)
    judged = (pos >= 0) & ~unknown_child & (which_child >= 0)
    for req in check.get("require", []) or []:
        judged &= ctx.present(table, req)
    value = frame[name]
    relation = check.params["relation"]
    slack = ctx.days(check.get("slack_days", 0))
    days = days_between(value_parent, value)
    if relation == "not-before":
        bad = days < 0
    elif relation == "not-after":
        bad = days > slack
    else:
        bad = ~ctx.present(table, name)
    rows = np.flatnonzero(judged & bad)
    if not len(rows):
        return no_hits((name,))
    chosen = np.array(names, dtype=object)[which_child[rows]]
    return Hits(rows, (name,), {
        "value": as_text(value.iloc[rows]), "parent_value": as_text(value_parent.iloc[rows]),
        "parent_field": chosen, "parent_label": [label("episodes", c) for c in chosen],
        "days": np.nan_to_num(np.abs(days[rows])).astype(np.int64),
    })
