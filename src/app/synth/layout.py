"""Where each row lands on disk: file name, sheet and 1-based row (header and title rows counted)."""

from __future__ import annotations

import pandas as pd

from app.synth.messy import TITLE_ROWS
from rules.columns import SOURCE_FILE, SOURCE_ROW, SOURCE_SHEET, TABLES

FLAT_SHEET = "episodes"


def workbook_name(provider: str) -> str:
    return f"{provider}_extract.xlsx"


def folder_name(provider: str) -> str:
    return f"{provider}_extract"


def csv_name(provider: str, table: str) -> str:
    return f"{provider}_{table}.csv"


def by_provider(frame: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Rows grouped by provider in partnership order, each provider's rows in their current order."""
    rank = frame["provider_code"].map({c: i for i, c in enumerate(codes)})
    return frame.iloc[rank.argsort(kind="stable")]


def place(tables: dict[str, pd.DataFrame], *, codes: list[str], styles: dict[str, str],
          fmt: str) -> dict[str, pd.DataFrame]:
    """Add ``_file``, ``_sheet``, ``_row`` to each table (rows sorted by provider; index kept)."""
    out = {}
    episodes = by_provider(tables["episodes"], codes)
    for table in TABLES:
        frame = by_provider(tables[table], codes) if table != "episodes" else episodes
        frame = frame.copy()
        style = frame["provider_code"].map(styles)
        first = style.map(TITLE_ROWS).astype(int) + 2  # title rows, header, then data
        if fmt == "flat-xlsx" and table != "episodes":
            parent = episodes.loc[frame["_ep"]]
            frame[SOURCE_FILE] = parent[SOURCE_FILE].to_numpy()
            frame[SOURCE_SHEET] = FLAT_SHEET
            frame[SOURCE_ROW] = parent[SOURCE_ROW].to_numpy()
        else:
            frame[SOURCE_ROW] = (frame.groupby("provider_code", sort=False).cumcount() + first).astype("int64")
            if fmt == "csv":
                frame[SOURCE_FILE] = [csv_name(p, table) for p in frame["provider_code"]]
                frame[SOURCE_SHEET] = None
            else:
                frame[SOURCE_FILE] = [workbook_name(p) for p in frame["provider_code"]]
                frame[SOURCE_SHEET] = FLAT_SHEET if fmt == "flat-xlsx" else table
        frame[SOURCE_SHEET] = frame[SOURCE_SHEET].astype(object)
        if table == "episodes":
            episodes = frame
        out[table] = frame
    return out
