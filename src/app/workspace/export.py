"""Exports: the corrected extract and the audit trail, as .xlsx or .csv, written atomically.

Extract text is written as text, never as a formula: in .xlsx every value starting with
``= + - @`` is an explicit string cell. CSV has no cell types, so such values are written as
they are; a spreadsheet program opening the CSV may still read them as formulas (the app
recommends .xlsx for sharing). Codes are exported as canonical codes, also with provider
headers: a code mapping can be many-to-one and cannot be reversed.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from app.atomic import atomic_write
from app.workspace.excel_values import DATE_FORMAT, csv_values, excel_values
from app.workspace.working import Working
from rules.columns import TABLES, column_names
from rules.progress import NO_PROGRESS, Progress, check_cancelled

FORMULA_START = ("=", "+", "-", "@")


def write_xlsx(path: Path, sheets: dict[str, pd.DataFrame], progress: Progress = NO_PROGRESS) -> Path:
    """Sheets of text (and whole numbers) as a workbook; text is never a formula."""
    total = max(1, sum(len(f) for f in sheets.values()))

    def write(tmp: Path) -> None:
        done = 0
        wb = Workbook(write_only=True)
        for name, frame in sheets.items():
            ws = wb.create_sheet(name[:31])
            ws.append([str(c) for c in frame.columns])
            for i, values in enumerate(frame.itertuples(index=False, name=None)):
                if i % 5000 == 0:
                    check_cancelled(progress)
                    progress.report((done + i) / total, f"Writing {name}")
                row = []
                for v in values:
                    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
                        row.append(None)
                    elif isinstance(v, str) and v.startswith(FORMULA_START):
                        cell = WriteOnlyCell(ws, value=v)
                        cell.data_type = "s"
                        row.append(cell)
                    elif isinstance(v, dt.date):  # a real Excel date, in the one date format
                        cell = WriteOnlyCell(ws, value=v)
                        cell.number_format = DATE_FORMAT
                        row.append(cell)
                    elif isinstance(v, (np.integer, int)):
                        row.append(int(v))
                    else:
                        row.append(str(v))
                ws.append(row)
            done += len(frame)
        wb.save(tmp)
        progress.report(1.0, "Saved")
    return atomic_write(path, write)


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    """UTF-8 with BOM (what Excel opens correctly), blanks as empty fields."""
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
            out = csv.writer(f)
            out.writerow(frame.columns)
            data = frame.astype(object).where(frame.notna(), "")
            out.writerows(data.itertuples(index=False, name=None))
    return atomic_write(path, write)


def _header_map(profile: dict | None) -> dict[str, str]:
    """canonical column -> the provider's own header, from a mapping profile's ``headers``."""
    headers = (profile or {}).get("headers") or {}
    out: dict[str, str] = {}
    for provider_header, canonical in headers.items():
        if canonical and canonical not in out:
            out[canonical] = provider_header
    return out


def corrected_frames(working: Working, sources: pd.DataFrame, *, headers: str,
                     provider: str | None, excel: bool = False, csv_text: bool = False) -> dict[str, pd.DataFrame]:
    """The working tables (every edit applied) of the active ``sources``, with the headers asked for;
    ``excel``: dates as real dates and codes without stray spaces (``excel_values``); ``csv_text``:
    dates as dd/mm/yyyy text and codes without stray spaces (``csv_values``)."""
    if headers not in ("canonical", "provider"):
        raise ValueError("headers must be 'canonical' or 'provider'")
    if provider is not None:
        sources = sources[sources["provider_code"] == provider]
        if sources.empty:
            raise KeyError(f"no source from provider {provider!r}")
    rename: dict[str, str] = {}
    if headers == "provider":
        maps = {str(p): _header_map(p) for p in sources["profile"]}
        if len(maps) != 1:
            raise ValueError("provider headers need one provider's extract: choose a provider")
        rename = _header_map(sources["profile"].iloc[0])
    ids = sources["id"].to_numpy()
    out = {}
    for table in TABLES:
        frame = working.frames.get(table)
        if frame is None:
            continue
        source_ids, _ = working.cells_of(table, np.arange(len(frame)))
        part = frame.loc[np.isin(source_ids, ids), column_names(table)]
        if excel:
            part = excel_values(part, table)
        elif csv_text:
            part = csv_values(part, table)
        out[table] = part.rename(columns=rename).reset_index(drop=True)
    return out


def export_corrected(working: Working, sources: pd.DataFrame, path: Path, *, fmt: str | None, headers: str,
                     provider: str | None, progress: Progress = NO_PROGRESS) -> list[Path]:
    """The corrected extract: one workbook (a sheet per table; dates as real Excel dates, codes
    without stray spaces) or one CSV per table, dates as dd/mm/yyyy text, codes without stray spaces
    (``<stem>_episodes.csv``..., or ``episodes.csv``... inside ``path`` when it is a folder)."""
    fmt = (fmt or path.suffix.lstrip(".") or "xlsx").lower()
    frames = corrected_frames(working, sources, headers=headers, provider=provider, excel=fmt == "xlsx",
                              csv_text=fmt == "csv")
    if fmt == "xlsx":
        return [write_xlsx(path.with_suffix(".xlsx") if path.suffix.lower() != ".xlsx" else path, frames,
                           progress)]
    if fmt != "csv":
        raise ValueError(f"unknown export format {fmt!r} (xlsx or csv)")
    if path.is_dir():
        return [write_csv(path / f"{t}.csv", f) for t, f in frames.items()]
    return [write_csv(path.with_name(f"{path.stem}_{t}.csv"), f) for t, f in frames.items()]


def export_audit(history: pd.DataFrame, accepted: pd.DataFrame, sources: pd.DataFrame, path: Path, *,
                 identifiers: bool = False) -> Path:
    """The audit trail: every edit; in .xlsx also the sources and the accepted findings.

    Values of identifying fields (client reference, initials, date of birth, postcode) are withheld
    unless ``identifiers`` is asked for: records stay named by provider and episode id.
    """
    from app.reports.redact import IDENTIFYING_FIELDS, WITHHELD, redact
    from app.workspace.trail import readable

    history = readable(history)  # times dd/mm/yyyy hh:mm and dates dd/mm/yyyy, as the app shows them
    if not identifiers:
        secret = history["field"].isin(IDENTIFYING_FIELDS)
        for column in ("old", "new"):
            if column in history.columns:
                history[column] = history[column].astype(object).where(~secret | history[column].isna(), WITHHELD)
        # a step's own words can quote the value typed ("postcode = ZZ9 9ZZ"): said without it
        history["step_description"] = history["step_description"].astype(object).where(
            ~secret, history["step"].astype(str) + " of " + history["field"].astype(str) + " " + WITHHELD)
        if len(accepted):
            accepted = redact(accepted)
    if path.suffix.lower() == ".csv":
        return write_csv(path, history)
    sources = sources.drop(columns=["profile"])
    for name in ("fields", "values"):
        accepted[name] = [", ".join(v) for v in accepted[name]]
    return write_xlsx(path.with_suffix(".xlsx"), {"edits": history, "sources": sources, "accepted": accepted})
