"""Derived values (spec/extract.md "Derived values"): computed from the typed tables, never imported.

Every function is vectorised over a typed table and returns a Series aligned to its index, so the
rules, the measures and the UI share one definition of "PDU", "age at referral", "episode start"
and "journey".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rules.codes import SUBSTANCE_GROUP

SUBSTANCE_COLUMNS: tuple[str, ...] = ("drug1", "drug2", "drug3")

#: Age bands of the breakdowns: (label, lowest age in the band), in order.
AGE_BANDS: tuple[tuple[str, int], ...] = (
    ("under 18", 0), ("18-24", 18), ("25-34", 25), ("35-44", 35), ("45-54", 45), ("55+", 55),
)


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string")


def client_key(episodes: pd.DataFrame) -> pd.Series:
    """Links one person across providers: initials + dob (DDMMYYYY) + sex, upper case.

    Rows with consent other than ``Y`` (or missing a part of the key) are linked by provider +
    client_ref only, as ``provider_code|client_ref``, so they never merge with another provider's.
    """
    dob = episodes["dob"].dt.strftime("%d%m%Y").astype("string")
    linked = (_text(episodes["first_initial"]).str.strip() + _text(episodes["surname_initial"]).str.strip()
              + dob + _text(episodes["sex"])).str.upper()
    local = "|" + _text(episodes["provider_code"]).fillna("") + "|" + _text(episodes["client_ref"]).fillna("")
    use_linked = (episodes["consent"] == "Y").fillna(False).astype(bool) & linked.notna()
    out = local.where(~use_linked, linked)
    return out.astype("string").rename("client_key")


def combined_codes(columns: list[pd.Series]) -> np.ndarray:
    """One int64 code per row for the combination of ``columns`` (blank is a value like any other)."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for col in columns:
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        key = key * (len(uniques) + 1) + np.asarray(codes, dtype=np.int64) + 1
        key = np.asarray(pd.factorize(key)[0], dtype=np.int64)
    return key


def client_codes(episodes: pd.DataFrame) -> np.ndarray:
    """``client_key`` as int64 codes (equal code = same client), without building the strings."""
    linked = combined_codes([
        _text(episodes["first_initial"]).str.strip().str.upper(),
        _text(episodes["surname_initial"]).str.strip().str.upper(), episodes["dob"], episodes["sex"]])
    local = combined_codes([episodes["provider_code"], episodes["client_ref"]])
    complete = (episodes[["first_initial", "surname_initial", "dob", "sex"]].notna().all(axis=1).to_numpy()
                & (episodes["consent"] == "Y").fillna(False).to_numpy(dtype=bool))
    return np.where(complete, linked, -1 - local)


def _groups(episodes: pd.DataFrame) -> pd.DataFrame:
    """Substance group of drug1-3 (NA where blank or unknown)."""
    mapping = dict(SUBSTANCE_GROUP)
    return pd.DataFrame({c: _text(episodes[c]).map(mapping) for c in SUBSTANCE_COLUMNS}, index=episodes.index)


def pdu(episodes: pd.DataFrame) -> pd.Series:
    """Opiate and/or crack user: any of drug1-3 in the OPIATE or CRACK group."""
    return _groups(episodes).isin(["OPIATE", "CRACK"]).any(axis=1).rename("pdu")


def opiate_client(episodes: pd.DataFrame) -> pd.Series:
    """Any of drug1-3 in the OPIATE group."""
    return _groups(episodes).isin(["OPIATE"]).any(axis=1).rename("opiate_client")


def alcohol_only(episodes: pd.DataFrame) -> pd.Series:
    """drug1 is alcohol and no other substance is recorded."""
    others_blank = episodes["drug2"].isna() & episodes["drug3"].isna()
    return ((episodes["drug1"] == "ALC").fillna(False).astype(bool) & others_blank).rename("alcohol_only")


def age_at(dob: pd.Series, when: pd.Series) -> pd.Series:
    """Whole years from ``dob`` to ``when`` (Int64; NA when either is missing)."""
    years = when.dt.year - dob.dt.year
    before_birthday = (when.dt.month < dob.dt.month) | (
        (when.dt.month == dob.dt.month) & (when.dt.day < dob.dt.day))
    age = years - before_birthday.astype("int64")
    return age.astype("Int64")


def age_at_referral(episodes: pd.DataFrame) -> pd.Series:
    """Age in whole years on the referral date (Int64)."""
    return age_at(episodes["dob"], episodes["referral_date"]).rename("age_at_referral")


def age_band(age: pd.Series) -> pd.Series:
    """``under 18``, ``18-24``, ``25-34``, ``35-44``, ``45-54``, ``55+`` (NA for a missing age)."""
    edges = [low for _, low in AGE_BANDS] + [10_000]
    labels = [name for name, _ in AGE_BANDS]
    values = pd.to_numeric(age, errors="coerce").astype("float64")
    bands = pd.cut(values, bins=edges, labels=labels, right=False)
    return pd.Series(bands.astype("string"), index=age.index, name="age_band")


def _episode_index(frame: pd.DataFrame) -> pd.MultiIndex:
    return pd.MultiIndex.from_arrays([_text(frame["provider_code"]), _text(frame["episode_id"])])


