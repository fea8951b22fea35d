"""The corpus files that must be refused, each with where its one-line error points and what it says."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from corpus import (
    HEADER,
    OLE_MAGIC,
    Formula,
    row,
    rows,
    sheet_xml,
    write_bomb,
    write_csv,
    write_encrypted_xlsx,
    write_old_xls,
    write_ole,
    write_raw_xlsx,
    write_xlsx,
)

# ---- the files that must be refused, each with where the one-line error points ----------------------

def _truncated(path: Path) -> Path:
    whole = write_xlsx(path, {"episodes": rows(50)})
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _zip_of(members: dict[str, str]) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        with zipfile.ZipFile(path, "w") as zf:
            for name, text in members.items():
                zf.writestr(name, text)
        return path
    return make


def _conflicting_duplicates(path: Path) -> Path:
    cells = [HEADER + ["Date of referral"]] + [r + ["01/04/2025"] for r in rows(3)[1:]]
    cells[2][-1] = "02/04/2025"      # the second data row (source row 3) disagrees
    return write_csv(path, cells)


def _uncached_formulas(path: Path) -> Path:
    at = HEADER.index("referral_date")
    data = [row(i, referral_date=Formula("DATE(2025,4,1)") if i > 1 else "01/04/2025") for i in (1, 2, 3)]
    assert data[1][at].cached is None
    return write_raw_xlsx(path, {"episodes": sheet_xml([["Quarterly extract"], [], list(HEADER)] + data)})


def _entity_expansion(path: Path) -> Path:
    """A 'billion laughs' DTD in xl/workbook.xml: a safe parser refuses it instead of expanding it."""
    write_raw_xlsx(path, {"episodes": sheet_xml(rows(2))})
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
           + ']>')
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b'<?xml version="1.0" encoding="UTF-8"?>', lol.encode()).replace(b'name="episodes"', b'name="&lol9;"')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


#: file name -> (builder, (sheet, row, column) the error names, words the reason must hold)
def _far_cell(path: Path) -> Path:
    """Ten rows of data and one value at XFD1048576: 83 KB that a reader would make 17 billion cells."""
    from openpyxl import load_workbook

    write_xlsx(path, {"episodes": rows(10)})
    wb = load_workbook(path)
    wb["episodes"]["XFD1048576"] = "x"
    wb.save(path)
    return path


def _bare_wide_row(path: Path) -> Path:
    """Ten rows of data and a row of 100,000 cells written without references (16 KB zipped), which a
    reader lays out as 100,000 columns (it took 84 s and 1.1 GB before the check)."""
    write_xlsx(path, {"episodes": rows(10)})
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    member = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    cells = b'<c t="inlineStr"><is><t>x</t></is></c>' * 100_000
    parts[member] = parts[member].replace(b"</sheetData>", b"<row>" + cells + b"</row></sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _csv_lines(lines: list[str]) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        path.write_text("\n".join(lines) + "\n")
        return path
    return make


_LINES = [",".join(HEADER)] + [",".join(map(str, row(i))) for i in range(1, 3001)]


def _mixed_encodings(path: Path) -> Path:
    """Client references with é: line 3 in UTF-8, lines 5 and 6 in Windows-1252."""
    data = ("\n".join(_LINES[:8]) + "\n").encode()
    data = data.replace(b"C0002", "CL\u00e90002".encode("utf-8"))
    for ref in (b"C0004", b"C0005"):
        data = data.replace(ref, ref.replace(b"C", "CL\u00e9".encode("cp1252")))
    path.write_bytes(data)
    return path


def _old_xls_mentioning_encryption(path: Path) -> Path:
    """An old workbook whose cells hold the words 'EncryptedPackage' (as a byte search would see them):
    the directory, read with olefile, says it is an old .xls, not a password-protected workbook."""
    text = ("EncryptedPackage\0".encode("utf-16-le") + b"\0\0") * 20
    return write_ole(path, {"Workbook": b"\x09\x08" + text + b"\0" * 4000})


def _damaged_ole(path: Path) -> Path:
    """The start of a compound file and then nothing a parser can follow."""
    path.write_bytes(OLE_MAGIC + bytes(range(256)) * 12)
    return path


#: A quote opened on row 2 and never closed, with far more text after it than one cell may hold.
_UNCLOSED_LONG = [_LINES[0], 'N9001,E0001,"C0001,A,B,15/01/1980,M,A,Y,01/04/2025,HER', *_LINES[2:]]


REFUSED: dict[str, tuple[Callable[[Path], Path], tuple[str | None, int | None, str | None], str]] = {
    "empty.csv": (lambda p: (p.write_bytes(b""), p)[1], (None, None, None), "the file is empty"),
    "zero_bytes.xlsx": (lambda p: (p.write_bytes(b""), p)[1], (None, None, None), "the file is empty (0 bytes)"),
    "truncated.xlsx": (_truncated, (None, None, None), "damaged or cut short"),
    "not_a_workbook.xlsx": (_zip_of({"readme.txt": "hello"}), (None, None, None),
                            "this is a zip archive, not an Excel workbook"),
    "opendocument.xlsx": (_zip_of({"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                                   "content.xml": "<x/>"}), (None, None, None),
                          "this is an OpenDocument spreadsheet, not an Excel workbook"),
    "password.xlsx": (write_encrypted_xlsx, (None, None, None),
                      "password-protected (encrypted), so it cannot be read; remove the password in Excel"),
    "password_named.xls": (write_encrypted_xlsx, (None, None, None), "remove the password in Excel"),
    "old_binary.xls": (write_old_xls, (None, None, None),
                       "this old-format Excel 97-2003 (.xls) file cannot be read"),
    "old_binary_named.xlsx": (write_old_xls, (None, None, None),
                              "old-format Excel 97-2003 (.xls) or other Office file with an .xlsx name"),
    "web_page.xls": (lambda p: (p.write_text("<html><table><tr><td>episode_id</td></tr></table></html>"), p)[1],
                     (None, None, None), "really a web page or text export"),
    "workbook_named.csv": (lambda p: (p.write_bytes(write_xlsx(p.with_suffix(".tmp.xlsx"),
                                                               {"episodes": rows(2)}).read_bytes()), p)[1],
                           (None, None, None), "an Excel workbook (or other Office file) with a .csv name"),
    "text_named.xlsx": (lambda p: write_csv(p, rows(2)), (None, None, None),
                        "it is really a text file (such as CSV) with an .xlsx name; rename it to .csv"),
    "~$lock_file.xlsx": (lambda p: (p.write_bytes(b"\x05Alice" + b"\x00" * 50 + b"\x05\x00A\x00l\x00"), p)[1],
                         (None, None, None), "the lock file Excel keeps while a workbook is open"),
    "damaged_sheet.xlsx": (lambda p: write_raw_xlsx(p, {"episodes": sheet_xml(rows(2))[:30] + "<sheetData>"}),
                           ("episodes", None, None), "the sheet is damaged and cannot be read"),
    "damaged_sheet_data.xlsx": (lambda p: write_raw_xlsx(p, {"episodes": sheet_xml(rows(2)).replace(
                                    "<sheetData>", "<\\sheetData>")}),
                                ("episodes", None, None), "the sheet is damaged and cannot be read (its XML is not"),
    "chart_only.xlsx": (lambda p: write_raw_xlsx(p, {}, chartsheets=["Chart1"]), (None, None, None),
                        "the workbook holds no data: its sheets are empty or charts"),
    "empty_sheet.xlsx": (lambda p: write_raw_xlsx(p, {"Sheet1": sheet_xml([])}), (None, None, None),
                         "the workbook holds no data"),
    "header_only.xlsx": (lambda p: write_xlsx(p, {"episodes": [["Extract for Q1"], [], list(HEADER)]}),
                         ("episodes", 3, None), "has a header row but no data rows under it"),
    "header_only.csv": (lambda p: write_csv(p, rows(0)), (None, 1, None),
                        "has a header row but no data rows under it"),
    "duplicate_columns.csv": (_conflicting_duplicates, (None, 3, "referral_date"),
                              "two columns hold referral_date: J ('referral_date') and L ('Date of referral')"),
    "formulas_no_results.xlsx": (_uncached_formulas, ("episodes", 5, "referral_date"),
                                 "column J ('referral_date') holds formulas with no saved results (2 cell(s))"),
    "entity_expansion.xlsx": (_entity_expansion, (None, None, None),
                              "XML declares entities or a DTD, which Excel never writes"),
    "zip_bomb.xlsx": (write_bomb, (None, None, None),
                      "would expand from 0.2 MB to 200 MB"),
    "old_binary_mentions_encryption.xlsx": (_old_xls_mentioning_encryption, (None, None, None),
                                            "old-format Excel 97-2003 (.xls) or other Office file with an "
                                            ".xlsx name"),
    "damaged_compound_file.xlsx": (_damaged_ole, (None, None, None),
                                   "not a valid .xlsx workbook: the file is damaged (an Office compound file"),
    "unclosed_quote_long.csv": (_csv_lines(_UNCLOSED_LONG), (None, 2, None),
                                'a quote mark (") opened on this row is never closed'),
    "unclosed_quote.csv": (lambda p: (p.write_text(",".join(HEADER) + '\nN9001,E1,"C1\nN9001,E2,C2\n'), p)[1],
                           (None, 2, None), 'a quote mark (") opened on this row is never closed'),
    "far_cell.xlsx": (_far_cell, ("episodes", None, None),
                      "refused: the sheet's cells reach XFD1048576 (16,384 columns by 1,048,576 rows, "
                      "17,179,869,184 cells for 122 values), far beyond any extract; delete the stray cells "
                      "beyond the data in Excel and save again"),
    "bare_wide_row.xlsx": (_bare_wide_row, ("episodes", None, None),
                           "refused: a row of the sheet holds more than 2,000 cells without cell references, "
                           "far beyond any extract; open it in Excel and save it again"),
    "wide_row_late.csv": (_csv_lines(_LINES[:2001] + ["N9001,E9" + "," * 100_000] + _LINES[2001:]),
                          (None, 2002, None), "the row has 100,002 fields where the header has 11, far more "
                          "than any extract (a damaged or hostile line); fix or delete the row"),
    "wide_row_early.csv": (_csv_lines(_LINES[:2] + ["," * 100_000] + _LINES[2:10]), (None, 3, None),
                           "the row has 100,001 fields where the header has 11"),
    "mixed_encodings.csv": (_mixed_encodings, (None, None, None),
                            "the text mixes two encodings: lines 5 and 6 are Windows-1252 while line 3 is "
                            "UTF-8 (accented letters would come out garbled); save the file again as CSV UTF-8"),
    "nul_bytes.csv": (lambda p: (p.write_bytes(("\n".join(_LINES[:6]) + "\n").encode().replace(b"C0003", b"C\x000003")),
                                 p)[1], (None, None, None),
                      "the file holds NUL bytes (line 4), which are not text: it is damaged or not a CSV; ask "
                      "for it to be sent again"),
}
