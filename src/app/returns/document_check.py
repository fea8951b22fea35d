"""Whole-document disclosure check of a public (committee) report (spec/measures.md, suppression 3).

Suppression is decided table by table, but a reader has the whole document: a data-quality table
showing 22, 8 and ``*`` beside a sentence saying "33 warnings" gives the ``*`` away. This check
reads the filled document the way a reader does, every table cell and every sentence (body,
headers, footers), and asks of every ``*`` whether the numbers published anywhere in it fix its value.

How it knows what each printed number is: the template is filled a second time with every count of
the public context *traced* (an ``int`` or ``*`` that prints as ``⟦id‖shown⟧``), so each number in
the document is tied to its place in the context, and the true value comes from the restricted
(unsuppressed) context at the same place. The traced document, markers taken out, must read exactly
as the real one, or the check says it could not follow the document.

The sums a reader can use: a list of rows (``data_quality.by_provider``) adds up, field by field,
to a figure of the same name outside it (``data_quality.warnings``, ``by.provider_total.referrals``)
when the true values really do add up (a client counted once in the partnership total but under two
providers makes no sum). A suppressed value is recoverable when it is fixed in every solution of
those sums given the published numbers (the rank test of ``rules.suppression.determined``).
Derived numbers a template works out itself (``{{ a + b }}``) and percentages are not traced: the
percentage rule (spec 2) covers the percentages the context gives.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from docx import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from app.returns.sandbox import make_env
from app.returns.suppress_context import SUPPRESSED
from app.returns.tagcheck import RowList

OPEN, SEP, CLOSE = "\u27e6", "\u2016", "\u27e7"
_MARK = re.compile(f"{OPEN}(\\d+){SEP}([^{CLOSE}]*){CLOSE}")
#: Figures of other periods: a list of this period's rows never adds up to them.
_OTHER_PERIODS = frozenset({"previous", "previous_counts", "last_year", "last_year_counts", "trend",
                            "previous_period", "last_year_period"})

Path_ = tuple[Any, ...]


@dataclass
class Figure:
    """One traced count of the context: where it is, what the public output shows, its true value."""

    path: Path_
    shown: int | str
    true: int | None
    places: list[str] = field(default_factory=list)  # where the document prints it

    @property
    def name(self) -> str:
        return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in self.path).lstrip(".")


class _Int(int):
    """A count that prints with its trace id (comparisons and arithmetic behave as the plain int)."""

    trace: int

    def __str__(self) -> str:
        return f"{OPEN}{self.trace}{SEP}{int(self)}{CLOSE}"

    __html__ = __str__


class _Star(str):
    """A suppressed count, ``*``, that prints with its trace id."""

    trace: int

    def __html__(self) -> str:
        return f"{OPEN}{self.trace}{SEP}{SUPPRESSED}{CLOSE}"


class _Tracer:
    def __init__(self) -> None:
        self.figures: list[Figure] = []
        self._memo: dict[int, Any] = {}

    def copy(self, public: Any, restricted: Any, path: Path_) -> Any:
        """``public`` with every count traced; shared dicts and lists stay shared (one figure)."""
        if isinstance(public, (Mapping, list, tuple)) and id(public) in self._memo:
            return self._memo[id(public)]
        if isinstance(public, Mapping):
            out: dict[str, Any] = {}
            self._memo[id(public)] = out
            for k, v in public.items():
                other = restricted.get(k) if isinstance(restricted, Mapping) else None
                out[k] = self.copy(v, other, (*path, k))
            return out
        if isinstance(public, list):
            rows = RowList([], example=public.example) if isinstance(public, RowList) else []
            self._memo[id(public)] = rows
            others = restricted if isinstance(restricted, list) and len(restricted) == len(public) else None
            rows.extend(self.copy(v, others[i] if others else None, (*path, i)) for i, v in enumerate(public))
            return rows
        true = int(restricted) if isinstance(restricted, int) and not isinstance(restricted, bool) else None
        if isinstance(public, int) and not isinstance(public, bool):
            traced: Any = _Int(public)
        elif public == SUPPRESSED:
            traced = _Star(public)
        else:
            return public
        traced.trace = len(self.figures)
        self.figures.append(Figure(path, SUPPRESSED if isinstance(traced, _Star) else int(public), true))
        return traced


def _where(p: Any, n: int) -> str:
    """``table 5 row 3 column 2`` for a paragraph in a table cell, else ``paragraph n``."""
    cell = row = table = None
    node = p.getparent()
    while node is not None:
        if node.tag == qn("w:tc") and cell is None:
            cell = node
        elif node.tag == qn("w:tr") and row is None:
            row = node
        elif node.tag == qn("w:tbl"):
            table = node
            break
        node = node.getparent()
    if table is None or row is None or cell is None:
        return f"paragraph {n}"
    body = table.getparent()
    tables = [t for t in body.getroottree().iter(qn("w:tbl"))]
    rows = [r for r in table if r.tag == qn("w:tr")]
    cells = [c for c in row if c.tag == qn("w:tc")]
    return f"table {tables.index(table) + 1} row {rows.index(row) + 1} column {cells.index(cell) + 1}"


def texts(path: Path | str) -> Iterator[tuple[str, str]]:
    """(where, text) of every paragraph a reader sees: body and tables, then headers and footers."""
    doc = Document(str(path))
    for n, p in enumerate(doc.element.body.iter(qn("w:p")), start=1):
        yield _where(p, n), "".join(t.text or "" for t in p.iter(qn("w:t")))
    for i, section in enumerate(doc.sections, start=1):
        for kind, part in (("header", section.header), ("footer", section.footer)):
            for j, p in enumerate(part.paragraphs, start=1):
                yield f"section {i} {kind} paragraph {j}", p.text


def _render_traced(template: Path, context: Mapping[str, Any], out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "template.docx"
        shutil.copyfile(template, copy)
        tpl = DocxTemplate(str(copy))
        ctx = {**context, "charts": {k: "" for k in (context.get("charts") or {})}}
        tpl.render(ctx, jinja_env=make_env(autoescape=True), autoescape=True)
        tpl.save(str(out))


def _leaf_paths(row: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    if isinstance(row, Mapping):
        for k, v in row.items():
            yield from _leaf_paths(v, (*prefix, k))
    elif isinstance(row, (_Int, _Star)):
        yield prefix


def _get(value: Any, path: Path_) -> Any:
    for p in path:
        value = value.get(p) if isinstance(value, Mapping) else None
    return value


def _lists(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, list]]:
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from _lists(v, (*path, k))
    elif isinstance(value, list):
        if value and all(isinstance(r, Mapping) for r in value):
            yield path, value
        for i, v in enumerate(value):
            yield from _lists(v, (*path, i))


def sums(traced: Mapping[str, Any], figures: list[Figure]) -> list[tuple[list[int], int]]:
    """(row figures, total figure) of every list field that truly adds up to a same-named figure."""
    by_path = {f.path: i for i, f in enumerate(figures)}
    out = []
    for path, rows in _lists(traced):
        keys = dict.fromkeys(k for r in rows for k in _leaf_paths(r))
        for key in keys:
            cells = [by_path.get((*path, i, *key)) for i in range(len(rows))]
            cells = [c for c in cells if c is not None]
            if not cells or any(figures[c].true is None for c in cells):
                continue
            total = sum(figures[c].true for c in cells)  # type: ignore[misc]
            for f_path, j in by_path.items():
                if (f_path[-len(key):] == key and f_path[:len(path)] != path and figures[j].true == total
                        and not _OTHER_PERIODS.intersection(p for p in f_path if isinstance(p, str))):
                    out.append((cells, j))
    return out


def recoverable(figures: list[Figure], lines: list[tuple[list[int], int]]) -> list[int]:
    """Figures shown as ``*`` somewhere whose value the published figures fix through ``lines``."""
    known = {i for i, f in enumerate(figures) if f.places and f.shown != SUPPRESSED}
    starred = {i for i, f in enumerate(figures) if f.places and f.shown == SUPPRESSED}
    unknown = sorted({i for cells, total in lines for i in (*cells, total)} - known)
    if not starred.intersection(unknown):
        return []
    index = {u: k for k, u in enumerate(unknown)}
    a = np.zeros((len(lines), len(unknown)))
    for r, (cells, total) in enumerate(lines):
        for c in cells:
            if c in index:
                a[r, index[c]] += 1.0
        if total in index:
            a[r, index[total]] -= 1.0
    _, sv, vt = np.linalg.svd(a)
    rank = int((sv > 1e-9).sum())
    null = vt[rank:]
    free = np.abs(null).max(axis=0) > 1e-9 if len(null) else np.zeros(len(unknown), dtype=bool)
    fixed = {u for u, f in zip(unknown, free, strict=True) if not f and any(a[:, index[u]])}
    return sorted(fixed & starred)


def check_document(template: Path | str, filled: Path | str, public: Mapping[str, Any],
                   restricted: Mapping[str, Any]) -> list[str]:
    """One line per suppressed figure of ``filled`` a reader can work out (empty when none)."""
    tracer = _Tracer()
    traced = tracer.copy(public, restricted, ())
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "traced.docx"
        _render_traced(Path(template), traced, out)
        traced_texts = list(texts(out))
    plain = [(w, _MARK.sub(lambda m: m.group(2), t)) for w, t in traced_texts]
    if plain != list(texts(filled)):
        return ["the suppression check could not follow the document (it reads differently when filled "
                "a second time)"]
    figures = tracer.figures
    for where, text in traced_texts:
        for m in _MARK.finditer(text):
            figures[int(m.group(1))].places.append(where)
    lines = sums(traced, figures)
    problems = []
    for i in recoverable(figures, lines):
        f = figures[i]
        sources = sorted({figures[j].places[0] for cells, total in lines if i in (*cells, total)
                          for j in (*cells, total) if figures[j].places and j != i})
        problems.append(f"{f.places[0]} shows {f.name} as * but it can be worked out from "
                        + ", ".join(sources[:4]))
    return problems
