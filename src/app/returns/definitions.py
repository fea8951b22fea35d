"""Titles and definitions of every count and measure, as the returns print them.

Titles, units and definitions come from ``rules.measures.DEFINITIONS`` (one name for one thing,
maintained with the code that computes the figure). The returns print the definitions with the
settings' values in place of their names ("within triage_target_days" -> "within 42 days"), so a
reader sees the rule that was actually applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rules.measures import COUNT_IDS, DEFINITIONS, MEASURE_IDS
from rules.settings import Settings

#: Measures where a lower figure is better (direction of change reads "Improved" when it falls).
LOWER_IS_BETTER: frozenset[str] = frozenset({"representations"})


@dataclass(frozen=True)
class Definition:
    id: str
    title: str
    unit: str
    definition: str
    kind: str  # count | measure

    @property
    def higher_is_better(self) -> bool:
        return self.id not in LOWER_IS_BETTER


BY_ID: dict[str, Definition] = {k: Definition(k, d.title, d.unit, d.definition, d.kind)
                                for k, d in DEFINITIONS.items()}
COUNTS: tuple[Definition, ...] = tuple(BY_ID[c] for c in COUNT_IDS)
MEASURES: tuple[Definition, ...] = tuple(BY_ID[m] for m in MEASURE_IDS)

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
    "provider_names": "Names printed beside provider codes",
    "committee": "The committee the report goes to",
    "meeting_date": "Date of the committee meeting",
    "report_of": "Whose report it is (signs it)",
    "report_author": "Who wrote the report",
    "contact_officer": "Contact officer named on the report",
    "contact_details": "Contact officer's telephone and e-mail",
}

_NAME = re.compile(r"\b([a-z]+(?:_[a-z]+)+)\b")


def plain(text: str, settings: Settings) -> str:
    """A definition with each setting name replaced by its value (``42 days``, ``TCDF, TCOU``)."""
    values = settings.to_dict()

    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in values or name in ("targets", "partnership_name", "provider_names"):
            return name
        v = values[name]
        if name.endswith("_days"):
            return f"{v} days"
        if name.endswith("_months"):
            return f"{v} months"
        if isinstance(v, (list, tuple)):
            return ", ".join(map(str, v))
        return str(v)

    return _NAME.sub(value, text)


__all__ = ["BY_ID", "COUNTS", "COUNT_IDS", "MEASURES", "MEASURE_IDS", "SETTING_MEANINGS", "Definition", "plain"]
