"""The working RAW tables: every active source's rows, in import order, with the edits applied.

Built once on open (vectorised: one positional assignment per edited column) and then kept up
to date edit by edit, so the UI repaints only the rows an edit changed.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from rules.columns import KEYS, SOURCE_FILE, SOURCE_ROW, TABLES


class Working:
    """Working RAW frames plus the map between a working row position and (source, seq)."""

    def __init__(self, parts: Mapping[int, Mapping[str, pd.DataFrame]]) -> None:
        """``parts``: source id -> table -> that source's RAW frame, in import order."""
        self.frames: dict[str, pd.DataFrame | None] = {}
        self.starts: dict[str, dict[int, int]] = {}
        self._row_index: dict[tuple[str, int], pd.Index] = {}
        for table in TABLES:
            pieces, starts, at = [], {}, 0
            for source_id, tables in parts.items():
                frame = tables.get(table)
                if frame is None:
                    continue
                starts[source_id] = at
                at += len(frame)
                pieces.append(frame)
            self.starts[table] = starts
            if pieces:
                frame = pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]
                self.frames[table] = frame.reset_index(drop=True)
            else:
                self.frames[table] = None

    # -- positions ---------------------------------------------------------------------
    def frame(self, table: str) -> pd.DataFrame:
        frame = self.frames.get(table)
        if frame is None:
            raise KeyError(f"the workspace has no {table} table")
        return frame

    def position(self, table: str, source_id: int, seq: np.ndarray | int) -> np.ndarray | int:
        """Working row position(s) of rows ``seq`` of a source table."""
        return self.starts[table][source_id] + seq

    def cell_of(self, table: str, position: int) -> tuple[int, int]:
        """(source id, seq) of a working row position."""
        n = len(self.frame(table))
        if not 0 <= position < n:
            raise IndexError(f"{table} has no row at position {position}")
        items = sorted(self.starts[table].items(), key=lambda kv: kv[1])
        starts = np.array([s for _, s in items])
        i = int(np.searchsorted(starts, position, side="right")) - 1
        source_id, start = items[i]
        return source_id, position - start

    def cells_of(self, table: str, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Vectorised ``cell_of``: (source ids, seqs)."""
        items = sorted(self.starts[table].items(), key=lambda kv: kv[1])
        ids = np.array([s for s, _ in items], dtype=np.int64)
        starts = np.array([s for _, s in items], dtype=np.int64)
        i = np.searchsorted(starts, positions, side="right") - 1
        return ids[i], positions - starts[i]

    def seq_of_row(self, table: str, source_id: int, row: int) -> int:
        """The seq of the row whose ``_row`` is ``row`` in a source table (must be unique)."""
        key = (table, source_id)
        if key not in self._row_index:
            start = self.starts[table][source_id]
            n = self._source_length(table, source_id)
            rows = self.frame(table)[SOURCE_ROW].iloc[start:start + n]
            self._row_index[key] = pd.Index(rows.to_numpy())
        index = self._row_index[key]
        found = np.flatnonzero(index == row)
        if len(found) == 0:
            raise KeyError(f"{table} has no row {row} in source {source_id}")
        if len(found) > 1:
            raise KeyError(f"{table} row {row} of source {source_id} is ambiguous "
                           f"({len(found)} rows); locate it by position")
        return int(found[0])

    def _source_length(self, table: str, source_id: int) -> int:
        starts = sorted(self.starts[table].values())
        start = self.starts[table][source_id]
        later = [s for s in starts if s > start]
        return (later[0] if later else len(self.frame(table))) - start

    def sources_by_file(self, table: str, file: str) -> list[int]:
        """Active sources whose rows of ``table`` come from a file of that name."""
        frame = self.frame(table)
        out = []
        for source_id, start in self.starts[table].items():
            n = self._source_length(table, source_id)
            if (frame[SOURCE_FILE].iloc[start:start + n] == file).any():
                out.append(source_id)
        return out

    # -- values ------------------------------------------------------------------------
    def apply(self, table: str, positions: np.ndarray, field: str, values: np.ndarray) -> None:
        """Set ``field`` at ``positions`` (one vectorised assignment)."""
        frame = self.frame(table)
        col = frame.columns.get_loc(field)
        frame.iloc[positions, col] = values

    def apply_edits(self, edits: pd.DataFrame) -> None:
        """Apply effective edits (columns table_name, source_id, seq, field, new_value)."""
        for (table, field), group in edits.groupby(["table_name", "field"], sort=False):
            if self.frames.get(table) is None:
                continue
            starts = self.starts[table]
            offset = group["source_id"].map(starts)
            keep = offset.notna().to_numpy()
            positions = (offset[keep].astype(np.int64) + group["seq"][keep]).to_numpy()
            values = group["new_value"][keep].to_numpy(dtype=object)
            self.apply(table, positions, field, values)

    def row_keys(self, table: str, positions: np.ndarray | None = None) -> tuple[pd.Series, pd.Series]:
        """(record, row key) text of rows: ``provider/episode`` and with the modality/TOP id."""
        frame = self.frame(table)
        if positions is not None:  # a step's few rows: only the key columns are picked
            frame = pd.DataFrame({c: frame[c].to_numpy(dtype=object)[positions] for c in KEYS[table]})
        parts = [frame[c].astype(object).where(frame[c].notna(), "").astype(str) for c in KEYS[table]]
        record = parts[0] + "/" + parts[1]
        key = record if len(parts) == 2 else record + "/" + parts[2]
        return record, key
