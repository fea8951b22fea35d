"""Re-check after an edit: re-judge only the records the edit touched, with only the rules it can change.

A ``Rechecker`` keeps a shallow copy of the tables as evaluated (copy-on-write keeps it unchanged when
the caller edits in place), so the touched rows are compared with it to learn which cells changed.
A rule runs again only if it reads one of them (``rules.kinds.reads``); a key edit runs every rule.
Record and client look-ups use the re-checker's ``KeyIndex`` plus a small overlay of re-keyed rows, and
the new findings are spliced into the sorted old ones as slices (``order.FindingRows``: nothing
else is copied). Result: the same report as a full
``evaluate`` (a property test checks it), in milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from rules.catalogue import Catalogue
from rules.columns import TABLES
from rules.engine.keyindex import KEY_COLUMNS, KeyIndex, Overlay, row_keys
from rules.engine.order import finish, merge_sorted, minus
from rules.engine.report import Changes, Report, snapshot_of
from rules.engine.run import CELL_RULES, evaluate, run_rules
from rules.findings import SCHEMA_RULES, empty_findings
from rules.kinds.reads import affected
from rules.settings import Settings
from rules.tables import Tables

#: Re-keyed rows kept in an overlay before the key index is rebuilt from the tables.
MAX_OVERLAY = 2000
_EMPTY = empty_findings()


def touched_labels(tables: Tables, touched: Mapping[str, Iterable[Any]]) -> dict[str, pd.Index]:
    """Normalise ``touched``: row labels, or (file, row) pairs, per table -> row labels."""
    out = {}
    for table, items in touched.items():
        frame = tables.get(table)
        items = list(items)
        if frame is None or not items:
            continue
        if all(isinstance(i, tuple) and len(i) == 2 for i in items):
            where = pd.MultiIndex.from_arrays([frame["_file"].astype(object), frame["_row"].astype("int64")])
            at = where.get_indexer(pd.MultiIndex.from_tuples([(f, int(r)) for f, r in items]))
            out[table] = frame.index[at[at >= 0]]
        else:
            out[table] = pd.Index([i for i in items if i in frame.index])
    return out


class Rechecker:
    """Re-checks one set of tables edit by edit: holds the current ``report`` and what re-checking
    needs besides it - a shallow copy of the tables as last judged (copy-on-write keeps it unchanged
    when the caller edits in place), the record and client look-ups, and an overlay of re-keyed rows.
    """

    def __init__(self, tables: Tables, report: Report) -> None:
        self.report = report
        self.snapshot = snapshot_of(tables)
        self._index: KeyIndex | None = None
        self._overlay: Overlay = {}

    @property
    def key_index(self) -> KeyIndex:
        """Which rows belong to which record and client, as last judged (built on first use)."""
        if self._index is None:
            self._index = KeyIndex(self.snapshot)
            self._overlay = {}
        return self._index

    def fork(self) -> Rechecker:
        """An independent re-checker from this point (what it holds is replaced, never changed, by a re-check)."""
        other = Rechecker.__new__(Rechecker)
        other.report, other.snapshot, other._index, other._overlay = self.report, self.snapshot, self._index, self._overlay
        return other

    def prepare(self) -> None:
        """Build now what the first re-check would otherwise build (a quarter of a second at 100,000
        episodes): the key index with its look-ups, and the report's order keys."""
        self.key_index.build()
        self.report.order_keys()

    def recheck(self, tables: Tables, touched: Mapping[str, Iterable[Any]], *, catalogue: Catalogue | None = None,
                settings: Settings | None = None, schema_findings: pd.DataFrame | None = None) -> Changes:
        """Re-judge the records an edit touched (see ``recheck``); ``report`` then holds every finding."""
        self.report, changes = _recheck(tables, self, touched, catalogue=catalogue, settings=settings,
                                        schema_findings=schema_findings)
        return changes


def recheck(tables: Tables, checker: Rechecker, touched: Mapping[str, Iterable[Any]], *,
            catalogue: Catalogue | None = None, settings: Settings | None = None,
            schema_findings: pd.DataFrame | None = None) -> Changes:
    """Re-evaluate only the records an edit touched; what changed (``checker.report`` holds the new report).

    ``touched`` maps a table to the row labels (or ``(file, row)`` pairs) the edit changed. The
    records re-judged are those rows' episodes (before and after the edit), every row of those
    episodes in every table, and every episode of the same client (same provider + client_ref, or
    same client_key), so cross-row rules (ids, open episodes, journeys) stay exact.
    ``schema_findings``: the current schema findings (at least for the touched rows); None keeps
    the report's.
    """
    return checker.recheck(tables, touched, catalogue=catalogue, settings=settings, schema_findings=schema_findings)


