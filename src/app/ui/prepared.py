"""The heavy part of showing a session, computed without Qt so the worker can do it.

Opening 100,000 episodes, turning the tables into the models' arrays, ranking every finding's
cell and sorting the findings list takes most of a second; done in the GUI thread it would freeze
the window. The opening job calls ``prepare_all`` after validating; the window then only wraps
the arrays in models (``MainWindow.set_session(session, prepared=...)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from app.session import SEVERITY_RANK, Session
from rules import columns


@dataclass
class Ready:
    """A session opened in the worker, with what its views need already computed."""

    session: Session
    prepared: dict[str, Any]


def prepare_all(session: Session) -> dict[str, Any]:
    """Records models' arrays per table, and the findings panel's counts and list (no facet chosen)."""
    from app.ui.findings_panel import prepare_findings

    return {"tables": {t: prepare(session, t) for t in session.raw.present()},
            "findings": prepare_findings(session)}


def fields_of(table: str) -> list[str]:
    return [*columns.column_names(table), *columns.SOURCE_COLUMNS]


def load_values(session: Session, table: str, fields: list[str]) -> tuple[int, list[np.ndarray]]:
    """The table's values as object arrays, one per shown column (a copy the model may change)."""
    frame = session.table(table)
    n = 0 if frame is None else len(frame)
    return n, [frame[f].to_numpy(dtype=object, copy=True) if frame is not None and f in frame
               else np.full(n, None, dtype=object) for f in fields]


def open_findings_of(f: pd.DataFrame, table: str) -> pd.DataFrame:
    """Open findings located on rows of ``table``."""
    return f[(f["table"] == table).to_numpy() & (f["pos"] >= 0).to_numpy() & ~f["accepted"].to_numpy(bool)]


def rank_cells(mine: pd.DataFrame, fields: list[str], row_rank: np.ndarray, cell_rank: dict[int, int]
               ) -> dict[int, int]:
    """Raise row ranks (in place) and cell ranks to the worst severity of ``mine``; the cell ranks."""
    pos = mine["pos"].to_numpy(dtype=np.int64)
    ranks = mine["severity"].map(SEVERITY_RANK).fillna(0).to_numpy(dtype=np.int8)
    np.maximum.at(row_rank, pos, ranks)
    exploded = mine["fields"].explode()
    cols = exploded.map({name: i for i, name in enumerate(fields)}).to_numpy(dtype=float)
    repeat = np.repeat(np.arange(len(mine)), mine["fields"].map(lambda t: max(len(t), 1)).to_numpy(dtype=np.int64))
    ok = ~np.isnan(cols)
    keys = pos[repeat[ok]] * len(fields) + cols[ok].astype(np.int64)
    order = np.argsort(ranks[repeat[ok]], kind="stable")  # the worst severity is written last
    pairs = zip(keys[order].tolist(), ranks[repeat[ok]][order].tolist(), strict=True)
    if not cell_rank:
        return dict(pairs)
    for key, rank in pairs:
        if rank >= cell_rank.get(key, 0):
            cell_rank[key] = rank
    return cell_rank


def prepare(session: Session, table: str) -> dict:
    """What a ``RecordsModel`` holds, computed without Qt, so a worker can do it before the model is made."""
    fields = fields_of(table)
    n, cols = load_values(session, table, fields)
    row_rank = np.zeros(n, dtype=np.int8)
    cell_rank = rank_cells(open_findings_of(session.findings, table), fields, row_rank, {})
    return {"n": n, "cols": cols, "row_rank": row_rank, "cell_rank": cell_rank}
