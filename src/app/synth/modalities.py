"""Modality rows: 1-3 per treated episode, one after another, types fitting the substance."""

from __future__ import annotations

import numpy as np
import pandas as pd

from app.synth.episodes import PLANNED, Timeline
from app.synth.people import ALCOHOL, CRACK, NON_OPIATE, OPIATE, choice

TYPES = {
    OPIATE: (("SPRX", "GPRX", "PSY", "INPT", "RESI", "SDP", "OSI"), (0.50, 0.16, 0.20, 0.05, 0.03, 0.03, 0.03)),
    CRACK: (("PSY", "SDP", "OSI", "RESI", "INPT"), (0.62, 0.13, 0.17, 0.05, 0.03)),
    NON_OPIATE: (("PSY", "SDP", "OSI", "RESI"), (0.70, 0.10, 0.17, 0.03)),
    ALCOHOL: (("ALC", "PSY", "INPT", "RESI", "SDP"), (0.62, 0.22, 0.09, 0.04, 0.03)),
}


def _types(rng: np.random.Generator, group: np.ndarray, first: np.ndarray) -> np.ndarray:
    out = np.full(len(group), None, dtype=object)
    for g, (values, p) in TYPES.items():
        mask = group == g
        if mask.any():
            out[mask] = choice(rng, values, p, int(mask.sum()))
    # an alcohol client's first modality is a structured alcohol intervention most of the time
    alc_first = first & (group == ALCOHOL) & (rng.random(len(group)) < 0.8)
    out[alc_first] = "ALC"
    return out


def modality_rows(rng: np.random.Generator, tl: Timeline, group: np.ndarray, as_at: int) -> pd.DataFrame:
    """One row per modality with day numbers; columns ep (episode index), j (0-based order)."""
    k = tl.n_modalities
    ep = np.repeat(np.arange(len(k)), k)
    j = np.arange(len(ep)) - np.repeat(np.cumsum(k) - k, k)
    kk = k[ep].astype(float)
    start0 = tl.mod_start[ep]
    mref0 = tl.mod_referral[ep]
    span = tl.planned_end[ep] - start0
    start = np.where(j == 0, start0, start0 + np.floor(span * j / kk))
    mref = np.where(j == 0, mref0, np.maximum(start - rng.integers(0, 15, len(ep)), mref0))
    nxt = start0 + np.floor(span * (j + 1) / kk)
    gap = rng.integers(0, 4, len(ep))
    end = np.where(j == kk - 1, tl.planned_end[ep] - gap, nxt - gap)
    end = np.maximum(end, start)
    end = np.minimum(end, tl.planned_end[ep])
    # cut at as_at: not referred yet -> no row; not started / not ended -> blank
    keep = ~np.isnan(mref) & (mref <= as_at)
    start = np.where(np.isnan(start) | (start > as_at), np.nan, start)
    end = np.where(np.isnan(start) | (end > as_at), np.nan, end)
    offered = np.where(rng.random(len(ep)) < 0.85,
                       mref + np.floor(rng.random(len(ep)) * (start - mref)), np.nan)
    last = j == kk - 1
    reason = tl.draw_reason[ep]
    status = np.where(rng.random(len(ep)) < 0.8, "A", "B").astype(object)
    status[last & np.isin(reason, PLANNED)] = "A"
    status[last & np.isin(reason, ("INDO", "INRC", "INDI", "OTHR"))] = "B"
    status[last & (reason == "INTW")] = "C"
    status[np.isnan(end)] = None
    frame = pd.DataFrame({
        "ep": ep, "j": j,
        "modality_id": np.char.add("M", (j + 1).astype(str)).astype(object),
        "modality_type": _types(rng, group[ep], j == 0),
        "modality_referral_date": mref, "first_appt_offered_date": offered,
        "modality_start_date": start, "modality_end_date": end, "modality_exit_status": status,
    })
    return frame[keep].reset_index(drop=True)
