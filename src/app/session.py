"""The open document the app works on: RAW working tables, typed tables and findings, kept in step.

Qt-free so the whole daily loop (open, fix a cell, see the finding go, undo, accept) is testable
without a display. The UI holds one ``Session`` and only ever changes data through it; every
change comes back as an ``EditResult`` naming the rows touched and the findings that came or went,
so the views repaint just those. Persistence (the SQLite workspace) is optional: with none, edits
and acceptances live in memory until the user saves.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from app.errors import InputError
from rules import codes, columns
from rules.findings import FINDING_COLUMNS, concat_findings, empty_findings, normalise
from rules.progress import NO_PROGRESS, Progress
from rules.settings import Settings
from rules.tables import Tables

log = logging.getLogger(__name__)

#: What identifies one finding across re-validations (its values too: an acceptance lasts only
#: while the values it was given for stay the same, spec/rules.md).
FINDING_KEY: tuple[str, ...] = ("rule", "table", "file", "row", "fields", "values")
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}


class Validator(Protocol):
    """Turns RAW tables into typed tables and findings (schema, then the rule catalogue)."""

    def check(self, raw: Tables) -> tuple[Tables, pd.DataFrame]:
        """Parse RAW -> typed, with the schema findings."""

    def evaluate(self, typed: Tables, schema_findings: pd.DataFrame,
                 progress: Progress = NO_PROGRESS) -> pd.DataFrame:
        """All findings: the schema's and the catalogue's over typed tables."""


@dataclass
class CellChange:
    """One cell of a RAW working table, before and after (values already converted)."""

    table: str
    pos: int
    field: str
    old: str | None
    new: str | None

    def inverse(self) -> CellChange:
        return replace(self, old=self.new, new=self.old)


@dataclass
class EditResult:
    """What an edit did: the changes applied, rows touched per table, findings that came and went."""

    changes: list[CellChange]
    touched: dict[str, np.ndarray] = field(default_factory=dict)
    added: pd.DataFrame = field(default_factory=empty_findings)
    removed: pd.DataFrame = field(default_factory=empty_findings)


class RulesValidator:
    """The real validator: ``rules.schema.check`` then ``rules.engine.evaluate`` with the settings."""

    def __init__(self, settings: Settings, catalogue: Any = None) -> None:
        self.settings = settings
        self.catalogue = catalogue

    def check(self, raw: Tables) -> tuple[Tables, pd.DataFrame]:
        from rules import schema

        return schema.check(raw)

    def evaluate(self, typed: Tables, schema_findings: pd.DataFrame,
                 progress: Progress = NO_PROGRESS) -> pd.DataFrame:
        from rules import engine

        self.report = engine.evaluate(typed, catalogue=self.catalogue, settings=self.settings,
                                      schema_findings=schema_findings, progress=progress)
        return self.report.findings

    def recheck(self, typed: Tables, schema_findings: pd.DataFrame, touched: dict[str, np.ndarray]) -> pd.DataFrame:
        """All findings after an edit, re-judging only the records the touched rows belong to."""
        from rules import engine

        self.report, _ = engine.recheck(typed, self.report, touched, catalogue=self.catalogue,
                                        settings=self.settings, schema_findings=schema_findings)
        return self.report.findings


# ----------------------------------------------------------------------------- typed input

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def convert_input(table: str, name: str, text: str | None, *, today: dt.date | None = None) -> str | None:
    """What a person typed into a cell -> the RAW value stored (blank -> None).

    Dates typed day-first (``dd/mm/yyyy``, ``d/m/yy``) or ISO become ISO text; a value that is not
    a date is kept as typed so the schema reports it. Codes are upper-cased; a drop-down's
    ``CODE - label`` or a label typed in full gives the code.
    """
    if text is None or not str(text).strip():
        return None
    value = " ".join(str(text).split())
    kind = columns.column(table, name)
    if kind.type == "date":
        return _date_text(value, today or dt.date.today())
    if kind.type == "code" and kind.code_list:
        listing = codes.CODE_LISTS[kind.code_list]
        head = value.split(" - ")[0].strip()
        if head.upper() in listing:
            return head.upper()
        by_label = {lab.casefold(): code for code, lab in listing.items()}
        return by_label.get(value.casefold(), value.upper())
    return value


def _date_text(value: str, today: dt.date) -> str:
    match = _DMY.match(value)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            if len(match.group(3)) == 2:
                year += 2000 if 2000 + year <= today.year else 1900
            return dt.date(year, month, day).isoformat()
        match = _ISO.match(value)
        if match:
            return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        pass
    return value


# ----------------------------------------------------------------------------- the session


def finding_keys(findings: pd.DataFrame) -> pd.Series:
    """One text key per finding (see ``FINDING_KEY``)."""
    if not len(findings):
        return pd.Series([], dtype=object)
    row = findings["row"].astype("string").fillna("")
    return (findings["rule"] + "|" + findings["table"] + "|" + findings["file"] + "|" + row.astype(object) + "|"
            + findings["fields"].map(_joined) + "|" + findings["values"].map(_joined)).astype(object)


def _joined(values: tuple) -> str:
    try:
        return "/".join(values)
    except TypeError:  # a value that is not text
        return "/".join(str(v) for v in values)


class Session:
    """The partnership's data as the user is working on it."""

    def __init__(self, *, settings: Settings | None = None, validator: Validator | None = None,
                 workspace: Any = None) -> None:
        self.settings = settings or Settings()
        self.validator: Validator = validator or RulesValidator(self.settings)
        self.workspace = workspace
        self.raw = Tables(episodes=_empty_raw("episodes"))
        self._where: dict[str, pd.MultiIndex] = {}
        self.original = self.raw  # the tables as opened, before any edit (what a workspace imports)
        self.typed: Tables | None = None
        self.schema_findings = empty_findings()
        self.findings = _with_extra(empty_findings())
        self.log: list[tuple[CellChange, str]] = []  # every applied change and its reason
        self.accepted: dict[str, str] = {}          # finding key -> reason
        self.files: list[Path] = []
        self.listeners: list[Callable[[EditResult], None]] = []

    # -- loading ---------------------------------------------------------------------------
    def load(self, raw: Tables, *, files: Sequence[Path] = (), typed: Tables | None = None,
             schema_findings: pd.DataFrame | None = None, progress: Progress = NO_PROGRESS) -> None:
        """Take RAW tables as the working tables and validate them all (reusing a parse already made)."""
        frames = {t: f.reset_index(drop=True) for t in columns.TABLES if (f := raw.get(t)) is not None}
        self.raw = Tables(**{t: frames.get(t) for t in columns.TABLES}, as_at=raw.as_at, files=list(raw.files))
        if self.raw.episodes is None:
            self.raw.episodes = _empty_raw("episodes")
        self.original = Tables(**{t: f.copy() if (f := self.raw.get(t)) is not None else None
                                  for t in columns.TABLES}, as_at=raw.as_at, files=list(raw.files))
        self.files = [Path(p) for p in files]
        self.log.clear()
        self._where = {}
        self._validate(typed, schema_findings, progress)

    def _validate(self, typed: Tables | None = None, schema_findings: pd.DataFrame | None = None,
                  progress: Progress = NO_PROGRESS) -> None:
        if typed is None or schema_findings is None:
            typed, schema_findings = self.validator.check(self.raw)
        self.typed, self.schema_findings = typed, schema_findings
        self._set_findings(self.validator.evaluate(typed, schema_findings, progress))

    def _set_findings(self, found: pd.DataFrame) -> None:
        located = self._locate(found)
        self.findings = located[~located["key"].duplicated().to_numpy()].reset_index(drop=True)

    def _recheck(self, touched: dict[str, np.ndarray]) -> None:
        """Re-parse only the touched rows, splice them into the typed tables, re-judge their records."""
        part = Tables(**{t: self.raw.get(t).iloc[touched[t]] if t in touched else None for t in columns.TABLES},
                      as_at=self.raw.as_at, files=list(self.raw.files))
        typed_part, found = self.validator.check(part)
        for name, pos in touched.items():
            target, fresh = self.typed.get(name), typed_part.get(name)
            for col in fresh.columns:
                target.iloc[pos, target.columns.get_loc(col)] = fresh[col].to_numpy()
        old = self.schema_findings
        touched_rows = pd.MultiIndex.from_arrays([
            np.concatenate([np.full(len(p), n, dtype=object) for n, p in touched.items()]),
            np.concatenate([self.raw.get(n)[columns.SOURCE_FILE].iloc[p].astype(str).to_numpy(dtype=object)
                            for n, p in touched.items()]),
            np.concatenate([pd.to_numeric(self.raw.get(n)[columns.SOURCE_ROW].iloc[p]).to_numpy(dtype=np.int64)
                            for n, p in touched.items()])])
        at = pd.MultiIndex.from_arrays([old["table"].to_numpy(dtype=object), old["file"].to_numpy(dtype=object),
                                        old["row"].fillna(-1).to_numpy(dtype=np.int64)]).isin(touched_rows)
        self.schema_findings = concat_findings([old[~at], found])
        self._set_findings(self.validator.recheck(self.typed, self.schema_findings, touched))

    def open_files(self, paths: Sequence[Path | str], *, as_at: dt.date | None = None,
                   progress: Progress = NO_PROGRESS, **options: Any) -> Any:
        """Read provider extracts (``app.extracts.open_extracts``), validate, and return the ``Opened``."""
        from app.extracts import open_extracts

        files = [Path(p) for p in paths]
        opened = open_extracts(files, as_at=as_at, progress=progress, **options)
        self.load(opened.raw, files=files, typed=opened.tables, schema_findings=opened.findings,
                  progress=progress)
        return opened

    @property
    def catalogue(self) -> Any:
        """The rule catalogue in use (``rules.catalogue``; the shipped one unless changed)."""
        from rules.catalogue import default_catalogue

        return getattr(self.validator, "catalogue", None) or default_catalogue()

    def set_rules(self, *, catalogue: Any = None, settings: Settings | None = None,
                  progress: Progress = NO_PROGRESS) -> None:
        """Use another catalogue and/or settings (thresholds), then validate everything again."""
        self.settings = settings or self.settings
        self.validator = RulesValidator(self.settings, catalogue if catalogue is not None else self.catalogue)
        self._validate(progress=progress)
        if self.workspace is not None:
            from rules.catalogue import to_toml

            self.workspace.set_settings(self.settings)
            self.workspace.set_catalogue_toml(to_toml(self.validator.catalogue))

    # -- the workspace (SQLite: sources as imported, edits appended, acceptances, settings) ----------
    def open_workspace(self, path: Path, *, progress: Progress = NO_PROGRESS) -> None:
        """Work on a saved workspace: its working tables, settings, catalogue and acceptances."""
        from app.workspace import Workspace
        from rules.catalogue import default_catalogue, parse

        ws = Workspace.open(path)
        text = ws.catalogue_toml
        self.settings = ws.settings
        self.validator = RulesValidator(self.settings, parse(text, source=Path(path).name,
                                                             base=default_catalogue()) if text else None)
        self.workspace = None  # loading is not an edit
        self.load(ws.tables(), files=[Path(path)], progress=progress)
        self.workspace = ws
        marked = ws.mark_accepted(self.findings[list(FINDING_COLUMNS)])
        keys = self.findings["key"][marked["accepted"].to_numpy(dtype=bool)]
        self.accepted = dict(zip(keys, marked.loc[marked["accepted"], "accepted_reason"], strict=True))
        self._mark_accepted(self.findings)

    def save_workspace(self, path: Path, *, year: str, progress: Progress = NO_PROGRESS) -> None:
        """Save as a new workspace: each file's rows as imported, then every edit and acceptance."""
        from app.workspace import Workspace

        ws = Workspace.create(path, partnership=self.settings.partnership_name, year=year)
        by_name = {p.name: p for p in self.files}
        for name in dict.fromkeys(self.original.episodes[columns.SOURCE_FILE]):
            part = {t: f[f[columns.SOURCE_FILE] == name] for t in columns.TABLES
                    if (f := self.original.get(t)) is not None}
            ws.import_source(Tables(**part, as_at=self.raw.as_at, files=[name]), file_path=by_name.get(name, name))
        for c, reason in self.log:
            frame = self.raw.get(c.table)
            locator = (frame.at[c.pos, columns.SOURCE_FILE], int(frame.at[c.pos, columns.SOURCE_ROW]))
            with contextlib.suppress(ValueError):  # a later edit put the value back: nothing to append
                ws.edit(c.table, locator, c.field, c.new, reason=reason)
        for _, row in self.findings[self.findings["accepted"]].iterrows():
            ws.accept(row[list(FINDING_COLUMNS)], row["accept_reason"])
        ws.set_settings(self.settings)
        self.workspace = ws
        self.files = [Path(path)]

    def table(self, name: str) -> pd.DataFrame | None:
        """A RAW working table (None when the extracts did not have it)."""
        return self.raw.get(name)

    # -- edits -----------------------------------------------------------------------------
    def change_for(self, table: str, pos: int, name: str, text: str | None) -> CellChange:
        """The change typing ``text`` into one cell would make (input converted)."""
        frame = self.raw.get(table)
        old = frame.at[pos, name]
        return CellChange(table, int(pos), name, None if _blank(old) else old,
                          convert_input(table, name, text, today=self.raw.as_at))

    def edit(self, table: str, pos: int, name: str, text: str | None, *, reason: str = "") -> EditResult:
        """Type into one cell."""
        return self.apply([self.change_for(table, pos, name, text)], reason=reason)

    def replace_changes(self, table: str, positions: Iterable[int], name: str, new_text: str | None, *,
                        old_text: str | None = None) -> list[CellChange]:
        """The changes setting ``name`` to ``new_text`` in the given rows (only where it equals
        ``old_text``, when given) would make; cells already holding the value are left out."""
        positions = np.asarray(list(positions), dtype=np.int64)
        values = self.raw.get(table)[name].to_numpy(dtype=object)[positions]
        if old_text is not None:
            keep = np.array([v == old_text for v in values], dtype=bool)
            positions, values = positions[keep], values[keep]
        new = convert_input(table, name, new_text, today=self.raw.as_at)
        return [CellChange(table, int(p), name, None if _blank(v) else v, new)
                for p, v in zip(positions, values, strict=True) if (None if _blank(v) else v) != new]

    def bulk_replace(self, table: str, positions: Iterable[int], name: str, new_text: str | None, *,
                     old_text: str | None = None, reason: str = "") -> EditResult:
        """Set ``name`` to ``new_text`` in the given rows as one edit (see ``replace_changes``)."""
        return self.apply(self.replace_changes(table, positions, name, new_text, old_text=old_text),
                          reason=reason)

    def apply(self, changes: list[CellChange], *, reason: str = "") -> EditResult:
        """Apply changes (an edit, a bulk fix, or an undo's inverse), then re-validate."""
        changes = [c for c in changes if c.old != c.new]
        if not changes:
            return EditResult(changes=[])
        if self.workspace is not None:  # saved first: an edit the file refused is not shown as made
            self._save_edits(changes, reason)
        for c in changes:
            self.raw.get(c.table).at[c.pos, c.field] = c.new
            self.log.append((c, reason))
        touched = {t: np.unique([c.pos for c in changes if c.table == t]) for t in {c.table for c in changes}}
        before = self.findings
        try:
            if not hasattr(self.validator, "recheck") or self.typed is None:
                raise LookupError("no partial re-check")
            self._recheck(touched)
        except Exception as exc:  # a failing partial re-check must never lose an edit: check everything
            if not isinstance(exc, LookupError):
                log.exception("re-checking the touched records failed; validating everything instead")
            self._validate()
        old_k, new_k = before["key"], self.findings["key"]
        result = EditResult(changes=changes, touched=touched, added=self.findings[~_among(new_k, old_k)],
                            removed=before[~_among(old_k, new_k)])
        for listener in list(self.listeners):
            listener(result)
        return result

    def _save_edits(self, changes: list[CellChange], reason: str) -> None:
        for c in changes:
            frame = self.raw.get(c.table)
            locator = (frame.at[c.pos, columns.SOURCE_FILE], frame.at[c.pos, columns.SOURCE_ROW])
            self.workspace.edit(c.table, locator, c.field, c.new, reason=reason)

    # -- findings --------------------------------------------------------------------------
    def accept(self, index: int | Sequence[int], reason: str) -> None:
        """Accept findings (by their index in ``findings``) with one reason."""
        if not reason.strip():
            raise ValueError("an accepted finding needs a reason")
        for i in [index] if isinstance(index, int | np.integer) else index:
            self.accepted[self.findings.at[i, "key"]] = reason.strip()
            if self.workspace is not None:
                self.workspace.accept(self.findings.loc[i, list(FINDING_COLUMNS)].to_dict(), reason.strip())
        self.findings = self.findings.copy()  # views holding the old table keep a consistent one
        self._mark_accepted(self.findings)

    def counts(self) -> dict[str, int]:
        """Open (not accepted) findings per severity."""
        open_ = self.findings[~self.findings["accepted"]]
        return {s: int((open_["severity"] == s).sum()) for s in SEVERITY_RANK}

    def _locate(self, findings: pd.DataFrame) -> pd.DataFrame:
        """Findings with ``pos`` (row position in the RAW table, -1 if none), ``key`` and acceptance."""
        out = _with_extra(normalise(findings))
        out["key"] = finding_keys(out).to_numpy()
        for name in columns.TABLES:
            frame = self.raw.get(name)
            mine = (out["table"] == name).to_numpy()
            if frame is None or not mine.any():
                continue
            if name not in self._where:  # source positions never change with edits: built once per load
                self._where[name] = pd.MultiIndex.from_arrays([
                    frame[columns.SOURCE_FILE].astype(str), pd.to_numeric(frame[columns.SOURCE_ROW]).astype("int64")])
            rows = out.loc[mine, "row"].fillna(-1).astype("int64")
            out.loc[mine, "pos"] = self._where[name].get_indexer(pd.MultiIndex.from_arrays([out.loc[mine, "file"], rows]))
        self._mark_accepted(out)
        return out

    def _mark_accepted(self, out: pd.DataFrame) -> None:
        if self.accepted:
            out["accepted"] = _among(out["key"], list(self.accepted))
            out["accept_reason"] = out["key"].map(self.accepted).fillna("").to_numpy()

    # -- measures and returns ----------------------------------------------------------------
    def _need_data(self) -> None:
        if self.typed is None:
            raise InputError("no extracts are open yet: open your providers' extracts (or the demo) first")

    def open_findings(self) -> pd.DataFrame:
        """Findings not accepted (what excludes records from measures), in ``FINDING_COLUMNS``."""
        return self.findings.loc[~self.findings["accepted"], list(FINDING_COLUMNS)]

    def accepted_frame(self) -> pd.DataFrame:
        """Accepted findings with their ``reason``, as the returns list them."""
        rows = self.findings[self.findings["accepted"]]
        return rows[list(FINDING_COLUMNS)].assign(reason=rows["accept_reason"].to_numpy())

    def measures(self, period: str | Any, *, by: Sequence[str] = ()) -> Any:
        """Every count and measure for a period (``rules.measures.compute``), errors excluding records."""
        from rules.measures import compute
        from rules.periods import parse_period

        span = parse_period(period) if isinstance(period, str) else period
        self._need_data()
        return compute(self.typed, span, settings=self.settings, findings=self.findings[list(FINDING_COLUMNS)],
                       by=by)

    def generate(self, period: str | Any, out_dir: Path, *, templates: Sequence[Path] | None = None,
                 draft: bool = True, check_only: bool = False) -> Any:
        """Fill the return templates (``app.returns``); ``check_only`` lists template problems instead."""
        from app.returns import generate as returns
        from app.returns.context import build_context
        from rules.periods import parse_period

        span = parse_period(period) if isinstance(period, str) else period
        self._need_data()
        findings, accepted = self.findings[list(FINDING_COLUMNS)], self.accepted_frame()
        if not check_only:
            return returns.generate_returns(self.typed, findings, span, Path(out_dir), templates=templates,
                                            draft=draft, settings=self.settings, accepted=accepted)
        as_at = self.raw.as_at or dt.date.today()
        figures = returns.comparisons(self.typed, span, as_at=as_at, settings=self.settings, findings=findings)
        contexts = {public: build_context(figures["current"], settings=self.settings, public=public, draft=draft,
                                          previous=figures["previous"], last_year=figures["last_year"],
                                          quarters=figures["quarters"], findings=findings, accepted=accepted)
                    for public in (False, True)}
        return returns.check_templates([Path(t) for t in templates or returns.default_templates()], contexts)


