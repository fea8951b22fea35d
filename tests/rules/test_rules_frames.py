"""A small helper building TYPED canonical frames by hand, shared by the rule tests.

``episodes(dict(...), dict(...))`` gives a typed episodes table with sensible clean defaults for
every column not given, canonical dtypes and ``_file``/``_sheet``/``_row`` (row 2, 3, ...).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from rules.columns import COLUMNS, PANDAS_DTYPES
from rules.tables import Tables

AS_AT = dt.date(2025, 7, 15)

DEFAULTS: dict[str, dict[str, Any]] = {
    "episodes": {
        "provider_code": "N9001", "episode_id": "E1", "client_ref": "C1", "first_initial": "A",
        "surname_initial": "B", "dob": "1980-05-01", "sex": "M", "ethnicity": "A", "postcode": "LS1 4AB",
        "consent": "Y", "referral_date": "2025-01-01", "referral_source": "SELF", "triage_date": "2025-01-10",
        "care_plan_date": "2025-01-20", "drug1": "HER", "drug2": None, "drug3": None,
        "injecting_status": "N", "discharge_date": None, "discharge_reason": None,
    },
    "modalities": {
        "provider_code": "N9001", "episode_id": "E1", "modality_id": "M1", "modality_type": "PSY",
        "modality_referral_date": "2025-01-10", "first_appt_offered_date": "2025-01-12",
        "modality_start_date": "2025-01-15", "modality_end_date": None, "modality_exit_status": None,
    },
    "tops": {
        "provider_code": "N9001", "episode_id": "E1", "top_id": "T1", "top_date": "2025-01-15",
        "top_stage": "S", "opiate_days": 10, "crack_days": 0, "cocaine_days": 0, "alcohol_days": 0,
        "cannabis_days": 0, "injecting_days": 0, "psych_health": 10, "physical_health": 10,
        "quality_of_life": 10,
    },
}


def frame(table: str, *rows: dict[str, Any], file: str = "provider_a.xlsx") -> pd.DataFrame:
    """A typed table: each row is DEFAULTS[table] updated with the given values."""
    records = [{**DEFAULTS[table], **row} for row in rows]
    data: dict[str, Any] = {}
    for col in COLUMNS[table]:
        values = [r[col.name] for r in records]
        if col.type == "date":
            data[col.name] = pd.to_datetime(pd.Series(values, dtype="object"), errors="raise").astype("datetime64[ns]")
        else:
            data[col.name] = pd.Series(values, dtype=PANDAS_DTYPES[col.type])
    out = pd.DataFrame(data)
    out["_file"] = pd.Series([r.get("_file", file) for r in records], dtype="string")
    out["_sheet"] = pd.Series([table] * len(records), dtype="string")
    out["_row"] = pd.Series([r.get("_row", i + 2) for i, r in enumerate(records)], dtype="Int64")
    return out


def episodes(*rows: dict[str, Any]) -> pd.DataFrame:
    return frame("episodes", *rows)


def modalities(*rows: dict[str, Any]) -> pd.DataFrame:
    return frame("modalities", *rows)


def tops(*rows: dict[str, Any]) -> pd.DataFrame:
    return frame("tops", *rows)


def tables(eps: list[dict[str, Any]] | None = None, mods: list[dict[str, Any]] | None = None,
           tps: list[dict[str, Any]] | None = None, *, as_at: dt.date = AS_AT) -> Tables:
    """Tables from row dicts; ``mods``/``tps`` None = the table is missing from the extract."""
    return Tables(
        episodes=episodes(*(eps if eps is not None else [{}])),
        modalities=modalities(*mods) if mods is not None else None,
        tops=tops(*tps) if tps is not None else None,
        as_at=as_at, files=["provider_a.xlsx"],
    )


def test_frame_has_canonical_dtypes() -> None:
    eps = episodes({"episode_id": "E7", "triage_date": None})
    assert str(eps["referral_date"].dtype) == "datetime64[ns]"
    assert str(eps["episode_id"].dtype) == "string"
    assert eps["triage_date"].isna().all()
    assert list(eps["_row"]) == [2]
    assert str(tops({})["opiate_days"].dtype) == "Int64"