def _recheck(tables: Tables, checker: Rechecker, touched: Mapping[str, Iterable[Any]], *,
             catalogue: Catalogue | None, settings: Settings | None,
             schema_findings: pd.DataFrame | None) -> tuple[Report, Changes]:
    report = checker.report
    catalogue = report.catalogue if catalogue is None else catalogue
    settings = report.settings if settings is None else settings
    if catalogue != report.catalogue or settings != report.settings or not _same_shape(tables, checker.snapshot):
        # other rules or thresholds (or rows added or removed): judge everything again
        full, changes = _full(tables, report, catalogue, settings, schema_findings)
        checker.snapshot, checker._index, checker._overlay = snapshot_of(tables), None, {}
        return full, changes
    labels = touched_labels(tables, touched)
    positions = {t: np.unique(tables.get(t).index.get_indexer(idx)) for t, idx in labels.items()}
    positions = {t: p[p >= 0] for t, p in positions.items() if (p >= 0).any()}
    index = checker.key_index
    overlay: Overlay = {t: dict(rows) for t, rows in checker._overlay.items()}
    changed: set[tuple[str, str]] = set()
    old_keys: dict[str, dict[int, dict[str, str]]] = {}
    for table, pos in positions.items():
        cols = _changed_columns(tables.get(table), checker.snapshot[table], pos)
        changed |= {(table, c) for c in cols}
        old_keys[table] = {int(p): index.keys_at(table, int(p), checker._overlay) for p in pos}
        if cols & set(KEY_COLUMNS):  # re-keyed: the rows' record or client may have changed
            now = tables.get(table).iloc[pos]
            fresh = {k: v.to_numpy(dtype=object) for k, v in row_keys(table, now).items()}
            mine = overlay.setdefault(table, {})
            for i, p in enumerate(int(x) for x in pos):
                mine[p] = {k: v[i] for k, v in fresh.items()}
    closure = _Closure(index, overlay, old_keys)
    records = {k["record"] for rows in old_keys.values() for k in rows.values()}
    records |= {index.value(t, "record", p, overlay) for t, rows in old_keys.items() for p in rows}
    records = closure.same_clients(records)
    sub_pos = {t: np.array(sorted(index.rows(t, "record", records, overlay)), dtype=np.int64)
               for t in tables.present()}
    sub = Tables(**{t: tables.get(t).iloc[p] for t, p in sub_pos.items()}, as_at=tables.as_at,
                 files=list(tables.files))
    old = report.rows
    keys = report.order_keys()
    at = np.flatnonzero(_located(keys, sub))
    old_rules = keys[3][at]
    old_schema = at[[r in SCHEMA_RULES for r in old_rules]]
    old_schema_rows = old.take(old_schema)
    schema = (old_schema_rows if schema_findings is None
              else schema_findings[_located(_keys_of(schema_findings), sub)])
    if schema_findings is not None:
        changed |= _flag_changes(old_schema_rows, schema)
    rules = [r for r in catalogue if r.enabled and affected(r.checks, changed)]
    ids = {r.id for r in rules}
    gone = at[[r in ids or (schema_findings is not None and r in SCHEMA_RULES) for r in old_rules]]
    parts, _ = run_rules(sub, rules, settings=settings, as_at=report.as_at, schema=schema)
    if schema_findings is None and len(schema):
        parts = parts[1:]  # the schema findings stay where they are
    fresh = finish(pd.concat(parts, ignore_index=True)) if parts else _EMPTY
    before = old.take(gone)
    changes = Changes(added=minus(fresh, before), removed=minus(before, fresh))
    if len(changes.added) or len(changes.removed) or len(fresh) != len(before):
        merged, order = merge_sorted(old, keys, gone, fresh)
    else:  # the same findings as before: keep the frame (no copy)
        merged, order = old, keys
    new = Report(merged, dict(report.not_run), report.as_at, list(report.files), tables.row_counts(),
                 catalogue, settings, order)
    checker.snapshot = snapshot_of(tables)
    if sum(len(rows) for rows in overlay.values()) <= MAX_OVERLAY:
        checker._index, checker._overlay = index, overlay
    else:  # too many re-keyed rows: the look-ups are built again from the tables on the next re-check
        checker._index, checker._overlay = None, {}
    return new, changes


def _full(tables: Tables, report: Report, catalogue: Catalogue | None, settings: Settings,
          schema_findings: pd.DataFrame | None) -> tuple[Report, Changes]:
    if schema_findings is None:
        schema_findings = report.findings[report.findings["rule"].isin(list(SCHEMA_RULES))]
    full = evaluate(tables, catalogue=catalogue, settings=settings, schema_findings=schema_findings)
    return full, Changes(added=minus(full.findings, report.findings), removed=minus(report.findings, full.findings))


def _same_shape(tables: Tables, snapshot: Mapping[str, pd.DataFrame]) -> bool:
    """The same tables with the same rows as evaluated (only values may have changed)."""
    if set(tables.present()) != set(snapshot):
        return False
    for table, snap in snapshot.items():
        frame = tables.get(table)
        if len(frame) != len(snap) or not (frame.index is snap.index or frame.index.equals(snap.index)):
            return False
    return True


