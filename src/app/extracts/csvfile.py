"""Read a CSV file into one text grid, refusing text that would import wrongly without a word.

The bytes are decoded as UTF-8, UTF-16 or Windows-1252 (a file mixing UTF-8 and Windows-1252 lines,
or holding NUL bytes, is refused naming the lines); the delimiter is the one giving the widest rows.
pandas' C parser reads the text; when it refuses it, the csv module counts each record's fields to
say why (a row far wider than the header, a quote never closed), never pandas' message text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa

from app.errors import InputError
from app.extracts import sniff
from app.extracts.grid import Grid, brief, grid_from_arrow

DELIMITERS = (",", ";", "\t", "|")


def decode(path: Path, data: bytes | None = None) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when every
    other byte is zero, as "Unicode text" exports are), else Windows-1252. ``data``: its bytes when
    already read."""
    if data is None:
        data = sniff.read_whole(path)
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


def read_csv_grid(path: Path, data: bytes | None = None) -> Grid:
    """A CSV file as one grid (header detection happens on the grid like for sheets); ``data``: its
    bytes when already read."""
    text = decode(path, data)
    delim = sniff_delimiter(text)
    end = 0
    for _ in range(40):                   # the first 40 lines whole: one of them may be far too wide
        end = text.find("\n", end) + 1
        if not end:
            end = len(text)
            break
    widths = [len(r) for r in csv.reader(text[:end].splitlines(), delimiter=delim)]
    width = _sample_width(widths, path.name)
    try:
        frame = _parse(text, delim, width)
    except pd.errors.ParserError as exc:
        widest = widest_record(text, delim, width, path.name)   # or an InputError saying which row is wrong
        if widest <= width:
            raise InputError(f"cannot read the CSV ({brief(exc)})", file=path.name) from None
        try:
            frame = _parse(text, delim, widest)
        except pd.errors.ParserError as again:
            raise InputError(f"cannot read the CSV ({brief(again)})", file=path.name) from None
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return grid_from_arrow(table, sheet=None, first_row=1, excel=False)


def _parse(text: str, delim: str, width: int) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), sep=delim, header=None, names=range(width), dtype=str,
                       keep_default_na=False, na_values=[""], skip_blank_lines=False,
                       index_col=False, quotechar='"', engine="c")


#: Put after the text while counting: ``decode`` refuses NUL, so no record of the file holds it, and it
#: comes back as a record of its own unless a quote left open swallows it.
_AFTER = "\0end"


def widest_record(text: str, delim: str, width: int, name: str) -> int:
    """The most fields any record of ``text`` has (at least ``width``), counted with the csv module.

    An InputError naming the record (1-based, as ``_row`` counts them) when one is far wider than
    the header, or when a quote mark is never closed (the rest of the file would be one cell).
    """
    reader = csv.reader(io.StringIO(f"{text}\n{_AFTER}\n", newline=""), delimiter=delim, quotechar='"')
    widest, limit, record, last = width, far_wider(width), 0, None
    try:
        for record, fields in enumerate(reader, start=1):
            if len(fields) > limit:
                raise InputError(_too_wide(len(fields), width), file=name, row=record)
            widest, last = max(widest, len(fields)), fields
    except csv.Error:   # a cell past the csv module's size limit: a quote opened and not closed for pages
        last, record = None, record + 1
    if last != [_AFTER]:
        raise InputError('a quote mark (") opened on this row is never closed, so the rest of the file would be '
                         "one cell; fix the quote in the file", file=name, row=record)
    return widest
