"""What every rule kind shares: its declared parameters, the evaluation context, and its result.

A kind is one small vectorised function ``fn(ctx, check) -> Hits`` registered under a stable
kebab-case name with the parameters it takes. It returns the *positions* of the failing rows of
the check's table, the fields to blame (the same for every row, or one tuple per row) and the
evidence columns its message template may name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rules.columns import TABLES, column_names
from rules.columns import column as column_def
from rules.settings import Settings
from rules.tables import Tables

#: Parameter types a kind can declare (checked when a catalogue is loaded):
#: column / columns: column(s) of the check's table; column-list: one column or a list (first
#: present wins); parent-column-list: the same in the ``parent`` table; table: a table name;
#: days: a whole number or ``"settings.<name>"``; bound: an ISO date or a column of the table;
#: choice: one of ``choices``; strs: a list of text; bool; text.
PARAM_TYPES = ("column", "columns", "column-list", "parent-column-list", "table", "days", "bound",
               "choice", "strs", "bool", "text")


@dataclass(frozen=True)
class Param:
    """One declared parameter of a kind."""

    name: str
    type: str
    required: bool = True
    default: Any = None
    choices: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True)
class Check:
    """One check of a rule: a kind applied to a table with parameters and a message template."""

    kind: str
    table: str
    params: Mapping[str, Any]
    message: str

    def get(self, name: str, default: Any = None) -> Any:
        value = self.params.get(name, default)
        return default if value is None else value


@dataclass
class Hits:
    """Failing rows of one check: positions in the table, blamed fields, evidence for the message."""

    rows: np.ndarray
    fields: tuple[str, ...] | list[tuple[str, ...]]
    evidence: dict[str, Any] = field(default_factory=dict)
    #: One tuple of text values per row; None = the engine reads the fixed fields' values.
    values: list[tuple[str, ...]] | None = None


def no_hits(fields: tuple[str, ...] = ()) -> Hits:
    return Hits(np.array([], dtype=np.int64), fields)


@dataclass(frozen=True)
class Kind:
    """A registered kind: its function, parameters, evidence names and the tables it reads."""

    name: str
    fn: Callable[[Context, Check], Hits]
    params: tuple[Param, ...]
    evidence: tuple[str, ...] = ()
    doc: str = ""
    #: Extra tables the check needs (beyond its own), from a parameter value or fixed names.
    needs: Callable[[Check], tuple[str, ...]] = lambda check: ()


def as_text(values: Any) -> np.ndarray:
    """Values as display text: dates ISO, blanks empty, whole numbers without ``.0``."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if series.dtype.kind == "M":
        days = series.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        text = np.datetime_as_string(days).astype(object)
        text[np.isnat(days)] = ""
        return text
    if series.dtype.kind == "f":
        return series.map(lambda v: "" if pd.isna(v) else (str(int(v)) if float(v).is_integer() else str(v))
                          ).to_numpy(dtype=object)
    if series.dtype.kind in "iu":
        return series.astype(str).to_numpy(dtype=object)
    if isinstance(series.dtype, pd.StringDtype):
        return series.to_numpy(dtype=object, na_value="")
    return series.astype("string").fillna("").to_numpy(dtype=object)


def label(table: str, name: str) -> str:
    """A column's label in lower case for messages ("triage date")."""
    try:
        text = column_def(table, name).label
    except KeyError:
        return name
    return text[0].lower() + text[1:] if text[:2] != text[:2].upper() else text


