"""Each kind of defect: which records qualify, what changes, and why nothing else breaks.

A kind takes one record nobody has touched and changes as little as possible. Comments say why
the change cannot trip another error rule (the cascades TEAM-NOTES warns about).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from app.synth.context import Context, Pending

BAD_DATES = ("31/02/{y}", "{y}-13-01", "not known", "TBC", "30/02/{y}", "unknown")
BAD_CODES = {
    ("episodes", "sex"): "X", ("episodes", "ethnicity"): "W", ("episodes", "referral_source"): "POLICE",
    ("episodes", "injecting_status"): "Y", ("episodes", "drug1"): "KET", ("episodes", "discharge_reason"): "MOVED",
    ("modalities", "modality_type"): "DETOX", ("modalities", "modality_exit_status"): "D",
    ("tops", "top_stage"): "X",
}
#: dates whose unparseable text cannot leave another rule half-evaluated (presence rules read the others)
BAD_DATE_COLUMNS = (("episodes", "dob"), ("episodes", "referral_date"), ("episodes", "triage_date"),
                    ("episodes", "care_plan_date"), ("modalities", "modality_start_date"),
                    ("modalities", "first_appt_offered_date"), ("tops", "top_date"))
DAYS = ("opiate_days", "crack_days", "cocaine_days", "alcohol_days", "cannabis_days", "injecting_days")
SCORES = ("psych_health", "physical_health", "quality_of_life")


@dataclass(frozen=True)
class Kind:
    rule: str
    make: Callable[[Context], list[Pending] | None]
    flat: bool = True  # whether the flat sheet can hold this defect


def _e(ctx: Context) -> pd.DataFrame:
    return ctx.tables["episodes"]


def _d(ctx: Context, table: str = "episodes") -> pd.DataFrame:
    return ctx.dates[table]


def _parent(ctx: Context, table: str, name: str) -> pd.Series:
    """An episode column for each child row (by the child's episode as generated)."""
    return ctx.cached(("parent", table, name), lambda: _parent_now(ctx, table, name))


def _parent_now(ctx: Context, table: str, name: str) -> pd.Series:
    key = pd.MultiIndex.from_frame(ctx.tables[table][["provider_code", "episode_id"]])
    parent = ctx.episode_of.reindex(key).to_numpy()
    source = _d(ctx) if name in _d(ctx) else _e(ctx)
    return pd.Series(source[name].reindex(parent).to_numpy(), index=ctx.tables[table].index)


def _one(ctx: Context, rule: str, table: str, name: str, pool: str, eligible: Callable[[], pd.Index],
         change: Callable[[int], None]) -> list[Pending] | None:
    i = ctx.take(pool, table, eligible)
    if i is None:
        return None
    change(i)
    return [Pending(rule, table, i, name)]


def _blank(rule: str, table: str, name: str, where: Callable[[Context], pd.Series] | None = None,
           flat: bool = True) -> Kind:
    def make(ctx: Context) -> list[Pending] | None:
        frame = ctx.tables[table]
        def eligible() -> pd.Index:
            mask = frame[name].notna() & (where(ctx) if where else True)
            return frame.index[mask]
        return _one(ctx, rule, table, name, f"blank-{table}-{name}", eligible,
                    lambda i: ctx.set(table, i, name, None))
    return Kind(rule, make, flat)


def _shift(rule: str, table: str, name: str, where: Callable[[Context], pd.Series],
           new: Callable[[Context, int], pd.Timestamp], flat: bool = True, tag: str = "") -> Kind:
    def make(ctx: Context) -> list[Pending] | None:
        frame = ctx.tables[table]
        return _one(ctx, rule, table, name, f"shift-{rule}-{name}{tag}", lambda: frame.index[where(ctx)],
                    lambda i: ctx.set(table, i, name, new(ctx, i)))
    return Kind(rule, make, flat)


def _ep(ctx: Context, table: str, i: int, name: str) -> pd.Timestamp:
    return ctx.ep_date(ctx.episode(table, i), name)


def _m(ctx: Context) -> pd.DataFrame:
    return _d(ctx, "modalities")


def _discharged(ctx: Context, table: str) -> pd.Series:
    return _parent(ctx, table, "discharge_date").notna()


def _room(ctx: Context, day: pd.Timestamp, most: int = 20) -> pd.Timedelta:
    """1..most days after ``day`` without passing as_at."""
    return ctx.days(1, max(1, min(most, (ctx.as_at - day).days)))


# -- error rules ---------------------------------------------------------------------------------
REQUIRED = [
    _blank("required-fields", "episodes", "drug1", lambda c: _e(c)["drug2"].isna()),  # nothing to compare
    _blank("required-fields", "episodes", "first_initial", lambda c: _e(c)["consent"] == "Y"),
    _blank("required-fields", "episodes", "consent"),  # initials stay, so nothing else is required
    _blank("required-fields", "modalities", "modality_type"),
    _blank("required-fields", "tops", "top_stage", flat=False),
    _blank("required-fields", "tops", "top_date", flat=False),
]
DOB = [
    _shift("dob-plausible", "episodes", "dob", lambda c: _d(c)["dob"].notna(),
           lambda c, i: pd.Timestamp(dt.date(1880, 1, 1)) + c.days(0, 365 * 22), tag="old"),
    _shift("dob-plausible", "episodes", "dob", lambda c: _d(c)["referral_date"] + pd.Timedelta(days=30) <= c.as_at,
           lambda c, i: c.ep_date(i, "referral_date") + c.days(1, 30), tag="after"),
]
TRIAGE = [_shift("triage-not-before-referral", "episodes", "triage_date", lambda c: _d(c)["triage_date"].notna(),
                 lambda c, i: c.ep_date(i, "referral_date") - c.days(1, 30))]
# an episode with no modality, TOP or care plan: an early discharge can only break this rule
DISCHARGE = [_shift("discharge-not-before-start", "episodes", "discharge_date",
                    lambda c: (_d(c)["discharge_date"].notna() & _d(c)["triage_date"].notna()
                               & _d(c)["care_plan_date"].isna() & (c.children["modalities"] == 0)
                               & (c.children["tops"] == 0)),
                    lambda c, i: c.ep_date(i, "triage_date") - c.days(1, 10))]
DATE_REASON = [_blank("discharge-date-and-reason", "episodes", "discharge_reason",
                      lambda c: _e(c)["discharge_date"].notna())]
IN_ORDER = [
    _shift("modality-dates-in-order", "modalities", "first_appt_offered_date",
           lambda c: _m(c)["modality_start_date"] + pd.Timedelta(days=10) <= c.as_at,
           lambda c, i: _m(c).at[i, "modality_start_date"] + c.days(1, 10), flat=False),
    _shift("modality-dates-in-order", "modalities", "modality_end_date", lambda c: _m(c)["modality_end_date"].notna(),
           lambda c, i: _m(c).at[i, "modality_start_date"] - c.days(1, 5)),
]
WITHIN = [
    _shift("modality-within-episode", "modalities", "modality_referral_date",
           lambda c: _m(c)["modality_referral_date"].notna(),
           lambda c, i: _ep(c, "modalities", i, "referral_date") - c.days(1, 20)),
    _shift("modality-within-episode", "modalities", "modality_end_date",
           lambda c: _m(c)["modality_end_date"].notna() & (_parent(c, "modalities", "discharge_date") < c.as_at),
           lambda c, i: (_ep(c, "modalities", i, "discharge_date")
                         + _room(c, _ep(c, "modalities", i, "discharge_date")))),
]


def _open_on_discharged(ctx: Context) -> list[Pending] | None:
    """Blank a discharged episode's modality end and exit status together (exit-with-end still holds)."""
    m = ctx.tables["modalities"]
    def change(i: int) -> None:
        ctx.set("modalities", i, "modality_end_date", None)
        ctx.set("modalities", i, "modality_exit_status", None)
    return _one(ctx, "modality-within-episode", "modalities", "modality_end_date", "open-on-discharged",
                lambda: m.index[m["modality_end_date"].notna() & _discharged(ctx, "modalities")], change)


WITHIN.append(Kind("modality-within-episode", _open_on_discharged))


def _exit_without_end(ctx: Context) -> list[Pending] | None:
    m = ctx.tables["modalities"]
    return _one(ctx, "modality-exit-with-end", "modalities", "modality_exit_status", "exit-without-end",
                lambda: m.index[m["modality_end_date"].isna() & ~_discharged(ctx, "modalities")],
                lambda i: ctx.set("modalities", i, "modality_exit_status", "B"))


EXIT = [_blank("modality-exit-with-end", "modalities", "modality_exit_status",
               lambda c: c.tables["modalities"]["modality_end_date"].notna()),
        Kind("modality-exit-with-end", _exit_without_end)]
FUTURE = [
    _shift("no-future-dates", "episodes", "care_plan_date",
           lambda c: _d(c)["care_plan_date"].notna() & _d(c)["discharge_date"].isna(),
           lambda c, i: c.as_at + c.days(1, 60)),
    _shift("no-future-dates", "tops", "top_date", lambda c: _d(c, "tops")["top_date"].notna() & ~_discharged(c, "tops"),
           lambda c, i: c.as_at + c.days(1, 60)),
    _shift("no-future-dates", "modalities", "modality_end_date",
           lambda c: _m(c)["modality_end_date"].notna() & ~_discharged(c, "modalities"),
           lambda c, i: c.as_at + c.days(1, 60)),
]
ERRORS = [*REQUIRED, *DOB, *TRIAGE, *DISCHARGE, *DATE_REASON, *IN_ORDER, *WITHIN, *EXIT, *FUTURE]
