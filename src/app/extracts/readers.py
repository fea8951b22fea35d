"""Read a workbook's sheets or a CSV file into text grids, with every cell's source row.

A grid is a DataFrame with positional columns, every value text (pandas' default string dtype,
NaN = blank) and ``first_row`` = the 1-based source row of its first line. Excel date cells become
ISO ``YYYY-MM-DD`` text. fastexcel reads .xlsx (all cells as strings: its type inference would
null later off-type cells); it trims leading empty rows, so the first used row is read from the
sheet XML. Other spreadsheet formats go through python-calamine.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from app.errors import InputError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


@dataclass
class Grid:
    """One sheet (or CSV) as text cells; ``first_row`` is the source row of ``frame``'s first row."""

    sheet: str | None
    frame: pd.DataFrame
    first_row: int


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
    _check_spreadsheet_bytes(path)
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _read_xlsx(path, must_read)
    return _read_calamine(path)


def _check_spreadsheet_bytes(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise InputError(f"cannot open the file ({exc.strerror})", file=path.name) from None
    if not head:
        raise InputError("the file is empty (0 bytes)", file=path.name)
    if path.suffix.lower() in XLSX_SUFFIXES:
        if head == OLE_MAGIC:
            raise InputError("the workbook is password-protected (encrypted) or not really .xlsx; "
                             "save an unprotected .xlsx copy and open that", file=path.name)
        if not head.startswith(b"PK"):
            raise InputError("not a valid .xlsx workbook (the file is damaged or another format)",
                             file=path.name)


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def _read_xlsx(path: Path, must_read: Callable[[str], bool]) -> list[Grid]:
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
        names = list(reader.sheet_names)
        starts = first_value_rows(path)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"cannot be read as a workbook ({_short(exc)})", file=path.name) from None
    grids = []
    for name in names:
        try:
            batch = reader.load_sheet(name, header_row=None, dtypes="string").to_arrow()
        except Exception as exc:  # noqa: BLE001
            if not must_read(name):
                continue  # a chart or an odd sheet beside the data
            raise InputError(f"cannot read the sheet ({_short(exc)})", file=path.name, sheet=name) from None
        if batch.num_rows == 0:
            continue
        grids.append(grid_from_arrow(batch, sheet=name, first_row=starts.get(name, 1)))
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
            grids.append(grid_from_arrow(table, sheet=name, first_row=start))
        return grids
    except Exception as exc:  # noqa: BLE001
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


_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.DOTALL)
_ROW_NUM = re.compile(rb"\br=\"(\d+)\"")
_HAS_VALUE = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]|<(?:\w+:)?t(?:\s[^>]*)?>\s*[^<\s]")


def first_value_rows(path: Path) -> dict[str, int]:
    """Sheet name -> 1-based row of its first cell holding a value (fastexcel starts its grid there)."""
    from defusedxml import ElementTree

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    with zipfile.ZipFile(path) as zf:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        out = {}
        members = set(zf.namelist())
        for sheet in book.iter(f"{ns_main}sheet"):
            target = targets.get(sheet.get(f"{ns_rel}id"), "")
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if member in members:
                out[sheet.get("name")] = _first_value_row(zf, member)
        return out


def _first_value_row(zf: zipfile.ZipFile, member: str, limit: int = 16 << 20) -> int:
    buf, pos, count, read = b"", 0, 0, 0
    with zf.open(member) as fh:
        while read < limit:
            chunk = fh.read(1 << 16)
            read += len(chunk)
            buf += chunk
            while True:
                match = _ROW.search(buf, pos)
                if match is None:
                    break
                count += 1
                num = _ROW_NUM.search(match.group(1))
                row = int(num.group(1)) if num else count
                if match.group(2) and _HAS_VALUE.search(match.group(2)):
                    return row
                pos = match.end()
            buf, pos = buf[pos:], 0
            if not chunk:
                break
    return 1


# ---- CSV -----------------------------------------------------------------------------------------

DELIMITERS = (",", ";", "\t", "|")


def decode(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot open the file ({exc.strerror})", file=path.name) from None
    if not data.strip():
        raise InputError("the file is empty", file=path.name)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for enc in encodings:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError("cannot decode the text (not UTF-8 or Windows-1252); save it as CSV UTF-8",
                     file=path.name)


def sniff_delimiter(text: str) -> str:
    """The delimiter giving the widest row among the first lines (the header is the widest)."""
    lines = [ln for ln in text[:65536].splitlines()[:40] if ln.strip()]
    best, best_width = ",", 1
    for delim in DELIMITERS:
        width = max((len(r) for r in csv.reader(lines, delimiter=delim)), default=1)
        if width > best_width:
            best, best_width = delim, width
    return best


def read_csv_grid(path: Path) -> Grid:
    """A CSV file as one grid (header detection happens on the grid like for sheets)."""
    text = decode(path)
    delim = sniff_delimiter(text)
    sample = [ln for ln in text[:65536].splitlines()[:40]]
    width = max((len(r) for r in csv.reader(sample, delimiter=delim)), default=1)
    for _ in range(8):
        try:
            frame = pd.read_csv(io.StringIO(text), sep=delim, header=None, names=range(width), dtype=str,
                                keep_default_na=False, na_values=[""], skip_blank_lines=False,
                                index_col=False, quotechar='"', engine="c")
            break
        except pd.errors.ParserError as exc:
            seen = re.search(r"saw (\d+)", str(exc))
            if not seen or int(seen.group(1)) <= width:
                line = re.search(r"line (\d+)", str(exc))
                raise InputError(f"cannot read the CSV ({_short(exc)})", file=path.name,
                                 row=int(line.group(1)) if line else None) from None
            width = int(seen.group(1))
    else:
        raise InputError("cannot read the CSV (rows have too many different widths)", file=path.name)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return grid_from_arrow(table, sheet=None, first_row=1, excel=False)
