"""Write a synthetic partnership to disk: one workbook (or CSV folder) per provider, plus manifest.json."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from app.synth import layout, messy
from app.synth.flat import flat_sheet
from app.synth.manifest import write_manifest
from app.synth.model import Synthetic
from app.synth.xlsx import write_workbook
from rules.columns import SOURCE_COLUMNS, TABLES, column_names

GENERATOR = "treatment-returns synth (synthetic data)"


def _about(synthetic: Synthetic, provider: str) -> list[list[str]]:
    return [["as_at", synthetic.as_at.isoformat()], ["provider", provider], ["generator", GENERATOR]]


def _sheet_rows(synthetic: Synthetic, provider: str, table: str, frame: pd.DataFrame) -> list[list]:
    """Title rows, the header row and the data rows of one provider's table, cells as written."""
    style = synthetic.styles.get(provider, "plain")
    index = synthetic.providers.index(provider) if provider in synthetic.providers else 0
    rng = np.random.default_rng([synthetic.seed, index, TABLES.index(table) if table in TABLES else 9])
    names = [c for c in frame.columns if c not in SOURCE_COLUMNS]
    rows: list[list] = [[t] for t in messy.titles(style, provider, table, synthetic.as_at)]
    rows.append([messy.header(n, style) for n in names])
    cells = [messy.render_column(n, frame[n].to_numpy(dtype=object), style=style, fmt=synthetic.fmt, rng=rng)
             for n in names]
    rows.extend([list(r) for r in zip(*cells, strict=True)])
    return rows


def _tables(synthetic: Synthetic, provider: str) -> dict[str, pd.DataFrame]:
    raw = synthetic.raw
    out = {}
    for table in TABLES:
        frame = raw.get(table)
        if frame is None:
            continue
        part = frame[frame["_file"].map(lambda f: f.startswith(provider + "_"))]
        out[table] = part.sort_values("_row", kind="stable")[column_names(table) + list(SOURCE_COLUMNS)]
    if synthetic.fmt == "flat-xlsx":
        return {"episodes": flat_sheet(out["episodes"], out["modalities"], out["tops"])}
    return out


def _write_csv(path: Path, rows: list[list], *, bom: bool) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig" if bom else "utf-8"))


def write(synthetic: Synthetic, out: Path) -> list[Path]:
    """Write every provider's extract and ``manifest.json`` into ``out``; return the extract paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for provider in synthetic.providers:
        tables = _tables(synthetic, provider)
        sheets = {t: _sheet_rows(synthetic, provider, t, f) for t, f in tables.items()}
        if synthetic.fmt == "csv":
            folder = out / layout.folder_name(provider)
            folder.mkdir(exist_ok=True)
            bom = synthetic.styles.get(provider) == "friendly"
            for table, rows in sheets.items():
                _write_csv(folder / layout.csv_name(provider, table), rows, bom=bom)
            _write_csv(folder / "about.csv", _about(synthetic, provider), bom=False)
            paths.append(folder)
        else:
            sheets["about"] = _about(synthetic, provider)
            path = out / layout.workbook_name(provider)
            write_workbook(path, sheets)
            paths.append(path)
    write_manifest(synthetic, out / "manifest.json")
    return paths
