"""Fill an .xlsx template: jinja2 expressions in cells and row loops (spec/returns.md "Excel").

Conventions (also in docs/templates.md):
- A cell that is exactly one expression, ``{{ measures.planned_exits.percent }}``, gets the native
  value: a number stays a number (the cell's number format is kept), a date a date, nothing "-".
- A cell mixing text and tags (``Period: {{ period.label }}``) gets the rendered text.
- A row loop: the first non-empty cell of a row starts with ``{% for p in by.provider %}``; the loop
  ends at the row holding ``{% endfor %}`` (in any cell), or is that single row when no ``endfor``
  follows. The block is repeated once per item; what is below moves down (merges, heights,
  formulas, print area). No item: the block is removed.
- Text from the data is always written as text, never as a formula.
openpyxl cannot keep charts, images and some extensions: ``unkeepable_parts`` says which.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.formula.translate import Translator
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from app.errors import InputError
from app.returns.package import check_template_package
from app.returns.sandbox import Limits, TemplateLimit
from app.returns.tagcheck import Problem, check_source, make_env
from app.returns.xlsx_rows import fit_height, move_below

FOR_RE = re.compile(r"^\s*\{%-?\s*for\s+(.+?)\s+in\s+(.+?)\s*-?%\}", re.DOTALL)
ENDFOR_RE = re.compile(r"\{%-?\s*endfor\s*-?%\}")
ONE_EXPR_RE = re.compile(r"^\s*\{\{(?P<expr>(?:(?!\{\{|\}\}).)*)\}\}\s*$", re.DOTALL)
NOTHING = "-"
CELL_CHARS = 32_767  # the most an Excel cell holds


@dataclass(frozen=True)
class Loop:
    """A block of rows repeated once per item of ``iterable`` with ``target`` bound to the item."""

    start: int
    end: int
    target: str
    iterable: str


def _is_tagged(value: Any) -> bool:
    return isinstance(value, str) and ("{{" in value or "{%" in value)


def _first_cell(ws: Worksheet, row: int) -> Any:
    for cell in ws[row]:
        if cell.value not in (None, ""):
            return cell
    return None


def find_loops(ws: Worksheet) -> list[Loop]:
    """The row loops of a sheet, top to bottom."""
    loops: list[Loop] = []
    row = 1
    while row <= ws.max_row:
        first = _first_cell(ws, row)
        m = FOR_RE.match(first.value) if first is not None and isinstance(first.value, str) else None
        if not m:
            row += 1
            continue
        end = row
        for r in range(row, ws.max_row + 1):
            if any(isinstance(c.value, str) and ENDFOR_RE.search(c.value) for c in ws[r]):
                end = r
                break
            nxt = _first_cell(ws, r + 1) if r + 1 <= ws.max_row else None
            if nxt is not None and isinstance(nxt.value, str) and FOR_RE.match(nxt.value):
                break  # the next loop starts: this one was a single row
        loops.append(Loop(row, end, m.group(1).strip(), m.group(2).strip()))
        row = end + 1
    return loops


def _strip_loop_tags(text: str) -> str:
    return ENDFOR_RE.sub("", FOR_RE.sub("", text, count=1))


def check_xlsx(path: Path | str, context: Mapping[str, Any]) -> list[Problem]:
    """Unknown tags, curly quotes and syntax errors of every cell, named by sheet and cell."""
    wb = load_workbook(path)
    env = make_env()
    problems: list[Problem] = []
    for ws in wb.worksheets:
        loops = find_loops(ws)
        for row in ws.iter_rows():
            for cell in row:
                if not _is_tagged(cell.value) or cell.data_type == "f":
                    continue
                loop = next((lp for lp in loops if lp.start <= cell.row <= lp.end), None)
                source = cell.value
                if loop is not None:
                    source = f"{{% for {loop.target} in {loop.iterable} %}}{_strip_loop_tags(source)}{{% endfor %}}"
                problems.extend(check_source(source, f"{ws.title}!{cell.coordinate}", context, env))
    return problems


def _native(value: Any) -> Any:
    """A value Excel can hold: numbers and dates as such, everything else as text."""
    if value is None:
        return NOTHING
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalar
        value = value.item()
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and math.isnan(value):
        return NOTHING
    if isinstance(value, (int, float, dt.date, dt.datetime)):
        if hasattr(value, "to_pydatetime"):  # pandas Timestamp
            value = value.to_pydatetime()
        return value
    return str(value)


def write_value(cell: Any, value: Any) -> None:
    """Write a value; text is always a string cell, never a formula."""
    value = _native(value)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
    else:
        cell.value = value


def _render(env: Environment, source: str, scope: Mapping[str, Any], *, where: str) -> Any:
    """One cell's value; a tag that fails on this data is an InputError naming the cell."""
    try:
        m = ONE_EXPR_RE.match(source)
        if m:
            value = env.compile_expression(m.group("expr"), undefined_to_none=False)(**scope)
        else:
            value = env.from_string(source).render(**scope)
    except TemplateLimit as exc:
        raise InputError(f"{where}: refused: {exc}") from None
    except (TemplateError, TypeError, ValueError, ArithmeticError, RecursionError, MemoryError) as exc:
        raise InputError(f"{where}: the tag {source.strip()[:80]!r} cannot be filled ({_short(exc)})") from None
    if isinstance(value, str) and len(value) > CELL_CHARS:
        raise InputError(f"{where}: refused: the tag {source.strip()[:80]!r} makes {len(value):,} characters, "
                         f"more than the {CELL_CHARS:,} an Excel cell holds")
    return value


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def _bind(target: str, item: Any, scope: dict[str, Any]) -> dict[str, Any]:
    names = [n.strip() for n in target.strip("()").split(",") if n.strip()]
    inner = dict(scope)
    if len(names) == 1:
        inner[names[0]] = item
    else:
        inner.update(zip(names, item, strict=True))
    return inner


