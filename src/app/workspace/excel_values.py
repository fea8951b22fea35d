"""The corrected extract's cells as Excel should hold them: real dates and clean codes.

Providers write dates in many styles ("16-May-1987", " 02/10/1977", "1987-05-16"); the workbook
the app gives back holds each as a real Excel date (shown dd/mm/yyyy, ``DATE_FORMAT``), read by
the project's own parser so the export agrees with what was judged. Codes lose stray spaces (and
are upper-cased, as the schema reads them). A value that is not a date is written as it stands,
so nothing is lost; the raw text stays in the workspace and the audit trail.
"""

from __future__ import annotations

import pandas as pd

from rules import columns
from rules.dates import parse_dates
from rules.parse import clean_text

#: The one number format of every exported date.
DATE_FORMAT = "DD/MM/YYYY"


def excel_values(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """A copy of a RAW table (canonical column names) with dates as ``datetime.date`` and codes cleaned."""
    out = frame.copy()
    for name in frame.columns:
        if name not in columns.column_names(table):
            continue
        kind = columns.column(table, name).type
        if kind == "date":
            out[name] = _dates(frame[name], birth=name == "dob")
        elif kind == "code":
            text = clean_text(frame[name]).str.upper()
            out[name] = text.astype(object).where(text.notna(), None)
    return out


def _dates(values: pd.Series, *, birth: bool) -> pd.Series:
    text = clean_text(values)
    parsed = parse_dates(text, birth=birth)
    ok = parsed.notna().to_numpy()
    cells = values.astype(object).where(text.notna(), None).to_numpy(dtype=object).copy()
    if ok.any():
        cells[ok] = parsed[ok].dt.date.to_numpy(dtype=object)
    return pd.Series(cells, index=values.index, dtype=object)



def csv_values(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """``excel_values`` for a CSV file, which has no date type: each date as dd/mm/yyyy text (one
    format, as an English Excel reads it back as a date); codes without stray spaces."""
    out = excel_values(frame, table)
    for name in out.columns:
        if name in columns.column_names(table) and columns.column(table, name).type == "date":
            out[name] = out[name].map(lambda v: v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v)
    return out
