"""Validation kept in step with the working tables: everything on load, only touched records after an
edit; findings located on their RAW rows, keyed, and marked accepted (the session's ``Checker``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from app.session.frames import among, empty_raw, one_chunk, with_extra
from app.session.model import SEVERITY_RANK, Validator, finding_keys
from rules import columns
from rules.engine.order import glue
from rules.findings import FINDING_COLUMNS, concat_findings, empty_findings, normalise
from rules.parse import IDENTITY
from rules.progress import NO_PROGRESS, Progress
from rules.tables import Tables


class Checker:
    """The judge of the working tables: their typed form, the schema findings, and every finding
    located on its RAW row, keyed and marked accepted or open. It changes no cell: the ``Editor``
    changes cells and asks it to re-check; acceptances come to it as finding keys (``mark``)."""

    def __init__(self, validator: Validator) -> None:
        self.validator = validator
        self.raw = Tables(episodes=empty_raw("episodes"))  # the working tables judged (the workspace's)
        self.typed: Tables | None = None
        self.schema_findings = empty_findings()
        self.findings = with_extra(empty_findings())
        self.accepted: dict[str, str] = {}       # finding key -> reason
        self.label_of: dict[str, int] = {}       # finding key -> its index in ``findings``
        self._counts: dict[str, int] | None = None
        self._where: dict[str, pd.MultiIndex] = {}

    def take(self, raw: Tables, typed: Tables | None = None, schema_findings: pd.DataFrame | None = None,
             progress: Progress = NO_PROGRESS) -> None:
        """Judge new working tables (reusing a parse already made)."""
        self.raw, self._where = raw, {}
        self.validate(typed, schema_findings, progress)

    def validate(self, typed: Tables | None = None, schema_findings: pd.DataFrame | None = None,
                 progress: Progress = NO_PROGRESS) -> None:
        """Judge everything again (as at ``raw.as_at``); cancelled or failed, nothing has changed."""
        if typed is None or schema_findings is None:
            typed, schema_findings = self.validator.check(self.raw)
        typed = Tables(**{t: one_chunk(typed.get(t)) for t in columns.TABLES}, as_at=typed.as_at,
                       files=list(typed.files))
        found = self.validator.evaluate(typed, schema_findings, progress)
        self.typed, self.schema_findings = typed, schema_findings
        located = self._locate(found)
        self.findings = located[~located["key"].duplicated().to_numpy()].reset_index(drop=True)
        self.label_of = dict(zip(self.findings["key"], self.findings.index, strict=True))
        self._counts = None

    def _apply_changes(self, added: pd.DataFrame, removed: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Findings that came and went, applied without touching the others: a finding keeps its
        index while it lasts (the views' references stay good); returns (added, removed) located."""
        gone_keys = finding_keys(normalise(removed)) if len(removed) else pd.Series([], dtype=object)
        labels = list(dict.fromkeys(self.label_of[k] for k in gone_keys if k in self.label_of))
        gone = self.findings.loc[labels]
        for k in gone["key"]:
            del self.label_of[k]
        new = self._locate(added) if len(added) else self.findings.iloc[:0]
        fresh = np.array([k not in self.label_of for k in new["key"]], dtype=bool)
        new = new[~new["key"].duplicated().to_numpy() & fresh]
        start = int(self.findings.index.max()) + 1 if len(self.findings) else 0
        new.index = pd.RangeIndex(start, start + len(new))
        self.label_of.update(zip(new["key"], new.index, strict=True))
        if labels or len(new):
            self.findings = self._spliced(labels, new)
        if self._counts is not None:  # kept up to date: counting 100k findings again costs more than the edit
            for frame, sign in ((gone, -1), (new, 1)):
                for severity in frame["severity"].to_numpy(dtype=object)[~frame["accepted"].to_numpy(dtype=bool)]:
                    if severity in self._counts:
                        self._counts[severity] += sign
        return new, gone

    def _spliced(self, labels: list[int], new: pd.DataFrame) -> pd.DataFrame:
        """The findings without ``labels``, plus ``new``: glued from slices into one chunk per
        column (``rules.engine.order.glue``), so picking a few findings out of it stays cheap."""
        f = self.findings
        pieces, start = [], 0
        for p in np.sort(f.index.get_indexer(labels)).tolist():
            if p > start:
                pieces.append((0, start, p))
            start = p + 1
        if start < len(f):
            pieces.append((0, start, len(f)))
        if len(new):
            pieces.append((1, 0, len(new)))
        sources = [f.index.to_numpy(dtype=np.int64), new.index.to_numpy(dtype=np.int64)]
        index = np.concatenate([sources[src][a:b] for src, a, b in pieces] or [sources[0][:0]])
        return pd.DataFrame({c: glue([f[c], new[c]], pieces) for c in f.columns}, index=index, copy=False)

    def recheck(self, touched: dict[str, np.ndarray], fields: dict[str, set[str]] | None = None
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Re-parse only the touched rows (only their edited ``fields``, unless the edit changed
        whose record a row is), splice the edited cells into the typed tables, and re-judge their
        records; returns the (added, removed) findings, located."""
        if fields is not None and any(set(names) & set(IDENTITY) for names in fields.values()):
            fields = None  # every schema finding of these rows names the record: check whole rows
        part = Tables(**{t: self.raw.get(t).iloc[touched[t]] if t in touched else None for t in columns.TABLES},
                      as_at=self.raw.as_at, files=list(self.raw.files))
        typed_part, found = self.validator.check(part, fields)
        for name, pos in touched.items():
            target, fresh = self.typed.get(name), typed_part.get(name)
            edited = [c for c in fresh.columns if fields is None or c in fields.get(name, ())]
            for col in edited:  # the other cells of these rows did not change
                target.iloc[pos, target.columns.get_loc(col)] = fresh[col].to_numpy()
        self.schema_findings = self._replaced_schema_findings(touched, found, fields)
        changes = self.validator.recheck(self.typed, self.schema_findings, touched)
        return self._apply_changes(changes.added, changes.removed)

    def _replaced_schema_findings(self, touched: dict[str, np.ndarray], found: pd.DataFrame,
                                  fields: dict[str, set[str]] | None) -> pd.DataFrame:
        """The schema findings with those on the touched rows (only of the edited ``fields``, when
        given) replaced by ``found``, the touched rows' findings checked again."""
        old = self.schema_findings
        tables = np.concatenate([np.full(len(p), n, dtype=object) for n, p in touched.items()])
        files = np.concatenate([self.raw.get(n)[columns.SOURCE_FILE].iloc[p].astype(str).to_numpy(dtype=object)
                                for n, p in touched.items()])
        rows = np.concatenate([pd.to_numeric(self.raw.get(n)[columns.SOURCE_ROW].iloc[p]).to_numpy(dtype=np.int64)
                               for n, p in touched.items()])
        at = np.isin(old["row"].to_numpy(dtype=np.float64, na_value=-1).astype(np.int64), rows)
        maybe = np.flatnonzero(at)  # same row number; now the same table and file too (a few: a set)
        wanted = set(zip(tables.tolist(), files.tolist(), rows.tolist(), strict=True))
        near = old.iloc[maybe]
        at[maybe] = [(t, f, int(r)) in wanted for t, f, r in zip(near["table"], near["file"], near["row"], strict=True)]
        if fields is not None:  # a schema finding is about one cell: fields == (column,)
            edited = {(t, c) for t, names in fields.items() for c in names}
            rows = np.flatnonzero(at)
            at[rows] = _cells_in(old.iloc[rows], edited)
            found = found[_cells_in(found, edited)]
        parts = [f for f in (old[~at], found) if len(f)]  # both already normalised findings tables
        return (pd.concat(parts, ignore_index=True) if len(parts) == 2
                else parts[0].reset_index(drop=True) if parts else concat_findings([]))

    def _locate(self, findings: pd.DataFrame) -> pd.DataFrame:
        """Findings with ``pos`` (row position in the RAW table, -1 if none), ``key`` and acceptance."""
        out = with_extra(normalise(findings))
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
        out["accepted"] = among(out["key"], list(self.accepted)) if self.accepted else False
        out["accept_reason"] = out["key"].map(self.accepted).fillna("").to_numpy() if self.accepted else ""

    # -- acceptances ----------------------------------------------------------------------------
    def chosen(self, index: int | Sequence[int]) -> pd.DataFrame:
        """Findings by their index in ``findings`` (one or several)."""
        return self.findings.loc[[index] if isinstance(index, int | np.integer) else list(index)]

    def mark(self, keys: Sequence[str], reason: str, *, accept: bool) -> None:
        """Accept the findings of ``keys`` with ``reason`` (or withdraw their acceptance)."""
        for key in keys:
            if accept:
                self.accepted[key] = reason
            else:
                self.accepted.pop(key, None)
        self.findings = self.findings.copy()  # views holding the old table keep a consistent one
        self._mark_accepted(self.findings)
        self._counts = None

    def restore_accepted(self, marked: pd.DataFrame) -> None:
        """The acceptances a workspace kept: ``marked`` is ``findings`` with ``accepted`` and
        ``accepted_reason`` (``Workspace.mark_accepted``)."""
        keys = self.findings["key"][marked["accepted"].to_numpy(dtype=bool)]
        self.accepted = dict(zip(keys, marked.loc[marked["accepted"], "accepted_reason"], strict=True))
        self._mark_accepted(self.findings)
        self._counts = None

    # -- findings as the user sees them -------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Open (not accepted) findings per severity (kept until the findings change)."""
        if self._counts is None:
            open_ = self.findings[~self.findings["accepted"].to_numpy(dtype=bool)]
            self._counts = {s: int((open_["severity"] == s).sum()) for s in SEVERITY_RANK}
        return dict(self._counts)

    def open_findings(self) -> pd.DataFrame:
        """Findings not accepted (what excludes records from measures), in ``FINDING_COLUMNS``."""
        return self.findings.loc[~self.findings["accepted"], list(FINDING_COLUMNS)]

    def accepted_frame(self) -> pd.DataFrame:
        """Accepted findings with their ``reason``, as the returns list them."""
        rows = self.findings[self.findings["accepted"]]
        return rows[list(FINDING_COLUMNS)].assign(reason=rows["accept_reason"].to_numpy())


def _cells_in(findings: pd.DataFrame, cells: set[tuple[str, str]]) -> np.ndarray:
    """Which findings are about one of ``cells`` ((table, column) pairs) by their first field."""
    return np.fromiter(((t, f[0] if len(f) else "") in cells
                        for t, f in zip(findings["table"], findings["fields"], strict=True)),
                       dtype=bool, count=len(findings))
