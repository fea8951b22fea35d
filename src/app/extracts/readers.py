"""Read a workbook's sheets or a CSV file into text grids, with every cell's source row.

A grid is a DataFrame with positional columns, every value text (pandas' default string dtype,
NaN = blank) and ``first_row`` = the 1-based source row of its first line. Excel date cells become
ISO ``YYYY-MM-DD`` text. fastexcel reads .xlsx (all cells as strings: its type inference would
null later off-type cells); it trims leading empty rows, so the first used row is read from the
sheet XML. Other spreadsheet formats go through python-calamine. Before any parser runs,
``sniff`` says what the file really is (password, old .xls, zip bomb...); ``xlsxparts`` adds what
fastexcel does not say (chart and hidden sheets, formulas without results, error cells, merges).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from app.errors import InputError
from app.extracts import sniff, xlsxparts

XLSX_SUFFIXES = sniff.XLSX_SUFFIXES
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


@dataclass
class Grid:
    """One sheet (or CSV) as text cells; ``first_row`` is the source row of ``frame``'s first row."""

    sheet: str | None
    frame: pd.DataFrame
    first_row: int
    first_col: int = 0              # 0-based source column of ``frame``'s first column
    hidden: bool = False            # a hidden sheet: read only for a table no visible sheet has
    #: grid column -> 1-based source rows of formula cells Excel saved no result for
    uncached: dict[int, list[int]] = field(default_factory=dict)
    #: merged ranges (row1, col1, row2, col2) in grid positions (0-based, inclusive)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


def _clean(arr: pa.Array, *, excel: bool) -> pa.Array:
    """Blank-only text -> null; Excel date cells ('2025-04-05 00:00:00' from fastexcel) -> '2025-04-05'."""
    arr = arr.cast(pa.string())
    blank = pc.or_(pc.equal(arr, ""), pc.utf8_is_space(arr))
    if pc.any(blank).as_py():
        arr = pc.if_else(blank, pa.scalar(None, pa.string()), arr)
    if not excel:
        return arr
    midnight = pc.and_(pc.ends_with(arr, " 00:00:00"), pc.equal(pc.utf8_length(arr), 19))
    if pc.any(midnight).as_py():
        arr = pc.if_else(midnight, pc.utf8_slice_codeunits(arr, 0, 10), arr)
    # A time or duration cell (serial below 1) comes as '1899-12-31 12:30:00': keep what Excel shows, the
    # time, which is not a date (as a date it would be a silent 31/12/1899).
    time_only = pc.fill_null(pc.match_substring_regex(arr, r"^1899-12-3[01] [0-9]{2}:[0-9]{2}:[0-9]{2}"), False)
    if pc.any(time_only).as_py():
        arr = pc.if_else(time_only, pc.utf8_slice_codeunits(arr, 11, 19), arr)
    return arr


def grid_from_arrow(batch: pa.RecordBatch | pa.Table, *, sheet: str | None, first_row: int,
                    excel: bool = True) -> Grid:
    frame = pd.DataFrame({i: pd.Series(_clean(batch.column(i), excel=excel).to_pandas(), dtype="str")
                          for i in range(batch.num_columns)})
    return Grid(sheet, frame, first_row)


# ---- workbooks -----------------------------------------------------------------------------------

def read_workbook(path: Path, must_read: Callable[[str], bool] = lambda name: True) -> list[Grid]:
    """Every sheet of a workbook as grids; bad files are InputErrors.

    A sheet that cannot be read is skipped unless ``must_read(sheet name)`` (a sheet named like a table).
    """
    sniff.check_spreadsheet(path)
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _read_xlsx(path, must_read)
    return _read_calamine(path)


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def _read_xlsx(path: Path, must_read: Callable[[str], bool]) -> list[Grid]:
    import fastexcel
    from defusedxml import DefusedXmlException

    try:
        parts = xlsxparts.sheet_parts(path)
        reader = fastexcel.read_excel(str(path))
    except InputError:
        raise
    except DefusedXmlException:
        raise InputError("refused: the workbook's XML declares entities or a DTD, which Excel never writes and "
                         "which are used to attack programs; ask for the file to be saved again from Excel",
                         file=path.name) from None
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"cannot be read as a workbook ({_short(exc)})", file=path.name) from None
    grids = []
    for part in parts:
        if part.chart:
            continue  # a chart sheet holds no cells (and fastexcel complains on stderr when asked)
        try:
            if part.damaged:
                raise ValueError("its XML is not a worksheet with sheet data")
            xlsxparts.scan(path, part)    # first: a sheet reaching XFD1048576 is refused before it is read
            if part.too_big is None:
                batch = reader.load_sheet(part.name, header_row=None, dtypes="string").to_arrow()
        except Exception as exc:  # noqa: BLE001
            if not must_read(part.name):
                continue  # an odd sheet beside the data
            raise InputError(f"the sheet is damaged and cannot be read ({_short(exc)}); open the file in Excel "
                             "and save it again, or ask for it to be sent again", file=path.name,
                             sheet=part.name) from None
        if part.too_big is not None:
            if not must_read(part.name):
                continue
            raise InputError(part.too_big, file=path.name, sheet=part.name)
        if batch.num_rows == 0:
            continue
        grid = grid_from_arrow(batch, sheet=part.name, first_row=part.first_row)
        grid.first_col = part.first_col
        grid.hidden = part.hidden
        for (row, col), text in part.errors.items():   # '#N/A' is what Excel shows: keep it, not a blank
            r, c = row - part.first_row, col - part.first_col
            if 0 <= r < len(grid.frame) and 0 <= c < grid.frame.shape[1]:
                grid.frame.iat[r, c] = text
        grid.uncached = {col - part.first_col: rows for col, rows in part.uncached.items()}
        grid.merges = [(r1 - part.first_row, c1 - part.first_col, r2 - part.first_row, c2 - part.first_col)
                       for r1, c1, r2, c2 in part.merges]
        grids.append(grid)
    return grids


