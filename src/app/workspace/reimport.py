"""Importing a source, and re-importing a newer extract from the same provider.

A newer extract (same provider_code) replaces the old source. An edit still applies when its
row (matched by the row's original key: provider/episode, plus modality or TOP id) is in the
new extract and still holds the value the edit started from; it is carried over as a ``carry``
edit on the new row. Otherwise it is appended as ``orphan`` (with why) and returned, so the
manager can see what needs doing again. The old source stays in the file for the audit trail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from app.errors import InputError
from app.workspace.edits import Edit, effective_edits, insert_batch, insert_edits, now, to_edits, user_name
from app.workspace.sources import FORMAT, decode, encode, file_digest, frames_of, listing, provider_of
from app.workspace.store import Store
from rules.columns import KEYS, TABLES
from rules.tables import Tables


@dataclass
class ImportResult:
    """What an import did. ``orphaned`` edits no longer apply; their ``reason`` says why."""

    source_id: int
    batch_id: int
    provider_code: str
    file_name: str
    rows: dict[str, int]
    replaced_source_id: int | None = None
    carried: list[Edit] = field(default_factory=list)
    orphaned: list[Edit] = field(default_factory=list)


def _keys(frame: pd.DataFrame, table: str) -> pd.Series:
    parts = [frame[c].astype(object).where(frame[c].notna(), "").astype(str) for c in KEYS[table]]
    key = parts[0] + "/" + parts[1]
    return key if len(parts) == 2 else key + "/" + parts[2]


def import_source(store: Store, raw: Tables, *, file_path: Path | list[Path], profile: Any,
                  digests: dict[str, str] | None = None) -> ImportResult:
    if profile is not None and not isinstance(profile, dict):
        profile = profile.to_json()  # an app.extracts MappingProfile
    paths = [Path(p) for p in (file_path if isinstance(file_path, (list, tuple)) else [file_path])]
    for p in paths:
        if not p.is_file() and str(p.resolve()) not in (digests or {}):
            raise InputError("the source file cannot be found", file=str(p))
    digest = file_digest(paths, digests)   # of the bytes read (``Opened.digests``), else of the file now
    file_name = ", ".join(p.name for p in paths)
    provider = provider_of(raw.episodes)
    blobs = {t: encode(raw.get(t), t) for t in TABLES if raw.get(t) is not None}
    n_rows = {t: len(raw.get(t)) for t in blobs}
    sources = listing(store.conn)
    same = sources[(sources["provider_code"] == provider) & (provider != "")]
    replaced = int(same["id"].iloc[-1]) if len(same) else None
    user, time = user_name(), now()
    # the new rows as stored are read back only when edits may carry over onto them
    carry_rows, orphan_rows = (_carry(store, replaced, {t: decode(b) for t, b in blobs.items()}) if replaced is not None
                               else (pd.DataFrame(), pd.DataFrame()))
    with store.transaction() as conn:
        description = f"Import {file_name}" + (f" (replaces source {replaced})" if replaced else "")
        batch_id = insert_batch(conn, kind="import", description=description, reason="", user=user, time=time)
        cur = conn.execute(
            "INSERT INTO sources (provider_code, file_name, file_path, sha256, as_at, profile_json, replaces, "
            "batch_id, imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (provider, file_name, " | ".join(str(p.resolve()) for p in paths), digest,
             raw.as_at.isoformat() if raw.as_at else None,
             json.dumps(profile, sort_keys=True) if profile is not None else None, replaced, batch_id, time, user))
        source_id = int(cur.lastrowid)
        conn.executemany("INSERT INTO source_tables (source_id, table_name, n_rows, format, data) "
                         "VALUES (?, ?, ?, ?, ?)",
                         [(source_id, t, n_rows[t], FORMAT, b) for t, b in blobs.items()])
        carried, orphaned = [], []
        for rows, out in ((carry_rows, carried), (orphan_rows, orphaned)):
            if len(rows):
                if out is carried:
                    rows["source_id"] = source_id
                rows = rows.assign(batch_id=batch_id, user=user, time=time)
                rows["id"] = insert_edits(conn, rows)
                out.extend(to_edits(rows))
    return ImportResult(source_id, batch_id, provider, file_name, n_rows,
                        replaced, carried, orphaned)


def _carry(store: Store, old_id: int, new_frames: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Edit rows to append: carried onto the new source, and orphaned on the old one."""
    edits = effective_edits(store.conn, [old_id])
    if edits.empty:
        return pd.DataFrame(), pd.DataFrame()
    old_frames = frames_of(store.conn, old_id)
    carry, orphan = [], []
    for table, part in edits.groupby("table_name", sort=False):
        old = old_frames[table]
        seqs = part["seq"].to_numpy(np.int64)
        original = np.array([old[f].iat[s] for f, s in zip(part["field"], seqs, strict=True)], dtype=object)
        current = part["new_value"].to_numpy(dtype=object)
        net = np.array([a != b for a, b in zip(original, current, strict=True)], dtype=bool)
        part, seqs, original, current = part[net], seqs[net], original[net], current[net]
        if part.empty:
            continue
        keys = _keys(old, table).to_numpy()[seqs]
        new = new_frames.get(table)
        new_keys = _keys(new, table) if new is not None else pd.Series(dtype=object)
        counts = new_keys.value_counts()
        first = pd.Series(np.arange(len(new_keys)), index=new_keys.to_numpy()).groupby(level=0).first()
        for i, (ref, fld, key) in enumerate(zip(part["id"], part["field"], keys, strict=True)):
            row = part.iloc[i]
            base = {"ref_edit": int(ref), "table_name": table, "field": fld, "record": row["record"],
                    "row_key": key, "new_value": current[i]}
            n = int(counts.get(key, 0))
            now_value = new[fld].iat[int(first[key])] if n == 1 else None
            if n == 1 and now_value == original[i]:
                seq = int(first[key])
                carry.append({**base, "kind": "carry", "seq": seq, "row": int(new["_row"].iat[seq]),
                              "file": new["_file"].iat[seq], "old_value": original[i], "reason": row["reason"]})
                continue
            if n == 0:
                why = "the record is not in the new extract"
            elif n > 1:
                why = f"the record appears {n} times in the new extract"
            elif now_value == current[i]:
                why = "the new extract already has the corrected value"
            else:
                why = f"the new extract has {now_value!r} where the edit started from {original[i]!r}"
            orphan.append({**base, "kind": "orphan", "source_id": old_id, "seq": int(seqs[i]),
                           "row": row["row"], "file": row["file"], "old_value": original[i],
                           "reason": f"orphaned: {why} (edit {int(ref)}: {row['reason']})"})
    return pd.DataFrame(carry), pd.DataFrame(orphan)
