"""The generator's outputs: the synthetic partnership and the manifest of injected defects."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from rules.tables import Tables

FORMATS: tuple[str, ...] = ("xlsx", "csv", "flat-xlsx")


@dataclass(frozen=True)
class Defect:
    """One injected problem: where it is in the written files and which rule must report it."""

    rule: str
    file: str
    table: str
    row: int
    record: str
    field: str

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Synthetic:
    """A generated partnership: RAW canonical tables as written to disk, and the defect manifest."""

    raw: Tables
    manifest: list[Defect]
    as_at: dt.date
    seed: int = 1
    fmt: str = "xlsx"
    defects_rate: float = 0.0
    #: the number of episodes asked for (defects may add a few rows)
    episodes: int = 0
    providers: list[str] = field(default_factory=list)
    #: per provider code, the writing style (see ``messy.STYLES``)
    styles: dict[str, str] = field(default_factory=dict)
