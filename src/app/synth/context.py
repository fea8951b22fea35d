"""What a defect kind works with: the tables being changed (``Context``) and a defect made (``Pending``).

A leaf module, so the kinds (``kinds``, ``kinds_more``) and the injection (``defects``) that runs
them all import it and not each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Pending:
    """A defect before the files are laid out: the row is still a frame index label."""

    rule: str
    table: str
    index: int
    field: str


@dataclass
class Context:
    """The tables being changed, their dates parsed once, and the records already used."""

    rng: np.random.Generator
    tables: dict[str, pd.DataFrame]
    as_at: pd.Timestamp
    flat: bool
    used: set[tuple[str, str]] = field(default_factory=set)
    dates: dict[str, pd.DataFrame] = field(default_factory=dict)
    children: dict[str, pd.Series] = field(default_factory=dict)
    pools: dict[str, list] = field(default_factory=dict)
    memo: dict[object, object] = field(default_factory=dict)

    def cached(self, name: object, compute: Callable[[], object]) -> object:
        """Computed once per injection (from the tables as generated: touched records are never reused)."""
        if name not in self.memo:
            self.memo[name] = compute()
        return self.memo[name]

    def __post_init__(self) -> None:
        for table, frame in self.tables.items():
            cols = [c for c in frame.columns if c.endswith("_date") or c == "dob"]
            self.dates[table] = frame[cols].apply(lambda s: pd.to_datetime(s, format="%Y-%m-%d", errors="coerce"))
        ep_keys = self.key_index("episodes")
        for table in ("modalities", "tops"):
            counts = pd.Series(1, index=self.key_index(table)).groupby(level=[0, 1]).size()
            self.children[table] = counts.reindex(ep_keys, fill_value=0).set_axis(self.tables["episodes"].index)
        self.episode_of = pd.Series(self.tables["episodes"].index, index=ep_keys)

    def key_index(self, table: str) -> pd.MultiIndex:
        return pd.MultiIndex.from_frame(self.tables[table][["provider_code", "episode_id"]])

    def key(self, table: str, index: int) -> tuple[str, str]:
        row = self.tables[table]
        return row.at[index, "provider_code"], row.at[index, "episode_id"]

    def episode(self, table: str, index: int) -> int:
        """The episodes-table index label of a row's episode."""
        return int(self.episode_of[self.key(table, index)])

    def take(self, name: str, table: str, eligible: Callable[[], pd.Index]) -> int | None:
        """A random eligible row whose record has no defect yet (and reserve it), or None."""
        if name not in self.pools:
            labels = np.asarray(eligible())
            self.pools[name] = list(self.rng.permutation(labels)) if len(labels) else []
        pool = self.pools[name]
        while pool:
            index = int(pool.pop())
            key = self.key(table, index)
            if key not in self.used:
                self.used.add(key)
                return index
        return None

    def ep_date(self, index: int, name: str) -> pd.Timestamp:
        return self.dates["episodes"].at[index, name]

    def set(self, table: str, index: int, name: str, value: object) -> None:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            value = None
        elif isinstance(value, (pd.Timestamp, dt.date)):
            value = value.strftime("%Y-%m-%d")
        self.tables[table].at[index, name] = value

    def days(self, low: int, high: int) -> pd.Timedelta:
        return pd.Timedelta(days=int(self.rng.integers(low, high + 1)))
