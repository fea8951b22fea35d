"""``compute``: every count and measure of spec/measures.md for one period, with breakdowns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pandas as pd

from rules.measures import access, counts, exits, retention, tops
from rules.measures.base import CountResult, MeasureResult, MeasuresResult
from rules.measures.breakdowns import breakdown, resolve
from rules.measures.context import Context, build
from rules.measures.definitions import COUNT_IDS, MEASURE_IDS
from rules.measures.units import unavailable
from rules.periods import Period
from rules.settings import Settings
from rules.tables import Tables

_FUNCTIONS: dict[str, Callable[[Context], CountResult | MeasureResult]] = {
    "referrals": counts.referrals,
    "in_contact": counts.in_contact,
    "in_treatment": counts.in_treatment,
    "new_presentations": counts.new_presentations,
    "discharges": counts.discharges,
    "waiting_over_3_weeks_at_end": counts.waiting_over_3_weeks_at_end,
    "triage_within_6_weeks": access.triage_within_6_weeks,
    "dip_triage_within_6_weeks": access.dip_triage_within_6_weeks,
    "waiting_within_3_weeks": access.waiting_within_3_weeks,
    "retention_12_weeks": retention.retention_12_weeks,
    "effective_treatment": retention.effective_treatment,
    "care_plan_present": retention.care_plan_present,
    "planned_exits": exits.planned_exits,
    "retention_and_care_planned_discharges": exits.retention_and_care_planned_discharges,
    "treatment_system_exits": exits.treatment_system_exits,
    "successful_completions": exits.successful_completions,
    "representations": exits.representations,
    "top_start": tops.top_start,
    "top_review": tops.top_review,
    "top_exit": tops.top_exit,
}


def _one(ctx: Context, mid: str):
    return _FUNCTIONS[mid](ctx) if ctx.has(mid) else unavailable(ctx, mid)


DEFAULT_SETTINGS = Settings()


def compute(tables: Tables, period: Period, *, as_at: dt.date | None = None,
            settings: Settings = DEFAULT_SETTINGS,
            findings: pd.DataFrame | None = None, by: Sequence[str] = ()) -> MeasuresResult:
    """Every count and measure for ``period`` as at ``as_at`` (default: ``tables.as_at``, else today).

    ``findings`` (``rules.findings.FINDING_COLUMNS``) excludes a record from a figure when it has an
    error finding on a field the figure depends on (``DEFINITIONS[id].fields``); None excludes nothing.
    ``by`` names breakdown fields (provider_code, pdu, substance, sex, ethnicity, age_band).
    """
    fields = resolve(by)
    as_at = as_at or tables.as_at or dt.date.today()
    ctx = build(tables, period, as_at, settings, findings)
    count_results = {mid: _one(ctx, mid) for mid in COUNT_IDS}
    measure_results = {mid: _one(ctx, mid) for mid in MEASURE_IDS}
    result = MeasuresResult(period, as_at, settings, count_results, measure_results)
    for field in fields:
        result.by[field] = breakdown(ctx, field, count_results, measure_results)
    return result
