"""Defect kinds for ids, orphans, the schema rules and the warnings recorded in the manifest."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from app.synth.context import Context, Pending
from app.synth.kinds import (
    BAD_CODES,
    BAD_DATE_COLUMNS,
    BAD_DATES,
    DAYS,
    ERRORS,
    SCORES,
    Kind,
    _d,
    _e,
    _one,
    _parent,
    _shift,
)
from rules.columns import KEYS


def _row_of(ctx: Context, table: str) -> dict[tuple, int]:
    frame = ctx.tables[table]
    return dict(zip(frame[list(KEYS[table])].itertuples(index=False, name=None), frame.index, strict=True))


def _duplicate_child(table: str, id_col: str, first: str, second: str) -> Kind:
    def make(ctx: Context) -> list[Pending] | None:
        frame = ctx.tables[table]
        i = ctx.take(f"dup-{table}", table, lambda: frame.index[frame[id_col] == second])
        if i is None:
            return None
        j = ctx.cached(("rows", table), lambda: _row_of(ctx, table)).get((*ctx.key(table, i), first))
        if j is None:  # cannot happen: ids are numbered from 1
            return None
        ctx.set(table, i, id_col, first)
        return [Pending("unique-ids", table, j, id_col), Pending("unique-ids", table, i, id_col)]
    return Kind("unique-ids", make, flat=False)


def _duplicate_episode(ctx: Context) -> list[Pending] | None:
    """Two childless episodes of one provider share an id (children would follow the wrong one)."""
    e = ctx.tables["episodes"]
    alone = ctx.cached("childless", lambda: (ctx.children["modalities"] == 0) & (ctx.children["tops"] == 0))
    i = ctx.take("dup-episodes", "episodes", lambda: e.index[alone])
    if i is None:
        return None
    provider = e.at[i, "provider_code"]
    j = ctx.take(f"dup-episodes-{provider}", "episodes", lambda: e.index[alone & (e["provider_code"] == provider)])
    if j is None:
        ctx.used.discard(ctx.key("episodes", i))
        return None
    ctx.set("episodes", j, "episode_id", e.at[i, "episode_id"])
    return [Pending("unique-ids", "episodes", i, "episode_id"), Pending("unique-ids", "episodes", j, "episode_id")]


def _orphan(table: str) -> Kind:
    def make(ctx: Context) -> list[Pending] | None:
        frame = ctx.tables[table]
        i = ctx.take(f"orphan-{table}", table, lambda: frame.index)
        if i is None:
            return None
        ctx.set(table, i, "episode_id", frame.at[i, "episode_id"] + "9")  # a 7-digit id no episode has
        ctx.used.add(ctx.key(table, i))
        return [Pending("orphan-rows", table, i, "episode_id")]
    return Kind("orphan-rows", make, flat=False)


def _schema(rule: str, cells: list[tuple[str, str]], value: Callable[[Context, str, str, int], str],
            flat: bool = True) -> Kind:
    """Put a value the schema refuses into one present cell of a column drawn at random."""
    def make(ctx: Context) -> list[Pending] | None:
        order = ctx.rng.permutation(len(cells))
        for k in order:
            table, name = cells[k]
            # a flat sheet has no first-appointment column, and its split TOPs share the episode's
            # row, so a flagged TOP cell could not be told apart from its siblings
            if ctx.flat and (table == "tops" or name == "first_appt_offered_date"):
                continue
            frame = ctx.tables[table]
            i = ctx.take(f"{rule}-{table}-{name}", table, lambda f=frame, n=name: f.index[f[n].notna()])
            if i is not None:
                ctx.set(table, i, name, value(ctx, table, name, i))
                return [Pending(rule, table, i, name)]
        return None
    return Kind(rule, make, flat)


def _bad_date(ctx: Context, table: str, name: str, i: int) -> str:
    year = str(ctx.tables[table].at[i, name])[:4]
    return BAD_DATES[int(ctx.rng.integers(len(BAD_DATES)))].format(y=year)


def _out_of_range(ctx: Context, table: str, name: str, i: int) -> str:
    return str(int(ctx.rng.integers(29, 60) if name in DAYS else ctx.rng.integers(21, 41)))


IDS = [_duplicate_child("modalities", "modality_id", "M1", "M2"), _duplicate_child("tops", "top_id", "T1", "T2"),
       Kind("unique-ids", _duplicate_episode)]
ORPHANS = [_orphan("modalities"), _orphan("tops")]
SCHEMA = [
    _schema("invalid-date", list(BAD_DATE_COLUMNS), _bad_date),
    _schema("invalid-code", [c for c in BAD_CODES if c != ("tops", "top_stage")], lambda c, t, n, i: BAD_CODES[t, n]),
    _schema("invalid-code", [("tops", "top_stage")], lambda c, t, n, i: "X", flat=False),
    _schema("invalid-number", [("tops", n) for n in (*DAYS, *SCORES)],
            lambda c, t, n, i: ("n/k", "two", "5.5", "?")[int(c.rng.integers(4))], flat=False),
    _schema("out-of-range", [("tops", n) for n in (*DAYS, *SCORES)], _out_of_range, flat=False),
]


# -- warnings --------------------------------------------------------------------------------------
def _overlap(ctx: Context) -> list[Pending] | None:
    """A client back at the same provider whose earlier episode was never closed: blank its discharge.

    The earlier episode's modalities all ended by its old discharge date, so reopening it breaks
    no error rule; both open episodes are reported.
    """
    e, d = ctx.tables["episodes"], _d(ctx)

    def earlier() -> dict[int, int]:
        """Open episode -> the same client's discharged earlier episode at that provider."""
        frame = pd.DataFrame({"p": e["provider_code"], "c": e["client_ref"], "ref": d["referral_date"],
                              "open": d["discharge_date"].isna()}).sort_values("ref", kind="stable")
        prev = frame.groupby(["p", "c"], sort=False).shift(1)
        pairs = frame.index[frame["open"] & prev["open"].eq(False)]
        return dict(zip(pairs, frame.index.to_series().groupby([frame["p"], frame["c"]]).shift(1)[pairs].astype(int),
                        strict=True))
    pairs = ctx.cached("overlap-pairs", earlier)
    while True:
        i = ctx.take("overlap", "episodes", lambda: pd.Index(sorted(pairs)))
        if i is None:
            return None
        j = pairs[i]
        if ctx.key("episodes", j) not in ctx.used:
            break
    ctx.used.add(ctx.key("episodes", j))
    ctx.set("episodes", j, "discharge_date", None)
    ctx.set("episodes", j, "discharge_reason", None)
    return [Pending("no-overlapping-open-episodes", "episodes", j, "discharge_date"),
            Pending("no-overlapping-open-episodes", "episodes", i, "discharge_date")]


