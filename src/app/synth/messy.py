"""How each provider writes its file: header names, title rows, date style, labels, stray spaces.

Clean data (``--defects 0``) is written in the ``plain`` style by every provider. With defects the
providers write the way real ones do, one style each in turn: national header names, friendly
headers under title rows with dd/mm/yyyy text and code labels, upper-case headers with dd-Mon-yyyy.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from rules.codes import DISCHARGE_REASON, SEX
from rules.columns import COLUMNS

STYLES: tuple[str, ...] = ("national", "friendly", "upper", "plain")

NATIONAL: dict[str, str] = {
    "provider_code": "AGNCY", "episode_id": "EPISODID", "client_ref": "CLIENTID", "first_initial": "FINITIAL",
    "surname_initial": "SINITIAL", "dob": "DOB", "sex": "SEX", "ethnicity": "ETHNIC", "postcode": "PC",
    "consent": "CONSENT", "referral_date": "REFLD", "referral_source": "RFLS", "triage_date": "TRIAGED",
    "care_plan_date": "CPLANDT", "drug1": "DRUG1", "drug2": "DRUG2", "drug3": "DRUG3",
    "injecting_status": "INJSTAT", "discharge_date": "DISD", "discharge_reason": "DISRSN",
    "modality_id": "MODID", "modality_type": "MODAL", "modality_referral_date": "REFMODDT",
    "first_appt_offered_date": "FAOMODDT", "modality_start_date": "MODST", "modality_end_date": "MODEND",
    "modality_exit_status": "MODEXIT", "top_id": "TOPID", "top_date": "TOPDATE", "top_stage": "TRSTAGE",
}
FRIENDLY_SPECIAL: dict[str, str] = {"referral_date": "Date of Referral", "dob": "DOB"}
#: code columns a friendly provider writes as labels (the reader maps labels by itself)
LABELLED: dict[str, dict[str, str]] = {"discharge_reason": dict(DISCHARGE_REASON), "sex": dict(SEX)}
TITLE_ROWS: dict[str, int] = {"plain": 0, "national": 0, "friendly": 2, "upper": 1}
FLAT_EXTRA: tuple[str, ...] = ("modality_type", "modality_referral_date", "modality_start_date",
                               "modality_end_date", "modality_exit_status", "top_start_date",
                               "top_review_date", "top_exit_date")
_TYPES = {c.name: c.type for cols in COLUMNS.values() for c in cols}
_TYPES.update({"top_start_date": "date", "top_review_date": "date", "top_exit_date": "date"})


def column_type(name: str) -> str:
    return _TYPES.get(name, "text")


def style_for(index: int, defects: float) -> str:
    return STYLES[index % len(STYLES)] if defects > 0 else "plain"


def header(name: str, style: str) -> str:
    if style == "national":
        return NATIONAL.get(name, name)
    if style == "friendly":
        return FRIENDLY_SPECIAL.get(name, name.replace("_", " ").title())
    if style == "upper":
        return name.replace("_", " ").upper()
    return name


def titles(style: str, provider: str, table: str, as_at: dt.date) -> list[str]:
    lines = [f"{provider} - {table} extract (synthetic data)",
             f"Produced {as_at.strftime('%d/%m/%Y')}"]
    return lines[:TITLE_ROWS[style]]


def date_text(values: np.ndarray, style: str) -> np.ndarray:
    """ISO text -> the style's text; values that are not ISO dates (defects) stay as they are."""
    s = pd.Series(values, dtype=object)
    parsed = pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")
    ok = parsed.notna().to_numpy()
    out = values.copy()
    if style == "friendly" or style == "national":
        out[ok] = parsed[ok].dt.strftime("%d/%m/%Y").to_numpy()
    elif style == "upper":
        out[ok] = parsed[ok].dt.strftime("%d-%b-%Y").to_numpy()
    return out


def excel_dates(values: np.ndarray) -> np.ndarray:
    """ISO text -> date objects (Excel date cells); other text (defects) stays text.

    Excel has no dates before 1900 (and its serials are off by one before March 1900), so such a
    date, as a provider's spreadsheet would, stays text.
    """
    parsed = pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d", errors="coerce")
    ok = (parsed >= pd.Timestamp(1900, 3, 1)).to_numpy()
    out = values.copy()
    out[ok] = np.array([d.date() for d in parsed[ok]], dtype=object)
    return out


def numbers(values: np.ndarray) -> np.ndarray:
    """Whole-number text -> int (number cells); other text (defects) stays text."""
    out = values.copy()
    for i, v in enumerate(values):
        if v is not None and v.lstrip("-").isdigit():
            out[i] = int(v)
    return out


def stray_spaces(values: np.ndarray, rng: np.random.Generator, rate: float = 0.05) -> np.ndarray:
    out = values.copy()
    hit = (rng.random(len(values)) < rate) & pd.notna(values)
    lead = rng.random(len(values)) < 0.5
    for i in np.flatnonzero(hit):
        out[i] = f" {out[i]}" if lead[i] else f"{out[i]}  "
    return out


def render_column(name: str, values: np.ndarray, *, style: str, fmt: str,
                  rng: np.random.Generator) -> np.ndarray:
    """One column's cells as written: text, date objects (xlsx) or ints (xlsx)."""
    kind = column_type(name)
    values = np.asarray(values, dtype=object)
    if style == "friendly" and name in LABELLED:
        labels = LABELLED[name]
        values = np.array([labels.get(v, v) if v is not None else None for v in values], dtype=object)
    if kind == "date":
        if fmt != "csv" and style in ("plain", "national"):
            values = excel_dates(values)
        elif style != "plain":
            values = date_text(values, style)
    elif kind == "int" and fmt != "csv":
        values = numbers(values)
    if style in ("friendly", "upper") and kind in ("code", "date"):
        values = stray_spaces(values, rng)
    return values
