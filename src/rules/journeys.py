"""Treatment journeys: one client's episodes, across providers, linked into continuous treatment.

spec/measures.md "Episode and journey": episodes of one client (``rules.derived.client_key``; consent
``N`` episodes only within their provider by provider + client_ref) in referral order; the next
episode joins the journey when it overlaps the journey so far (referred on or before its latest
discharge, or while an episode is open) or its first modality starts within ``journey_gap_days``
after that discharge. Referral-only episodes (no triage and no modality start) are treatment of no
journey: they get no journey id. Vectorised in numpy: one sort, then a group-wise running max
(``np.maximum.accumulate`` on values offset per person) and a shift; per-journey values by ``reduceat``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rules import derived

_FAR = np.datetime64("2262-01-01", "ns")


def episode_frame(episodes: pd.DataFrame, modalities: pd.DataFrame | None) -> pd.DataFrame:
    """Per episode (aligned to ``episodes``): person (link key), E_start, first modality start, E_end."""
    first = derived.first_modality_start(episodes, modalities)
    return pd.DataFrame({
        "person": derived.client_key(episodes).fillna(""),
        "referral_date": episodes["referral_date"],
        "first_modality_start": first,
        "e_start": episodes["triage_date"].fillna(first).rename("episode_start"),
        "e_end": episodes["discharge_date"],
    }, index=episodes.index)


_NAT = np.iinfo(np.int64).min


def _ns(values: pd.Series | np.ndarray) -> np.ndarray:
    """Dates as int64 nanoseconds (NaT = the smallest int64)."""
    arr = values.to_numpy(dtype="datetime64[ns]") if isinstance(values, pd.Series) else values
    return np.asarray(arr, dtype="datetime64[ns]").view(np.int64)


def _na_last(ns: np.ndarray) -> np.ndarray:
    return np.where(ns == _NAT, np.iinfo(np.int64).max, ns)


def _person_codes(person: pd.Series) -> np.ndarray:
    """Codes ordered like the person values themselves (sorting by code = sorting by person)."""
    return np.asarray(pd.factorize(person, sort=True)[0], dtype=np.int64)


def link(frame: pd.DataFrame, *, gap_days: int = 21) -> pd.Series:
    """Journey id (Int64, NA for referral-only episodes) for each row of an ``episode_frame``.

    Ids are numbered in (person, referral order); ties in referral date keep the frame's order.
    """
    treated = np.flatnonzero(frame["e_start"].notna().to_numpy())
    out = np.full(len(frame), -1, dtype=np.int64)
    if len(treated):
        person = _person_codes(frame["person"].iloc[treated])
        referral = _ns(frame["referral_date"])[treated]
        e_start = _ns(frame["e_start"])[treated]
        order = np.lexsort((np.arange(len(treated)), _na_last(e_start), _na_last(referral), person))
        person, referral = person[order], referral[order]
        first_mod = _ns(frame["first_modality_start"])[treated][order]
        end = _ns(frame["e_end"])[treated][order]
        end = np.where(end == _NAT, _FAR.view(np.int64), end)
        same = np.r_[False, person[1:] == person[:-1]]
        running = _group_cummax(end, np.cumsum(~same) - 1)  # latest discharge so far, per person
        prev_end = np.r_[_NAT, running[:-1]]
        overlaps = same & (referral != _NAT) & (referral <= prev_end)
        day = np.int64(86_400_000_000_000)
        gap = first_mod // day - prev_end // day  # whole days (dates carry no time)
        within_gap = same & (first_mod != _NAT) & (gap <= gap_days)
        new = ~same | ~(overlaps | within_gap)
        out[treated[order]] = np.cumsum(new) - 1
    ids = pd.array(out, dtype="Int64")
    ids[out < 0] = pd.NA
    return pd.Series(ids, index=frame.index, name="journey")


def _group_cummax(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Running max of ``values`` restarting at every new ``group`` (groups contiguous, ascending).

    Values are replaced by their rank and each group lifted above the previous ones, so one
    ``np.maximum.accumulate`` over the whole array does every group at once, exactly.
    """
    if not len(values):
        return values
    uniques, rank = np.unique(values, return_inverse=True)
    lifted = rank.astype(np.int64) + group.astype(np.int64) * (len(uniques) + 1)
    return uniques[np.maximum.accumulate(lifted) - group.astype(np.int64) * (len(uniques) + 1)]


