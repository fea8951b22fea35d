"""What fastexcel does not say about an .xlsx sheet, read from its XML in one streamed pass.

fastexcel (calamine) gives cell values only, trimmed to the used area. Import also needs:
which sheets are chart sheets (not to be loaded), the row and column the used area starts at,
formula cells with no saved result (openpyxl and some exporters write formulas without values: the
cell would silently read as blank), and merged ranges (a value merged down over several data rows
belongs to each of them). The sheet is streamed; the cell-by-cell pass runs only on sheets that hold
a formula or a merge at all, so plain sheets cost one decompression.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.DOTALL)
_ROW_NUM = re.compile(rb"\br=\"(\d+)\"")
_HAS_VALUE = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]|<(?:\w+:)?t(?:\s[^>]*)?>\s*[^<\s]")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb"\br=\"([A-Z]{1,3})(\d+)\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VALUE_TAG = re.compile(rb"<(?:\w+:)?v[\s>/]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?\"")
_MARKS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b"mergeCell ")


@dataclass
class SheetPart:
    """One sheet of the workbook: its name, zip member, kind and (after ``scan``) what it holds."""

    name: str
    member: str
    chart: bool = False
    first_row: int = 1                  # 1-based row of the first cell with a value
    first_col: int = 0                  # 0-based column of the first cell with a value (after ``scan``)
    #: 0-based absolute column -> 1-based rows of formula cells with no saved result
    uncached: dict[int, list[int]] = field(default_factory=dict)
    #: merged ranges as (row1, col1, row2, col2): rows 1-based, columns 0-based, absolute
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


def col_index(letters: bytes | str) -> int:
    """'A' -> 0, 'AA' -> 26."""
    out = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        out = out * 26 + ord(ch) - 64
    return out - 1


def col_letters(index: int) -> str:
    out, index = "", index + 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def sheet_parts(path: Path) -> list[SheetPart]:
    """Every sheet listed in the workbook, in order, with its first value row (and chart sheets marked)."""
    from defusedxml import ElementTree

    with zipfile.ZipFile(path) as zf:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): (r.get("Target", ""), r.get("Type", "")) for r in rels}
        members = set(zf.namelist())
        parts = []
        for sheet in book.iter(f"{_NS_MAIN}sheet"):
            target, kind = targets.get(sheet.get(f"{_NS_REL}id"), ("", ""))
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            part = SheetPart(sheet.get("name") or "", member, chart=not kind.endswith("/worksheet"))
            if not part.chart and member in members:
                part.first_row = _first_value_row(zf, member)
            parts.append(part)
        return parts


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


def scan(path: Path, part: SheetPart) -> SheetPart:
    """Fill ``part``'s first column, formulas without results and merges (left as is when it has none)."""
    with zipfile.ZipFile(path) as zf:
        if part.member not in zf.namelist() or not _has_marks(zf, part.member):
            return part
        data = zf.read(part.member)
    first_col = None
    for match in _CELL.finditer(data):
        ref = _REF.search(match.group(1))
        inner = match.group(2) or b""
        if ref is None:
            continue
        col = col_index(ref.group(1))
        if _HAS_VALUE.search(inner):
            first_col = col if first_col is None else min(first_col, col)
        elif _FORMULA.search(inner) and not _VALUE_TAG.search(inner):
            part.uncached.setdefault(col, []).append(int(ref.group(2)))
    part.first_col = first_col or 0
    for m in _MERGE.finditer(data):
        r1, c1 = int(m.group(2)), col_index(m.group(1))
        r2, c2 = (int(m.group(4)), col_index(m.group(3))) if m.group(3) else (r1, c1)
        part.merges.append((r1, c1, r2, c2))
    return part


def _has_marks(zf: zipfile.ZipFile, member: str) -> bool:
    """True when the sheet XML holds a formula or a merge anywhere (one streamed pass, no parsing)."""
    tail = b""
    with zf.open(member) as fh:
        while block := fh.read(1 << 20):
            window = tail + block
            if any(mark in window for mark in _MARKS):
                return True
            tail = block[-16:]
    return False
