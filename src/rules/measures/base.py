"""Result types of the measures: every figure keeps the records behind it, for drill-down.

A result holds one row per counted *unit* (episode, modality, journey or client) with the group it
fell in, the record key users see and, for an excluded unit, the rules of the error findings that
excluded it; plus which episodes each unit is made of, so breakdowns need no recomputation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from rules.periods import Period
from rules.settings import Settings
from rules.suppression import percent as percent_of

#: Disjoint groups of a measure's units; denominator = numerator + provisional + denominator_only.
MEASURE_GROUPS: tuple[str, ...] = ("numerator", "provisional", "denominator_only", "pending", "excluded")
#: Groups of a count's units.
COUNT_GROUPS: tuple[str, ...] = ("counted", "excluded")

UNIT_COLUMNS: tuple[str, ...] = ("unit", "group", "record", "excluded_by")


def empty_units() -> pd.DataFrame:
    return pd.DataFrame({"unit": pd.Series([], dtype="int64"), "group": pd.Series([], dtype=object),
                         "record": pd.Series([], dtype=object), "excluded_by": pd.Series([], dtype=object)})


def empty_members() -> pd.DataFrame:
    return pd.DataFrame({"unit": pd.Series([], dtype="int64"), "ep": pd.Series([], dtype="int64")})


class _Grouped:
    """Shared by counts and measures: the units table, the episodes each unit is made of (members)
    and the episodes whose provider it counts under (credits, ``rules.measures.attribution``)."""

    id: str
    units: pd.DataFrame
    members: pd.DataFrame
    credits: pd.DataFrame
    _groups: tuple[str, ...]

    def _count(self, group: str) -> int:
        return int((self.units["group"] == group).sum())

    def records(self, group: str) -> list[str]:
        """Record keys (``provider/episode``) of the units in one group, sorted, one per unit."""
        if group not in self._groups:
            raise ValueError(f"{self.id}: no group {group!r} (groups: {', '.join(self._groups)})")
        return sorted(self.units.loc[self.units["group"] == group, "record"].astype(str).tolist())

    def _units_of(self, units: pd.Index, records: pd.Series | None) -> pd.DataFrame:
        part = self.units[self.units["unit"].isin(units)]
        if records is not None and len(part):
            shown = part["unit"].map(records)
            part = part.assign(record=shown.where(shown.notna(), part["record"]))
        return part

    def excluded_by(self) -> dict[str, str]:
        """Excluded record key -> the rule ids (comma-separated) of the errors that excluded it."""
        rows = self.units[self.units["group"] == "excluded"]
        return dict(zip(rows["record"].astype(str), rows["excluded_by"].astype(str), strict=True))


@dataclass(eq=False)
class CountResult(_Grouped):
    """A count (e.g. ``in_treatment``): units counted, and units left out by error findings."""

    id: str
    title: str
    unit: str
    available: bool = True
    units: pd.DataFrame = field(default_factory=empty_units, repr=False)
    members: pd.DataFrame = field(default_factory=empty_members, repr=False)
    credits: pd.DataFrame = field(default_factory=empty_members, repr=False)
    _groups = COUNT_GROUPS

    @property
    def value(self) -> int | None:
        return self._count("counted") if self.available else None

    @property
    def excluded(self) -> int | None:
        return self._count("excluded") if self.available else None

    def subset(self, units: pd.Index, records: pd.Series | None = None) -> CountResult:
        """The result for some of its units (``records``: unit -> the record to show instead)."""
        return CountResult(self.id, self.title, self.unit, self.available, self._units_of(units, records))

    def to_json(self) -> int | None:
        return self.value


@dataclass(eq=False)
class MeasureResult(_Grouped):
    """A measure: numerator / denominator / percent, pending and excluded counts, target and met."""

    id: str
    title: str
    unit: str
    available: bool = True
    target: float | None = None
    units: pd.DataFrame = field(default_factory=empty_units, repr=False)
    members: pd.DataFrame = field(default_factory=empty_members, repr=False)
    credits: pd.DataFrame = field(default_factory=empty_members, repr=False)
    _groups = MEASURE_GROUPS

    def _n(self, group: str) -> int | None:
        return self._count(group) if self.available else None

    @property
    def numerator(self) -> int | None:
        return self._n("numerator")

    @property
    def provisional(self) -> int | None:
        return self._n("provisional")

    @property
    def denominator(self) -> int | None:
        if not self.available:
            return None
        return int(self.units["group"].isin(["numerator", "provisional", "denominator_only"]).sum())

    @property
    def pending(self) -> int | None:
        return self._n("pending")

    @property
    def excluded(self) -> int | None:
        return self._n("excluded")

    @property
    def percent(self) -> float | None:
        """100 * numerator / denominator, half-up to 1 decimal; None when the denominator is 0."""
        if not self.available:
            return None
        return percent_of(self.numerator or 0, self.denominator or 0)

    @property
    def met(self) -> bool | None:
        """Percent reaches the target; None without a target or a percent."""
        if self.target is None or self.percent is None:
            return None
        return self.percent >= self.target

    def subset(self, units: pd.Index, records: pd.Series | None = None) -> MeasureResult:
        """The result for some of its units (``records``: unit -> the record to show instead)."""
        return MeasureResult(self.id, self.title, self.unit, self.available, self.target,
                             self._units_of(units, records))

    def to_json(self) -> dict[str, Any]:
        """The measure object of spec/cli.md (plus title, available, target, met, provisional)."""
        out: dict[str, Any] = {"title": self.title, "unit": self.unit, "available": self.available,
                               "numerator": self.numerator, "denominator": self.denominator,
                               "percent": self.percent, "pending": self.pending, "excluded": self.excluded,
                               "target": self.target, "met": self.met}
        if self.id == "successful_completions":
            out["provisional"] = self.provisional
        return out


@dataclass(eq=False)
class Breakdown:
    """The counts and measures of one value of a breakdown field (e.g. one provider)."""

    counts: dict[str, CountResult]
    measures: dict[str, MeasureResult]

    def to_json(self) -> dict[str, Any]:
        return {"counts": {k: v.to_json() for k, v in self.counts.items()},
                "measures": {k: v.to_json() for k, v in self.measures.items()}}


@dataclass(eq=False)
class MeasuresResult:
    """Everything ``compute`` found for one period: counts, measures, breakdowns, settings used."""

    period: Period
    as_at: dt.date
    settings: Settings
    counts: dict[str, CountResult]
    measures: dict[str, MeasureResult]
    by: dict[str, dict[str, Breakdown]] = field(default_factory=dict)
    #: True: unsuppressed figures, "Restricted - not for publication" (suppress for public outputs).
    restricted: bool = True

    def to_json(self) -> dict[str, Any]:
        """The ``measures --format json`` document of spec/cli.md."""
        return {
            "period": self.period.to_dict(),
            "as_at": self.as_at.isoformat(),
            "settings": self.settings.to_dict(),
            "counts": {k: v.to_json() for k, v in self.counts.items()},
            "measures": {k: v.to_json() for k, v in self.measures.items()},
            "by": {f: {value: b.to_json() for value, b in groups.items()} for f, groups in self.by.items()},
            "restricted": self.restricted,
        }
