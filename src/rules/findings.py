"""Findings are values: one row per problem, with the evidence (spec/rules.md "Findings").

One findings table feeds everything: the records view's tints, the findings panel, the CLI's
table and JSON, the HTML/XLSX report, and the measures' exclusions. It is a pandas DataFrame
with exactly ``FINDING_COLUMNS``; ``fields`` and ``values`` hold tuples of strings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

Severity = Literal["error", "warning", "info"]
Category = Literal["data-quality", "performance"]

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
CATEGORIES: tuple[str, ...] = ("data-quality", "performance")

FINDING_COLUMNS: tuple[str, ...] = (
    "rule",       # stable rule id, e.g. "triage-not-before-referral"
    "severity",   # error | warning | info
    "category",   # data-quality | performance
    "provider",   # provider_code of the record ("" when unknown)
    "file",       # source file name (no folder), as the user knows it
    "table",      # episodes | modalities | tops
    "row",        # 1-based row in the source sheet (Int64; NA when not tied to one row)
    "record",     # "provider_code/episode_id"
    "fields",     # tuple of canonical column names
    "values",     # tuple of the offending values as text, one per field
    "message",    # plain English with the evidence
)


@dataclass(frozen=True)
class Finding:
    """One finding, for code that builds findings one at a time (few, e.g. file-level ones)."""

    rule: str
    severity: Severity
    category: Category
    provider: str
    file: str
    table: str
    row: int | None
    record: str
    fields: tuple[str, ...]
    values: tuple[str, ...]
    message: str


_EMPTY: pd.DataFrame | None = None


def empty_findings() -> pd.DataFrame:
    """A findings table with no rows and the right columns and dtypes (built once: re-checks ask often)."""
    global _EMPTY
    if _EMPTY is None:
        _EMPTY = normalise(pd.DataFrame.from_records([], columns=list(FINDING_COLUMNS)))
    return _EMPTY.copy()


def findings_frame(rows: Iterable[Finding | dict[str, Any]]) -> pd.DataFrame:
    """Build a findings table from ``Finding`` objects or dicts with the same keys."""
    records = [r.__dict__ if isinstance(r, Finding) else r for r in rows]
    if not records:
        return empty_findings()
    frame = pd.DataFrame.from_records(records, columns=list(FINDING_COLUMNS))
    return normalise(frame)


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a findings table its canonical column order and dtypes."""
    frame = frame.reindex(columns=list(FINDING_COLUMNS))
    frame["row"] = pd.array(frame["row"], dtype="Int64")
    for name in ("rule", "severity", "category", "provider", "file", "table", "record", "message"):
        column = frame[name]
        if not (column.dtype == "str" and not column.hasnans):  # text already (the engine's): kept
            frame[name] = column.astype(object).where(column.notna(), "").astype(str)
    for name in ("fields", "values"):
        frame[name] = [tuple(v) if isinstance(v, (list, tuple)) else (v,) for v in frame[name]]
    return frame.reset_index(drop=True)


def concat_findings(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate findings tables (empty input gives an empty table)."""
    parts = [f for f in frames if len(f)]
    if not parts:
        return empty_findings()
    return normalise(pd.concat(parts, ignore_index=True))


def finding_to_json(row: dict[str, Any]) -> dict[str, Any]:
    """One finding as the JSON object of spec/cli.md (lists, not tuples; row as int or null)."""
    out = {k: row[k] for k in FINDING_COLUMNS if k != "provider"}
    out["row"] = None if pd.isna(row["row"]) else int(row["row"])
    out["fields"] = list(row["fields"])
    out["values"] = list(row["values"])
    return out


#: Rule ids of the schema layer (one column's type, code list and range), reported by
#: ``rules.schema``. Missing required values are the catalogue rule ``required-fields``.
#: A value quoted in a finding's message is cut to this many characters (the finding's values keep it whole).
MESSAGE_VALUE_CHARS = 60

SCHEMA_RULES: dict[str, tuple[Severity, str]] = {
    "invalid-date": ("error", "a value that is not a date in any accepted style"),
    "invalid-code": ("error", "a value that is not in the column's code list"),
    "invalid-number": ("error", "a value that is not a whole number"),
    "out-of-range": ("error", "a number outside the column's range"),
    "month-first-dates": ("warning", "a date column only consistent as month-first (reported, never swapped)"),
}


def findings_to_json(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Every finding as the JSON object of spec/cli.md, column-wise (tens of thousands in milliseconds)."""
    keys = [k for k in FINDING_COLUMNS if k != "provider"]
    columns = []
    for key in keys:
        if key == "row":
            rows = frame["row"].astype(object)
            columns.append(rows.where(rows.notna(), None).tolist())
        elif key in ("fields", "values"):
            columns.append([list(v) for v in frame[key]])
        else:
            columns.append(frame[key].tolist())
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)]
