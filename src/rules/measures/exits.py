"""Exit measures: planned exits, retention and care planned discharges, treatment-system exits,
successful completions and re-presentations."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rules.measures.context import Context
from rules.measures.retention import latest_journey
from rules.measures.units import per_client_journeys, per_episode, per_journey


def _in(values: pd.Series, ctx: Context) -> pd.Series:
    return ((values >= ctx.p_start) & (values <= ctx.p_end)).fillna(False)


def planned_exits(ctx: Context):
    ep = ctx.ep
    return per_episode(ctx, "planned_exits", _in(ep["discharge_date"], ctx), ep["planned"])


def retention_and_care_planned_discharges(ctx: Context):
    ep = ctx.ep
    j_start = ctx.journey_value("j_start")
    retained = ((ep["discharge_date"] - j_start).dt.days >= ctx.settings.retention_days).fillna(False)
    return per_episode(ctx, "retention_and_care_planned_discharges", _in(ep["discharge_date"], ctx),
                       ep["planned"] | retained)


def _next_event(ctx: Context, jn: pd.DataFrame, events: pd.DataFrame) -> pd.Series:
    """For each journey, the person's first event date strictly after its J_end (NaT if none)."""
    left = pd.DataFrame({"journey": jn.index.to_numpy(), "person": jn["person"].to_numpy(),
                         "j_end": jn["j_end"].to_numpy(dtype="datetime64[ns]")}).dropna(subset=["j_end"])
    right = events.dropna(subset=["date"]).sort_values("date")
    if left.empty or right.empty:
        return pd.Series(pd.NaT, index=jn.index, dtype="datetime64[ns]")
    merged = pd.merge_asof(left.sort_values("j_end"), right, left_on="j_end", right_on="date", by="person",
                           direction="forward", allow_exact_matches=False)
    return merged.set_index("journey")["date"].reindex(jn.index).astype("datetime64[ns]")


def _modality_starts(ctx: Context) -> pd.DataFrame:
    m = ctx.mods
    return pd.DataFrame({"person": ctx.ep["person"].to_numpy()[m["ep"].to_numpy()],
                         "date": m["modality_start_date"].to_numpy(dtype="datetime64[ns]")})


def _referrals_and_triages(ctx: Context) -> pd.DataFrame:
    ep = ctx.ep
    return pd.DataFrame({
        "person": np.concatenate([ep["person"].to_numpy(), ep["person"].to_numpy()]),
        "date": np.concatenate([ep["referral_date"].to_numpy(dtype="datetime64[ns]"),
                                ep["triage_date"].to_numpy(dtype="datetime64[ns]")])})


def treatment_system_exits(ctx: Context):
    jn = ctx.jn[_in(ctx.jn["j_end"], ctx).to_numpy(dtype=bool)]
    gap = pd.Timedelta(days=ctx.settings.exit_gap_days)
    following = _next_event(ctx, jn, _modality_starts(ctx)) if ctx.mods is not None else None
    if following is not None:
        jn = jn[~(following <= jn["j_end"] + gap).to_numpy(dtype=bool)]
    pending = jn["j_end"] + gap > ctx.as_at
    return per_journey(ctx, "treatment_system_exits", jn.index, jn["last_planned"], pending, record="last_pos")


def completions(ctx: Context) -> pd.DataFrame:
    """Every journey ending in P with a planned discharge, and whether (and by when) the client
    re-presented after it: a new referral or triage in (J_end, J_end + representation_months]."""
    if "completions" in ctx.cache:
        return ctx.cache["completions"]
    jn = ctx.jn[(_in(ctx.jn["j_end"], ctx) & ctx.jn["last_planned"]).to_numpy(dtype=bool)]
    jn = jn.assign(journey=jn.index).sort_values(["person", "j_end", "journey"], kind="stable").drop(columns="journey")
    window_end = jn["j_end"] + pd.DateOffset(months=ctx.settings.representation_months)
    following = _next_event(ctx, jn, _referrals_and_triages(ctx))
    ctx.cache["completions"] = done = jn.assign(represented=(following <= window_end).to_numpy(dtype=bool),
                                                settled=(window_end <= ctx.as_at).to_numpy(dtype=bool))
    return done


def successful_completions(ctx: Context):
    """Clients in treatment in P, each by their latest completion in P (else their latest journey);
    numerator: not re-presented within the window (window still open at as_at: provisional)."""
    in_tx = ctx.in_treatment(ctx.p_start, ctx.p_end).to_numpy()
    people = ctx.ep.loc[in_tx, "person"].unique()
    done = completions(ctx).drop_duplicates("person", keep="last")
    done = done[done["person"].isin(people)]
    others = latest_journey(ctx, in_tx)
    others = others[~ctx.jn.loc[others, "person"].isin(done["person"]).to_numpy()]
    units = done.index.append(others)
    success = pd.Series(False, index=units)
    provisional = pd.Series(False, index=units)
    ok = ~done["represented"]
    success[done.index[ok & done["settled"]]] = True
    provisional[done.index[ok & ~done["settled"]]] = True
    return per_journey(ctx, "successful_completions", units, success.to_numpy(),
                       provisional=provisional.to_numpy(), record="last_pos")


def representations(ctx: Context):
    """Clients with a completion in P; numerator: re-presented after any of them (counted once)."""
    done = completions(ctx)
    return per_client_journeys(ctx, "representations", done.index, done["represented"].to_numpy())
