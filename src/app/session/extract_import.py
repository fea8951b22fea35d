"""Opened provider extracts into a new workspace: each file a source, exactly as read, with the mapping
it was read with; and where each opened row landed among the workspace's working rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from rules import columns
from rules.settings import Settings
from rules.tables import Tables


def make_workspace(opened: Any, files: list[Path], path: Path | None, settings: Settings,
                   mappings: list[Any]) -> Any:
    """A new workspace holding each opened file (``app.extracts.Opened``) as a source, exactly as
    read, at ``path`` (else a new file in the user's data folder named from the partnership and period)."""
    from app.workspace import Workspace, default_path
    from rules.periods import quarter_containing

    period = quarter_containing(opened.raw.as_at or dt.date.today()).previous()
    year = period.label.split()[0]
    target = Path(path) if path is not None else default_path(settings.partnership_name, period.label)
    ws = Workspace.create(target, partnership=settings.partnership_name, year=year)
    try:
        for source, names in _sources(opened.raw, files):
            part = {t: f[f[columns.SOURCE_FILE].isin(names)] for t in columns.TABLES
                    if (f := opened.raw.get(t)) is not None}
            ws.import_source(Tables(**part, as_at=opened.raw.as_at, files=sorted(names)), file_path=source,
                             profile=_profile_of(names, mappings), digests=opened.digests)
        ws.set_settings(settings)
    except BaseException:
        ws.delete()
        raise
    return ws


def typed_in_workspace_order(opened: Any, shared: Tables) -> Tables:
    """The opened extracts' typed tables with their rows in the order of the workspace's working
    tables ``shared`` (so the parse already made is reused, not made again)."""
    order = {t: np.argsort(position_map(opened.raw.get(t), shared.get(t)), kind="stable")
             for t in columns.TABLES if shared.get(t) is not None}
    return Tables(**{t: opened.tables.get(t).iloc[order[t]].reset_index(drop=True) for t in order},
                  as_at=opened.tables.as_at, files=list(opened.tables.files))


def _profile_of(names: set[str], mappings: list[Any]) -> Any:
    """The mapping a file was opened with (every header, and the code values mapped), for the
    workspace's sources: an export with the provider's own headers needs it."""
    from app.extracts import MappingProfile

    mine = [m for m in mappings if m.file in names or Path(str(m.file)).name in names]
    if not mine:
        return None
    name = sorted(names)[0]
    headers = {h: t for m in mine for h, t in m.columns.items()}
    return MappingProfile(Path(name).stem, headers=headers, codes=MappingProfile.from_mappings(name, mine).codes)


def _sources(raw: Tables, files: list[Path]) -> list[tuple[Path | list[Path], set[str]]]:
    """Each opened path (a workbook, a CSV, or a folder of CSV files) with the ``_file`` names its rows carry."""
    present = set().union(*(set(f[columns.SOURCE_FILE].astype(str)) for t in columns.TABLES
                            if (f := raw.get(t)) is not None))
    names = [p.name for p in files]
    out, taken = [], set()
    for p in files:
        label = f"{p.parent.name}/{p.name}" if names.count(p.name) > 1 else p.name
        if p.is_dir():
            inside = sorted(f for f in p.iterdir() if f.is_file())
            mine = {n for n in present if n in {f.name for f in inside} or n.startswith(f"{label}/")} - taken
            used = [f for f in inside if f.name in mine or f"{label}/{f.name}" in mine] or inside
            out.append((used, mine))
        else:
            mine = {label} & present - taken
            out.append((p, mine))
        taken |= mine
    left = present - taken
    if left:  # rows whose file could not be told apart: kept with the first path, never dropped
        out[0] = (out[0][0], out[0][1] | left)
    return [(source, mine) for source, mine in out if mine]


def position_map(mine: pd.DataFrame, theirs: pd.DataFrame) -> np.ndarray:
    """For each row of ``mine``, the position of the same row in ``theirs`` (same file, source row and
    order among rows sharing that row, as a flat sheet's TOPs do)."""
    def keys(frame: pd.DataFrame) -> pd.MultiIndex:
        file = frame[columns.SOURCE_FILE].astype(str).to_numpy(dtype=object)
        row = pd.to_numeric(frame[columns.SOURCE_ROW]).to_numpy(dtype=np.int64)
        nth = pd.DataFrame({"f": file, "r": row}).groupby(["f", "r"], sort=False).cumcount().to_numpy()
        return pd.MultiIndex.from_arrays([file, row, nth])

    found = keys(theirs).get_indexer(keys(mine))
    if (found < 0).any():
        raise LookupError("some rows are not in the workspace just saved")
    return found.astype(np.int64)
