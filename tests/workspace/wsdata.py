"""Small RAW data for the workspace tests: the synthetic generator's tables, one Tables per file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from rules.tables import Tables

AS_AT = dt.date(2026, 1, 15)


def synthetic(providers: int = 2, episodes: int = 60, seed: int = 1) -> Tables:
    from app.synth import generate

    return generate(providers=providers, episodes=episodes, seed=seed, defects=0.0, as_at=AS_AT).raw


def per_file(raw: Tables) -> dict[str, Tables]:
    """Split partnership RAW tables into one Tables per source file (as import sees them)."""
    out = {}
    for file in raw.episodes["_file"].unique():
        frames = {}
        for table in ("episodes", "modalities", "tops"):
            frame = raw.get(table)
            if frame is not None:
                part = frame[frame["_file"] == file].reset_index(drop=True)
                frames[table] = part if len(part) else None
        out[str(file)] = Tables(**frames, as_at=raw.as_at, files=[str(file)])
    return out


def source_file(folder: Path, name: str, content: bytes = b"provider file") -> Path:
    """A stand-in for the provider's file (the workspace hashes it, never changes it)."""
    path = folder / name
    path.write_bytes(content)
    return path


def import_all(ws, raw: Tables, folder: Path) -> dict[str, int]:
    """Import every file of ``raw``; returns file name -> source id."""
    ids = {}
    for name, tables in per_file(raw).items():
        result = ws.import_source(tables, file_path=source_file(folder, name), profile=None)
        ids[name] = result.source_id
    return ids


def frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    return a.reset_index(drop=True).astype(object).equals(b.reset_index(drop=True).astype(object))
