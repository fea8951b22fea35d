"""The rule engine: evaluate a catalogue over the typed tables, and re-check only what an edit touched.

One ``Report`` feeds everything (records view, findings panel, CLI, HTML/XLSX/JSON). Conventions
(docs/TEAM-NOTES.md): each rule reports on a fixed table's row; at most one finding per
(rule, table, row) - several failed checks of one rule on one row become one finding naming every
field; a cell the schema flagged never appears in a catalogue finding's fields; a rule whose table
is missing is *not run*, never passed.
"""

from __future__ import annotations

import bisect
import datetime as dt
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rules import derived
from rules.catalogue import Catalogue, Rule, default_catalogue
from rules.columns import TABLES
from rules.findings import (
    FINDING_COLUMNS,
    SCHEMA_RULES,
    SEVERITIES,
    empty_findings,
    finding_to_json,
    normalise,
)
from rules.kinds import KINDS, Check, Context, Hits
from rules.kinds.base import as_text
from rules.progress import NO_PROGRESS, Progress, check_cancelled
from rules.settings import Settings
from rules.tables import Tables

#: Schema rules that mark a cell present-but-unknown for the catalogue rules.
CELL_RULES = ("invalid-date", "invalid-code", "invalid-number", "out-of-range")
_TABLE_ORDER = {t: i for i, t in enumerate(TABLES)}
_EMPTY = empty_findings()


@dataclass
class Report:
    """The findings of one evaluation, which rules could not run, and what is needed to re-check."""

    findings: pd.DataFrame
    not_run: dict[str, str]
    as_at: dt.date
    files: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    catalogue: Catalogue | None = None
    settings: Settings = field(default_factory=Settings)
    #: Per table, the key columns of each row label as evaluated (a copy; used by ``recheck``).
    snapshot: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _index: KeyIndex | None = field(default=None, repr=False)
    _order: tuple[np.ndarray, ...] | None = field(default=None, repr=False)

    def order_keys(self) -> tuple[np.ndarray, ...]:
        """Per finding: file, table rank, row, rule - the reading order ``findings`` is sorted in."""
        if self._order is None:
            self._order = _order_keys(self.findings)
        return self._order

    @property
    def key_index(self) -> KeyIndex:
        """Which rows belong to which record and client (computed on first use, for ``recheck``)."""
        if self._index is None:
            self._index = KeyIndex(record_keys(self.snapshot))
        return self._index

    @property
    def errors(self) -> int:
        return int((self.findings["severity"] == "error").sum())

    @property
    def warnings(self) -> int:
        return int((self.findings["severity"] == "warning").sum())

    def summary(self) -> dict[str, Any]:
        """Exact counts: totals, per severity, per rule, per provider (by severity), and not-run rules."""
        f = self.findings
        by_rule = {str(k): int(v) for k, v in f.groupby("rule", sort=True).size().items()}
        by_severity = {s: int((f["severity"] == s).sum()) for s in SEVERITIES}
        by_provider: dict[str, dict[str, int]] = {}
        for (provider, severity), n in f.groupby(["provider", "severity"], sort=True).size().items():
            by_provider.setdefault(str(provider), {s: 0 for s in SEVERITIES})[str(severity)] = int(n)
        rules = {}
        if self.catalogue is not None:
            for rule in self.catalogue:
                if rule.enabled:
                    rules[rule.id] = {"title": rule.title, "severity": rule.severity,
                                      "category": rule.category, "count": by_rule.get(rule.id, 0),
                                      "run": rule.id not in self.not_run}
        return {"errors": by_severity["error"], "warnings": by_severity["warning"], "info": by_severity["info"],
                "by_severity": by_severity, "by_rule": by_rule, "by_provider": by_provider,
                "rules": rules, "not_run": dict(self.not_run)}

    def to_json(self, files_count: int | None = None, row_counts: Mapping[str, int] | None = None) -> dict[str, Any]:
        """The ``validate --format json`` object of spec/cli.md (plus ``summary.not_run``)."""
        summary = self.summary()
        return {
            "as_at": self.as_at.isoformat(),
            "summary": {"files": len(self.files) if files_count is None else files_count,
                        "rows": dict(self.row_counts if row_counts is None else row_counts),
                        "errors": summary["errors"], "warnings": summary["warnings"],
                        "by_rule": summary["by_rule"], "not_run": summary["not_run"]},
            "findings": [finding_to_json(r) for r in self.findings.to_dict("records")],
        }


