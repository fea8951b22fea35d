"""Which rows belong to which record and client: built once per evaluation, shared by every re-check.

The base index is immutable (codes per row, rows per code in one sorted array). An edit that
changes a row's keys is recorded in a small *overlay* (position -> keys) that each report owns,
so a re-check costs a few hashed look-ups, never a rebuild.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from rules import derived

#: Per table, position -> {"record": ..., "client": ..., "client_key": ...} for rows an edit re-keyed.
Overlay = dict[str, dict[int, dict[str, str]]]

KEY_COLUMNS = ("provider_code", "episode_id", "client_ref", "first_initial", "surname_initial", "dob",
               "sex", "consent")


def row_keys(table: str, frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Each row's record key (and, for episodes, its client and client_key) as text Series (no blanks)."""
    record = (frame["provider_code"].astype("string").fillna("") + "/"
              + frame["episode_id"].astype("string").fillna(""))
    out = {"record": record}
    if table == "episodes":
        out["client"] = (frame["provider_code"].astype("string").fillna("") + "|"
                         + frame["client_ref"].astype("string").fillna(""))
        out["client_key"] = derived.client_key(frame).fillna("")
    return out


class _Lookup:
    """Rows per value of one key column: value -> code by hash, code -> rows by one sorted array."""

    def __init__(self, values: pd.Series) -> None:
        codes, uniques = pd.factorize(values)  # arrow-backed text: dictionary encoding, no Python strings
        self.uniques = pd.Index(uniques)
        self.uniques.get_indexer(self.uniques[:1])  # its hash table, built now rather than on the first look-up
        self.order = np.argsort(codes, kind="stable")
        self.starts = np.searchsorted(codes[self.order], np.arange(len(uniques) + 1))

    def rows(self, wanted: Iterable[str]) -> np.ndarray:
        wanted = list(wanted)
        if not wanted or not len(self.uniques):
            return np.zeros(0, dtype=np.int64)
        codes = self.uniques.get_indexer(wanted)
        parts = [self.order[self.starts[c]:self.starts[c + 1]] for c in codes if c >= 0]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


class KeyIndex:
    """Record and client look-ups over the tables as evaluated; edits go in an ``Overlay``."""

    def __init__(self, frames: Mapping[str, pd.DataFrame]) -> None:
        self.size = {t: len(f) for t, f in frames.items()}
        self._keys = {t: row_keys(t, f) for t, f in frames.items()}
        self._lookups: dict[tuple[str, str], _Lookup] = {}

    def build(self) -> None:
        """Make every look-up now rather than on first use."""
        for table, keys in self._keys.items():
            for column in keys:
                self._lookup(table, column)

    def tables(self) -> list[str]:
        return list(self._keys)

    def _lookup(self, table: str, column: str) -> _Lookup:
        if (table, column) not in self._lookups:
            self._lookups[(table, column)] = _Lookup(self._keys[table][column])
        return self._lookups[(table, column)]

    def value(self, table: str, column: str, pos: int, overlay: Overlay) -> str:
        moved = overlay.get(table, {}).get(pos)
        return moved[column] if moved is not None else self._keys[table][column].iat[pos]

    def keys_at(self, table: str, pos: int, overlay: Overlay) -> dict[str, str]:
        """Every key of one row (with the overlay applied)."""
        moved = overlay.get(table, {}).get(pos)
        return dict(moved) if moved is not None else {k: v.iat[pos] for k, v in self._keys[table].items()}

    def rows(self, table: str, column: str, values: Iterable[str], overlay: Overlay) -> set[int]:
        """Positions in ``table`` whose ``column`` is one of ``values`` (with the overlay applied)."""
        if table not in self._keys:
            return set()
        values = set(values)
        moved = overlay.get(table, {})
        found = {int(p) for p in self._lookup(table, column).rows(values) if int(p) not in moved}
        found.update(p for p, keys in moved.items() if keys[column] in values)
        return found