class Context:
    """What a kind reads: the tables, as_at, settings, schema-flagged cells, and shared derived values."""

    def __init__(self, tables: Tables, *, settings: Settings, as_at: dt.date,
                 flagged: dict[str, dict[str, np.ndarray]] | None = None) -> None:
        self.tables = tables
        self.settings = settings
        self.as_at = pd.Timestamp(as_at)
        self.flagged = flagged or {}
        self._cache: dict[Any, Any] = {}
        self._frames: dict[str, pd.DataFrame] = {}

    def table(self, name: str) -> pd.DataFrame:
        frame = self._frames.get(name)
        if frame is None:
            frame = self.tables.get(name)
            if frame is None:
                raise KeyError(f"no {name} table")
            self._frames[name] = frame
        return frame

    def is_flagged(self, table: str, name: str) -> np.ndarray:
        """Cells the schema flagged (unparseable or out of list): present, value unknown."""
        mask = self.flagged.get(table, {}).get(name)
        return mask if mask is not None else np.zeros(len(self.table(table)), dtype=bool)

    def present(self, table: str, name: str) -> np.ndarray:
        """A value was given (a schema-flagged cell counts as given)."""
        return self.table(table)[name].notna().to_numpy() | self.is_flagged(table, name)

    def days(self, value: Any) -> int:
        """A ``days`` parameter: a number, or ``settings.<name>`` read from the settings."""
        if isinstance(value, str) and value.startswith("settings."):
            return int(getattr(self.settings, value.removeprefix("settings.")))
        return int(value)

    def cached(self, key: Any, make: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def codes(self, table: str, name: str) -> tuple[np.ndarray, int]:
        """Integer codes of one column (-1 = blank) and how many distinct values it has."""
        def make() -> tuple[np.ndarray, int]:
            codes, uniques = pd.factorize(self.table(table)[name], use_na_sentinel=True)
            return np.asarray(codes, dtype=np.int64), len(uniques)
        return self.cached(("codes", table, name), make)

    def group_key(self, table: str, names: Sequence[str]) -> np.ndarray:
        """One int64 per row identifying its values of ``names`` (-1 when any is blank)."""
        def make() -> np.ndarray:
            if tuple(names) == ("provider_code", "episode_id"):
                return self.episode_key(table)
            key = np.zeros(len(self.table(table)), dtype=np.int64)
            blank = np.zeros(len(key), dtype=bool)
            rest = list(names)
            if rest[:2] == ["provider_code", "episode_id"]:
                base = self.episode_key(table)
                blank |= base < 0
                key = np.asarray(pd.factorize(base)[0], dtype=np.int64)
                rest = rest[2:]
            for name in rest:
                codes, n = self.codes(table, name)
                blank |= codes < 0
                key = key * (n + 1) + codes + 1
                key = np.asarray(pd.factorize(key)[0], dtype=np.int64)
            key[blank] = -1
            return key
        return self.cached(("group_key", table, tuple(names)), make)

    def episode_key(self, table: str) -> np.ndarray:
        """(provider_code, episode_id) as one int64, the same across tables (-1 when blank)."""
        def make() -> dict[str, np.ndarray]:
            present = self.tables.present()
            frames = [self.table(t) for t in present]
            keys = []
            for name in ("provider_code", "episode_id"):
                both = pd.concat([f[name] for f in frames], ignore_index=True)
                codes, uniques = pd.factorize(both, use_na_sentinel=True)
                keys.append((np.asarray(codes, dtype=np.int64), len(uniques)))
            (pc, _), (ec, ne) = keys
            key = np.where((pc >= 0) & (ec >= 0), pc * (ne + 1) + ec, -1)
            out, start = {}, 0
            for t, f in zip(present, frames, strict=True):
                out[t] = key[start:start + len(f)]
                start += len(f)
            return out
        return self.cached("episode_key", make)[table]

    def episode_pos(self, table: str) -> np.ndarray:
        """For each row of ``table``, the position of its episode in ``episodes`` (-1: none)."""
        def make() -> np.ndarray:
            parent = self.episode_key("episodes")
            if table == "episodes":
                return np.arange(len(parent))
            child = self.episode_key(table)
            uniq, first = np.unique(parent, return_index=True)
            if not len(uniq):
                return np.full(len(child), -1)
            at = np.clip(np.searchsorted(uniq, child), 0, len(uniq) - 1)
            found = (uniq[at] == child) & (child >= 0)
            return np.where(found, first[at], -1)
        return self.cached(("episode_pos", table), make)

    def per_episode(self, table: str, values: pd.Series, how: str = "min",
                    mask: np.ndarray | None = None) -> pd.Series:
        """Aggregate a column of ``table`` onto the episodes rows (NaT/NA where none)."""
        eps = self.table("episodes")
        pos = self.episode_pos(table)
        keep = (pos >= 0) & values.notna().to_numpy()
        if mask is not None:
            keep &= mask
        if how in ("min", "max") and values.dtype.kind == "M":  # numpy: no groupby on small frames
            nat, top = np.iinfo(np.int64).min, np.iinfo(np.int64).max
            best = np.full(len(eps), top if how == "min" else nat, dtype=np.int64)
            ufunc = np.minimum if how == "min" else np.maximum
            ufunc.at(best, pos[keep], values.to_numpy(dtype="datetime64[ns]").view(np.int64)[keep])
            best[best == top] = nat
            return pd.Series(best.view("datetime64[ns]"), index=eps.index).astype(values.dtype)
        agg = pd.Series(values.to_numpy()[keep]).groupby(pos[keep]).agg(how)
        out = agg.reindex(np.arange(len(eps)))
        return pd.Series(out.to_numpy(), index=eps.index).astype(values.dtype)

    def from_episodes(self, table: str, values: pd.Series) -> pd.Series:
        """An episodes column (or derived Series) brought onto the rows of ``table`` (NA when orphan)."""
        pos = self.episode_pos(table)
        if not len(values):  # no episodes at all: every row is an orphan
            return pd.Series(pd.NaT if values.dtype.kind == "M" else pd.NA, index=self.table(table).index,
                             dtype=values.dtype)
        taken = values.iloc[np.maximum(pos, 0)].reset_index(drop=True)
        taken = taken.where(pd.Series(pos >= 0))
        taken.index = self.table(table).index
        return taken


def as_dates(values: Any) -> np.ndarray:
    """A Series, array or timestamp as ``datetime64[ns]`` numpy values (NaT for blanks)."""
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype="datetime64[ns]")
    if isinstance(values, np.ndarray):
        return values.astype("datetime64[ns]")
    return np.datetime64(pd.Timestamp(values), "ns")


def days_between(a: Any, b: Any) -> np.ndarray:
    """``days(a, b) = b - a`` in whole days, as float (NaN when either date is missing)."""
    return (as_dates(b) - as_dates(a)) / np.timedelta64(1, "D")


def dates_or(ctx: Context, table: str, names: Sequence[str]) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Coalesce date columns (first given wins). Returns the date, which column gave it (index into
    ``names``, -1 none) and whether the chosen cell is schema-flagged (value unknown)."""
    frame = ctx.table(table)
    n = len(frame)
    value = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    which = np.full(n, -1)
    unknown = np.zeros(n, dtype=bool)
    decided = np.zeros(n, dtype=bool)
    for i, name in enumerate(names):
        column = as_dates(frame[name])
        present = ~np.isnat(column)
        flagged = ctx.is_flagged(table, name)
        take = ~decided & present
        value[take] = column[take]
        which[take] = i
        unknown |= ~decided & flagged
        decided |= present | flagged
    return pd.Series(value, index=frame.index), which, unknown


def table_columns(table: str) -> list[str]:
    return column_names(table) if table in TABLES else []
