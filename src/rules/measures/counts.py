"""The counts of spec/measures.md: referrals, in contact, in treatment, new presentations,
discharges, and modalities still waiting over 3 weeks at the period end."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rules.measures import attribution
from rules.measures.context import Context
from rules.measures.units import per_client, per_episode, per_modality


def _in(values: pd.Series, ctx: Context) -> pd.Series:
    return (values >= ctx.p_start) & (values <= ctx.p_end)


def referrals(ctx: Context):
    return per_episode(ctx, "referrals", _in(ctx.ep["referral_date"], ctx))


def discharges(ctx: Context):
    return per_episode(ctx, "discharges", _in(ctx.ep["discharge_date"], ctx))


def in_contact(ctx: Context):
    return per_client(ctx, "in_contact", ctx.in_contact())


def in_treatment(ctx: Context):
    return per_client(ctx, "in_treatment", ctx.in_treatment(ctx.p_start, ctx.p_end))


def new_presentations(ctx: Context):
    """Clients with a journey whose earliest modality start is in P, by the episode holding that start."""
    return per_client(ctx, "new_presentations", attribution.starts_journey(ctx))


def waiting_over_3_weeks_at_end(ctx: Context):
    """Modalities referred on or before P.end - (wait_target_days + 1), not started by P.end, whose
    episode was not discharged by P.end."""
    m = ctx.mods
    cutoff = ctx.p_end - pd.Timedelta(days=ctx.settings.wait_target_days + 1)
    discharge = ctx.ep["discharge_date"].to_numpy()[m["ep"].to_numpy()]
    open_at_end = pd.isna(discharge) | (discharge > ctx.p_end.to_datetime64())
    waiting = (m["modality_referral_date"] <= cutoff) & (
        m["modality_start_date"].isna() | (m["modality_start_date"] > ctx.p_end))
    rows = np.flatnonzero(waiting.fillna(False).to_numpy(dtype=bool) & open_at_end)
    return per_modality(ctx, "waiting_over_3_weeks_at_end", rows)