def _read_calamine(path: Path) -> list[Grid]:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        grids = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=True)
            if not rows:
                continue
            width = max(len(r) for r in rows)
            cols = [[_cell_text(r[i]) if i < len(r) else None for r in rows] for i in range(width)]
            table = pa.table({str(i): pa.array(c, pa.string()) for i, c in enumerate(cols)})
            start = sheet.start[0] + 1 if sheet.start else 1
            grid = grid_from_arrow(table, sheet=name, first_row=start)
            grid.first_col = sheet.start[1] if sheet.start else 0
            grids.append(grid)
        return grids
    except Exception as exc:  # noqa: BLE001
        if path.suffix.lower() == ".xls":
            raise InputError(f"this old-format Excel 97-2003 (.xls) file cannot be read ({_short(exc)}); open it "
                             "in Excel and save it as an Excel Workbook (.xlsx)", file=path.name) from None
        raise InputError(f"cannot be read as a workbook ({_short(exc)})", file=path.name) from None


def _cell_text(value: object) -> str | None:
    import datetime as dt

    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def first_value_rows(path: Path) -> dict[str, int]:
    """Sheet name -> 1-based row of its first cell holding a value (fastexcel starts its grid there)."""
    return {p.name: p.first_row for p in xlsxparts.sheet_parts(path) if not p.chart}


# ---- CSV -----------------------------------------------------------------------------------------

DELIMITERS = (",", ";", "\t", "|")


def decode(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when every
    other byte is zero, as "Unicode text" exports are), else Windows-1252."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot open the file ({exc.strerror})", file=path.name) from None
    if not data.strip():
        raise InputError("the file is empty", file=path.name)
    if data.startswith((b"PK\x03\x04", sniff.OLE_MAGIC)):
        raise InputError("this is an Excel workbook (or other Office file) with a .csv name, not text; "
                         "rename it to .xlsx or save it from Excel as CSV", file=path.name)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encodings: tuple[str, ...] = ("utf-16",)
    elif (utf16 := _bomless_utf16(data)) is not None:
        encodings = (utf16,)
    else:
        encodings = ("utf-8-sig", "cp1252")
    if encodings[0] == "utf-8-sig":
        _refuse_mixed_encodings(data, path.name)
    for enc in encodings:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\0" in text:
            raise InputError(f"the file holds NUL bytes ({_lines(text.split(chr(10)), lambda ln: chr(0) in ln)}), "
                             "which are not text: it is damaged or not a CSV; ask for it to be sent again",
                             file=path.name)
        return text
    raise InputError("cannot decode the text (not UTF-8 or Windows-1252); save it as CSV UTF-8",
                     file=path.name)


#: An accented letter written as UTF-8 (two to four bytes); Windows-1252 text almost never has one.
_UTF8_LETTER = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _lines(lines: list, bad: Callable[[object], bool], most: int = 5) -> str:
    """"line 7", "lines 3, 9 and 12", "lines 3, 9, 12, 20, 31 and 40 more" for the lines ``bad`` picks."""
    found = [i for i, ln in enumerate(lines, start=1) if bad(ln)]
    shown = [str(n) for n in found[:most]]
    if len(found) == 1:
        return f"line {shown[0]}"
    tail = f" and {len(found) - most:,} more" if len(found) > most else ""
    if tail:
        return f"lines {', '.join(shown)}{tail}"
    return f"lines {', '.join(shown[:-1])} and {shown[-1]}"