def _same(a: Any, b: Any) -> bool:
    a_na, b_na = bool(pd.isna(a)), bool(pd.isna(b))
    if a_na or b_na:
        return a_na and b_na
    return bool(a == b)


def _changed_columns(frame: pd.DataFrame, snap: pd.DataFrame, pos: np.ndarray) -> set[str]:
    """Columns whose value at ``pos`` differs between the tables now and as evaluated.

    A column still sharing its storage with the snapshot was not written to (copy-on-write copies
    storage before any write), so only the columns an edit wrote are compared, at ``pos`` only.
    """
    out = set(frame.columns) ^ set(snap.columns)
    for name in frame.columns:
        if name not in snap.columns:
            continue
        a, b = frame[name], snap[name]
        if _same_storage(a, b):
            continue
        x = np.asarray(a.array[pos], dtype=object)
        y = np.asarray(b.array[pos], dtype=object)
        if any(not _same(u, v) for u, v in zip(x, y, strict=True)):
            out.add(name)
    return out


def _same_storage(a: pd.Series, b: pd.Series) -> bool:
    """Whether two columns still share their (immutable arrow, or numpy) storage."""
    if a.dtype != b.dtype:
        return False
    if hasattr(a.array, "__arrow_array__"):  # arrow arrays are immutable: a write makes a new one
        return a.array.__arrow_array__() is b.array.__arrow_array__()
    if not isinstance(a.dtype, np.dtype):
        return False
    x, y = a.to_numpy(copy=False), b.to_numpy(copy=False)
    return (x.__array_interface__["data"][0] == y.__array_interface__["data"][0]
            and x.strides == y.strides and x.shape == y.shape)


def _flag_changes(old: pd.DataFrame, new: pd.DataFrame) -> set[tuple[str, str]]:
    """Cells whose schema flag appeared or went away (they read as present-but-unknown to the rules)."""
    def cells(f: pd.DataFrame) -> set[tuple[str, str, int, str]]:
        columns = zip(f["rule"].tolist(), f["table"].tolist(), f["file"].tolist(), f["row"].tolist(),
                      f["fields"].tolist(), strict=True)
        return {(t, str(fi), int(r), name) for rule, t, fi, r, names in columns
                if rule in CELL_RULES and not pd.isna(r) for name in names}
    return {(t, name) for t, _, _, name in cells(old) ^ cells(new)}


def _keys_of(findings: pd.DataFrame) -> tuple[np.ndarray, ...]:
    table = findings["table"].to_numpy(dtype=object)
    ranks = np.select([table == t for t in TABLES], list(range(len(TABLES))), default=len(TABLES))
    rows = findings["row"].to_numpy(dtype=np.float64, na_value=0).astype(np.int64)
    return findings["file"].to_numpy(dtype=object), ranks, rows


def _located(keys: tuple[np.ndarray, ...], sub: Tables) -> np.ndarray:
    """Findings (given by their file, table rank and row keys) located at a row of ``sub``."""
    files, ranks, rows = keys[0], keys[1], keys[2]
    out = np.zeros(len(rows), dtype=bool)
    where: set[tuple[int, str, int]] = set()
    for table in sub.present():
        frame = sub.get(table)
        rank = TABLES.index(table)
        where.update((rank, str(f), int(r)) for f, r in zip(frame["_file"], frame["_row"], strict=True))
    if not where or not len(rows):
        return out
    candidates = np.flatnonzero(np.isin(rows, np.fromiter({r for _, _, r in where}, dtype=np.int64)))
    out[candidates] = [(int(ranks[i]), str(files[i]), int(rows[i])) in where for i in candidates]
    return out


class _Closure:
    """Records sharing a client with the touched ones, in the tables before or after the edit."""

    def __init__(self, index: Any, overlay: Overlay, old_keys: dict[str, dict[int, dict[str, str]]]) -> None:
        self.index, self.overlay, self.old = index, overlay, old_keys

    def rows(self, table: str, column: str, values: set[str]) -> set[int]:
        found = self.index.rows(table, column, values, self.overlay)
        found.update(p for p, keys in self.old.get(table, {}).items() if keys[column] in values)
        return found

    def values(self, table: str, column: str, rows: Iterable[int]) -> set[str]:
        out = set()
        old = self.old.get(table, {})
        for p in rows:
            out.add(self.index.value(table, column, p, self.overlay))
            if p in old:
                out.add(old[p][column])
        return out

    def same_clients(self, records: set[str]) -> set[str]:
        """``records`` closed over "same client" (provider + client_ref, or client_key)."""
        if "episodes" not in self.index.tables():
            return records
        records = set(records)
        while True:
            eps = self.rows("episodes", "record", records)
            clients = self.values("episodes", "client", eps)
            linked = self.values("episodes", "client_key", eps) - {""}
            more = self.rows("episodes", "client", clients) | self.rows("episodes", "client_key", linked)
            found = self.values("episodes", "record", more)
            if found <= records:
                return records
            records |= found
