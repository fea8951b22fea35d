"""Titles and plain-English definitions of every count and measure (spec/measures.md).

The returns print these in the Definitions sheet and the committee report's footnotes, so a reader
can check any figure by hand. Titles follow the wording commissioners use in committee reports.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Definition:
    id: str
    title: str
    unit: str
    denominator: str
    numerator: str
    notes: str = ""
    #: False for a measure where a lower figure is better (re-presentations).
    higher_is_better: bool = True


COUNTS: tuple[Definition, ...] = (
    Definition("referrals", "Referrals", "episode", "", "Episodes with a referral date in the period"),
    Definition("in_contact", "Clients in contact", "client", "",
               "Distinct clients with an episode open at some time in the period"),
    Definition("in_treatment", "Clients in structured treatment", "client", "",
               "Distinct clients with a modality open at some time in the period"),
    Definition("new_presentations", "New presentations", "client", "",
               "In treatment in the period and not earlier in the same financial year"),
    Definition("discharges", "Discharges", "episode", "", "Episodes with a discharge date in the period"),
    Definition("waiting_over_3_weeks_at_end", "Waiting over 3 weeks at quarter end", "modality", "",
               "Referred to a modality 22 or more days before the period end and not started by then"),
)

MEASURES: tuple[Definition, ...] = (
    Definition("triage_within_6_weeks", "Triaged within 6 weeks of referral", "episode",
               "Episodes referred in the period", "Triaged 0 to 42 days after referral",
               "Untriaged and referred 42 days or less before the as-at date: pending."),
    Definition("dip_triage_within_6_weeks", "DIP referrals triaged within 6 weeks", "episode",
               "Episodes referred in the period by the criminal justice team (CJIT)",
               "Triaged 0 to 42 days after referral", "As above."),
    Definition("waiting_within_3_weeks", "Waiting times: started within 3 weeks", "modality",
               "First modality of each journey starting in the period",
               "Started 21 days or less after the referral to the modality"),
    Definition("retention_12_weeks", "Retained in treatment 12 weeks", "journey",
               "Journeys whose 84th day falls in the period",
               "Still open, or lasted 84 days or more", "84th day after the as-at date: pending."),
    Definition("effective_treatment", "Effective treatment", "client",
               "Clients in treatment in the period (problem drug users only by default)",
               "Retained 12 weeks, or discharged planned before 12 weeks",
               "Open and under 12 weeks at the as-at date: pending."),
    Definition("care_plan_present", "Care plan in place", "episode",
               "In treatment in the period, first modality started 14 days or more before period end",
               "Care plan dated on or before the period end (or discharge)"),
    Definition("planned_exits", "Planned exits", "episode", "Discharges in the period",
               "Discharge reason is a planned completion"),
    Definition("retention_and_care_planned_discharges", "Retention and care planned discharges", "episode",
               "Discharges in the period", "Planned discharge, or in treatment 84 days or more"),
    Definition("treatment_system_exits", "Treatment system exits", "journey",
               "Journeys ended in the period with no new modality within 21 days",
               "Planned discharge on the last episode", "Less than 21 days after the end at the as-at date: pending."),
    Definition("successful_completions", "Successful completions", "client", "Clients in treatment in the period",
               "Journey ended in the period, planned, not back within 6 months",
               "Completions less than 6 months old are provisional."),
    Definition("representations", "Re-presentations within 6 months", "client",
               "Clients whose journey ended in the period with a planned discharge",
               "New referral or triage within 6 months of the end", higher_is_better=False),
    Definition("top_start", "TOPs - starts", "journey", "Journeys whose first modality started in the period",
               "A start TOP within 14 days of the first modality start"),
    Definition("top_review", "TOPs - reviews", "client",
               "In treatment at period end for 182 days or more, with a start TOP",
               "A review TOP in the 196 days to the period end"),
    Definition("top_exit", "TOPs - discharges", "episode", "Planned discharges in the period",
               "An exit TOP within 14 days of the discharge"),
)

COUNT_IDS: tuple[str, ...] = tuple(d.id for d in COUNTS)
MEASURE_IDS: tuple[str, ...] = tuple(d.id for d in MEASURES)
BY_ID: dict[str, Definition] = {d.id: d for d in COUNTS + MEASURES}

#: What each setting means, for the Definitions sheet.
SETTING_MEANINGS: dict[str, str] = {
    "triage_target_days": "Days from referral to triage that count as within target",
    "wait_target_days": "Days from modality referral to start that count as within target",
    "retention_days": "Days in treatment that count as retained (12 weeks)",
    "care_plan_grace_days": "Days after the first modality start before a care plan is expected",
    "top_review_after_days": "Days in treatment after which a review TOP is expected",
    "top_review_window_days": "Days before the period end in which a review TOP counts",
    "top_window_days": "Days either side of an event in which a start or exit TOP counts",
    "journey_gap_days": "Days between episodes that still make one journey",
    "exit_gap_days": "Days without a new modality that make an exit a treatment system exit",
    "representation_months": "Months after a completion in which a return counts as a re-presentation",
    "planned_reasons": "Discharge reasons counted as planned",
    "retention_start": "Where the retention clock starts (triage or first modality)",
    "effective_pdu_only": "Effective treatment counts problem drug users only",
    "targets": "Partnership targets (percent) by measure",
    "partnership_name": "Name of the partnership printed on the returns",
}