def _loop_items(ws: Worksheet, loop: Loop, env: Environment, context: Mapping[str, Any]) -> list[Any]:
    """The items of a row loop, counted against the template's budget like any other loop's steps."""
    first = _first_cell(ws, loop.start)
    where = f"{ws.title}!{first.coordinate if first is not None else f'A{loop.start}'}"
    label = f"the loop 'for {loop.target} in {loop.iterable}'"
    budget = getattr(env, "budget", None)
    items = []
    try:
        for item in env.compile_expression(loop.iterable, undefined_to_none=False)(**context):
            if budget is not None:
                budget.step(label)
            items.append(item)
    except TemplateLimit as exc:
        raise InputError(f"{where}: refused: {exc}") from None
    except (TemplateError, TypeError, ValueError, ArithmeticError, RecursionError, MemoryError) as exc:
        raise InputError(f"{where}: the loop over {loop.iterable[:80]!r} cannot be filled ({_short(exc)})") from None
    return items


def _fill_loop(ws: Worksheet, loop: Loop, env: Environment, context: Mapping[str, Any]) -> None:
    items = _loop_items(ws, loop, env, context)
    k = loop.end - loop.start + 1
    if not items:
        move_below(ws, block_start=loop.start, block_end=loop.end, delta=-k)
        return
    move_below(ws, block_start=loop.start, block_end=loop.end, delta=(len(items) - 1) * k)
    block = [[(c.column, c.value, c._style, c.data_type) for c in ws[r]] for r in range(loop.start, loop.end + 1)]
    heights = [ws.row_dimensions[r].height for r in range(loop.start, loop.end + 1)]
    merges = [mr.coord for mr in ws.merged_cells.ranges
              if mr.min_row >= loop.start and mr.max_row <= loop.end]
    for i, item in enumerate(items):
        scope = _bind(loop.target, item, dict(context))
        for j, cells in enumerate(block):
            r = loop.start + i * k + j
            if heights[j] is not None:
                ws.row_dimensions[r].height = heights[j]
            for col, value, style, dtype in cells:
                cell = ws.cell(row=r, column=col)
                if isinstance(cell, MergedCell):
                    continue
                cell._style = style
                if _is_tagged(value) and dtype != "f":
                    write_value(cell, _render(env, _strip_loop_tags(value), scope, where=f"{ws.title}!{cell.coordinate}"))
                elif dtype == "f" and i:
                    origin = f"{cell.column_letter}{loop.start + j}"
                    cell.value = Translator(value, origin=origin).translate_formula(cell.coordinate)
                else:
                    cell.value = value
        if i:
            for coord in merges:
                cr = CellRange(coord)
                cr.shift(0, i * k)
                ws.merge_cells(cr.coord)
        for j in range(k):
            fit_height(ws, loop.start + i * k + j, minimum=heights[j])


def fill_sheet(ws: Worksheet, context: Mapping[str, Any], env: Environment | None = None) -> None:
    """Fill one worksheet in place: plain cells first, then loops from the bottom up.

    Plain cells are rendered before any row moves and loop rows from the template's own text, so
    text that came from the data is never rendered a second time.
    """
    env = env or make_env()
    loops = find_loops(ws)
    in_loop = {r for lp in loops for r in range(lp.start, lp.end + 1)}
    for row in ws.iter_rows():
        for cell in row:
            if cell.row not in in_loop and _is_tagged(cell.value) and cell.data_type != "f":
                write_value(cell, _render(env, cell.value, context, where=f"{ws.title}!{cell.coordinate}"))
    for loop in reversed(loops):
        _fill_loop(ws, loop, env, context)


def mark_draft(ws: Worksheet) -> None:
    """A red DRAFT in the centre of every page header."""
    for header in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
        header.center.text = "DRAFT"
        header.center.size = 16
        header.center.font = "Calibri,Bold"
        header.center.color = "C00000"


def unkeepable_parts(path: Path | str) -> list[str]:
    """What the template holds that openpyxl drops on saving (one message per kind)."""
    found: list[str] = []
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        kinds = {"xl/charts/": "charts", "xl/drawings/": "drawings or shapes", "xl/media/": "images",
                 "xl/pivotTables/": "pivot tables", "xl/slicers/": "slicers"}
        for prefix, label in kinds.items():
            if any(n.startswith(prefix) for n in names):
                found.append(f"the template has {label}, which are not kept in the filled return")
        for name in names:
            if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                xml = zf.read(name)
                if b"<extLst" in xml and b"x14:" in xml:
                    found.append(f"{name} has Excel extensions (drop-down lists, sparklines or "
                                 "conditional formats) that are not kept in the filled return")
    return found


def fill_xlsx(template: Path | str, out: Path, context: Mapping[str, Any], *, draft: bool,
              limits: Limits | None = None) -> list[str]:
    """Fill a copy of ``template`` into ``out`` (saved as given: the caller writes atomically).

    Every cell of the workbook is filled in one sandbox, so ``limits`` bound the whole template."""
    check_template_package(template)
    warnings = unkeepable_parts(template)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "template.xlsx"
        shutil.copyfile(template, copy)  # never open the user's template for writing
        wb = load_workbook(copy)
    env = make_env(limits=limits)
    for ws in wb.worksheets:
        fill_sheet(ws, context, env)
        if draft:
            mark_draft(ws)
    wb.calculation.fullCalcOnLoad = True
    wb.save(out)
    return warnings
