"""Test helper: small typed canonical tables built by hand (dtypes per columns.PANDAS_DTYPES)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from rules.columns import COLUMNS, PANDAS_DTYPES, SOURCE_COLUMNS
from rules.tables import Tables

D = dt.date


def typed(table: str, rows: list[dict[str, Any]], file: str = "test.xlsx") -> pd.DataFrame:
    """A typed table: every canonical column (missing values NA), plus _file/_sheet/_row."""
    data: dict[str, Any] = {}
    for col in COLUMNS[table]:
        values = [r.get(col.name) for r in rows]
        dtype = PANDAS_DTYPES[col.type]
        if col.type == "date":
            data[col.name] = pd.to_datetime(pd.Series([None if v is None else pd.Timestamp(v) for v in values],
                                                      dtype="object")).astype("datetime64[ns]")
        else:
            data[col.name] = pd.Series(values, dtype=dtype)
    frame = pd.DataFrame(data)
    frame[SOURCE_COLUMNS[0]] = pd.Series([file] * len(rows), dtype="string")
    frame[SOURCE_COLUMNS[1]] = pd.Series([table] * len(rows), dtype="string")
    frame[SOURCE_COLUMNS[2]] = pd.Series(range(2, len(rows) + 2), dtype="Int64")
    return frame


_EPISODE_DEFAULTS = {"provider_code": "N9001", "client_ref": "C1", "first_initial": "A", "surname_initial": "B",
                     "dob": D(1980, 1, 1), "sex": "M", "ethnicity": "A", "consent": "Y", "referral_source": "SELF",
                     "drug1": "HER"}


def episode(episode_id: str, **values: Any) -> dict[str, Any]:
    return {**_EPISODE_DEFAULTS, "episode_id": episode_id, **values}


def modality(episode_id: str, modality_id: str = "M1", **values: Any) -> dict[str, Any]:
    return {"provider_code": "N9001", "episode_id": episode_id, "modality_id": modality_id,
            "modality_type": "PSY", **values}


def top(episode_id: str, top_id: str, stage: str, date: dt.date, **values: Any) -> dict[str, Any]:
    return {"provider_code": "N9001", "episode_id": episode_id, "top_id": top_id, "top_stage": stage,
            "top_date": date, **values}


def tables(episodes: list[dict], modalities: list[dict] | None = None, tops: list[dict] | None = None,
           as_at: dt.date | None = None) -> Tables:
    return Tables(typed("episodes", episodes),
                  None if modalities is None else typed("modalities", modalities),
                  None if tops is None else typed("tops", tops), as_at=as_at)
