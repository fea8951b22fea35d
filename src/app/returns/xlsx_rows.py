"""Move what lies below a worksheet block when rows are inserted or deleted.

openpyxl's ``insert_rows``/``delete_rows`` move cell values and styles but leave merged cells,
row heights, the print area and formula references where they were. A filled loop must move
them too, as Excel itself does when a user inserts rows.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formula import Tokenizer
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.worksheet import Worksheet

_PART = re.compile(r"^(\$?)([A-Za-z]{1,3})?(\$?)(\d+)?$")


def _shift_part(part: str, *, block_end: int, delta: int, is_end: bool, start_le_block: bool) -> str:
    m = _PART.match(part)
    if not m or m.group(4) is None:
        return part
    row = int(m.group(4))
    grow = is_end and start_le_block and row == block_end and delta > 0
    if row > block_end or grow:
        row = max(1, row + delta)
    return f"{m.group(1)}{m.group(2) or ''}{m.group(3)}{row}"


def shift_reference(ref: str, sheet: str, *, block_start: int, block_end: int, delta: int,
                    grow: bool = True) -> str:
    """One range operand with rows below the block moved by ``delta`` (ranges over it grow)."""
    where, bang, body = ref.rpartition("!")
    if bang:
        name = where.strip("'").replace("''", "'")
        if name != sheet:
            return ref
    parts = body.split(":")
    if not all(_PART.match(p) for p in parts):
        return ref  # a defined name, not a cell reference
    first_row = _PART.match(parts[0]).group(4)
    start_le_block = grow and first_row is not None and int(first_row) <= block_start
    new = [_shift_part(p, block_end=block_end, delta=delta, is_end=(i == len(parts) - 1 and len(parts) > 1),
                       start_le_block=start_le_block) for i, p in enumerate(parts)]
    return f"{where}{bang}{':'.join(new)}"


def shift_formula(formula: str, sheet: str, *, block_start: int, block_end: int, delta: int,
                  grow: bool = True) -> str:
    """A formula with its references to this sheet moved as Excel moves them on inserting rows.

    With ``grow``, a range that ends on the block's last row and starts at or above it (a total's
    ``SUM(C5:C5)`` under a one-row loop) grows to cover the new rows.
    """
    tok = Tokenizer(formula)
    for item in tok.items:
        if item.type == "OPERAND" and item.subtype == "RANGE":
            item.value = shift_reference(item.value, sheet, block_start=block_start,
                                         block_end=block_end, delta=delta, grow=grow)
    return tok.render()


def move_below(ws: Worksheet, *, block_start: int, block_end: int, delta: int) -> None:
    """Insert (delta > 0) or delete (delta < 0, the block itself) rows, moving everything below.

    Inserted rows go right after ``block_end``; a deletion removes rows ``block_start`` ..
    ``block_start - delta - 1``.
    """
    if delta == 0:
        return
    title = ws.title
    # formulas anywhere on the sheet that point below (or across) the block
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f" and isinstance(cell.value, str):
                inside = block_start <= cell.row <= block_end
                cell.value = shift_formula(cell.value, title, block_start=block_start,
                                           block_end=block_end, delta=delta, grow=not inside)
    # merged ranges below: take them off, move the cells, put them back shifted
    below = [mr for mr in list(ws.merged_cells.ranges) if mr.min_row > block_end]
    inside = [mr for mr in list(ws.merged_cells.ranges) if delta < 0 and mr.min_row >= block_start
              and mr.max_row <= block_end]
    for mr in below + inside:
        ws.merged_cells.remove(mr)
    heights = {r: ws.row_dimensions[r].height for r in list(ws.row_dimensions) if r > block_end}
    if delta > 0:
        ws.insert_rows(block_end + 1, delta)
    else:
        ws.delete_rows(block_start, -delta)
    for r in heights:
        ws.row_dimensions[r].height = None
    for r, h in heights.items():
        if r + delta >= 1:
            ws.row_dimensions[r + delta].height = h
    for mr in below:
        mr.shift(0, delta)
        ws.merge_cells(mr.coord)
    _move_print_area(ws, block_start=block_start, block_end=block_end, delta=delta)
    _move_print_titles(ws, block_end=block_end, delta=delta)
    _move_formats(ws, block_start=block_start, block_end=block_end, delta=delta)


def _move_print_titles(ws: Worksheet, *, block_end: int, delta: int) -> None:
    """Rows repeated at the top of each printed page follow the rows a loop pushed down, so the
    continuation pages of a table are headed by that table's own header row."""
    titles = ws.print_title_rows
    if not titles:
        return
    first, _, last = titles.replace("$", "").partition(":")
    top, bottom = int(first), int(last or first)
    if top > block_end:
        top, bottom = top + delta, bottom + delta
    elif bottom > block_end:
        bottom += delta
    ws.print_title_rows = f"{top}:{bottom}"


