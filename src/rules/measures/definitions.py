"""What each count and measure is: title, unit, one-sentence definition, the fields it depends on.

The returns' Definitions sheet and the app's help print these. ``fields`` are the canonical columns
whose error findings exclude a record from the figure; ``tables`` are those it cannot do without.
"""

from __future__ import annotations

from typing import NamedTuple

_ID = ("provider_code", "episode_id")
_LINK = ("client_ref", "consent", "first_initial", "surname_initial", "dob", "sex")
_START = ("referral_date", "triage_date", "modality_start_date")
_TREATMENT = ("modality_id", "modality_start_date", "modality_end_date")


class Definition(NamedTuple):
    title: str
    unit: str
    definition: str
    fields: tuple[str, ...]
    tables: tuple[str, ...] = ("episodes",)
    kind: str = "measure"


def _count(title: str, unit: str, text: str, fields: tuple[str, ...], tables=("episodes",)) -> Definition:
    return Definition(title, unit, text, _ID + fields, tables, "count")


def _measure(title: str, unit: str, text: str, fields: tuple[str, ...], tables=("episodes",)) -> Definition:
    return Definition(title, unit, text, _ID + fields, tables, "measure")


_MT = ("episodes", "modalities")
_TOPS = ("episodes", "modalities", "tops")

DEFINITIONS: dict[str, Definition] = {
    "referrals": _count("Referrals", "episode", "Episodes with a referral date in the period.",
                        ("referral_date",)),
    "in_contact": _count(
        "Clients in contact", "client",
        "Distinct clients with an episode started (triage or first modality) by the period end and not "
        "discharged before the period start.", _LINK + _START + ("discharge_date",)),
    "in_treatment": _count(
        "Clients in structured treatment", "client",
        "Distinct clients with a modality started by the period end and not ended before the period start.",
        _LINK + _TREATMENT, _MT),
    "new_presentations": _count(
        "New presentations", "client",
        "Clients with a journey whose earliest modality start is in the period (a journey begins only after "
        "journey_gap_days or more out of treatment, so moving between services is not new).",
        _LINK + _START + _TREATMENT + ("discharge_date",), _MT),
    "discharges": _count("Discharges", "episode", "Episodes with a discharge date in the period.",
                         ("discharge_date",)),
    "waiting_over_3_weeks_at_end": _count(
        "Waiting over 3 weeks at period end", "modality",
        "Modalities referred more than 3 weeks before the period end, not started by it, whose episode was "
        "not discharged by it.",
        ("modality_id", "modality_referral_date", "modality_start_date", "discharge_date"), _MT),
    "triage_within_6_weeks": _measure(
        "Triaged within 6 weeks of referral", "episode",
        "Of episodes referred in the period, the share triaged within triage_target_days of referral "
        "(untriaged and still within the target at as-at: pending).", ("referral_date", "triage_date")),
    "dip_triage_within_6_weeks": _measure(
        "DIP referrals triaged within 6 weeks", "episode",
        "As triage within 6 weeks, for episodes referred by criminal justice (CJIT).",
        ("referral_date", "triage_date", "referral_source")),
    "waiting_within_3_weeks": _measure(
        "Waited 3 weeks or less for treatment", "modality",
        "Of journeys whose first modality started in the period, the share that started within "
        "wait_target_days of the modality referral.",
        _LINK + _START + ("modality_id", "modality_referral_date", "discharge_date"), _MT),
    "retention_12_weeks": _measure(
        "Retained 12 weeks or more", "journey",
        "Of journeys whose 84th day falls in the period, the share still in treatment or that lasted "
        "at least retention_days (84th day after as-at: pending).",
        _LINK + _START + ("discharge_date",), _MT),
    "effective_treatment": _measure(
        "In effective treatment", "client",
        "Clients in structured treatment in the period (PDU only by default), by their latest journey: "
        "retained retention_days or more, or discharged planned before then (open and under 84 days: pending).",
        _LINK + _START + _TREATMENT + ("discharge_date", "discharge_reason", "drug1", "drug2", "drug3"), _MT),
    "care_plan_present": _measure(
        "Care plan in place", "episode",
        "Of episodes in structured treatment in the period whose first modality started at least "
        "care_plan_grace_days before its end, the share with a care plan dated by the period end or discharge.",
        ("care_plan_date", "discharge_date") + _TREATMENT, _MT),
    "planned_exits": _measure(
        "Planned exits", "episode",
        "Of discharges in the period, the share with a planned reason (planned_reasons).",
        ("discharge_date", "discharge_reason")),
    "retention_and_care_planned_discharges": _measure(
        "Retention and care planned discharges", "episode",
        "Of discharges in the period, the share planned or at least retention_days into the journey.",
        _LINK + _START + ("discharge_date", "discharge_reason"), _MT),
    "treatment_system_exits": _measure(
        "Treatment system exits (planned)", "journey",
        "Journeys ending in the period with no new modality within exit_gap_days; the share whose last "
        "discharge was planned (exit_gap_days after as-at: pending).",
        _LINK + _START + ("discharge_date", "discharge_reason"), _MT),
    "successful_completions": _measure(
        "Successful completions", "client",
        "Of clients in structured treatment in the period, those whose journey ended in the period with a "
        "planned discharge and no new referral or triage within representation_months (younger than that "
        "at as-at: provisional, shown separately).",
        _LINK + _START + _TREATMENT + ("discharge_date", "discharge_reason"), _MT),
    "representations": _measure(
        "Re-presentations after completion", "client",
        "Of clients with a journey that ended in the period with a planned discharge, those with a new referral "
        "or triage within representation_months after any such journey (each client counted once).",
        _LINK + _START + ("discharge_date", "discharge_reason"), _MT),
    "top_start": _measure(
        "TOPs - starts", "journey",
        "Of journeys whose first modality started in the period, the share with a start TOP within "
        "top_window_days either side of that start.",
        _LINK + _START + ("top_date", "top_stage", "discharge_date"), _TOPS),
    "top_review": _measure(
        "TOPs - reviews", "client",
        "Of clients in treatment at the period end, at least top_review_after_days into their journey and with "
        "a start TOP, the share with a review TOP in the last top_review_window_days.",
        _LINK + _START + _TREATMENT + ("top_date", "top_stage", "discharge_date"), _TOPS),
    "top_exit": _measure(
        "TOPs - discharges", "episode",
        "Of planned discharges in the period, the share with an exit TOP within top_window_days either side "
        "of the discharge.", ("discharge_date", "discharge_reason", "top_date", "top_stage"),
        ("episodes", "tops")),
}

COUNT_IDS: tuple[str, ...] = tuple(k for k, d in DEFINITIONS.items() if d.kind == "count")
MEASURE_IDS: tuple[str, ...] = tuple(k for k, d in DEFINITIONS.items() if d.kind == "measure")