#: The bundled demo: a small fictional partnership, the same on every machine.
DEMO = {"providers": 3, "episodes": 1500, "seed": 7, "defects": 0.02, "as_at": dt.date(2025, 10, 15)}


def demo_files(folder: Path, *, progress: Progress = NO_PROGRESS) -> list[Path]:
    """The demo partnership's extracts in ``folder``, generated (``app.synth``) on first use."""
    import json

    from app.synth import generate, write

    folder = Path(folder)
    existing = sorted(folder.glob("*.xlsx"))
    if (folder / "manifest.json").exists() and existing:
        made = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        # made by an older generator (no defects yet, other sizes): make it again
        if made.get("seed") == DEMO["seed"] and made.get("episodes") == DEMO["episodes"] \
                and bool(made.get("defects")) == bool(DEMO["defects"]):
            return existing

    progress.report(0.1, "Generating the demo partnership")
    return write(generate(**DEMO), folder)


def _among(values: Any, others: Any) -> np.ndarray:
    """Which ``values`` are in ``others`` (hash lookup on object arrays: fast for 100k keys)."""
    return pd.Index(np.asarray(values, dtype=object), dtype=object).isin(
        pd.Index(np.asarray(others, dtype=object), dtype=object))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def _empty_raw(table: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object)
                         for c in [*columns.column_names(table), *columns.SOURCE_COLUMNS]})


def _with_extra(findings: pd.DataFrame) -> pd.DataFrame:
    out = findings.copy()
    out["pos"] = np.full(len(out), -1, dtype=np.int64)
    out["accepted"] = np.zeros(len(out), dtype=bool)
    out["accept_reason"] = ""
    out["key"] = pd.Series([], dtype=object) if not len(out) else ""
    return out
