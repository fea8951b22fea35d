"""The ``custom`` kind: named Python checks for the few rules no other kind expresses.

Each named check declares its own parameters, evidence and the tables it needs, exactly like a
kind; a catalogue entry says ``kind = "custom"`` and ``function = "<name>"``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rules import derived, journeys
from rules.kinds.base import Check, Context, Hits, Param, as_text, days_between, no_hits
from rules.kinds.registry import register


@dataclass(frozen=True)
class NamedCheck:
    name: str
    fn: Callable[[Context, Check], Hits]
    params: tuple[Param, ...]
    evidence: tuple[str, ...]
    table: str
    needs: tuple[str, ...] = ()
    doc: str = ""
    #: (table, column) pairs the check reads beyond the record keys (for re-checking only what an edit touches).
    reads: tuple[tuple[str, str], ...] = ()


CHECKS: dict[str, NamedCheck] = {}


def named(name: str, *, table: str, params: tuple[Param, ...] = (), evidence: tuple[str, ...] = (),
          needs: tuple[str, ...] = (), reads: tuple[str, ...] = ()
          ) -> Callable[[Callable[[Context, Check], Hits]], Callable[[Context, Check], Hits]]:
    """Register a named check; ``reads`` lists the ``table.column`` values it reads."""
    def wrap(fn: Callable[[Context, Check], Hits]) -> Callable[[Context, Check], Hits]:
        pairs = tuple(tuple(r.split(".", 1)) for r in reads)
        CHECKS[name] = NamedCheck(name, fn, params, evidence, table, needs, (fn.__doc__ or "").strip(),
                                  pairs)  # type: ignore[arg-type]
        return fn
    return wrap


@register("custom", params=(Param("function", "choice", doc="the named check"),),
          needs=lambda check: CHECKS[check.params["function"]].needs if check.params.get("function") in CHECKS else ())
def custom(ctx: Context, check: Check) -> Hits:
    """Run the named Python check ``function``."""
    return CHECKS[check.params["function"]].fn(ctx, check)


def _children_per_episode(ctx: Context, table: str, mask: np.ndarray | None = None) -> np.ndarray:
    """How many rows of ``table`` (where ``mask``) belong to each episode."""
    n = len(ctx.table("episodes"))
    if ctx.tables.get(table) is None:
        return np.zeros(n, dtype=np.int64)
    pos = ctx.episode_pos(table)
    keep = pos >= 0 if mask is None else (pos >= 0) & mask
    return np.bincount(pos[keep], minlength=n)


def _first_modality_start(ctx: Context) -> pd.Series:
    def make() -> pd.Series:
        if ctx.tables.get("modalities") is None:
            return pd.Series(pd.NaT, index=ctx.table("episodes").index, dtype="datetime64[ns]")
        return ctx.per_episode("modalities", ctx.table("modalities")["modality_start_date"], "min")
    return ctx.cached("first_modality_start", make)


def journey_frame(ctx: Context) -> pd.DataFrame:
    """Per episode: the link key, dates and journey id (``rules.journeys``, as the measures link them)."""
    def make() -> pd.DataFrame:
        eps = ctx.table("episodes")
        first = _first_modality_start(ctx)
        frame = pd.DataFrame({
            "person": derived.client_codes(eps), "referral_date": eps["referral_date"],
            "first_modality_start": first, "e_start": eps["triage_date"].fillna(first),
            "e_end": eps["discharge_date"]}, index=eps.index)
        return frame.assign(journey=journeys.link(frame, gap_days=ctx.settings.journey_gap_days))
    return ctx.cached("journey_frame", make)


@named("triage-recorded", table="episodes", evidence=("reason",),
       reads=("episodes.triage_date", "episodes.discharge_date"))
def triage_recorded(ctx: Context, check: Check) -> Hits:
    """triage_date is given when the episode has a modality or a discharge."""
    has_modality = _children_per_episode(ctx, "modalities") > 0
    discharged = ctx.present("episodes", "discharge_date")
    rows = np.flatnonzero(~ctx.present("episodes", "triage_date") & (has_modality | discharged))
    reason = np.where(has_modality[rows], "has a modality", "was discharged")
    return Hits(rows, ("triage_date",), {"reason": reason})


@named("adult-at-referral", table="episodes", params=(Param("min_age", "days", required=False, default=18),),
       evidence=("age", "min_age"), reads=("episodes.dob", "episodes.referral_date"))
def adult_at_referral(ctx: Context, check: Check) -> Hits:
    """Age at referral is at least ``min_age``."""
    minimum = ctx.days(check.get("min_age", 18))
    age = derived.age_at_referral(ctx.table("episodes"))
    rows = np.flatnonzero((age < minimum).fillna(False).to_numpy(dtype=bool))
    return Hits(rows, ("dob",), {"age": age.iloc[rows].to_numpy(), "min_age": minimum})


@named("substances-consistent", table="episodes", evidence=("problem",),
       reads=("episodes.drug1", "episodes.drug2", "episodes.drug3"))
def substances_consistent(ctx: Context, check: Check) -> Hits:
    """drug2 and drug3 differ from drug1 (and each other); drug3 only with drug2."""
    eps = ctx.table("episodes")
    d1, d2, d3 = (eps[c] for c in ("drug1", "drug2", "drug3"))
    same12 = (d2 == d1).fillna(False).to_numpy(dtype=bool)
    same3 = ((d3 == d1) | (d3 == d2)).fillna(False).to_numpy(dtype=bool)
    lone3 = ctx.present("episodes", "drug3") & ~ctx.present("episodes", "drug2")
    rows = np.flatnonzero(same12 | same3 | lone3)
    fields, problems = [], []
    for a, b, c in zip(same12[rows], same3[rows], lone3[rows], strict=True):
        f, p = [], []
        if a:
            f += ["drug1", "drug2"]
            p.append("drug2 repeats drug1")
        if b:
            f += [x for x in ("drug1", "drug2", "drug3") if x not in f]
            p.append("drug3 repeats an earlier drug")
        if c:
            f += [x for x in ("drug2", "drug3") if x not in f]
            p.append("drug3 given without drug2")
        fields.append(tuple(dict.fromkeys(f)))
        problems.append("; ".join(p))
    return Hits(rows, fields, {"problem": problems})


@named("retained-12-weeks", table="episodes", params=(
    Param("min_days", "days", required=False, default="settings.retention_days"),),
    evidence=("days", "target", "reason"), reads=(
    "episodes.first_initial", "episodes.surname_initial", "episodes.dob", "episodes.sex", "episodes.consent",
    "episodes.client_ref", "episodes.referral_date", "episodes.triage_date", "episodes.discharge_date",
    "episodes.discharge_reason", "modalities.modality_start_date"))
def retained_12_weeks(ctx: Context, check: Check) -> Hits:
    """A journey's last discharge that was unplanned and before day ``min_days`` of the journey.

    Journeys are ``rules.journeys`` (the same linking as the retention measure), keyed by client.
    """
    frame = journey_frame(ctx)
    reason = ctx.table("episodes")["discharge_reason"]
    planned = reason.isin(list(ctx.settings.planned_reasons)).fillna(False)
    start = frame["first_modality_start"] if ctx.settings.retention_start == "first_modality" else frame["e_start"]
    table = journeys.journey_table(frame, frame["journey"], start=start, planned=planned)
    target = ctx.days(check.get("min_days", "settings.retention_days"))
    days = days_between(table["j_start"], table["j_end"])
    last = table["last_pos"].to_numpy(dtype=np.int64)
    known = reason.notna().to_numpy()[last]
    ended_early = table["j_end"].notna().to_numpy() & ~table["last_planned"].to_numpy(dtype=bool) & (days < target)
    known &= ~ctx.is_flagged("episodes", "triage_date")[last] & ~ctx.is_flagged("episodes", "discharge_date")[last]
    pick = np.flatnonzero(ended_early & known)
    order = np.argsort(last[pick])
    rows, days = last[pick][order], days[pick][order]
    return Hits(rows, ("discharge_date", "discharge_reason"), {
        "days": days.astype(np.int64), "target": target, "reason": as_text(reason.iloc[rows])})


@named("completion-consistent-with-top", table="episodes", needs=("tops",), params=(
    Param("reasons", "strs", required=False, default=["TCDF", "TCOU"]),),
    evidence=("top_date", "opiate_days", "crack_days"),
    reads=("episodes.discharge_reason", "tops.top_date", "tops.opiate_days", "tops.crack_days"))
def completion_consistent_with_top(ctx: Context, check: Check) -> Hits:
    """A completed discharge whose latest TOP (by top_date, any stage) shows opiate or crack use."""
    eps = ctx.table("episodes")
    tops = ctx.table("tops")
    pos = ctx.episode_pos("tops")
    usable = (pos >= 0) & tops["top_date"].notna().to_numpy()
    idx = np.flatnonzero(usable)
    if not len(idx):
        return no_hits(("discharge_reason",))
    order = pd.DataFrame({"e": pos[idx], "d": tops["top_date"].to_numpy()[idx], "i": idx}).sort_values(["e", "d", "i"])
    latest = order.drop_duplicates("e", keep="last")
    top_of = np.full(len(eps), -1)
    top_of[latest["e"].to_numpy()] = latest["i"].to_numpy()
    opiate = tops["opiate_days"].fillna(0).to_numpy(dtype="int64")
    crack = tops["crack_days"].fillna(0).to_numpy(dtype="int64")
    has = top_of >= 0
    t = np.maximum(top_of, 0)
    using = has & ((opiate[t] > 0) | (crack[t] > 0))
    completed = eps["discharge_reason"].isin(check.get("reasons", ["TCDF", "TCOU"])).fillna(False).to_numpy(dtype=bool)
    rows = np.flatnonzero(completed & using)
    return Hits(rows, ("discharge_reason",), {
        "top_date": as_text(tops["top_date"].iloc[t[rows]]),
        "opiate_days": opiate[t[rows]], "crack_days": crack[t[rows]]})


@named("care-plan-present", table="episodes", needs=("modalities",), params=(
    Param("min_days", "days", required=False, default="settings.care_plan_grace_days"),),
    evidence=("days", "target", "first_start"),
    reads=("episodes.discharge_date", "episodes.care_plan_date", "modalities.modality_start_date"))
def care_plan_present(ctx: Context, check: Check) -> Hits:
    """In structured treatment ``min_days`` or more (first modality start to discharge or as_at)
    with no care_plan_date."""
    eps = ctx.table("episodes")
    first = _first_modality_start(ctx)
    until = eps["discharge_date"].where(eps["discharge_date"] < ctx.as_at, ctx.as_at)
    target = ctx.days(check.get("min_days", "settings.care_plan_grace_days"))
    days = days_between(first, until)
    unknown_end = ctx.is_flagged("episodes", "discharge_date")
    rows = np.flatnonzero(~ctx.present("episodes", "care_plan_date") & (days >= target) & ~unknown_end)
    return Hits(rows, ("care_plan_date",), {"days": days[rows].astype(np.int64), "target": target,
                                             "first_start": as_text(first.iloc[rows])})


@named("top-review-due", table="episodes", needs=("tops",), params=(
    Param("after_days", "days", required=False, default="settings.top_review_after_days"),
    Param("window_days", "days", required=False, default="settings.top_review_window_days"),
), evidence=("days", "after", "window", "last_review"), reads=(
    "episodes.triage_date", "episodes.discharge_date", "modalities.modality_start_date", "tops.top_stage",
    "tops.top_date"))
def top_review_due(ctx: Context, check: Check) -> Hits:
    """Open at as_at, in treatment ``after_days`` or more, with a start TOP and no review TOP dated
    in the last ``window_days``."""
    eps = ctx.table("episodes")
    tops = ctx.table("tops")
    after = ctx.days(check.get("after_days", "settings.top_review_after_days"))
    window = ctx.days(check.get("window_days", "settings.top_review_window_days"))
    start = eps["triage_date"].fillna(_first_modality_start(ctx))
    in_treatment = days_between(start, ctx.as_at) >= after
    is_open = ~ctx.present("episodes", "discharge_date")
    stage = tops["top_stage"]
    date = tops["top_date"]
    has_start = _children_per_episode(ctx, "tops", (stage == "S").fillna(False).to_numpy(dtype=bool)) > 0
    review = (stage == "R").fillna(False).to_numpy(dtype=bool)
    recent = (review & (date >= ctx.as_at - pd.Timedelta(days=window)).fillna(False).to_numpy(dtype=bool)
              & (date <= ctx.as_at).fillna(False).to_numpy(dtype=bool))
    has_recent = _children_per_episode(ctx, "tops", recent) > 0
    unknown_start = ctx.is_flagged("episodes", "triage_date")
    rows = np.flatnonzero(is_open & in_treatment & has_start & ~has_recent & ~unknown_start)
    pos = ctx.episode_pos("tops")
    last = pd.Series(date.where(pd.Series(review, index=tops.index)).to_numpy()).groupby(pos).max()
    last_review = last.reindex(rows)
    text = as_text(pd.Series(last_review.to_numpy(), dtype="datetime64[ns]"))
    text = np.where(text == "", "none", text)
    days = days_between(start, ctx.as_at)
    return Hits(rows, (), {"days": days[rows].astype(np.int64), "after": after, "window": window,
                           "last_review": text})