def _are(lines: str) -> str:
    return "is" if lines.startswith("line ") else "are"


def _refuse_mixed_encodings(data: bytes, name: str) -> None:
    """A file whose accented letters are UTF-8 on some lines and Windows-1252 on others is refused:
    read either way, one set of names would come out garbled ('CLÃ©000277')."""
    try:
        data.decode("utf-8-sig")
        return
    except UnicodeDecodeError:
        pass
    if not _UTF8_LETTER.search(data):
        return  # plain Windows-1252
    lines = data.split(b"\n")

    def not_utf8(line: object) -> bool:
        try:
            line.decode("utf-8")  # type: ignore[attr-defined]
        except UnicodeDecodeError:
            return True
        return False

    def utf8_letters(line: object) -> bool:
        return bool(_UTF8_LETTER.search(line)) and not not_utf8(line)  # type: ignore[arg-type]

    if not any(utf8_letters(line) for line in lines):
        return  # no line is UTF-8 with an accented letter: Windows-1252 that happens to look like it
    cp1252 = _lines(lines, not_utf8)
    utf8 = _lines(lines, utf8_letters)
    raise InputError(f"the text mixes two encodings: {cp1252} {_are(cp1252)} Windows-1252 while "
                     f"{utf8} {_are(utf8)} UTF-8 "
                     "(accented letters would come out garbled); save the file again as CSV UTF-8",
                     file=name)


def _bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when nearly every odd (even) byte of the start is zero, else None."""
    head = data[:4096]
    if len(head) < 4:
        return None
    odd, even = head[1::2], head[0::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def sniff_delimiter(text: str) -> str:
    """The delimiter giving the widest row among the first lines (the header is the widest)."""
    lines = [ln for ln in text[:65536].splitlines()[:40] if ln.strip()]
    best, best_width = ",", 1
    for delim in DELIMITERS:
        width = max((len(r) for r in csv.reader(lines, delimiter=delim)), default=1)
        if width > best_width:
            best, best_width = delim, width
    return best


def far_wider(width: int) -> int:
    """More fields than this in one row, against ``width`` in the header, is no extract's row."""
    return max(4 * width, width + 100)


def _too_wide(fields: int, width: int) -> str:
    return (f"the row has {fields:,} fields where the header has {width:,}, far more than any extract (a "
            "damaged or hostile line); fix or delete the row")


def _sample_width(widths: list[int], name: str) -> int:
    """The header's width: the widest of the first lines, unless one of them is far wider than the rest."""
    if not widths:
        return 1
    usual = sorted(widths)[(len(widths) - 1) // 2]
    for lineno, w in enumerate(widths, start=1):
        if w > far_wider(usual):
            raise InputError(_too_wide(w, usual), file=name, row=lineno)
    return max(widths)


def read_csv_grid(path: Path) -> Grid:
    """A CSV file as one grid (header detection happens on the grid like for sheets)."""
    text = decode(path)
    delim = sniff_delimiter(text)
    end = 0
    for _ in range(40):                   # the first 40 lines whole: one of them may be far too wide
        end = text.find("\n", end) + 1
        if not end:
            end = len(text)
            break
    widths = [len(r) for r in csv.reader(text[:end].splitlines(), delimiter=delim)]
    width = _sample_width(widths, path.name)
    for _ in range(8):
        try:
            frame = pd.read_csv(io.StringIO(text), sep=delim, header=None, names=range(width), dtype=str,
                                keep_default_na=False, na_values=[""], skip_blank_lines=False,
                                index_col=False, quotechar='"', engine="c")
            break
        except pd.errors.ParserError as exc:
            seen = re.search(r"saw (\d+)", str(exc))
            unclosed = re.search(r"EOF inside string starting at row (\d+)", str(exc))
            if unclosed:
                raise InputError('a quote mark (") opened on this row is never closed, so the rest of the file '
                                 "would be one cell; fix the quote in the file", file=path.name,
                                 row=int(unclosed.group(1)) + 1) from None
            line = re.search(r"line (\d+)", str(exc))
            if seen and int(seen.group(1)) > far_wider(width):
                raise InputError(_too_wide(int(seen.group(1)), width), file=path.name,
                                 row=int(line.group(1)) if line else None) from None
            if not seen or int(seen.group(1)) <= width:
                raise InputError(f"cannot read the CSV ({_short(exc)})", file=path.name,
                                 row=int(line.group(1)) if line else None) from None
            width = int(seen.group(1))
    else:
        raise InputError("cannot read the CSV (rows have too many different widths)", file=path.name)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return grid_from_arrow(table, sheet=None, first_row=1, excel=False)
