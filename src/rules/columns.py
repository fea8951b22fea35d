"""The canonical extract's three tables, column by column (spec/extract.md).

Everything after import speaks only this form. A canonical table is a pandas DataFrame with
exactly these columns, typed as ``PANDAS_DTYPES`` says, plus the source-position columns in
``SOURCE_COLUMNS`` that let every finding point back at the provider's own file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnType = Literal["text", "date", "int", "code"]

TABLES: tuple[str, ...] = ("episodes", "modalities", "tops")

#: Where a row came from. ``_row`` is the 1-based row number in the source sheet or CSV
#: (header row included), so a user can find it in their own file.
SOURCE_FILE = "_file"
SOURCE_SHEET = "_sheet"
SOURCE_ROW = "_row"
SOURCE_COLUMNS: tuple[str, ...] = (SOURCE_FILE, SOURCE_SHEET, SOURCE_ROW)


@dataclass(frozen=True)
class Column:
    """One canonical column: its type, code list, whether it must be present, and its range."""

    name: str
    type: ColumnType
    required: bool = False
    code_list: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    label: str = ""


def _c(name: str, type_: ColumnType, *, required: bool = False, code_list: str | None = None,
       minimum: int | None = None, maximum: int | None = None, label: str = "") -> Column:
    return Column(name, type_, required, code_list, minimum, maximum,
                  label or name.replace("_", " ").capitalize())


EPISODES: tuple[Column, ...] = (
    _c("provider_code", "text", required=True, label="Provider"),
    _c("episode_id", "text", required=True, label="Episode id"),
    _c("client_ref", "text", required=True, label="Client reference"),
    _c("first_initial", "text"),
    _c("surname_initial", "text"),
    _c("dob", "date", required=True, label="Date of birth"),
    _c("sex", "code", code_list="sex"),
    _c("ethnicity", "code", code_list="ethnicity"),
    _c("postcode", "text"),
    _c("consent", "code", required=True, code_list="consent"),
    _c("referral_date", "date", required=True),
    _c("referral_source", "code", code_list="referral_source"),
    _c("triage_date", "date"),
    _c("care_plan_date", "date"),
    _c("drug1", "code", required=True, code_list="substance", label="Drug 1"),
    _c("drug2", "code", code_list="substance", label="Drug 2"),
    _c("drug3", "code", code_list="substance", label="Drug 3"),
    _c("injecting_status", "code", code_list="injecting_status"),
    _c("discharge_date", "date"),
    _c("discharge_reason", "code", code_list="discharge_reason"),
)

MODALITIES: tuple[Column, ...] = (
    _c("provider_code", "text", required=True, label="Provider"),
    _c("episode_id", "text", required=True, label="Episode id"),
    _c("modality_id", "text", required=True, label="Modality id"),
    _c("modality_type", "code", required=True, code_list="modality_type"),
    _c("modality_referral_date", "date", required=True),
    _c("first_appt_offered_date", "date", label="First appointment offered"),
    _c("modality_start_date", "date"),
    _c("modality_end_date", "date"),
    _c("modality_exit_status", "code", code_list="modality_exit_status"),
)

_DAYS = dict(minimum=0, maximum=28)
_SCORE = dict(minimum=0, maximum=20)

TOPS: tuple[Column, ...] = (
    _c("provider_code", "text", required=True, label="Provider"),
    _c("episode_id", "text", required=True, label="Episode id"),
    _c("top_id", "text", required=True, label="TOP id"),
    _c("top_date", "date", required=True, label="TOP date"),
    _c("top_stage", "code", required=True, code_list="top_stage", label="TOP stage"),
    _c("opiate_days", "int", **_DAYS),
    _c("crack_days", "int", **_DAYS),
    _c("cocaine_days", "int", **_DAYS),
    _c("alcohol_days", "int", **_DAYS),
    _c("cannabis_days", "int", **_DAYS),
    _c("injecting_days", "int", **_DAYS),
    _c("psych_health", "int", **_SCORE),
    _c("physical_health", "int", **_SCORE),
    _c("quality_of_life", "int", **_SCORE),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "episodes": EPISODES,
    "modalities": MODALITIES,
    "tops": TOPS,
}

#: The columns that identify one row of each table (the record key).
KEYS: dict[str, tuple[str, ...]] = {
    "episodes": ("provider_code", "episode_id"),
    "modalities": ("provider_code", "episode_id", "modality_id"),
    "tops": ("provider_code", "episode_id", "top_id"),
}

#: pandas dtypes of a canonical (typed) table: dates are ``datetime64[ns]`` at midnight,
#: ints are nullable ``Int64``, text and codes are the nullable ``string`` dtype (blank = NA).
PANDAS_DTYPES: dict[str, str] = {
    "text": "string",
    "code": "string",
    "date": "datetime64[ns]",
    "int": "Int64",
}


def column_names(table: str) -> list[str]:
    """The canonical column names of one table, in order."""
    return [c.name for c in COLUMNS[table]]


def column(table: str, name: str) -> Column:
    """One column's definition; KeyError when the table has no such column."""
    for c in COLUMNS[table]:
        if c.name == name:
            return c
    raise KeyError(f"{table} has no column {name!r}")


def record_key(provider_code: str, episode_id: str) -> str:
    """The record key users see: ``provider_code/episode_id`` (e.g. ``N9001/E000123``)."""
    return f"{provider_code}/{episode_id}"