def journey_table(frame: pd.DataFrame, journey: pd.Series, *, start: pd.Series,
                  planned: pd.Series) -> pd.DataFrame:
    """One row per journey: person, j_start (earliest ``start`` of its episodes), j_end (latest
    discharge; NaT if any episode is open), first_modality_start, first_pos (its first
    episode in referral order), last_pos (position of the episode
    that ends it: latest discharge, ties the later referral), last_planned, and the positions of the
    episodes holding J_start (start_pos) and the earliest modality start (first_modality_pos), ties
    the earlier referral (spec/measures.md "Provider rows")."""
    ids = journey.to_numpy(dtype=np.float64, na_value=np.nan)
    pos = np.flatnonzero(~np.isnan(ids))
    jid = ids[pos].astype(np.int64)
    order = pos[np.argsort(jid, kind="stable")]
    jid_sorted = ids[order].astype(np.int64)
    journeys_ = np.unique(jid_sorted)
    starts = np.searchsorted(jid_sorted, journeys_)
    has = len(order) > 0

    def lowest(values: pd.Series) -> np.ndarray:
        ns = _na_last(_ns(values)[order])
        low = np.minimum.reduceat(ns, starts) if has else ns[:0]
        return np.where(low == np.iinfo(np.int64).max, _NAT, low).view("datetime64[ns]")

    end = _ns(frame["e_end"])[order]
    max_end = np.maximum.reduceat(end, starts) if has else end[:0]
    any_open = np.minimum.reduceat((end != _NAT).astype(np.int8), starts) == 0 if has else end[:0] == 0
    j_end = np.where(any_open, _NAT, max_end).view("datetime64[ns]")
    referral = _ns(frame["referral_date"])
    e_end = _ns(frame["e_end"])
    by_end = np.lexsort((pos, referral[pos], e_end[pos], jid))
    last_rows = pos[by_end][np.r_[jid[by_end][1:] != jid[by_end][:-1], True]] if len(pos) else pos
    by_referral = np.lexsort((pos, _na_last(referral[pos]), jid))
    first_rows = pos[by_referral][np.r_[True, jid[by_referral][1:] != jid[by_referral][:-1]]] if len(pos) else pos

    def holding_lowest(values: pd.Series) -> np.ndarray:
        """Per journey, the position of the episode with the lowest value (ties: earlier referral)."""
        by_value = np.lexsort((pos, _na_last(referral[pos]), _na_last(_ns(values)[pos]), jid))
        return pos[by_value][np.r_[True, jid[by_value][1:] != jid[by_value][:-1]]] if len(pos) else pos
    counts = np.diff(np.r_[starts, len(order)]) if has else np.zeros(0, dtype=np.int64)
    person = frame["person"].to_numpy()[order[starts]] if has else frame["person"].to_numpy()[:0]
    table = pd.DataFrame({
        "person": person,
        "j_start": lowest(start),
        "first_modality_start": lowest(frame["first_modality_start"]),
        "episodes": counts.astype(np.int64),
        "j_end": j_end,
        "last_pos": last_rows.astype(np.int64),
        "first_pos": first_rows.astype(np.int64),
        "start_pos": holding_lowest(start).astype(np.int64),
        "first_modality_pos": holding_lowest(frame["first_modality_start"]).astype(np.int64),
        "last_planned": planned.to_numpy(dtype=bool)[last_rows] & ~np.isnat(j_end),
    }, index=pd.Index(journeys_.astype(np.int64)))
    return table


def modality_groups(journey: pd.Series, episode_of_modality: np.ndarray) -> np.ndarray:
    """The group each modality row's "first modality" is chosen in: its episode's journey, or for an
    episode of no journey (referral only) that episode alone; -1 for a row of no episode."""
    ids = journey.to_numpy(dtype=np.float64, na_value=np.nan)
    per_episode = np.where(np.isnan(ids), -1, np.nan_to_num(ids, nan=-1)).astype(np.int64)
    alone = per_episode < 0
    per_episode[alone] = per_episode.max(initial=-1) + 1 + np.flatnonzero(alone)
    ep = np.asarray(episode_of_modality, dtype=np.int64)
    return np.where(ep >= 0, per_episode[np.maximum(ep, 0)], -1) if len(per_episode) else np.full(len(ep), -1)


def first_modalities(group: np.ndarray, referral: pd.Series, start: pd.Series) -> np.ndarray:
    """Row positions of each group's **first modality** (spec/measures.md ``waiting_within_3_weeks``):
    the earliest modality_referral_date; ties the earliest modality_start_date, then file order.

    The one definition the ``wait-within-3-weeks`` rule, the measure and its drill-down all use.
    """
    group = np.asarray(group, dtype=np.int64)
    pos = np.flatnonzero(group >= 0)
    if not len(pos):
        return pos
    order = np.lexsort((pos, _na_last(_ns(start)[pos]), _na_last(_ns(referral)[pos]), group[pos]))
    ranked = pos[order]
    first = np.r_[True, group[ranked][1:] != group[ranked][:-1]]
    return np.sort(ranked[first])
