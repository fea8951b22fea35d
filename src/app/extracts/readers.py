"""Read a workbook's sheets (or a CSV file, ``csvfile``) into text grids (``grid``), with every cell's
source row. fastexcel reads .xlsx (all cells as strings: its type inference would
null later off-type cells); it trims leading empty rows, so the first used row is read from the
sheet XML. Other spreadsheet formats go through python-calamine. Before any parser runs,
``sniff`` says what the file really is (password, old .xls, zip bomb...); ``xlsxparts`` adds what
fastexcel does not say (chart and hidden sheets, formulas without results, error cells, merges).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from app.errors import InputError
from app.extracts import sniff, xlsxparts
from app.extracts.csvfile import read_csv_grid
from app.extracts.grid import Grid, brief, grid_from_arrow

__all__ = ["SPREADSHEET_SUFFIXES", "Grid", "read_csv_grid", "read_workbook"]

XLSX_SUFFIXES = sniff.XLSX_SUFFIXES
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


# ---- workbooks ---------------------------------------------------------------------------------

def read_workbook(path: Path, must_read: Callable[[str], bool] = lambda name: True, *,
                  data: bytes | None = None) -> list[Grid]:
    """Every sheet of a workbook as grids; bad files are InputErrors.

    A sheet that cannot be read is skipped unless ``must_read(sheet name)`` (a sheet named like a table).
    ``data``: the file's bytes when the caller has read them (to hash what was read); else read here.
    Either way the file is read once, and its zip opened once for every check, scan and the reader.
    """
    if data is None:
        data = sniff.read_whole(path, limit=sniff.MAX_TOTAL)
    zf = sniff.check_spreadsheet(path, data)
    if zf is None:
        return _read_calamine(path, data)
    with zf:
        if path.suffix.lower() in XLSX_SUFFIXES:
            return _read_xlsx(path, zf, data, must_read)
    return _read_calamine(path, data)


def _read_xlsx(path: Path, zf: zipfile.ZipFile, data: bytes, must_read: Callable[[str], bool]) -> list[Grid]:
    import fastexcel
    from defusedxml import DefusedXmlException

    try:
        parts = xlsxparts.sheet_parts(zf)
        reader = fastexcel.read_excel(data)
    except InputError:
        raise
    except DefusedXmlException:
        raise InputError("refused: the workbook's XML declares entities or a DTD, which Excel never writes and "
                         "which are used to attack programs; ask for the file to be saved again from Excel",
                         file=path.name) from None
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"cannot be read as a workbook ({brief(exc)})", file=path.name) from None
    grids = []
    for part in parts:
        if part.chart:
            continue  # a chart sheet holds no cells (and fastexcel complains on stderr when asked)
        try:
            xlsxparts.scan(zf, part)      # first: a damaged sheet, or one reaching XFD1048576, is not read
            if part.damaged:
                raise ValueError("its XML is not a worksheet with sheet data")
            if part.too_big is None:
                batch = reader.load_sheet(part.name, header_row=None, dtypes="string").to_arrow()
        except Exception as exc:  # noqa: BLE001
            if not must_read(part.name):
                continue  # an odd sheet beside the data
            raise InputError(f"the sheet is damaged and cannot be read ({brief(exc)}); open the file in Excel "
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


def _read_calamine(path: Path, data: bytes) -> list[Grid]:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
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
            raise InputError(f"this old-format Excel 97-2003 (.xls) file cannot be read ({brief(exc)}); open it "
                             "in Excel and save it as an Excel Workbook (.xlsx)", file=path.name) from None
        raise InputError(f"cannot be read as a workbook ({brief(exc)})", file=path.name) from None


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