@dataclass
class Changes:
    """What a re-check changed: findings that appeared and findings that went away."""

    added: pd.DataFrame
    removed: pd.DataFrame


# ----------------------------------------------------------------------------------- evaluate

def evaluate(tables: Tables, *, catalogue: Catalogue | None = None, settings: Settings | None = None,
             schema_findings: pd.DataFrame | None = None, progress: Progress = NO_PROGRESS) -> Report:
    """Every enabled rule of ``catalogue`` over ``tables``, judged as at ``tables.as_at``."""
    catalogue = default_catalogue() if catalogue is None else catalogue
    settings = Settings() if settings is None else settings
    as_at = tables.as_at or dt.date.today()
    schema = schema_findings if schema_findings is not None else _EMPTY
    ctx = Context(tables, settings=settings, as_at=as_at, flagged=flagged_cells(tables, schema))
    parts: list[pd.DataFrame] = [schema] if len(schema) else []
    not_run: dict[str, str] = {}
    rules = [r for r in catalogue if r.enabled]
    for i, rule in enumerate(rules):
        check_cancelled(progress)
        progress.report(i / max(len(rules), 1), f"Checking {rule.title}")
        found, missing = _run_rule(ctx, rule)
        if missing:
            not_run[rule.id] = missing
        if found is not None:
            parts.append(found)
    progress.report(1.0, "Checked")
    findings = sort_findings(pd.concat(parts, ignore_index=True) if parts else _EMPTY)
    return Report(findings, not_run, as_at, list(tables.files), tables.row_counts(), catalogue, settings,
                  key_snapshot(tables))


def flagged_cells(tables: Tables, schema: pd.DataFrame) -> dict[str, dict[str, np.ndarray]]:
    """Per table and column, a mask of the cells the schema flagged (value present but unknown)."""
    out: dict[str, dict[str, np.ndarray]] = {}
    cells = schema[schema["rule"].isin(CELL_RULES) & schema["row"].notna()] if len(schema) else schema
    for table in tables.present():
        mine = cells[cells["table"] == table] if len(cells) else cells
        if not len(mine):
            continue
        frame = tables.get(table)
        where = pd.MultiIndex.from_arrays([frame["_file"].astype("string"), frame["_row"].astype("Int64")])
        keep = ~where.duplicated()
        pos = np.flatnonzero(keep)
        found = where[keep].get_indexer(pd.MultiIndex.from_arrays(
            [mine["file"].astype("string"), mine["row"].astype("Int64")]))
        masks: dict[str, np.ndarray] = {}
        for at, fields in zip(found, mine["fields"], strict=True):
            if at < 0:
                continue
            for name in fields:
                if name in frame.columns:
                    masks.setdefault(name, np.zeros(len(frame), dtype=bool))[pos[at]] = True
        out[table] = masks
    return out


def _run_rule(ctx: Context, rule: Rule) -> tuple[pd.DataFrame | None, str]:
    """A rule's findings, one per (table, row), and why part of it could not run ('' if it all ran)."""
    present = set(ctx.tables.present())
    parts, missing = [], []
    for check in rule.checks:
        need = {check.table, *KINDS[check.kind].needs(check)}
        absent = sorted(need - present, key=_TABLE_ORDER.get)
        if absent:
            missing.extend(t for t in absent if t not in missing)
            continue
        hits = KINDS[check.kind].fn(ctx, check)
        if len(hits.rows):
            parts.append(_to_findings(ctx, rule, check, hits))
    reason = f"no {' or '.join(missing)} table in the extract" if missing else ""
    if not parts:
        return None, reason
    found = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return _one_per_row(found), reason