def _second_start(ctx: Context) -> list[Pending] | None:
    """A review TOP re-staged as a start: it is after the episode's start TOP, so it is the second."""
    t = ctx.tables["tops"]

    def eligible() -> pd.Index:
        keys = pd.MultiIndex.from_frame(t[["provider_code", "episode_id"]])
        with_start = keys[(t["top_stage"] == "S").to_numpy()]
        return t.index[(t["top_stage"] == "R").to_numpy() & keys.isin(with_start)]
    return _one(ctx, "top-within-episode", "tops", "top_stage", "second-start", eligible,
                lambda i: ctx.set("tops", i, "top_stage", "S"))


def _completion(ctx: Context) -> list[Pending] | None:
    """A completed episode whose latest TOP shows opiate or crack use (the TOP row changes)."""
    e, t = ctx.tables["episodes"], ctx.tables["tops"]
    i = ctx.take("completion", "episodes", lambda: e.index[e["discharge_reason"].isin(["TCDF", "TCOU"])
                                                           & (ctx.children["tops"] > 0)])
    if i is None:
        return None
    groups = ctx.cached("tops-by-episode", lambda: t.groupby(["provider_code", "episode_id"], sort=False).indices)
    mine = t.index[groups[ctx.key("episodes", i)]]
    dates = _d(ctx, "tops").loc[mine, "top_date"]
    for j in dates.index[dates == dates.max()]:
        ctx.set("tops", j, "crack_days", str(int(ctx.rng.integers(2, 20))))
    return [Pending("completion-consistent-with-top", "episodes", i, "discharge_reason")]


WARNINGS = [
    _shift("adult-at-referral", "episodes", "dob", lambda c: _d(c)["dob"].notna(),
           lambda c, i: c.ep_date(i, "referral_date") - pd.Timedelta(days=16 * 366) - c.days(0, 300)),
    Kind("substances-consistent", lambda c: _one(
        c, "substances-consistent", "episodes", "drug2", "same-drug",
        lambda: _e(c).index[_e(c)["drug2"].notna() & _e(c)["drug3"].isna()],
        lambda i: c.set("episodes", i, "drug2", _e(c).at[i, "drug1"]))),
    Kind("substances-consistent", lambda c: _one(
        c, "substances-consistent", "episodes", "drug3", "drug3-alone",
        lambda: _e(c).index[_e(c)["drug2"].isna() & _e(c)["drug3"].isna() & (_e(c)["drug1"] != "CAN")],
        lambda i: c.set("episodes", i, "drug3", "CAN"))),
    _shift("care-plan-within-episode", "episodes", "care_plan_date",
           lambda c: _d(c)["care_plan_date"].notna() & _d(c)["triage_date"].notna(),
           lambda c, i: c.ep_date(i, "triage_date") - c.days(1, 20)),
    _shift("top-within-episode", "tops", "top_date", lambda c: _parent(c, "tops", "triage_date").notna(),
           lambda c, i: _parent(c, "tops", "triage_date").at[i] - c.days(1, 30)),
    Kind("top-within-episode", _second_start, flat=False),
    Kind("completion-consistent-with-top", _completion, flat=False),
    _shift("triage-recorded", "episodes", "triage_date",
           lambda c: _d(c)["triage_date"].notna() & (c.children["modalities"] > 0), lambda c, i: None),
    Kind("no-overlapping-open-episodes", _overlap),
]
KINDS = [*ERRORS, *IDS, *ORPHANS, *SCHEMA, *WARNINGS]
