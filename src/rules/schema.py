"""The schema layer: each column's type, code list and range (spec/rules.md, layer 1).

``check(raw)`` parses the raw tables (``rules.parse``, vectorised) and validates the typed frames
with pandera (lazy), then turns every problem into a finding on that cell: ``invalid-date``,
``invalid-number`` (from parsing), ``invalid-code``, ``out-of-range`` (from pandera's failure
cases) and one ``month-first-dates`` warning per file and column. A flagged cell is NA in the typed
table; the row stays. Missing required values are not schema findings (``required-fields``).
The frames are validated with a positional index, so failure cases point at rows even when several
files (each with its own row numbers) are concatenated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from rules.codes import CODE_LISTS
from rules.columns import COLUMNS, PANDAS_DTYPES, SOURCE_FILE, SOURCE_ROW, SOURCE_SHEET, Column
from rules.findings import MESSAGE_VALUE_CHARS, SCHEMA_RULES, concat_findings, findings_frame
from rules.parse import parse_table
from rules.tables import Tables

EXPECTED_DATE = "dd/mm/yyyy"


def _column_schema(col: Column) -> pa.Column:
    checks = []
    if col.code_list:
        checks.append(pa.Check.isin(list(CODE_LISTS[col.code_list])))
    if col.minimum is not None and col.maximum is not None:
        checks.append(pa.Check.in_range(col.minimum, col.maximum))
    return pa.Column(PANDAS_DTYPES[col.type], checks=checks, nullable=True, required=True)


def table_schema(table: str) -> pa.DataFrameSchema:
    """The pandera schema of one typed canonical table (source columns included)."""
    columns = {c.name: _column_schema(c) for c in COLUMNS[table]}
    columns[SOURCE_FILE] = pa.Column("string", nullable=True)
    columns[SOURCE_SHEET] = pa.Column("string", nullable=True)
    columns[SOURCE_ROW] = pa.Column("Int64", nullable=True)
    return pa.DataFrameSchema(columns, name=table, strict=True, ordered=False)


SCHEMAS: dict[str, pa.DataFrameSchema] = {t: table_schema(t) for t in COLUMNS}
#: pandera's check names (``isin([...])``, ``in_range(0, 28)``) -> our rule ids
_CHECK_RULE = {"isin": "invalid-code", "in_range": "out-of-range"}


def check(raw: Tables, *, today: dt.date | None = None,
          fields: Mapping[str, Collection[str]] | None = None) -> tuple[Tables, pd.DataFrame]:
    """Raw tables -> typed tables and the schema findings (``findings.FINDING_COLUMNS``).

    ``today`` decides two-digit birth years (never after it); default the tables' ``as_at``, so the
    result depends only on the inputs. ``fields``: per table, check only these columns (a re-check
    of a few edited cells); the typed frames then hold just them, the record's identity and the
    source columns, and their checks run one by one (``check_columns``) without pandera's
    whole-frame validation, whose fixed cost is most of the time on a few rows.
    """
    today = today or raw.as_at
    typed: dict[str, pd.DataFrame | None] = {}
    parts = []
    for table in COLUMNS:
        frame = raw.get(table)
        only = None if fields is None else fields.get(table, ())
        if frame is None or (only is not None and not only):
            typed[table] = None
            continue
        frame = frame.reset_index(drop=True)
        parsed = parse_table(frame, table, today=today, only=only)
        cells = [_cell_findings(frame, parsed.typed, table, col, mask, _rule_of(table, col))
                 for col, mask in parsed.bad.items()]
        failures = validate(parsed.typed, table) if only is None else check_columns(parsed.typed, table, only)
        for (col, rule), positions in failures.items():
            mask = np.zeros(len(frame), dtype=bool)
            mask[positions] = True
            cells.append(_cell_findings(frame, parsed.typed, table, col, mask, rule))
            parsed.typed.loc[mask, col] = pd.NA
        if cells:
            ordered = pd.concat(cells, ignore_index=True).sort_values(["_pos", "_col"], kind="stable")
            parts.append(ordered.drop(columns=["_pos", "_col"]))  # concat_findings normalises once
        parts.append(_month_first_findings(parsed.month_first, parsed.typed, table))
        typed[table] = parsed.typed
    findings = concat_findings(parts)
    out = Tables(episodes=typed["episodes"], modalities=typed["modalities"], tops=typed["tops"],
                 as_at=raw.as_at, files=list(raw.files))
    return out, findings


def validate(typed: pd.DataFrame, table: str) -> dict[tuple[str, str], np.ndarray]:
    """Run the pandera schema lazily; {(column, rule) -> row positions that failed}."""
    try:
        SCHEMAS[table].validate(typed, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        names = cases["check"].astype(str)
        kind = names.map({n: _CHECK_RULE.get(n.split("(")[0]) for n in names.unique()})
        if kind.isna().any() or cases["index"].isna().any():
            raise  # a dtype or structure failure is a bug in parsing, not bad input
        out = {}
        for (column, rule), group in cases.assign(rule=kind).groupby(["column", "rule"]):
            out[(column, rule)] = group["index"].astype("int64").unique()
        return out
    return {}


def check_columns(typed: pd.DataFrame, table: str, names: Collection[str]) -> dict[tuple[str, str], np.ndarray]:
    """The schema's own checks of a few columns, called one by one; the same answer as ``validate``
    on those columns (blanks pass, as the columns are nullable)."""
    out = {}
    for name in names:
        values = typed[name]
        present = values.notna().to_numpy(dtype=bool)
        if not present.any():
            continue
        for rule_check in SCHEMAS[table].columns[name].checks:
            passed = rule_check(values[present]).check_output.to_numpy(dtype=bool)
            if not passed.all():
                out[(name, _CHECK_RULE[rule_check.name])] = np.flatnonzero(present)[~passed]
    return out


def _rule_of(table: str, column: str) -> str:
    kind = next(c.type for c in COLUMNS[table] if c.name == column)
    return "invalid-date" if kind == "date" else "invalid-number"


def _labels(table: str) -> dict[str, Column]:
    return {c.name: c for c in COLUMNS[table]}


#: Values longer than this are cut short in messages (a 32,767-character cell stays whole in ``values``).


def _message(col: Column, rule: str, values: pd.Series) -> pd.Series:
    long = values.str.len() > MESSAGE_VALUE_CHARS
    if long.any():
        values = values.where(~long, values.str.slice(0, MESSAGE_VALUE_CHARS - 1) + "\u2026")
    quoted = col.label + " '" + values + "'"
    if rule == "invalid-date":
        return quoted + f" is not a date (expected {EXPECTED_DATE})"
    if rule == "invalid-number":
        return quoted + " is not a whole number"
    if rule == "out-of-range":
        return quoted + f" is outside the range {col.minimum} to {col.maximum}"
    codes = ", ".join(CODE_LISTS[col.code_list]) if col.code_list else ""
    return quoted + f" is not a valid code (expected one of {codes})"


def _cell_findings(raw: pd.DataFrame, typed: pd.DataFrame, table: str, column: str, mask: np.ndarray,
                   rule: str) -> pd.DataFrame:
    """One finding per flagged cell, vectorised; values are the raw text as the provider wrote it.

    ``_pos`` and ``_col`` (row position, column order) sort the findings and are dropped after.
    """
    col = _labels(table)[column]
    rows = typed.loc[mask]
    values = raw.loc[mask, column].astype(str)
    severity, _ = SCHEMA_RULES[rule]
    provider = rows["provider_code"].fillna("").astype(str)
    frame = pd.DataFrame({
        "rule": rule, "severity": severity, "category": "data-quality",
        "provider": provider,
        "file": rows[SOURCE_FILE].fillna("").astype(str),
        "table": table,
        "row": rows[SOURCE_ROW],
        "record": provider + "/" + rows["episode_id"].fillna("").astype(str),
        "fields": [(column,)] * len(rows),
        "values": [(v,) for v in values.tolist()],
        "message": _message(col, rule, values).to_numpy(dtype=object),
        "_pos": np.flatnonzero(mask),
        "_col": list(COLUMNS[table]).index(col),
    })
    return frame


def _month_first_findings(found: list[tuple[str, str, str]], typed: pd.DataFrame, table: str) -> pd.DataFrame:
    rows = []
    for file, column, example in found:
        providers = typed.loc[typed[SOURCE_FILE] == file, "provider_code"].dropna()
        label = _labels(table)[column].label
        rows.append({
            "rule": "month-first-dates", "severity": SCHEMA_RULES["month-first-dates"][0],
            "category": "data-quality", "provider": providers.iloc[0] if len(providers) else "",
            "file": file, "table": table, "row": None, "record": "", "fields": (column,),
            "values": (example,),
            "message": (f"{label} in {file} ({table}) looks month-first (mm/dd/yyyy), e.g. '{example}'. "
                        "The values were NOT swapped: they were read day-first, and those that are not "
                        "day-first dates are reported as invalid dates. Check how the file was exported."),
        })
    return findings_frame(rows)
