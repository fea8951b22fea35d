"""What fastexcel does not say about an .xlsx sheet, read from its XML in one streamed pass.

fastexcel (calamine) gives cell values only, trimmed to the used area. Import also needs:
which sheets are chart sheets (not to be loaded), the row and column the used area starts at,
formula cells with no saved result (openpyxl and some exporters write formulas without values: the
cell would silently read as blank), error cells (``#N/A``, also read as blank), merged ranges (a value
merged down over several data rows belongs to each of them), and whether the sheet reaches absurdly
far. Every sheet is inflated once, from the one zip ``sniff`` opened over the file's bytes, and
streamed in pieces of whole rows; the cell-by-cell work runs only on pieces holding a formula, an
error cell or a merge, and a second pass only on a sheet with a cell ref past column ZZ or row 999,999.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from openpyxl.utils import column_index_from_string, get_column_letter

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.DOTALL)
_ROW_NUM = re.compile(rb"\br=\"(\d+)\"")
_HAS_VALUE = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]|<(?:\w+:)?t(?:\s[^>]*)?>\s*[^<\s]")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb"\br=\"([A-Z]{1,3})(\d+)\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData[\s>/]")
_VALUE_TAG = re.compile(rb"<(?:\w+:)?v[\s>/]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?\"")
_FORMULA_END = re.compile(rb"(?:</(?:\w+:)?f>|/>)\s*</(?:\w+:)?c>")
_ERROR_VALUE = re.compile(rb"<(?:\w+:)?v>\s*(#[^<]{1,20})</")
#: A cell ref with a three-letter column (AAA = 703rd and beyond) or a seven-digit row: a sheet that may
#: reach far past its data, measured cell by cell before any reader allocates its grid. (No ``\b``
#: in front: the literal start makes the search 7 times faster, and a stray hit only costs that measure.)
_FAR_REF = re.compile(rb'r="(?:[A-Z]{3}\d|[A-Z]{1,3}\d{7})')
_ROW_END = re.compile(rb"</(?:\w+:)?row>")
#: A cell written without its ``r`` reference (Excel always writes it first; other writers may not):
#: readers then place cells one after another, so a row of 100,000 bare cells is 100,000 columns.
_BARE_CELL = re.compile(rb"<(?:\w+:)?c(?:>|\s(?![^>]*\br=))")
_ANY_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_BARE_MARKS = (b"<c>", b"<c t=", b"<c s=", b":c>", b":c t=", b":c s=")
#: Stop looking for the first value row after this much XML (the grid then starts at row 1).
_FIRST_ROW_LIMIT = 16 << 20
#: The widest and the largest sheet an extract may be (Excel allows 16,384 x 1,048,576).
MAX_COLUMNS = 2_000
MAX_CELLS = 100_000_000
#: Every formula has an element ending in "f>" (a shared formula's first cell holds its text), merges
#: a "mergeCell", error cells t="e": three finds tell whether a sheet needs the closer look.
_MARKS = (b"f>", b"mergeCell", b't="e"')


@dataclass
class SheetPart:
    """One sheet of the workbook: its name, zip member, kind and (after ``scan``) what it holds."""

    name: str
    member: str
    chart: bool = False
    hidden: bool = False                # state="hidden" or "veryHidden" in the workbook
    damaged: bool = False               # no worksheet root or no sheetData: not readable as a sheet
    first_row: int = 1                  # 1-based row of the first cell with a value
    first_col: int = 0                  # 0-based column of the first cell with a value (after ``scan``)
    #: 0-based absolute column -> 1-based rows of formula cells with no saved result
    uncached: dict[int, list[int]] = field(default_factory=dict)
    #: merged ranges as (row1, col1, row2, col2): rows 1-based, columns 0-based, absolute
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: (1-based row, 0-based column) -> the error Excel shows ('#N/A'), which fastexcel reads as blank
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    #: why the sheet is refused before it is read (its used range is absurd), or None
    too_big: str | None = None


def col_index(letters: bytes | str) -> int:
    """'A' -> 0, 'AA' -> 26."""
    return column_index_from_string(letters if isinstance(letters, str) else letters.decode()) - 1


def col_letters(index: int) -> str:
    """0 -> 'A', 26 -> 'AA'."""
    return get_column_letter(index + 1)


def sheet_parts(zf: zipfile.ZipFile) -> list[SheetPart]:
    """Every sheet listed in the workbook, in order (chart sheets marked); ``scan`` reads each one."""
    from defusedxml import ElementTree

    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): (r.get("Target", ""), r.get("Type", "")) for r in rels}
    parts = []
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        target, kind = targets.get(sheet.get(f"{_NS_REL}id"), ("", ""))
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts.append(SheetPart(sheet.get("name") or "", member, chart=not kind.endswith("/worksheet"),
                               hidden=sheet.get("state", "visible") != "visible"))
    return parts


def scan(zf: zipfile.ZipFile, part: SheetPart) -> SheetPart:
    """Fill in what ``part`` holds, inflating its XML once.

    Whether it is damaged (no worksheet root or no sheetData: without this check calamine prints to
    stderr, then fails), its first value row and column, formulas without results, error cells,
    merges, and (for a sheet with a far cell ref) whether its extent is absurd. The rare things are
    searched for themselves (``</f></c>``, ``t="e"``), so a big plain sheet costs a few ``bytes.find``.
    """
    if part.chart or part.member not in set(zf.namelist()):
        return part
    best: int | None = None
    first_row: int | None = None
    rows_seen = read = 0
    far = bare = False
    for i, piece in enumerate(_row_pieces(zf, part.member)):
        if i == 0:
            part.damaged = b"worksheet" not in piece[:4096] or not _SHEET_DATA.search(piece, 0, 1 << 20)
            if part.damaged:
                return part
        read += len(piece)
        if first_row is None:
            first_row, rows_seen = _first_value_row(piece, rows_seen)
            if first_row is None and read > _FIRST_ROW_LIMIT:
                first_row = 1
        best = _first_value_col(piece, best)
        far = far or _FAR_REF.search(piece) is not None
        bare = bare or (any(mark in piece for mark in _BARE_MARKS) and _BARE_CELL.search(piece) is not None)
        if any(mark in piece for mark in _MARKS):
            _uncached_cells(piece, part)
            _error_cells(piece, part)
            for m in _MERGE.finditer(piece):
                r1, c1 = int(m.group(2)), col_index(m.group(1))
                r2, c2 = (int(m.group(4)), col_index(m.group(3))) if m.group(3) else (r1, c1)
                part.merges.append((r1, c1, r2, c2))
    part.first_row = first_row or 1
    part.first_col = best or 0
    if bare:
        part.too_big = _bare_row_problem(zf, part.member)
    if far and not part.too_big:
        part.too_big = _extent_problem(zf, part.member)
    return part


def _bare_row_problem(zf: zipfile.ZipFile, member: str) -> str | None:
    """Why a sheet whose cells carry no references must not be read: a row of more cells than any
    extract has columns (counted before a reader lays them out one after another), or None."""
    widest = 0
    for piece in _row_pieces(zf, member):
        for row in _ROW_END.split(piece):
            widest = max(widest, sum(1 for _ in _ANY_CELL.finditer(row)))
            if widest > MAX_COLUMNS:
                return (f"refused: a row of the sheet holds more than {MAX_COLUMNS:,} cells without cell "
                        "references, far beyond any extract; open it in Excel and save it again")
    return None


def _first_value_row(piece: bytes, seen: int) -> tuple[int | None, int]:
    """(1-based row of the first row in ``piece`` holding a value, or None; rows seen so far)."""
    for match in _ROW.finditer(piece):
        seen += 1
        num = _ROW_NUM.search(match.group(1))
        if match.group(2) and _HAS_VALUE.search(match.group(2)):
            return (int(num.group(1)) if num else seen), seen
    return None, seen


def _row_pieces(zf: zipfile.ZipFile, member: str, size: int = 1 << 22) -> Iterator[bytes]:
    """The sheet XML in pieces that end after a closing row tag (the last piece: whatever is left).

    Never held whole: blocks without a row end (a huge row, or none at all) are kept in a list and
    joined once, not added to one growing buffer.
    """
    held: list[bytes] = []
    with zf.open(member) as fh:
        while block := fh.read(size):
            before = held[-1][-16:] if held else b""      # a row end may straddle two blocks
            cut = _last_row_end(before + block) - len(before)
            if cut <= 0:
                held.append(block)
                continue
            yield b"".join([*held, block[:cut]])
            held = [block[cut:]] if cut < len(block) else []
    if held:
        yield b"".join(held)


def _last_row_end(buf: bytes) -> int:
    """Index just after the last ``</row>`` (or ``</x:row>``) in ``buf``, or -1."""
    at = len(buf)
    while (at := buf.rfind(b"row>", 0, at)) >= 0:
        start = buf.rfind(b"</", max(0, at - 40), at)
        if start >= 0 and _ROW_END.fullmatch(buf, start, at + 4):
            return at + 4
    return -1


def _first_value_col(piece: bytes, best: int | None) -> int | None:
    """The smallest column holding a value, trying columns left of ``best`` one by one."""
    if best == 0:
        return best
    if b'<c r="' not in piece and _CELL.search(piece):     # a writer with other attribute order or prefixes
        for match in _CELL.finditer(piece):
            ref = _REF.search(match.group(1))
            if ref and _HAS_VALUE.search(match.group(2) or b""):
                col = col_index(ref.group(1))
                best = col if best is None else min(best, col)
        return best
    for col in range(best if best is not None else 16384):
        letters = col_letters(col).encode()
        if re.search(rb'<c r="' + letters + rb'[0-9]+"[^>]*>(?:<f[^>]*(?:/>|>[^<]*</f>))?<(?:v>\s*[^<\s]|is>)',
                     piece):
            return col
        if best is None and col > 64:
            break                                            # no value in the first 65 columns of this piece
    return best


def _cell_around(piece: bytes, pos: int) -> tuple[int, int] | None:
    """(start, end) of the cell element holding byte ``pos``."""
    start = max(piece.rfind(b"<c ", 0, pos), piece.rfind(b":c ", 0, pos))
    end = piece.find(b"</", pos)
    return (start, end) if start >= 0 and end >= 0 else None


def _uncached_cells(piece: bytes, part: SheetPart) -> None:
    if b"f>" not in piece and b"<f " not in piece:
        return
    for m in _FORMULA_END.finditer(piece):
        span = _cell_around(piece, m.start())
        if span is None:
            continue
        cell = piece[span[0]:m.end()]
        ref = _REF.search(cell)
        if ref and _FORMULA.search(cell) and not _VALUE_TAG.search(cell):
            part.uncached.setdefault(col_index(ref.group(1)), []).append(int(ref.group(2)))


def _error_cells(piece: bytes, part: SheetPart) -> None:
    at = piece.find(b't="e"')
    while at >= 0:
        span = _cell_around(piece, at)
        if span is not None:
            end = piece.find(b"</c>", at)
            cell = piece[span[0]:end if end >= 0 else len(piece)]
            ref, value = _REF.search(cell), _ERROR_VALUE.search(cell)
            if ref and value:
                part.errors[(int(ref.group(2)), col_index(ref.group(1)))] = value.group(1).decode("utf-8", "replace")
        at = piece.find(b't="e"', at + 5)


def _extent_problem(zf: zipfile.ZipFile, member: str) -> str | None:
    """Why a sheet whose cells reach far out must not be read, or None when its values are sane.

    Readers allocate the whole rectangle from the first to the last cell holding a value: one value at
    XFD1048576 beside ten rows of data is 17 billion cells.
    """
    rows: list[int] = []
    cols: list[int] = []
    for piece in _row_pieces(zf, member):
        for match in _CELL.finditer(piece):
            ref = _REF.search(match.group(1))
            if ref and _HAS_VALUE.search(match.group(2) or b""):
                rows.append(int(ref.group(2)))
                cols.append(col_index(ref.group(1)))
    if not rows:
        return None
    width, height = max(cols) - min(cols) + 1, max(rows) - min(rows) + 1
    far = f"{col_letters(max(cols))}{max(rows)}"
    if width > MAX_COLUMNS or width * height > MAX_CELLS:
        return (f"refused: the sheet's cells reach {far} ({width:,} columns by {height:,} rows, "
                f"{width * height:,} cells for {len(rows):,} values), far beyond any extract; delete the "
                "stray cells beyond the data in Excel and save again")
    return None
