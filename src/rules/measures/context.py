"""Everything the measures share, computed once per ``compute`` call, column-wise.

``ep`` has one row per episode (positional index): record key, link key (person), dates, E_start,
E_end, first modality start, journey id, "in structured treatment during P", and the breakdown
fields. ``jn`` has one row per journey. ``excluded(measure_id)`` says, per episode, which error
findings on the measure's fields exclude it ("" = none).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rules import derived, journeys
from rules.codes import ETHNICITY_GROUP
from rules.measures.definitions import DEFINITIONS
from rules.periods import Period
from rules.settings import Settings
from rules.tables import Tables

#: Breakdown fields ``compute(by=...)`` accepts, with accepted aliases.
BY_FIELDS: dict[str, str] = {
    "provider_code": "provider_code", "provider": "provider_code", "pdu": "pdu",
    "substance": "substance", "substance_group": "substance", "sex": "sex",
    "ethnicity": "ethnicity", "ethnicity_group": "ethnicity", "age_band": "age_band",
}
UNKNOWN = "unknown"


def ts(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day)


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string")


def _episode_positions(episodes: pd.DataFrame, child: pd.DataFrame) -> np.ndarray:
    """Position of each child row's episode (-1 for orphans); duplicate episode keys: the first."""
    keys = pd.MultiIndex.from_arrays([_text(episodes["provider_code"]), _text(episodes["episode_id"])])
    first = pd.Series(np.arange(len(episodes)), index=keys)
    first = first[~first.index.duplicated(keep="first")]
    child_keys = pd.MultiIndex.from_arrays([_text(child["provider_code"]), _text(child["episode_id"])])
    return first.reindex(child_keys).fillna(-1).to_numpy(dtype="int64")