def moved_ranges(sqref: Any, *, block_start: int, block_end: int, delta: int) -> str | None:
    """Ranges (a ``MultiCellRange``) after the move: below shifts, over the block's end grows/shrinks."""
    out = []
    for cr in sqref.ranges:
        lo, hi = cr.min_row, cr.max_row
        if delta < 0:
            gone_hi = block_start - delta - 1
            if lo >= block_start and hi <= gone_hi:
                continue
            if lo > gone_hi:
                lo, hi = lo + delta, hi + delta
            elif hi >= block_start:
                hi = max(lo, hi + delta)
        elif lo > block_end:
            lo, hi = lo + delta, hi + delta
        elif hi >= block_end:
            hi += delta
        out.append(f"{get_column_letter(cr.min_col)}{lo}:{get_column_letter(cr.max_col)}{hi}")
    return " ".join(out) or None


def _move_formats(ws: Worksheet, *, block_start: int, block_end: int, delta: int) -> None:
    """Conditional formats and data validations follow the rows (a loop row's format covers every item)."""
    kw = {"block_start": block_start, "block_end": block_end, "delta": delta}
    new = ConditionalFormattingList()
    for cf in ws.conditional_formatting:
        ref = moved_ranges(cf.sqref, **kw)
        if ref:
            for rule in cf.rules:
                new.add(ref, rule)
    ws.conditional_formatting = new
    for dv in list(ws.data_validations.dataValidation):
        ref = moved_ranges(dv.sqref, **kw)
        if ref is None:
            ws.data_validations.dataValidation.remove(dv)
        else:
            dv.sqref = MultiCellRange(ref)


def _move_print_area(ws: Worksheet, *, block_start: int, block_end: int, delta: int) -> None:
    area = ws.print_area
    if not area:
        return
    new = []
    for ref in (area if isinstance(area, list) else area.split(",")):
        body = ref.rpartition("!")[2].replace("$", "")
        min_col, min_row, max_col, max_row = range_boundaries(body)
        if max_row is not None and max_row >= block_end:
            max_row = max(min_row, max_row + delta)
        if min_row is not None and min_row > block_end:
            min_row = max(1, min_row + delta)
        col = get_column_letter
        new.append(f"{col(min_col)}{min_row}:{col(max_col)}{max_row}")
    ws.print_area = new


def fit_height(ws: Worksheet, row: int, *, minimum: float | None = None) -> None:
    """Give a row with wrapped text the height its longest cell needs.

    Excel and LibreOffice do not re-measure rows of a file on opening, so a wrapped cell filled
    with a long definition would spill over the rows below. Estimated from the column widths.
    """
    merged = {mr.min_col: mr for mr in ws.merged_cells.ranges if mr.min_row == row}
    lines = 1
    size = 10.0
    for cell in ws[row]:
        if cell.value is None or not (cell.alignment and cell.alignment.wrap_text):
            continue
        cols = range(cell.column, merged[cell.column].max_col + 1) if cell.column in merged else [cell.column]
        width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in cols)
        size = max(size, float(cell.font.sz or 10))
        per_line = max(1.0, width * 1.2 * 10 / float(cell.font.sz or 10) - 1)
        text = str(cell.value)
        needed = sum(max(1, -(-len(part) // int(per_line))) for part in text.split("\n"))
        lines = max(lines, needed)
    if lines > 1:
        height = lines * size * 1.3 + 2
        ws.row_dimensions[row].height = max(height, minimum or 0)
