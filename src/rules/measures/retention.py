"""Engagement measures: 12-week retention, effective treatment, care plan present."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rules.measures.context import Context
from rules.measures.units import per_episode, per_journey


def retention_12_weeks(ctx: Context):
    jn = ctx.jn
    days = ctx.settings.retention_days
    day_n = jn["j_start"] + pd.Timedelta(days=days)
    cohort = (day_n >= ctx.p_start) & (day_n <= ctx.p_end)
    jn = jn[cohort.fillna(False).to_numpy(dtype=bool)]
    day_n = day_n[jn.index]
    retained = jn["j_end"].isna() | ((jn["j_end"] - jn["j_start"]).dt.days >= days)
    pending = day_n > ctx.as_at
    return per_journey(ctx, "retention_12_weeks", jn.index, retained, pending)


def latest_journey(ctx: Context, episode_mask: np.ndarray) -> pd.Index:
    """Each client's latest journey (latest j_start, then highest id) among the masked episodes'."""
    ids = pd.unique(ctx.ep["journey"][episode_mask].dropna().astype("int64"))
    jn = ctx.jn.loc[ids].assign(journey=ids)
    jn = jn.sort_values(["person", "j_start", "journey"], kind="stable")
    return pd.Index(jn.drop_duplicates("person", keep="last")["journey"].to_numpy(dtype="int64"))


def effective_treatment(ctx: Context):
    """Clients in treatment in P (PDU only by default), by their latest journey: d(J_start,
    min(J_end, as_at)) >= 84, or J_end <= min(P.end, as_at) before day 84 with a planned discharge."""
    in_tx = ctx.in_treatment(ctx.p_start, ctx.p_end).to_numpy()
    chosen = latest_journey(ctx, in_tx)
    if ctx.settings.effective_pdu_only:
        pdu = (ctx.ep["pdu"] == "PDU").groupby(ctx.ep["journey"]).any()
        pdu.index = pdu.index.astype("int64")
        chosen = chosen[pdu.reindex(chosen).fillna(False).to_numpy(dtype=bool)]
    jn = ctx.jn.loc[chosen]
    days = ctx.settings.retention_days
    until = jn["j_end"].fillna(ctx.as_at).clip(upper=ctx.as_at)
    length = (until - jn["j_start"]).dt.days
    cutoff = min(ctx.p_end, ctx.as_at)
    early_planned = jn["j_end"].notna() & (jn["j_end"] <= cutoff) & (length < days) & jn["last_planned"]
    effective = (length >= days) | early_planned
    pending = jn["j_end"].isna() & ((ctx.as_at - jn["j_start"]).dt.days < days)
    return per_journey(ctx, "effective_treatment", chosen, effective, pending, record="last_pos")


def care_plan_present(ctx: Context):
    ep = ctx.ep
    in_tx = ctx.in_treatment(ctx.p_start, ctx.p_end)
    grace = ctx.p_end - pd.Timedelta(days=ctx.settings.care_plan_grace_days)
    scope = in_tx & (ep["first_modality_start"] <= grace).fillna(False)
    limit = ep["e_end"].where(ep["e_end"] < ctx.p_end, ctx.p_end).fillna(ctx.p_end)
    present = ep["care_plan_date"].notna() & (ep["care_plan_date"] <= limit)
    return per_episode(ctx, "care_plan_present", scope, present)