def _to_findings(ctx: Context, rule: Rule, check: Check, hits: Hits) -> pd.DataFrame:
    frame = ctx.table(check.table)
    rows = np.asarray(hits.rows, dtype=np.int64)
    n = len(rows)
    if isinstance(hits.fields, tuple):
        fields = [hits.fields] * n
        texts = [as_text(frame[f].iloc[rows]) for f in hits.fields]
        values = list(zip(*texts, strict=True)) if texts else [()] * n
    else:
        fields = list(hits.fields)
        values = list(hits.values) if hits.values is not None else _values_per_row(frame, rows, fields)
    keep = _not_flagged(ctx, check.table, rows, fields)
    provider = as_text(frame["provider_code"].iloc[rows])
    episode = as_text(frame["episode_id"].iloc[rows])
    out = pd.DataFrame({
        "rule": rule.id, "severity": rule.severity, "category": rule.category,
        "provider": provider, "file": as_text(frame["_file"].iloc[rows]), "table": check.table,
        "row": frame["_row"].iloc[rows].to_numpy(), "record": [f"{p}/{e}" for p, e in zip(provider, episode, strict=True)],
        "fields": pd.Series(fields, dtype=object), "values": pd.Series(values, dtype=object),
        "message": render(check.message, hits.evidence, frame, rows),
        "_pos": rows,
    })
    return out[keep].reset_index(drop=True) if not keep.all() else out


