"""Treatment journeys: one client's episodes, across providers, linked into continuous treatment.

spec/measures.md "Episode and journey": episodes of one client (``rules.derived.client_key``; consent
``N`` episodes only within their provider by provider + client_ref) in referral order; the next
episode joins the journey when it overlaps the journey so far (referred on or before its latest
discharge, or while an episode is open) or its first modality starts within ``journey_gap_days``
after that discharge. Referral-only episodes (no triage and no modality start) are treatment of no
journey: they get no journey id. Vectorised: one sort, then group-wise running max and shift.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rules import derived

_FAR = np.datetime64("2262-01-01", "ns")


def episode_frame(episodes: pd.DataFrame, modalities: pd.DataFrame | None) -> pd.DataFrame:
    """Per episode (aligned to ``episodes``): person (link key), E_start, first modality start, E_end."""
    return pd.DataFrame({
        "person": derived.client_key(episodes).fillna(""),
        "referral_date": episodes["referral_date"],
        "first_modality_start": derived.first_modality_start(episodes, modalities),
        "e_start": derived.episode_start(episodes, modalities),
        "e_end": episodes["discharge_date"],
    }, index=episodes.index)


def link(frame: pd.DataFrame, *, gap_days: int = 21) -> pd.Series:
    """Journey id (Int64, NA for referral-only episodes) for each row of an ``episode_frame``.

    Ids are numbered in (person, referral order); ties in referral date keep the frame's order.
    """
    treated = frame["e_start"].notna()
    sub = frame.loc[treated, ["person", "referral_date", "e_start", "first_modality_start", "e_end"]].copy()
    sub["_pos"] = np.arange(len(sub))
    sub = sub.sort_values(["person", "referral_date", "e_start", "_pos"], kind="stable", na_position="last")
    person = sub["person"].to_numpy()
    end = sub["e_end"].to_numpy(dtype="datetime64[ns]")
    end = np.where(np.isnat(end), _FAR, end)
    running = pd.Series(end, index=sub.index).groupby(person).cummax()
    prev_end = running.groupby(person).shift(1)
    same = pd.Series(person, index=sub.index).eq(pd.Series(person, index=sub.index).shift(1))
    overlaps = (sub["referral_date"] <= prev_end).fillna(False)
    within_gap = ((sub["first_modality_start"] - prev_end).dt.days <= gap_days).fillna(False)
    new = ~same | ~(overlaps | within_gap)
    ids = new.astype("int64").cumsum() - 1
    out = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    out.loc[ids.index] = ids.to_numpy()
    return out.rename("journey")


def journey_table(frame: pd.DataFrame, journey: pd.Series, *, start: pd.Series,
                  planned: pd.Series) -> pd.DataFrame:
    """One row per journey: person, j_start (earliest ``start`` of its episodes), j_end (latest
    discharge; NaT if any episode is open), first_modality_start, first_pos (its first
    episode in referral order), last_pos (position of the episode
    that ends it: latest discharge, ties the later referral) and last_planned."""
    data = pd.DataFrame({
        "journey": journey.to_numpy(), "person": frame["person"].to_numpy(),
        "start": start.to_numpy(), "e_end": frame["e_end"].to_numpy(),
        "first_modality_start": frame["first_modality_start"].to_numpy(),
        "referral_date": frame["referral_date"].to_numpy(),
        "planned": planned.to_numpy(dtype=bool), "pos": np.arange(len(frame)),
    })
    data = data[data["journey"].notna()]
    data["journey"] = data["journey"].astype("int64")
    grouped = data.groupby("journey", sort=True)
    table = pd.DataFrame({
        "person": grouped["person"].first(),
        "j_start": grouped["start"].min(),
        "any_open": data["e_end"].isna().groupby(data["journey"]).any(),
        "max_end": grouped["e_end"].max(),
        "first_modality_start": grouped["first_modality_start"].min(),
        "episodes": grouped["pos"].size(),
    })
    table["j_end"] = table["max_end"].where(~table["any_open"])
    ordered = data.sort_values(["journey", "e_end", "referral_date", "pos"], na_position="first", kind="stable")
    last = ordered.drop_duplicates("journey", keep="last").set_index("journey")
    table["last_pos"] = last["pos"]
    first = data.sort_values(["journey", "referral_date", "pos"], kind="stable").drop_duplicates("journey")
    table["first_pos"] = first.set_index("journey")["pos"]
    table["last_planned"] = last["planned"] & table["j_end"].notna()
    return table.drop(columns=["max_end", "any_open"]).rename_axis(None)
