"""Read the generator's written files back with openpyxl / csv alone (not the product's reader).

Headers are mapped back through the provider's style, dates to ISO text, labels to codes and
stray spaces stripped, so a test can look at exactly the cell a manifest row names.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl

from app.synth import Synthetic, messy
from app.synth.flat import FLAT_TOPS, MODALITY_FLAT
from rules.columns import TABLES, column_names

Rows = dict[str, list[dict]]  # table -> rows (canonical names, plus _file and _row)


def _norm(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if text == "":
        return None
    for fmt in ("%d/%m/%Y", "%d-%b-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            pass
    return text


def _grid_rows(grid: list[list], file: str, style: str, names: list[str]) -> list[dict]:
    back = {messy.header(n, style): n for n in names}
    start = next(i for i, row in enumerate(grid) if sum(v not in (None, "") for v in row) >= 3)
    headers = [back.get(str(h).strip()) if h is not None else None for h in grid[start]]
    unlabel = {n: {v: k for k, v in labels.items()} for n, labels in messy.LABELLED.items()}
    out = []
    for pos, row in enumerate(grid[start + 1:], start=start + 2):
        rec: dict = {"_file": file, "_row": pos, **dict.fromkeys(h for h in headers if h)}
        for h, v in zip(headers, row, strict=False):
            if h:
                v = _norm(v)
                rec[h] = unlabel.get(h, {}).get(v, v) if style == "friendly" else v
        out.append(rec)
    return out


def _split_flat(rows: list[dict]) -> Rows:
    mods, tops = [], []
    for r in rows:
        base = {"provider_code": r["provider_code"], "episode_id": r["episode_id"], "_file": r["_file"],
                "_row": r["_row"]}
        if any(r.get(c) for c in MODALITY_FLAT):
            mods.append({**base, "modality_id": "M1", **{c: r.get(c) for c in MODALITY_FLAT}})
        for stage, (top_id, col) in FLAT_TOPS.items():
            if r.get(col):
                tops.append({**base, "top_id": top_id, "top_stage": stage, "top_date": r[col]})
    return {"episodes": rows, "modalities": mods, "tops": tops}


def read_back(synthetic: Synthetic, paths: list[Path]) -> Rows:
    out: Rows = {t: [] for t in TABLES}
    for provider, path in zip(synthetic.providers, paths, strict=True):
        style = synthetic.styles[provider]
        if synthetic.fmt == "csv":
            for table in TABLES:
                name = f"{provider}_{table}.csv"
                text = (path / name).read_text(encoding="utf-8-sig")
                grid = list(csv.reader(text.splitlines()))
                out[table] += _grid_rows(grid, name, style, column_names(table))
            continue
        wb = openpyxl.load_workbook(path, read_only=True)
        if synthetic.fmt == "flat-xlsx":
            grid = [list(r) for r in wb["episodes"].iter_rows(values_only=True)]
            names = column_names("episodes") + list(messy.FLAT_EXTRA)
            for table, rows in _split_flat(_grid_rows(grid, path.name, style, names)).items():
                out[table] += rows
        else:
            for table in TABLES:
                grid = [list(r) for r in wb[table].iter_rows(values_only=True)]
                out[table] += _grid_rows(grid, path.name, style, column_names(table))
        wb.close()
    return out
