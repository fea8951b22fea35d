"""A clean fictional partnership: providers, clients, episodes, modalities and TOPs as canonical text.

Clean means no error rule of spec/rules.md is broken; the performance warnings occur at realistic
rates. Some clients are seen twice: a transfer (TRNC at one provider, referral at another within
21 days, same initials, dob and sex so ``client_key`` links them) or a return to the same provider.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.synth import people
from app.synth.dates import day_number, iso
from app.synth.episodes import Timeline, timelines
from app.synth.modalities import modality_rows
from app.synth.tops import VALUE_COLUMNS, top_rows
from rules.codes import SUBSTANCE_GROUP
from rules.columns import column_names

HISTORY_DAYS = 913  # about 2.5 years of referrals before as_at
CLIENT_PREFIX = ("CL", "R", "P-", "ID", "C")


@dataclass
class Clean:
    episodes: pd.DataFrame
    modalities: pd.DataFrame
    tops: pd.DataFrame
    codes: list[str]


def provider_codes(providers: int) -> list[str]:
    return [f"N{9001 + i}" for i in range(providers)]


def _split(rng: np.random.Generator, providers: int, n: int) -> np.ndarray:
    """Provider index per episode: uneven shares, none tiny."""
    weights = 0.6 * rng.dirichlet(np.full(providers, 2.0)) + 0.4 / providers
    return rng.choice(providers, size=n, p=weights / weights.sum())


def _persons(rng: np.random.Generator, n: int, as_at: int, provider: np.ndarray) -> dict[str, np.ndarray]:
    group = rng.choice(4, size=n, p=people.GROUP_P)
    referral = as_at - rng.integers(0, HISTORY_DAYS, n).astype(float)
    drug1, drug2, drug3 = people.substances(rng, group)
    consent = np.where(rng.random(n) < 0.03, "N", "Y").astype(object)
    first, surname = people.initials(rng, n), people.initials(rng, n)
    first[consent == "N"] = None
    surname[consent == "N"] = None
    return {
        "provider": provider, "group": group, "referral": referral,
        "dob": referral - people.age_days(rng, group), "sex": people.sexes(rng, group),
        "ethnicity": people.choice(rng, *people.ETHNICITY, n), "postcode": people.postcodes(rng, n),
        "first_initial": first, "surname_initial": surname, "consent": consent,
        "referral_source": people.choice(rng, *people.REFERRAL_SOURCE, n),
        "drug1": drug1, "drug2": drug2, "drug3": drug3,
        "injecting_status": people.by_group(rng, group, {g: (people.INJECTING[0], p)
                                                         for g, p in people.INJECTING[1].items()}),
        "never_triaged": rng.random(n) < 0.02,
    }


def _follow_ons(rng: np.random.Generator, p: dict, tl: Timeline, n_follow: int, providers: int,
                as_at: int) -> tuple[dict, np.ndarray]:
    """Second episodes of some discharged clients: transfers to another provider, or returns."""
    ok = (~np.isnan(tl.discharge) & (tl.discharge + 22 < as_at) & (p["consent"] == "Y")
          & (tl.reason != "INDI"))
    candidates = np.flatnonzero(ok)
    chosen = np.sort(rng.choice(candidates, size=min(n_follow, len(candidates)), replace=False))
    m = len(chosen)
    transfer = rng.random(m) < (0.55 if providers > 1 else 0.0)
    f = {k: v[chosen].copy() for k, v in p.items()}
    shift = rng.integers(1, max(providers, 2), m)
    f["provider"] = np.where(transfer, (f["provider"] + shift) % providers, f["provider"])
    gap = np.where(transfer, rng.integers(0, 22, m), rng.integers(30, 541, m))
    f["referral"] = np.minimum(tl.discharge[chosen] + gap, as_at)
    f["referral_source"] = np.where(transfer, "DRUGSVC", f["referral_source"]).astype(object)
    f["never_triaged"] = np.zeros(m, dtype=bool)
    f["postcode"] = people.postcodes(rng, m)
    for name in ("reason", "draw_reason"):
        getattr(tl, name)[chosen[transfer]] = "TRNC"
    f["person"] = p["person"][chosen]
    return f, transfer


def _pdu(p: dict) -> np.ndarray:
    """Any substance opiate or crack (a PDU: never an "occasional user" completion)."""
    pdu_codes = [c for c, g in SUBSTANCE_GROUP.items() if g in ("OPIATE", "CRACK")]
    return np.isin(p["drug1"], pdu_codes) | np.isin(p["drug2"], pdu_codes) | np.isin(p["drug3"], pdu_codes)


def _concat(a: dict, b: dict) -> dict:
    return {k: np.concatenate([a[k], b[k]]) for k in a}


def generate_clean(*, providers: int, episodes: int, seed: int, as_at: dt.date) -> Clean:
    """The clean partnership for these arguments (same arguments, same data)."""
    rng = np.random.default_rng(seed)
    a = day_number(as_at)
    codes = provider_codes(providers)
    triage_rate = rng.uniform(0.58, 0.93, providers)
    n_follow = int(round(0.07 * episodes)) if episodes >= 20 else 0
    n_first = episodes - n_follow
    p = _persons(rng, n_first, a, _split(rng, providers, n_first))
    p["person"] = np.arange(n_first)
    tl = timelines(rng, referral=p["referral"], group=p["group"], triage_rate=triage_rate[p["provider"]],
                   as_at=a, never_triaged=p["never_triaged"], pdu=_pdu(p))
    f, _ = _follow_ons(rng, p, tl, n_follow, providers, a)
    extra = episodes - n_first - len(f["provider"])
    if extra:
        e = _persons(rng, extra, a, _split(rng, providers, extra))
        e["person"] = np.arange(n_first, n_first + extra)
        f = _concat(f, e)
    ftl = timelines(rng, referral=f["referral"], group=f["group"], triage_rate=triage_rate[f["provider"]],
                    as_at=a, never_triaged=f["never_triaged"], pdu=_pdu(f))
    p = _concat(p, f)
    tl = Timeline(**{k: np.concatenate([getattr(tl, k), getattr(ftl, k)]) for k in tl.__dataclass_fields__})
    mods = modality_rows(rng, tl, p["group"], a)
    tops = top_rows(rng, tl, p["group"], a)
    return _assemble(p, tl, mods, tops, codes)


def _assemble(p: dict, tl: Timeline, mods: pd.DataFrame, tops: pd.DataFrame, codes: list[str]) -> Clean:
    n = len(p["provider"])
    order = np.lexsort((np.arange(n), p["referral"], p["provider"]))  # by provider, then referral
    rank = np.empty(n, dtype=int)
    rank[order] = np.arange(n)
    provider = np.array(codes, dtype=object)[p["provider"]]
    seq = pd.Series(p["referral"]).groupby(p["provider"]).rank(method="first").astype(int).to_numpy()
    episode_id = np.char.add("E", np.char.zfill(seq.astype(str), 6)).astype(object)
    prefix = np.array(CLIENT_PREFIX, dtype=object)[p["provider"] % len(CLIENT_PREFIX)]
    client_ref = prefix + np.char.zfill((p["person"] + 1).astype(str), 6).astype(object)
    ep = pd.DataFrame({
        "provider_code": provider, "episode_id": episode_id, "client_ref": client_ref,
        "first_initial": p["first_initial"], "surname_initial": p["surname_initial"],
        "dob": iso(p["dob"]), "sex": p["sex"], "ethnicity": p["ethnicity"], "postcode": p["postcode"],
        "consent": p["consent"], "referral_date": iso(p["referral"]),
        "referral_source": p["referral_source"], "triage_date": iso(tl.triage),
        "care_plan_date": iso(tl.care_plan), "drug1": p["drug1"], "drug2": p["drug2"],
        "drug3": p["drug3"], "injecting_status": p["injecting_status"],
        "discharge_date": iso(tl.discharge), "discharge_reason": tl.reason,
    })
    ep["_rank"] = rank
    keys = ep[["provider_code", "episode_id", "_rank"]]
    mods = _children(mods, keys, ["modality_referral_date", "first_appt_offered_date",
                                  "modality_start_date", "modality_end_date"], "modalities")
    tops = _children(tops, keys, ["top_date"], "tops")
    for name in VALUE_COLUMNS:
        tops[name] = tops[name].astype(str).astype(object)
    ep = ep.sort_values("_rank").drop(columns="_rank").reset_index(drop=True)
    return Clean(episodes=as_raw(ep[column_names("episodes")]), modalities=as_raw(mods), tops=as_raw(tops),
                 codes=codes)


def as_raw(frame: pd.DataFrame) -> pd.DataFrame:
    """Every value text or None (object columns), as the RAW form of TEAM-NOTES asks."""
    out = pd.DataFrame(index=frame.index)
    for name in frame.columns:
        values = frame[name].to_numpy(dtype=object)
        mask = pd.isna(values)
        values = values.copy()
        values[mask] = None
        out[name] = pd.Series(values, index=frame.index, dtype=object)
    return out


def _children(frame: pd.DataFrame, keys: pd.DataFrame, date_columns: list[str], table: str) -> pd.DataFrame:
    out = frame.copy()
    for name in date_columns:
        out[name] = iso(out[name].to_numpy())
    ep = out["ep"].to_numpy()
    out["provider_code"] = keys["provider_code"].to_numpy()[ep]
    out["episode_id"] = keys["episode_id"].to_numpy()[ep]
    out["_rank"] = keys["_rank"].to_numpy()[ep]
    sort = ["_rank", "j"] if "j" in out else ["_rank"]
    out = out.sort_values(sort, kind="stable").reset_index(drop=True)
    return out[column_names(table)]
