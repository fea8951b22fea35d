"""The partnership's settings: one number, one place, shared by the rules and the measures.

Change ``triage_target_days`` and both the rule ``triage-within-6-weeks`` and the measure
``triage_within_6_weeks`` follow. Every return prints these in full.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal

from rules.codes import DEFAULT_PLANNED_REASONS, LEGACY_PLANNED_REASONS


@dataclass(frozen=True)
class Settings:
    """User-changeable settings with the defaults of spec/measures.md and spec/rules.md."""

    triage_target_days: int = 42
    wait_target_days: int = 21
    retention_days: int = 84
    care_plan_grace_days: int = 14
    top_review_after_days: int = 182
    top_review_window_days: int = 196
    top_window_days: int = 14
    journey_gap_days: int = 21
    exit_gap_days: int = 21
    representation_months: int = 6
    planned_reasons: tuple[str, ...] = DEFAULT_PLANNED_REASONS
    retention_start: Literal["triage", "first_modality"] = "triage"
    effective_pdu_only: bool = True
    #: Targets (percent) the returns compare each measure with; a measure absent has no target.
    targets: tuple[tuple[str, float], ...] = (
        ("triage_within_6_weeks", 90.0),
        ("dip_triage_within_6_weeks", 90.0),
        ("waiting_within_3_weeks", 90.0),
        ("retention_12_weeks", 80.0),
        ("care_plan_present", 95.0),
        ("planned_exits", 30.0),
        ("retention_and_care_planned_discharges", 80.0),
        ("top_start", 80.0),
        ("top_review", 80.0),
        ("top_exit", 80.0),
    )
    partnership_name: str = "Partnership"
    #: Provider code -> the name the returns print beside it ("N9001" -> "Anytown Recovery").
    provider_names: tuple[tuple[str, str], ...] = ()
    #: The committee paper's own details (spec is silent; docs/decisions.md "Committee report").
    committee: str = "Select Committee on Community Safety and Community Services"
    meeting_date: str = ""
    report_of: str = "Director of Public Health"
    report_author: str = ""
    contact_officer: str = "Drug and Alcohol Commissioning Manager"
    contact_details: str = ""

    #: Settings that are tables (measure = percent, code = name): a file naming some keys adds to the rest.
    MAPPINGS = ("targets", "provider_names")

    def target(self, measure_id: str) -> float | None:
        """The target percent for a measure, or None when it has none."""
        return dict(self.targets).get(measure_id)

    def with_legacy_planned_reasons(self) -> Settings:
        """The same settings with transfers counted as planned (the legacy definition)."""
        return replace(self, planned_reasons=LEGACY_PLANNED_REASONS)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (tuples become lists, targets a mapping)."""
        data = asdict(self)
        data["planned_reasons"] = list(self.planned_reasons)
        data["targets"] = dict(self.targets)
        data["provider_names"] = dict(self.provider_names)
        return data

    def updated(self, data: dict[str, Any]) -> Settings:
        """These settings with ``data`` laid over them (a settings file): a table setting such as
        ``targets`` is merged key by key, so setting one target keeps the others; a target given
        as ``"none"`` removes it."""
        merged = self.to_dict()
        for name, value in data.items():
            if name in self.MAPPINGS and isinstance(value, dict) and isinstance(merged.get(name), dict):
                table = {**merged[name], **value}
                merged[name] = {k: v for k, v in table.items() if not (isinstance(v, str) and v.lower() == "none")}
            else:
                merged[name] = value
        return Settings.from_dict(merged)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Settings from a dict such as ``to_dict`` makes; unknown keys are a ValueError."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(unknown)}")
        return cls(**{name: _checked(name, value) for name, value in data.items()})


#: Free-text settings (the committee paper's details).
_TEXTS = ("committee", "meeting_date", "report_of", "report_author", "contact_officer", "contact_details")

#: What each setting must be, said the way the error tells it.
_DAYS = "a whole number of days (0 or more)"


def _checked(name: str, value: Any) -> Any:
    """The value of one setting in its type, or a ValueError naming the setting and what it needs."""
    def wrong(needs: str) -> ValueError:
        return ValueError(f"setting {name!r} must be {needs}, not {value!r}")

    default = getattr(Settings, name, None)
    if name in ("retention_start",):
        if value not in ("triage", "first_modality"):
            raise wrong("'triage' or 'first_modality'")
        return value
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise wrong("true or false")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise wrong("a whole number of months (0 or more)" if name.endswith("months") else _DAYS)
        return value
    if name == "partnership_name":
        if not isinstance(value, str) or not value.strip():
            raise wrong("a name")
        return value.strip()
    if name in _TEXTS:
        if not isinstance(value, str):
            raise wrong("text")
        return value.strip()
    if name == "provider_names":
        items = value.items() if isinstance(value, dict) else value
        try:
            pairs = tuple((str(k).strip(), v) for k, v in items)
        except (TypeError, ValueError):
            raise wrong("a table of provider code = name") from None
        for code, label in pairs:
            if not isinstance(label, str) or not label.strip() or not code:
                raise ValueError(f"setting 'provider_names': {code or '(blank)'} must be a name, not {label!r}")
        return tuple((code, label.strip()) for code, label in pairs)
    if name == "planned_reasons":
        if isinstance(value, str) or not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise wrong("a list of discharge reason codes")
        return tuple(value)
    if name == "targets":
        items = value.items() if isinstance(value, dict) else value
        try:
            pairs = tuple((str(k), v) for k, v in items)
        except (TypeError, ValueError):
            raise wrong("a table of measure = percent") from None
        for measure, percent in pairs:
            if isinstance(percent, bool) or not isinstance(percent, (int, float)) or not 0 <= percent <= 100:
                raise ValueError(f"setting 'targets': {measure} must be a percent from 0 to 100, not {percent!r}")
        return tuple((m, float(p)) for m, p in pairs)
    return value
