"""The flat form: one row per episode carrying its first modality and three TOP dates.

Only what survives the flat sheet is kept, as the reader splits it back: the first modality
(``M1``, no first-appointment date) and at most one start, one review (the latest) and one exit TOP,
with positional ids ``T1`` start, ``T2`` review, ``T3`` exit and no TOP scores.
"""

from __future__ import annotations

import pandas as pd

from app.synth.tops import VALUE_COLUMNS

FLAT_TOPS: dict[str, tuple[str, str]] = {"S": ("T1", "top_start_date"), "R": ("T2", "top_review_date"),
                                         "E": ("T3", "top_exit_date")}
MODALITY_FLAT: tuple[str, ...] = ("modality_type", "modality_referral_date", "modality_start_date",
                                  "modality_end_date", "modality_exit_status")


def project(episodes: pd.DataFrame, modalities: pd.DataFrame, tops: pd.DataFrame
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The modality and TOP rows a flat sheet can hold; each child gets ``_ep``, its episode's index."""
    parent = pd.Series(episodes.index, index=pd.MultiIndex.from_frame(episodes[["provider_code", "episode_id"]]))
    mods = modalities[modalities["modality_id"] == "M1"].copy()
    mods["first_appt_offered_date"] = None
    mods["_ep"] = parent.loc[list(zip(mods["provider_code"], mods["episode_id"], strict=True))].to_numpy()
    tops = tops[tops["top_stage"].isin(list(FLAT_TOPS))]
    tops = tops.sort_values("top_date", kind="stable").drop_duplicates(
        ["provider_code", "episode_id", "top_stage"], keep="last").copy()
    tops["top_id"] = tops["top_stage"].map(lambda s: FLAT_TOPS[s][0])
    for name in VALUE_COLUMNS:
        tops[name] = None
    tops["_ep"] = parent.loc[list(zip(tops["provider_code"], tops["episode_id"], strict=True))].to_numpy()
    tops = tops.sort_values(["_ep", "top_id"], kind="stable")
    return mods.reset_index(drop=True), tops.reset_index(drop=True)


def flat_sheet(episodes: pd.DataFrame, modalities: pd.DataFrame, tops: pd.DataFrame) -> pd.DataFrame:
    """One row per episode (same order as ``episodes``) with the flat columns filled from its children.

    A child sits on its episode's row, so children are matched by ``_file`` and ``_row``.
    """
    out = episodes.reset_index(drop=True)
    row = pd.Series(out.index, index=pd.MultiIndex.from_frame(out[["_file", "_row"]]))
    columns: dict[str, list] = {}
    for name in (*MODALITY_FLAT, *(c for _, c in FLAT_TOPS.values())):
        columns[name] = [None] * len(out)
    for m in zip(modalities["_file"], modalities["_row"], *(modalities[c] for c in MODALITY_FLAT), strict=True):
        i = row[(m[0], m[1])]
        for name, value in zip(MODALITY_FLAT, m[2:], strict=True):
            columns[name][i] = value
    for f, r, stage, date in zip(tops["_file"], tops["_row"], tops["top_stage"], tops["top_date"], strict=True):
        columns[FLAT_TOPS[stage][1]][row[(f, r)]] = date
    for name, values in columns.items():
        out[name] = pd.Series(values, dtype=object)
    return out