@dataclass(eq=False)
class Context:
    period: Period
    as_at: pd.Timestamp
    settings: Settings
    ep: pd.DataFrame
    mods: pd.DataFrame | None
    tops: pd.DataFrame | None
    jn: pd.DataFrame
    errors: pd.DataFrame
    #: Results several measures share (in treatment during a span, completions), computed once.
    cache: dict = field(default_factory=dict, repr=False)

    @property
    def p_start(self) -> pd.Timestamp:
        return ts(self.period.start)

    @property
    def p_end(self) -> pd.Timestamp:
        return ts(self.period.end)

    def has(self, measure_id: str) -> bool:
        tables = DEFINITIONS[measure_id].tables
        return ("modalities" not in tables or self.mods is not None) and (
            "tops" not in tables or self.tops is not None)

    def excluded(self, measure_id: str) -> pd.Series:
        """Per episode: comma-separated rule ids of error findings on the measure's fields ("" = none)."""
        fields = set(DEFINITIONS[measure_id].fields)
        hits = self.errors[self.errors["field"].isin(fields)]
        if hits.empty:
            return pd.Series("", index=self.ep.index, dtype=object)
        rules = hits.drop_duplicates(["record", "rule"]).sort_values("rule").groupby("record")["rule"].agg(",".join)
        return self.ep["record"].map(rules).fillna("").astype(object)

    def journey_value(self, column: str) -> pd.Series:
        """A journey column per episode (missing for referral-only episodes), keeping its dtype."""
        ids = self.ep["journey"].fillna(-1).astype("int64")
        return pd.Series(self.jn[column].reindex(ids).to_numpy(), index=self.ep.index)

    def in_contact(self) -> pd.Series:
        """Per episode: in contact during P (E_start <= P.end and E_end null or >= P.start)."""
        started = (self.ep["e_start"] <= self.p_end).fillna(False)
        return started & (self.ep["e_end"].isna() | (self.ep["e_end"] >= self.p_start)).fillna(False)

    def in_treatment(self, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
        """Per episode: a modality with start <= end and (end null or end >= start)."""
        if ("in_treatment", start, end) in self.cache:
            return self.cache[("in_treatment", start, end)]
        out = np.zeros(len(self.ep), dtype=bool)
        if self.mods is not None and len(self.mods):
            m = self.mods
            hit = (m["modality_start_date"] <= end) & (m["modality_end_date"].isna() | (m["modality_end_date"] >= start))
            out[np.unique(m.loc[hit.fillna(False).to_numpy(dtype=bool), "ep"].to_numpy())] = True
        self.cache[("in_treatment", start, end)] = result = pd.Series(out, index=self.ep.index)
        return result


def _error_rows(findings: pd.DataFrame | None) -> pd.DataFrame:
    """Error findings as (record, field, rule), one row per field."""
    if findings is None or len(findings) == 0:
        return pd.DataFrame({"record": pd.Series([], dtype=object), "field": pd.Series([], dtype=object),
                             "rule": pd.Series([], dtype=object)})
    errs = findings.loc[findings["severity"] == "error", ["record", "fields", "rule"]]
    errs = errs.explode("fields").rename(columns={"fields": "field"})
    return errs.dropna(subset=["field"]).astype(object).reset_index(drop=True)


def _substance(episodes: pd.DataFrame) -> pd.Series:
    opiate = derived.opiate_client(episodes).to_numpy(dtype=bool)
    alcohol = derived.alcohol_only(episodes).to_numpy(dtype=bool)
    return pd.Series(np.where(opiate, "opiate", np.where(alcohol, "alcohol", "non-opiate")), index=episodes.index)


def build(tables: Tables, period: Period, as_at: dt.date, settings: Settings,
          findings: pd.DataFrame | None) -> Context:
    """The shared per-episode and per-journey frames for one period."""
    episodes = tables.episodes.reset_index(drop=True)
    modalities = tables.modalities.reset_index(drop=True) if tables.modalities is not None else None
    base = journeys.episode_frame(episodes, modalities)
    planned = episodes["discharge_reason"].isin(list(settings.planned_reasons)).fillna(False).astype(bool)
    journey = journeys.link(base, gap_days=settings.journey_gap_days)
    start = base["first_modality_start"] if settings.retention_start == "first_modality" else base["e_start"]
    jn = journeys.journey_table(base, journey, start=start, planned=planned)
    ages = derived.age_band(derived.age_at_referral(episodes))
    ep = pd.DataFrame({
        "record": (_text(episodes["provider_code"]).fillna("") + "/" + _text(episodes["episode_id"]).fillna("")),
        "person": base["person"],
        "provider_code": _text(episodes["provider_code"]).fillna(UNKNOWN),
        "referral_date": episodes["referral_date"], "triage_date": episodes["triage_date"],
        "care_plan_date": episodes["care_plan_date"], "discharge_date": episodes["discharge_date"],
        "referral_source": _text(episodes["referral_source"]),
        "planned": planned, "e_start": base["e_start"], "e_end": base["e_end"],
        "first_modality_start": base["first_modality_start"], "journey": journey,
        "pdu": pd.Series(np.where(derived.pdu(episodes), "PDU", "non-PDU"), index=episodes.index),
        "substance": _substance(episodes),
        "sex": _text(episodes["sex"]).fillna(UNKNOWN),
        "ethnicity": _text(episodes["ethnicity"]).map(dict(ETHNICITY_GROUP)).fillna(UNKNOWN),
        "age_band": ages.fillna(UNKNOWN),
    })
    person_id, people = pd.factorize(ep["person"])
    ep["person_id"] = person_id
    jn["person_id"] = pd.Index(people).get_indexer(jn["person"]).astype("int64")
    mods = tops = None
    if modalities is not None:
        mods = modalities[["modality_referral_date", "modality_start_date", "modality_end_date"]].copy()
        mods["ep"] = _episode_positions(episodes, modalities)
        mods = mods[mods["ep"] >= 0].reset_index(drop=True)
    if tables.tops is not None:
        tops = tables.tops[["top_date", "top_stage"]].reset_index(drop=True).copy()
        tops["top_stage"] = _text(tops["top_stage"])
        tops["ep"] = _episode_positions(episodes, tables.tops)
        tops = tops[tops["ep"] >= 0].reset_index(drop=True)
    return Context(period, ts(as_at), settings, ep, mods, tops, jn, _error_rows(findings))
