"""The ``first-modality-wait`` named check: the ``wait-within-3-weeks`` rule.

It judges each journey's first modality (``rules.journeys.first_modalities``), the very modality the
``waiting_within_3_weeks`` measure counts, so a rule and a measure never disagree on one record.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rules import journeys
from rules.kinds.base import Check, Context, Hits, Param, as_text, days_between
from rules.kinds.custom import journey_frame, named

#: What linking episodes into journeys reads (the retention rule reads the same).
JOURNEY_READS = (
    "episodes.first_initial", "episodes.surname_initial", "episodes.dob", "episodes.sex", "episodes.consent",
    "episodes.client_ref", "episodes.referral_date", "episodes.triage_date", "episodes.discharge_date",
    "modalities.modality_start_date")


def first_modality_mask(ctx: Context) -> np.ndarray:
    """True on the rows of ``modalities`` that are their journey's first modality."""
    mods = ctx.table("modalities")
    group = journeys.modality_groups(journey_frame(ctx)["journey"], ctx.episode_pos("modalities"))
    mask = np.zeros(len(mods), dtype=bool)
    mask[journeys.first_modalities(group, mods["modality_referral_date"], mods["modality_start_date"])] = True
    return mask


@named("first-modality-wait", table="modalities", needs=("modalities",), params=(
    Param("max_days", "days", required=False, default="settings.wait_target_days",
          doc="the target: more days than this fails"),
    Param("missing_end", "choice", required=False, default="skip", choices=("skip", "as-at"),
          doc="skip: judge first modalities that started; as-at: those not started, counting to as_at"),
), evidence=("days", "target", "start", "end", "as_at"),
    reads=(*JOURNEY_READS, "modalities.modality_referral_date"))
def first_modality_wait(ctx: Context, check: Check) -> Hits:
    """A journey's first modality starts within ``max_days`` of its referral (still waiting: to as_at)."""
    mods = ctx.table("modalities")
    target = ctx.days(check.get("max_days", "settings.wait_target_days"))
    referral, started = mods["modality_referral_date"], mods["modality_start_date"]
    waiting = check.get("missing_end", "skip") == "as-at"
    if waiting:
        end = pd.Series(ctx.as_at, index=mods.index, dtype="datetime64[ns]")
        judged = ~ctx.present("modalities", "modality_start_date")
    else:
        end = started
        judged = ~ctx.is_flagged("modalities", "modality_start_date")
    judged &= first_modality_mask(ctx) & ~ctx.is_flagged("modalities", "modality_referral_date")
    days = days_between(referral, end)
    rows = np.flatnonzero(judged & (days > target))
    fields = ("modality_referral_date",) if waiting else ("modality_referral_date", "modality_start_date")
    return Hits(rows, fields, {
        "days": days[rows].astype(np.int64), "target": target,
        "start": as_text(referral.iloc[rows]), "end": as_text(end.iloc[rows]),
        "as_at": ctx.as_at.strftime("%Y-%m-%d"),
    })
