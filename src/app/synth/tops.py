"""Treatment Outcomes Profile rows: start near the first modality, six-monthly reviews, exit TOPs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from app.synth.episodes import PLANNED, Timeline
from app.synth.people import ALCOHOL, CRACK, NON_OPIATE, OPIATE

MAX_REVIEWS = 12
STAGE_ORDER = {"S": 0, "R": 1, "E": 2, "P": 3}
VALUE_COLUMNS = ("opiate_days", "crack_days", "cocaine_days", "alcohol_days", "cannabis_days",
                 "injecting_days", "psych_health", "physical_health", "quality_of_life")
#: chance of using on a day at the start TOP, by group, per substance column
USE = {
    OPIATE: (0.75, 0.40, 0.08, 0.20, 0.20, 0.30),
    CRACK: (0.03, 0.55, 0.15, 0.25, 0.20, 0.04),
    NON_OPIATE: (0.01, 0.04, 0.40, 0.25, 0.45, 0.01),
    ALCOHOL: (0.0, 0.02, 0.06, 0.75, 0.08, 0.0),
}
#: how much use falls by stage (start, review, exit, post-exit)
STAGE_FACTOR = np.array([1.0, 0.45, 0.15, 0.2])


def _stack(parts: list[tuple[np.ndarray, np.ndarray, str]]) -> pd.DataFrame:
    eps, dates, stages = [], [], []
    for ep, date, stage in parts:
        ok = ~np.isnan(date)
        eps.append(ep[ok])
        dates.append(date[ok])
        stages.append(np.full(int(ok.sum()), stage, dtype=object))
    return pd.DataFrame({"ep": np.concatenate(eps), "top_date": np.concatenate(dates),
                         "top_stage": np.concatenate(stages)})


def top_rows(rng: np.random.Generator, tl: Timeline, group: np.ndarray, as_at: int) -> pd.DataFrame:
    """TOP rows with day-number dates, ids T1.. in date order within each episode."""
    n = len(group)
    idx = np.arange(n)
    started = ~np.isnan(tl.mod_start)
    closed = ~np.isnan(tl.discharge)
    limit = np.where(closed, tl.discharge, as_at)
    off = np.where(rng.random(n) < 0.9, rng.integers(-7, 15, n), rng.integers(15, 46, n))
    start_top = np.maximum(tl.mod_start + off, tl.triage)
    start_top[~started | (rng.random(n) >= 0.88) | (start_top > limit)] = np.nan
    parts = [(idx, start_top, "S")]

    base = np.where(np.isnan(start_top), tl.mod_start, start_top)
    for r in range(1, MAX_REVIEWS + 1):
        date = base + 182 * r + rng.integers(-30, 31, n)
        date[~started | (date >= limit) | (rng.random(n) >= 0.8)] = np.nan
        parts.append((idx, date, "R"))

    planned = np.isin(tl.reason, PLANNED)
    want_exit = closed & started & (rng.random(n) < np.where(planned, 0.8, 0.15))
    exit_top = np.minimum(np.maximum(tl.discharge + rng.integers(-14, 8, n), tl.triage), as_at)
    exit_top[~want_exit] = np.nan
    parts.append((idx, exit_top, "E"))
    post = tl.discharge + rng.integers(150, 184, n)
    post[~(planned & started) | (rng.random(n) >= 0.1) | (post > as_at)] = np.nan
    parts.append((idx, post, "P"))

    frame = _stack(parts)
    frame["order"] = frame["top_stage"].map(STAGE_ORDER)
    frame = frame.sort_values(["ep", "top_date", "order"], kind="stable").reset_index(drop=True)
    frame["top_id"] = "T" + (frame.groupby("ep").cumcount() + 1).astype(str)
    _values(rng, frame, group)
    _clean_completions(frame, planned)
    return frame.drop(columns=["order"])


def _values(rng: np.random.Generator, frame: pd.DataFrame, group: np.ndarray) -> None:
    m = len(frame)
    g = group[frame["ep"].to_numpy()]
    use = np.array([USE[x] for x in range(4)])[g]  # m x 6
    factor = STAGE_FACTOR[frame["order"].to_numpy()][:, None]
    p = np.clip(use * factor * rng.uniform(0.5, 1.3, (m, 1)), 0, 1)
    days = rng.binomial(28, p)
    for i, name in enumerate(VALUE_COLUMNS[:6]):
        frame[name] = days[:, i]
    mean = 9 + 3 * frame["order"].clip(upper=2).to_numpy()
    for name in VALUE_COLUMNS[6:]:
        frame[name] = np.clip(np.round(rng.normal(mean, 3.5)), 0, 20).astype(int)


def _clean_completions(frame: pd.DataFrame, planned: np.ndarray) -> None:
    """A completed (TCDF/TCOU) episode's latest TOP shows no opiate or crack use."""
    latest = frame.groupby("ep")["top_date"].transform("max") == frame["top_date"]
    mask = latest & planned[frame["ep"].to_numpy()]
    frame.loc[mask, ["opiate_days", "crack_days"]] = 0
