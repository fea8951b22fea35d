"""Split the flat one-sheet form (one row per episode) into the three canonical tables.

The modality on an episode row becomes modality ``M1`` of that episode (unless the sheet has a
modality id); the TOP dates become TOPs ``T1`` (start, stage S), ``T2`` (review, R) and ``T3``
(exit, E), so the same row always gets the same ids quarter after quarter. Split rows keep the flat
sheet's ``_row``, so a finding on them points at the provider's row.
"""

from __future__ import annotations

import pandas as pd

from app.extracts.mapping import FLAT_MODALITY, FLAT_TOPS, TABLE_COLUMNS
from rules.columns import SOURCE_COLUMNS

_TOP_STAGES = (("top_start_date", "S", "T1"), ("top_review_date", "R", "T2"), ("top_exit_date", "E", "T3"))


def split_flat(flat: pd.DataFrame, present: set[str]) -> dict[str, pd.DataFrame]:
    """{table -> raw frame}; modalities/tops only when the sheet had any of their columns."""
    keys = ["provider_code", "episode_id"]
    out = {"episodes": flat[list(TABLE_COLUMNS["episodes"]) + list(SOURCE_COLUMNS)].reset_index(drop=True)}
    mod_cols = [c for c in FLAT_MODALITY if c != "modality_id"]
    if present & set(FLAT_MODALITY):
        has = flat[mod_cols].notna().any(axis=1)
        mods = flat.loc[has, keys + list(FLAT_MODALITY) + list(SOURCE_COLUMNS)].copy()
        if "modality_id" not in present:
            mods["modality_id"] = "M1"
        out["modalities"] = _ordered(mods, "modalities")
    if present & set(FLAT_TOPS):
        parts = []
        for column, stage, top_id in _TOP_STAGES:
            rows = flat.loc[flat[column].notna(), keys + [column] + list(SOURCE_COLUMNS)]
            parts.append(rows.rename(columns={column: "top_date"}).assign(top_stage=stage, top_id=top_id,
                                                                           _order=len(parts)))
        tops = pd.concat(parts).sort_values([SOURCE_COLUMNS[2], "_order"], kind="stable").drop(columns="_order")
        out["tops"] = _ordered(tops, "tops")
    return out


def _ordered(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    frame = frame.reindex(columns=list(TABLE_COLUMNS[table]) + list(SOURCE_COLUMNS))
    for name in TABLE_COLUMNS[table]:
        frame[name] = frame[name].astype("str")
    return frame.reset_index(drop=True)
