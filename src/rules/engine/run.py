"""Evaluate a catalogue over the typed tables: run each rule's checks, one finding per (rule, table, row).

A cell the schema flagged never appears in a catalogue finding's fields; a rule whose table is
missing is *not run*, never passed.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from rules.catalogue import Catalogue, Rule, default_catalogue
from rules.columns import TABLES
from rules.engine.order import FindingRows, sort_findings
from rules.engine.report import Report
from rules.findings import MESSAGE_VALUE_CHARS, empty_findings
from rules.kinds import KINDS, Check, Context, Hits
from rules.kinds.base import as_text
from rules.progress import NO_PROGRESS, Progress, check_cancelled
from rules.settings import Settings
from rules.tables import Tables

#: Schema rules that mark a cell present-but-unknown for the catalogue rules.
CELL_RULES = ("invalid-date", "invalid-code", "invalid-number", "out-of-range")
_TABLE_ORDER = {t: i for i, t in enumerate(TABLES)}
_EMPTY = empty_findings()


def evaluate(tables: Tables, *, catalogue: Catalogue | None = None, settings: Settings | None = None,
             schema_findings: pd.DataFrame | None = None, progress: Progress = NO_PROGRESS) -> Report:
    """Every enabled rule of ``catalogue`` over ``tables``, judged as at ``tables.as_at``."""
    catalogue = default_catalogue() if catalogue is None else catalogue
    settings = Settings() if settings is None else settings
    as_at = tables.as_at or dt.date.today()
    schema = schema_findings if schema_findings is not None else _EMPTY
    rules = [r for r in catalogue if r.enabled]
    parts, not_run = run_rules(tables, rules, settings=settings, as_at=as_at, schema=schema, progress=progress)
    progress.report(1.0, "Checked")
    findings = sort_findings(pd.concat(parts, ignore_index=True) if parts else _EMPTY)
    return Report(FindingRows(findings), not_run, as_at, list(tables.files), tables.row_counts(), catalogue, settings)


def run_rules(tables: Tables, rules: Sequence[Rule], *, settings: Settings, as_at: dt.date,
              schema: pd.DataFrame, progress: Progress = NO_PROGRESS) -> tuple[list[pd.DataFrame], dict[str, str]]:
    """The schema findings and each rule's findings (unsorted parts), and the rules that could not run."""
    ctx = Context(tables, settings=settings, as_at=as_at, flagged=flagged_cells(tables, schema))
    parts: list[pd.DataFrame] = [schema] if len(schema) else []
    not_run: dict[str, str] = {}
    for i, rule in enumerate(rules):
        check_cancelled(progress)
        progress.report(i / max(len(rules), 1), f"Checking {rule.title}")
        found, missing = _run_rule(ctx, rule)
        if missing:
            not_run[rule.id] = missing
        if found is not None:
            parts.append(found)
    return parts, not_run

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
    }, copy=False)
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
    """Fill a message template for every failing row: ``{name}`` = evidence, else the row's column.

    A value quoted in a message is cut to ``MESSAGE_VALUE_CHARS`` (a 32,767-character cell is named,
    not repeated: the finding's ``values`` keep it whole)."""
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
            pieces.append(_short(str(value)))
        else:
            pieces.append([_short(str(v)) for v in np.asarray(value, dtype=object)])
    columns = [p if isinstance(p, list) else [p] * n for p in pieces]
    return ["".join(parts) for parts in zip(*columns, strict=True)] if columns else [""] * n


def _short(text: str) -> str:
    return text if len(text) <= MESSAGE_VALUE_CHARS else text[: MESSAGE_VALUE_CHARS - 1] + "\u2026"


def _one_per_row(found: pd.DataFrame) -> pd.DataFrame:
    """Several failed checks of one rule on one row become one finding naming every field."""
    pos = found["_pos"].to_numpy()
    if len(np.unique(pos)) == len(pos) and found["table"].nunique() <= 1:  # the usual case, cheaply
        return found
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

