"""Access measures: triage within 6 weeks (all and DIP referrals), waiting within 3 weeks."""

from __future__ import annotations

import numpy as np

from rules import journeys
from rules.measures.context import Context
from rules.measures.units import per_episode, per_modality


def _triage(ctx: Context, mid: str, cjit_only: bool):
    ep = ctx.ep
    target = ctx.settings.triage_target_days
    referred = (ep["referral_date"] >= ctx.p_start) & (ep["referral_date"] <= ctx.p_end)
    if cjit_only:
        referred &= (ep["referral_source"] == "CJIT").fillna(False)
    days = (ep["triage_date"] - ep["referral_date"]).dt.days
    within = ep["triage_date"].notna() & days.between(0, target)
    pending = ep["triage_date"].isna() & ((ctx.as_at - ep["referral_date"]).dt.days <= target)
    pending &= referred
    return per_episode(ctx, mid, referred & ~pending, within, pending)


def triage_within_6_weeks(ctx: Context):
    return _triage(ctx, "triage_within_6_weeks", cjit_only=False)


def dip_triage_within_6_weeks(ctx: Context):
    return _triage(ctx, "dip_triage_within_6_weeks", cjit_only=True)


def first_modalities(ctx: Context) -> np.ndarray:
    """Positions in ``ctx.mods`` of each journey's first modality: ``rules.journeys.first_modalities``,
    the one the ``wait-within-3-weeks`` rule checks."""
    m = ctx.mods
    group = journeys.modality_groups(ctx.ep["journey"], m["ep"].to_numpy())
    return journeys.first_modalities(group, m["modality_referral_date"], m["modality_start_date"])


def waiting_within_3_weeks(ctx: Context):
    m = ctx.mods
    rows = first_modalities(ctx)
    start = m["modality_start_date"].iloc[rows]
    rows = rows[((start >= ctx.p_start) & (start <= ctx.p_end)).to_numpy(dtype=bool)]
    wait = (m["modality_start_date"].iloc[rows] - m["modality_referral_date"].iloc[rows]).dt.days
    return per_modality(ctx, "waiting_within_3_weeks", rows, (wait <= ctx.settings.wait_target_days).to_numpy())
