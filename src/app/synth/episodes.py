"""Episode timelines: triage, treatment start, discharge and its reason, care plan (day numbers).

Every date respects the error rules of spec/rules.md by construction: triage >= referral,
discharge >= triage, nothing after as_at; a discharged episode's modalities all end by discharge.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.synth.people import OPIATE

NAN = np.nan
REASONS = ("TCDF", "TCOU", "TRNC", "TRIC", "INDO", "INTW", "INRC", "INDC", "INDI", "OTHR")
REASON_P = (0.24, 0.08, 0.04, 0.03, 0.34, 0.06, 0.04, 0.07, 0.015, 0.085)
PLANNED = ("TCDF", "TCOU")


@dataclass
class Timeline:
    """Per-episode day numbers (NaN = blank) and outcome; arrays of one length."""

    triage: np.ndarray
    care_plan: np.ndarray
    discharge: np.ndarray
    reason: np.ndarray      # object: discharge reason, None when open
    mod_referral: np.ndarray  # first modality referral (NaN: none)
    mod_start: np.ndarray     # first modality start (NaN: not started)
    n_modalities: np.ndarray  # int, 0-3
    planned_end: np.ndarray   # the episode's end had it not been cut by as_at (for modality spacing)
    draw_reason: np.ndarray   # reason drawn, used for exit statuses


def _geometric_days(rng: np.random.Generator, mean: float, n: int) -> np.ndarray:
    return np.floor(rng.exponential(mean, n))


def timelines(rng: np.random.Generator, *, referral: np.ndarray, group: np.ndarray,
              triage_rate: np.ndarray, as_at: int, never_triaged: np.ndarray, pdu: np.ndarray) -> Timeline:
    """Draw each episode's timeline from its referral date, substance group and provider triage rate."""
    n = len(referral)
    within = rng.random(n) < triage_rate
    delay = np.where(within, np.minimum(_geometric_days(rng, 9.0, n), 42),
                     43 + _geometric_days(rng, 20.0, n))
    triage = referral + delay
    triage[(triage > as_at) | never_triaged] = NAN
    triaged = ~np.isnan(triage)

    reason = np.array(REASONS, dtype=object)[rng.choice(len(REASONS), size=n, p=REASON_P)]
    reason[(reason == "TCOU") & pdu] = "TCDF"  # heroin or crack users cannot be "occasional users"
    declined = reason == "INDC"

    k = rng.choice([1, 2, 3], size=n, p=[0.6, 0.3, 0.1])
    k[declined | ~triaged] = 0
    mref = triage + rng.integers(0, 8, n)
    late = rng.random(n) < 0.12
    wait = np.where(late, 22 + _geometric_days(rng, 18.0, n), np.minimum(_geometric_days(rng, 7.0, n), 21))
    start = mref + wait

    planned = np.isin(reason, PLANNED)
    length = np.where(planned, rng.lognormal(np.log(240), 0.45, n), rng.lognormal(np.log(110), 0.8, n))
    long_term = (group == OPIATE) & (rng.random(n) < 0.18)  # opiate substitution clients stay years
    length = np.where(long_term, rng.uniform(700, 2200, n), length)
    length = np.floor(np.clip(length, 7, 2400))
    end = np.where(declined, triage + rng.integers(1, 60, n), start + length)
    end[~triaged] = NAN

    discharge = np.where(end <= as_at, end, NAN)
    mref[(k == 0) | (mref > as_at)] = NAN
    k[np.isnan(mref)] = 0
    start[np.isnan(mref) | (start > as_at)] = NAN
    # a discharged episode has only started modalities; modalities no longer than the episode
    k = np.where(np.isnan(length), k, np.minimum(k, np.maximum(1, length // 21))).astype(int)
    k[np.isnan(mref)] = 0
    closed = ~np.isnan(discharge)
    out_reason = np.where(closed, reason, None).astype(object)

    has_mod = k > 0
    cp_gap = rng.integers(0, 22, n).astype(float)
    care_plan = np.where(has_mod & (rng.random(n) < 0.9), triage + cp_gap, NAN)
    limit = np.where(closed, discharge, as_at)
    care_plan = np.where(care_plan > limit, limit, care_plan)
    return Timeline(triage=triage, care_plan=care_plan, discharge=discharge, reason=out_reason,
                    mod_referral=mref, mod_start=start, n_modalities=k, planned_end=end,
                    draw_reason=reason)
