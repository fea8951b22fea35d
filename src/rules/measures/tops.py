"""Treatment Outcomes Profile compliance: start, review and exit TOPs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rules.measures.context import Context
from rules.measures.retention import latest_journey
from rules.measures.units import per_episode, per_journey


def _tops(ctx: Context, stage: str) -> pd.DataFrame:
    t = ctx.tops
    t = t[(t["top_stage"] == stage).fillna(False).to_numpy(dtype=bool)]
    return pd.DataFrame({"ep": t["ep"].to_numpy(), "top_date": t["top_date"].to_numpy(dtype="datetime64[ns]"),
                         "journey": ctx.ep["journey"].to_numpy()[t["ep"].to_numpy()]})


def top_start(ctx: Context):
    jn = ctx.jn
    first = jn["first_modality_start"]
    jn = jn[((first >= ctx.p_start) & (first <= ctx.p_end)).fillna(False).to_numpy(dtype=bool)]
    tops = _tops(ctx, "S").dropna(subset=["journey"])
    tops["journey"] = tops["journey"].astype("int64")
    tops = tops[tops["journey"].isin(jn.index)]
    first = pd.Series(jn["first_modality_start"].reindex(tops["journey"]).to_numpy(), index=tops.index)
    gap = (tops["top_date"] - first).dt.days.abs()
    hit = tops.loc[(gap <= ctx.settings.top_window_days).to_numpy(dtype=bool), "journey"].unique()
    return per_journey(ctx, "top_start", jn.index, jn.index.isin(hit))


def top_review(ctx: Context):
    s = ctx.settings
    in_tx = ctx.in_treatment(ctx.p_end, ctx.p_end).to_numpy()
    chosen = latest_journey(ctx, in_tx)
    jn = ctx.jn.loc[chosen]
    long_enough = (jn["j_start"] <= ctx.p_end - pd.Timedelta(days=s.top_review_after_days)).fillna(False)
    starts = _tops(ctx, "S")["journey"].dropna().astype("int64").unique()
    jn = jn[long_enough.to_numpy(dtype=bool) & jn.index.isin(starts)]
    reviews = _tops(ctx, "R").dropna(subset=["journey"])
    window = (reviews["top_date"] >= ctx.p_end - pd.Timedelta(days=s.top_review_window_days)) & (
        reviews["top_date"] <= ctx.p_end)
    hit = reviews.loc[window.to_numpy(dtype=bool), "journey"].astype("int64").unique()
    return per_journey(ctx, "top_review", jn.index, jn.index.isin(hit), record="last_pos")


def top_exit(ctx: Context):
    ep = ctx.ep
    scope = ((ep["discharge_date"] >= ctx.p_start) & (ep["discharge_date"] <= ctx.p_end)).fillna(False) & ep["planned"]
    tops = _tops(ctx, "E")
    discharge = ep["discharge_date"].to_numpy(dtype="datetime64[ns]")[tops["ep"].to_numpy()]
    gap = (tops["top_date"] - pd.Series(discharge, index=tops.index)).dt.days.abs()
    hit = np.zeros(len(ep), dtype=bool)
    hit[tops["ep"].to_numpy()[(gap <= ctx.settings.top_window_days).fillna(False).to_numpy(dtype=bool)]] = True
    return per_episode(ctx, "top_exit", scope, hit)