def per_episode(episodes: pd.DataFrame, child: pd.DataFrame | None, values: pd.Series,
                how: str = "min") -> pd.Series:
    """Aggregate a child-table column (``values``, aligned to ``child``) onto the episodes rows."""
    if child is None or len(child) == 0:
        return pd.Series(pd.NaT if values.dtype.kind == "M" else pd.NA, index=episodes.index, dtype=values.dtype)
    agg = values.groupby([_text(child["provider_code"]), _text(child["episode_id"])], dropna=True).agg(how)
    out = agg.reindex(_episode_index(episodes))
    return pd.Series(out.to_numpy(), index=episodes.index, dtype=values.dtype)


def first_modality_start(episodes: pd.DataFrame, modalities: pd.DataFrame | None) -> pd.Series:
    """The earliest modality_start_date of each episode (NaT when none started)."""
    values = modalities["modality_start_date"] if modalities is not None else pd.Series([], dtype="datetime64[ns]")
    return per_episode(episodes, modalities, values, "min").rename("first_modality_start")


def episode_start(episodes: pd.DataFrame, modalities: pd.DataFrame | None) -> pd.Series:
    """``E_start`` = triage_date, else the earliest modality_start_date (NaT: referral only)."""
    return episodes["triage_date"].fillna(first_modality_start(episodes, modalities)).rename("episode_start")


def journeys(episodes: pd.DataFrame, modalities: pd.DataFrame | None, *, gap_days: int = 21,
             start: pd.Series | None = None, first_modality: pd.Series | None = None,
             key: pd.Series | np.ndarray | None = None) -> pd.DataFrame:
    """Link each client's episodes into journeys (spec/measures.md "Episode and journey").

    Episodes of one ``client_key`` in referral order: the next belongs to the same journey when it
    overlaps the previous ones or its first modality starts within ``gap_days`` after their
    discharge. Returns, aligned to ``episodes``: ``journey`` (int id), ``j_start`` (E_start of the
    first episode with one; ``start`` replaces E_start when given), ``j_end`` (discharge of the last; NaT if any is open),
    ``j_last`` (True for the journey's last episode). ``first_modality`` and ``key`` (any values
    equal for the same client, e.g. ``client_codes``) may be passed when already computed.
    """
    key = client_codes(episodes) if key is None else np.asarray(key)
    first_mod = first_modality_start(episodes, modalities) if first_modality is None else first_modality
    e_start = episodes["triage_date"].fillna(first_mod) if start is None else start
    n = len(episodes)
    ref = _day_numbers(episodes["referral_date"])
    end = _day_numbers(episodes["discharge_date"])
    first = _day_numbers(first_mod)
    order = np.lexsort((np.arange(n), np.nan_to_num(ref, nan=_FAR), key))
    k, r, e, f = key[order], ref[order], end[order], first[order]
    is_open = np.isnan(e)
    e_closed = np.where(is_open, _FAR, e)
    starts_client = np.r_[True, k[1:] != k[:-1]] if n else np.zeros(0, dtype=bool)
    client = np.cumsum(starts_client) - 1
    # end of the client's episodes so far (a running max that restarts at each client)
    offset = client * (4 * _FAR)
    running = np.maximum.accumulate(e_closed + offset) - offset if n else e_closed
    prev = np.r_[np.nan, running[:-1]] if n else running
    prev[starts_client] = np.nan
    with np.errstate(invalid="ignore"):
        overlaps = r <= prev
        gap = f - prev
        continues = (gap >= 0) & (gap <= gap_days)
    new = starts_client | ~(overlaps | continues)
    journey = np.cumsum(new)
    firsts = np.flatnonzero(new)
    jid = journey - 1
    start_sorted = as_datetime(e_start)[order]
    if n:  # the first episode's start; when it has none (referral only), the first start given
        candidates = np.where(np.isnat(start_sorted), n, np.arange(n))
        chosen = np.minimum.reduceat(candidates, firsts)
        starts = np.append(start_sorted, np.datetime64("NaT", "ns"))[chosen]
        j_start = starts[jid]
    else:
        j_start = start_sorted
    any_open = (np.add.reduceat(is_open.astype(np.int64), firsts) > 0)[jid] if n else is_open
    ends = as_datetime(episodes["discharge_date"])[order].astype("int64")
    ends[is_open] = np.iinfo(np.int64).min
    last_end = np.maximum.reduceat(ends, firsts)[jid] if n else ends
    j_end = np.where(any_open, np.iinfo(np.int64).min, last_end).astype("datetime64[ns]")
    j_last = np.r_[new[1:], True] if n else new
    out = pd.DataFrame(index=episodes.index)
    back = np.empty(n, dtype=np.int64)
    back[order] = np.arange(n)
    out["journey"] = journey[back]
    out["j_start"] = j_start[back]
    out["j_end"] = j_end[back]
    out["j_last"] = j_last[back]
    return out


_FAR = 1e7  # a day number far beyond any real date (stands for "still open" and "unknown")


def as_datetime(values: pd.Series) -> np.ndarray:
    return values.to_numpy(dtype="datetime64[ns]")


def _day_numbers(values: pd.Series) -> np.ndarray:
    """Dates as day numbers (float, NaN for blank)."""
    dates = as_datetime(values)
    out = dates.astype("datetime64[D]").astype("int64").astype("float64")
    out[np.isnat(dates)] = np.nan
    return out