def _values_per_row(frame: pd.DataFrame, rows: np.ndarray, fields: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The values of each row's own fields, read column-wise per distinct field tuple."""
    values: list[tuple[str, ...]] = [()] * len(rows)
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, names in enumerate(fields):
        groups.setdefault(tuple(names), []).append(i)
    for names, idx in groups.items():
        texts = [as_text(frame[name].iloc[rows[idx]]) for name in names]
        for j, i in enumerate(idx):
            values[i] = tuple(t[j] for t in texts)
    return values


def _not_flagged(ctx: Context, table: str, rows: np.ndarray, fields: list[tuple[str, ...]]) -> np.ndarray:
    """False for findings naming a cell the schema flagged on that row."""
    masks = ctx.flagged.get(table)
    keep = np.ones(len(rows), dtype=bool)
    if not masks:
        return keep
    any_flag = np.zeros(len(ctx.table(table)), dtype=bool)
    for mask in masks.values():
        any_flag |= mask
    for i in np.flatnonzero(any_flag[rows]):
        keep[i] = not any(name in masks and masks[name][rows[i]] for name in fields[i])
    return keep


def render(template: str, evidence: Mapping[str, Any], frame: pd.DataFrame, rows: np.ndarray) -> list[str]:
    """Fill a message template for every failing row: ``{name}`` = evidence, else the row's column."""
    pieces: list[Any] = []
    n = len(rows)
    for literal, name, _, _ in string.Formatter().parse(template):
        if literal:
            pieces.append(literal)
        if name is None:
            continue
        value = evidence.get(name) if name in evidence else None
        if value is None:
            value = as_text(frame[name].iloc[rows]) if name in frame.columns else ""
        if isinstance(value, (str, int, np.integer)):
            pieces.append(str(value))
        else:
            pieces.append([str(v) for v in np.asarray(value, dtype=object)])
    columns = [p if isinstance(p, list) else [p] * n for p in pieces]
    return ["".join(parts) for parts in zip(*columns, strict=True)] if columns else [""] * n


def _one_per_row(found: pd.DataFrame) -> pd.DataFrame:
    """Several failed checks of one rule on one row become one finding naming every field."""
    dup = found.duplicated(["table", "_pos"], keep=False).to_numpy()
    if not dup.any():
        return found
    single = found[~dup]
    merged = []
    for _, group in found[dup].groupby(["table", "_pos"], sort=False):
        first = group.iloc[0].to_dict()
        pairs = dict.fromkeys(p for fs, vs in zip(group["fields"], group["values"], strict=True)
                              for p in zip(fs, vs, strict=True))
        first["fields"] = tuple(f for f, _ in pairs)
        first["values"] = tuple(v for _, v in pairs)
        first["message"] = "; ".join(dict.fromkeys(group["message"]))
        merged.append(first)
    return pd.concat([single, pd.DataFrame(merged)], ignore_index=True)


def sort_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings in the order people read them: file, table (episodes, modalities, tops), row, rule."""
    if not len(findings):
        return normalise(findings.drop(columns=["_pos"], errors="ignore"))
    order = _reading_order(findings)
    return _finish(findings.iloc[order])


_TEXT_COLUMNS = ("rule", "severity", "category", "provider", "file", "table", "record", "message")


def _finish(findings: pd.DataFrame) -> pd.DataFrame:
    """``findings.normalise`` for frames the engine built (fields and values already tuples)."""
    out = findings.reindex(columns=list(FINDING_COLUMNS))
    out["row"] = pd.array(out["row"], dtype="Int64")
    for name in _TEXT_COLUMNS:
        out[name] = out[name].fillna("").astype(str)
    return out.reset_index(drop=True)


def _reading_order(findings: pd.DataFrame) -> np.ndarray:
    file_codes = pd.factorize(findings["file"].astype(object).fillna(""), sort=True)[0]
    rule_codes = pd.factorize(findings["rule"].astype(object), sort=True)[0]
    table = findings["table"]
    table_codes = np.select([(table == t).to_numpy(dtype=bool, na_value=False) for t in TABLES],
                            list(range(len(TABLES))), default=len(TABLES))
    rows = pd.to_numeric(findings["row"], errors="coerce").fillna(0).to_numpy(dtype=np.int64)
    return np.lexsort((np.arange(len(findings)), rule_codes, rows, table_codes, file_codes))


KEY_COLUMNS = ("provider_code", "episode_id", "client_ref", "first_initial", "surname_initial", "dob",
               "sex", "consent")


def key_snapshot(tables: Tables) -> dict[str, pd.DataFrame]:
    """A copy of the columns that decide which record and client each row belongs to."""
    return {t: tables.get(t)[[c for c in KEY_COLUMNS if c in tables.get(t).columns]].copy()
            for t in tables.present()}


def record_keys(frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Per table, each row label's record key (and, for episodes, the client it belongs to)."""
    out = {}
    for table, frame in frames.items():
        keys = pd.DataFrame({"record": _record(frame)}, index=frame.index)
        if table == "episodes":
            keys["client"] = _client(frame)
            keys["client_key"] = derived.client_key(frame).fillna("").astype(object)
        out[table] = keys
    return out


def _record(frame: pd.DataFrame) -> pd.Series:
    return (frame["provider_code"].astype("string").fillna("") + "/"
            + frame["episode_id"].astype("string").fillna("")).astype(object)


def _client(frame: pd.DataFrame) -> pd.Series:
    return (frame["provider_code"].astype("string").fillna("") + "|"
            + frame["client_ref"].astype("string").fillna("")).astype(object)


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


# ----------------------------------------------------------------------------------- re-check

def recheck(tables: Tables, report: Report, touched: Mapping[str, Iterable[Any]], *,
            catalogue: Catalogue | None = None, settings: Settings | None = None,
            schema_findings: pd.DataFrame | None = None) -> tuple[Report, Changes]:
    """Re-evaluate only the records an edit touched and return the updated report and what changed.

    ``touched`` maps a table to the row labels (or ``(file, row)`` pairs) the edit changed. The
    records re-judged are those rows' episodes (before and after the edit), every row of those
    episodes in every table, and every episode of the same client (same provider + client_ref, or
    same client_key), so cross-row rules (ids, open episodes, journeys) stay exact.
    ``schema_findings``: the current schema findings (at least for the touched rows); None keeps
    the report's.
    """
    catalogue = report.catalogue if catalogue is None else catalogue
    settings = report.settings if settings is None else settings
    if catalogue != report.catalogue or settings != report.settings:
        # other rules or thresholds change every record's findings: judge everything again
        if schema_findings is None:
            schema_findings = report.findings[report.findings["rule"].isin(list(SCHEMA_RULES))]
        full = evaluate(tables, catalogue=catalogue, settings=settings, schema_findings=schema_findings)
        return full, Changes(added=_minus(full.findings, report.findings),
                             removed=_minus(report.findings, full.findings))
    labels = touched_labels(tables, touched)
    old_index = report.key_index
    snapshot, changed = _refreshed(report.snapshot, tables, labels)
    new_index = KeyIndex(record_keys(snapshot)) if changed else old_index
    records: set[str] = set()
    for table, idx in labels.items():
        for index in {id(old_index): old_index, id(new_index): new_index}.values():
            records.update(index.records_at(table, idx))
    # close over "same record" and "same client": an episode id shared by two clients pulls in both
    indexes = list({id(old_index): old_index, id(new_index): new_index}.values())
    while True:
        more = set().union(*(index.same_clients(records) for index in indexes)) - records
        if not more:
            break
        records |= more
    sub_rows = {t: new_index.rows_of(t, records) for t in tables.present()}
    sub = Tables(**{t: tables.get(t).loc[sub_rows[t]] for t in tables.present()},
                 as_at=tables.as_at, files=list(tables.files))
    where = _locations(sub)
    old = report.findings
    gone = _located_in(old, where)
    before = old[gone]
    if schema_findings is None:
        schema = before[before["rule"].isin(list(SCHEMA_RULES))]
    else:
        schema = schema_findings[_located_in(schema_findings, where)]
    fresh = evaluate(sub, catalogue=catalogue, settings=settings, schema_findings=schema).findings
    findings, order = _merge_sorted(old, report.order_keys(), gone, fresh)
    changes = Changes(added=_minus(fresh, before), removed=_minus(before, fresh))
    new = Report(findings, dict(report.not_run), report.as_at, list(report.files), tables.row_counts(),
                 catalogue, settings, snapshot)
    new._index = new_index
    new._order = order
    return new, changes


class KeyIndex:
    """Which rows belong to which record and client, with hashed look-ups (built once per report)."""

    def __init__(self, keys: dict[str, pd.DataFrame]) -> None:
        self.keys = keys
        self._by: dict[tuple[str, str], pd.Index] = {}

    def _index(self, table: str, column: str) -> pd.Index:
        if (table, column) not in self._by:
            self._by[(table, column)] = pd.Index(self.keys[table][column].to_numpy(dtype=object))
        return self._by[(table, column)]

    def _rows(self, table: str, column: str, values: Iterable[str]) -> np.ndarray:
        values = list(values)
        if table not in self.keys or not values:
            return np.zeros(0, dtype=np.int64)
        found = self._index(table, column).get_indexer_for(values)
        return found[found >= 0]

    def rows_of(self, table: str, records: Iterable[str]) -> pd.Index:
        """Row labels of ``table`` whose record is in ``records``."""
        return self.keys[table].index[self._rows(table, "record", records)] if table in self.keys else pd.Index([])

    def records_at(self, table: str, labels: pd.Index) -> set[str]:
        keys = self.keys.get(table)
        if keys is None:
            return set()
        return set(keys["record"].reindex(labels).dropna())

    def same_clients(self, records: set[str]) -> set[str]:
        """Records of every episode sharing a client (provider + client_ref, or client_key) with ``records``."""
        eps = self.keys.get("episodes")
        if eps is None or not records:
            return set()
        mine = eps.iloc[self._rows("episodes", "record", records)]
        pos = np.concatenate([self._rows("episodes", "client", set(mine["client"])),
                              self._rows("episodes", "client_key", set(mine["client_key"]) - {""})])
        return set(eps["record"].iloc[pos])


def _refreshed(snapshot: dict[str, pd.DataFrame], tables: Tables,
               labels: Mapping[str, pd.Index]) -> tuple[dict[str, pd.DataFrame], bool]:
    """The key snapshot after an edit, and whether any key value of a touched row changed."""
    out, changed = dict(snapshot), False
    for table, idx in labels.items():
        if table not in snapshot:
            continue
        cols = list(snapshot[table].columns)
        now = tables.get(table).loc[idx, cols]
        was = snapshot[table].reindex(idx)
        same = ((now.astype(object) == was.astype(object)) | (now.isna() & was.isna())).all(axis=None)
        if not same or not idx.isin(snapshot[table].index).all():
            out[table] = _updated(snapshot[table].copy(), now)
            changed = True
    return out, changed


def _updated(keys: pd.DataFrame, fresh: pd.DataFrame) -> pd.DataFrame:
    """``keys`` with the rows of ``fresh`` replaced or added."""
    fresh = fresh.reindex(columns=keys.columns)
    known = fresh.index.isin(keys.index)
    keys.loc[fresh.index[known]] = fresh[known].to_numpy()
    return pd.concat([keys, fresh[~known]]) if (~known).any() else keys


def _locations(tables: Tables) -> set[tuple[str, str, int]]:
    out: set[tuple[str, str, int]] = set()
    for table in tables.present():
        frame = tables.get(table)
        out.update((table, str(f), int(r)) for f, r in zip(frame["_file"], frame["_row"], strict=True))
    return out


def _located_in(findings: pd.DataFrame, where: set[tuple[str, str, int]]) -> np.ndarray:
    """Findings located at one of ``where``'s (table, file, row)."""
    out = np.zeros(len(findings), dtype=bool)
    if not len(findings) or not where:
        return out
    numbers = {r for _, _, r in where}
    candidates = np.flatnonzero(findings["row"].isin(numbers).fillna(False).to_numpy(dtype=bool))
    sub = findings.iloc[candidates]
    out[candidates] = [(t, f, int(r)) in where for t, f, r in zip(sub["table"], sub["file"], sub["row"], strict=True)]
    return out


def _order_keys(findings: pd.DataFrame) -> tuple[np.ndarray, ...]:
    table = findings["table"]
    ranks = np.select([(table == t).to_numpy(dtype=bool, na_value=False) for t in TABLES],
                      list(range(len(TABLES))), default=len(TABLES))
    rows = pd.to_numeric(findings["row"], errors="coerce").fillna(0).to_numpy(dtype=np.int64)
    return (findings["file"].to_numpy(dtype=object), ranks, rows, findings["rule"].to_numpy(dtype=object))


def _merge_sorted(old: pd.DataFrame, keys: tuple[np.ndarray, ...], gone: np.ndarray,
                  fresh: pd.DataFrame) -> tuple[pd.DataFrame, tuple[np.ndarray, ...]]:
    """``old`` without ``gone`` plus ``fresh``, in reading order, without re-sorting ``old``.

    ``old`` is sorted, so each fresh finding is placed by binary search: the cost is a copy of the
    table, not a sort of it.
    """
    kept = np.flatnonzero(~gone)
    fresh = normalise(fresh)
    fresh_keys = _order_keys(fresh)
    fresh_order = sorted(range(len(fresh)), key=lambda i: tuple(k[i] for k in fresh_keys))
    kept_keys = [k[kept] for k in keys]

    def key_at(i: int) -> tuple[Any, ...]:
        return tuple(k[i] for k in kept_keys)

    positions = [bisect.bisect_right(range(len(kept)), tuple(k[i] for k in fresh_keys), key=key_at)
                 for i in fresh_order]
    order = np.insert(kept, np.asarray(positions, dtype=np.int64),
                      len(old) + np.asarray(fresh_order, dtype=np.int64))
    both = pd.concat([old, fresh], ignore_index=True) if len(fresh) else old
    all_keys = tuple(np.concatenate([k, f]) for k, f in zip(keys, fresh_keys, strict=True))
    return both.take(order).reset_index(drop=True), tuple(k[order] for k in all_keys)


def _minus(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Findings of ``a`` that are not in ``b`` (all columns compared)."""
    def key(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
        return list(zip(*(frame[c].tolist() for c in FINDING_COLUMNS), strict=True))
    other = set(key(b))
    mask = np.array([k not in other for k in key(a)], dtype=bool)
    return a[mask].reset_index(drop=True)


__all__ = ["Changes", "Report", "evaluate", "recheck", "flagged_cells", "render", "sort_findings", "FINDING_COLUMNS"]
