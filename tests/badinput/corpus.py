"""The bad-input corpus: every broken file a provider could send, built here (never downloaded).

Each ``make_*`` writes one file into a folder and returns its path. Workbooks that openpyxl cannot
express (formulas with saved results, a sheet that is a zip bomb) are written as raw SpreadsheetML
with ``zipfile``; password-protected and old binary files are minimal OLE2 compound files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import struct
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

from workbook_files import write_xlsx  # noqa: F401  (re-exported for the tests here)

HEADER = ["provider_code", "episode_id", "client_ref", "first_initial", "surname_initial", "dob", "sex",
          "ethnicity", "consent", "referral_date", "drug1"]


def row(i: int, **values: object) -> list[object]:
    """A valid episode row in ``HEADER`` order with some cells replaced."""
    base = {"provider_code": "N9001", "episode_id": f"E{i:04d}", "client_ref": f"C{i:04d}",
            "first_initial": "A", "surname_initial": "B", "dob": "15/01/1980", "sex": "M",
            "ethnicity": "A", "consent": "Y", "referral_date": "01/04/2025", "drug1": "HER"}
    base.update(values)
    return [base[c] for c in HEADER]


def rows(n: int) -> list[list[object]]:
    return [list(HEADER)] + [row(i) for i in range(1, n + 1)]


# ---- workbooks through openpyxl --------------------------------------------------------------------



# ---- raw SpreadsheetML ----------------------------------------------------------------------------

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BOOK_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_BOOK_CT = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


class Formula:
    """A formula cell, with the result Excel saved (``cached``) or none (as openpyxl writes them)."""

    def __init__(self, text: str, cached: object = None) -> None:
        self.text, self.cached = text, cached


def col_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_xml(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula):
        cached = "" if value.cached is None else (
            f"<v>{value.cached}</v>" if isinstance(value.cached, int | float) else f"<v>{escape(str(value.cached))}</v>")
        kind = ' t="str"' if isinstance(value.cached, str) else ""
        return f'<c r="{ref}"{kind}><f>{escape(value.text)}</f>{cached}</c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def sheet_xml(cells: Sequence[Sequence[object]], *, first_row: int = 1, merges: Sequence[str] = ()) -> str:
    body = []
    for r, values in enumerate(cells, start=first_row):
        inner = "".join(cell_xml(f"{col_letter(c)}{r}", v) for c, v in enumerate(values))
        body.append(f'<row r="{r}">{inner}</row>')
    merged = ""
    if merges:
        merged = f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges) \
            + "</mergeCells>"
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>{"".join(body)}' \
           f"</sheetData>{merged}</worksheet>"


def write_raw_xlsx(path: Path, sheets: dict[str, str | Callable[[IO[bytes]], None]], *, extra: dict[str, bytes] | None = None,
                   book_type: str = BOOK_CT, chartsheets: Sequence[str] = ()) -> Path:
    """A workbook from sheet XML (name -> XML text, or a function streaming it into the zip member);
    ``chartsheets`` are chart sheets (no cells)."""
    names = list(sheets) + list(chartsheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{SHEET_CT}"/>'
        for i in range(1, len(sheets) + 1))
    overrides += "".join(
        f'<Override PartName="/xl/chartsheets/sheet{i}.xml" '
        f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml"/>'
        for i in range(1, len(chartsheets) + 1))
    types = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
             f'<Override PartName="/xl/workbook.xml" ContentType="{book_type}"/>{overrides}</Types>')
    book = "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1))
    rels += "".join(
        f'<Relationship Id="rId{len(sheets) + i}" Type="{REL}/chartsheet" Target="chartsheets/sheet{i}.xml"/>'
        for i in range(1, len(chartsheets) + 1))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", types)
        zf.writestr("_rels/.rels", f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                                   f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" '
                                       f'xmlns:r="{REL}"><sheets>{book}</sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG}">{rels}</Relationships>')
        for i, xml in enumerate(sheets.values(), start=1):
            if callable(xml):
                with zf.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as fh:
                    xml(fh)
            else:
                zf.writestr(f"xl/worksheets/sheet{i}.xml", xml)
        for i in range(1, len(chartsheets) + 1):
            zf.writestr(f"xl/chartsheets/sheet{i}.xml",
                        f'<chartsheet xmlns="{NS}" xmlns:r="{REL}"><sheetViews><sheetView workbookViewId="0"/>'
                        "</sheetViews></chartsheet>")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def write_bomb(path: Path, *, megabytes: int = 200) -> Path:
    """A workbook with a real episodes sheet and a second sheet of ``megabytes`` MB of blanks, which
    deflate to about 1/1000 of that (0.2 MB on disk); written in 1 MB chunks, never held in memory."""
    def blanks(fh: IO[bytes]) -> None:
        fh.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>'.encode())
        chunk = b" " * (1 << 20)
        for _ in range(megabytes):
            fh.write(chunk)
        fh.write(b"</sheetData></worksheet>")

    return write_raw_xlsx(path, {"episodes": sheet_xml(rows(1)), "notes": blanks})


# ---- OLE2 compound files ---------------------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _dir_entry(name: str, kind: int, *, child: int = _NOSTREAM, right: int = _NOSTREAM,
               start: int = _END, size: int = 0) -> bytes:
    raw = (name + "\0").encode("utf-16-le") if name else b""
    return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", _NOSTREAM, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
            + struct.pack("<IQ", start, size))


def write_ole(path: Path, streams: dict[str, bytes]) -> Path:
    """A minimal but valid OLE2 (CFB v3) file holding ``streams`` (each >= 4096 bytes, regular sectors).

    This is what a password-protected .xlsx (``EncryptionInfo`` + ``EncryptedPackage``) or an old
    .xls (``Workbook``) is on disk.
    """
    sector = 512
    fat = [_FATSECT, _END]          # sector 0: the FAT; sector 1: the directory
    entries = [b""]                 # the root entry, filled in below
    data = b""
    names = list(streams)
    for i, name in enumerate(names):
        payload = streams[name].ljust(4096, b"\0")
        count = -(-len(payload) // sector)
        first = len(fat)
        fat += [first + k + 1 for k in range(count - 1)] + [_END]
        data += payload.ljust(count * sector, b"\0")
        entries.append(_dir_entry(name, 2, right=(i + 2) if i + 1 < len(names) else _NOSTREAM, start=first,
                                  size=len(streams[name])))
    entries[0] = _dir_entry("Root Entry", 5, child=1 if names else _NOSTREAM)
    assert len(fat) <= sector // 4 and len(entries) <= 4
    directory = b"".join(entries).ljust(sector, b"\0")
    header = (OLE_MAGIC + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<I", 0) + struct.pack("<108I", *[_FREE] * 108))
    fat_sector = struct.pack(f"<{sector // 4}I", *(fat + [_FREE] * (sector // 4 - len(fat))))
    path.write_bytes(header + fat_sector + directory + data)
    return path


def write_encrypted_xlsx(path: Path) -> Path:
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<encryption/>"  # agile encryption header (content not read)
    return write_ole(path, {"EncryptionInfo": info, "EncryptedPackage": struct.pack("<Q", 1000) + b"\x5a" * 5000})


def write_old_xls(path: Path) -> Path:
    """An OLE2 file named .xls whose Workbook stream is not BIFF records (a damaged old workbook)."""
    return write_ole(path, {"Workbook": b"\x00\x01not a BIFF8 record stream" * 200})


# ---- CSV -------------------------------------------------------------------------------------------

def csv_text(cells: Sequence[Sequence[object]], *, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in r] for r in cells])
    return buffer.getvalue()


def write_csv(path: Path, cells: Sequence[Sequence[object]], *, encoding: str = "utf-8",
              delimiter: str = ",") -> Path:
    path.write_bytes(csv_text(cells, delimiter=delimiter).encode(encoding))
    return path


def write_many_rows(path: Path, n: int) -> Path:
    """``n`` short episode rows, written in blocks so a million rows take a second or two."""
    head = ",".join(HEADER) + "\n"
    block = 50_000
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(head)
        for start in range(0, n, block):
            fh.write("".join(f"N9001,E{i},C{i},A,B,15/01/1980,M,A,Y,01/04/2025,HER\n"
                             for i in range(start, min(start + block, n))))
    return path


def excel_serial(day: dt.date) -> int:
    """Excel's 1900-system serial of ``day`` (after 1900-02-28, one more than a true count)."""
    return (day - dt.date(1899, 12, 30)).days
