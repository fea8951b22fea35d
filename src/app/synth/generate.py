"""``generate``: a clean partnership, optionally with defects and messy provider formats, placed on disk rows."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from app.synth import layout, messy
from app.synth.defects import inject
from app.synth.flat import project
from app.synth.model import FORMATS, Defect, Synthetic
from app.synth.partnership import generate_clean
from rules.columns import SOURCE_COLUMNS, SOURCE_FILE, SOURCE_ROW, TABLES, column_names, record_key
from rules.tables import Tables


def generate(*, providers: int = 3, episodes: int = 2000, seed: int = 1, defects: float = 0.0,
             as_at: dt.date, fmt: str = "xlsx") -> Synthetic:
    """A fictional partnership; same arguments give the same data (numpy Generator seeded by ``seed``)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if providers < 1 or episodes < 1:
        raise ValueError("providers and episodes must be at least 1")
    if not 0.0 <= defects <= 1.0:
        raise ValueError("defects must be a rate between 0 and 1")
    clean = generate_clean(providers=providers, episodes=episodes, seed=seed, as_at=as_at)
    tables = {"episodes": clean.episodes, "modalities": clean.modalities, "tops": clean.tops}
    if fmt == "flat-xlsx":
        tables["modalities"], tables["tops"] = project(clean.episodes, clean.modalities, clean.tops)
    styles = {code: messy.style_for(i, defects) for i, code in enumerate(clean.codes)}
    pending = []
    if defects > 0:
        rng = np.random.default_rng([seed, 7919])
        pending = inject(rng, tables, rate=defects, flat=fmt == "flat-xlsx", as_at=as_at)
    placed = layout.place(tables, codes=clean.codes, styles=styles, fmt=fmt)
    manifest = [
        Defect(rule=p.rule, file=str(placed[p.table].at[p.index, SOURCE_FILE]), table=p.table,
               row=int(placed[p.table].at[p.index, SOURCE_ROW]),
               record=record_key(placed[p.table].at[p.index, "provider_code"],
                                 placed[p.table].at[p.index, "episode_id"]), field=p.field)
        for p in pending
    ]
    manifest.sort(key=lambda d: (d.file, TABLES.index(d.table), d.row, d.rule))
    raw = {t: _finish(placed[t], t) for t in TABLES}
    files = _files(clean.codes, fmt)
    return Synthetic(raw=Tables(episodes=raw["episodes"], modalities=raw["modalities"], tops=raw["tops"],
                                as_at=as_at, files=files),
                     manifest=manifest, as_at=as_at, seed=seed, fmt=fmt, defects_rate=defects,
                     episodes=episodes, providers=clean.codes, styles=styles)


def _finish(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Canonical columns then ``_file``, ``_sheet``, ``_row`` (as the reader gives them)."""
    return frame[column_names(table) + list(SOURCE_COLUMNS)].reset_index(drop=True)


def _files(codes: list[str], fmt: str) -> list[str]:
    """Source file names in the order the reader lists them: provider by provider."""
    if fmt == "csv":
        return [layout.csv_name(code, table) for code in codes for table in TABLES]
    return [layout.workbook_name(code) for code in codes]
