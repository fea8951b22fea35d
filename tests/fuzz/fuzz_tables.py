"""Hypothesis strategies for messy provider tables, and writers that put them in real files.

A table is a list of rows of cells (text, numbers, dates or None); its header comes from the names
import knows (canonical, national, aliases, labels, in any case and spacing) mixed with junk, and its
cells from per-column strategies: codes and labels, dates in every style providers use (and some
they should not), numbers, blanks, text that looks like a formula, and unicode.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
from hypothesis import strategies as st

from app.extracts.mapping import ALIASES, NATIONAL
from rules.codes import CODE_LISTS
from rules.columns import COLUMNS

NAMES_FOR: dict[str, list[str]] = {}
for _cols in COLUMNS.values():
    for _c in _cols:
        NAMES_FOR.setdefault(_c.name, [_c.name, _c.label])
for _national, _name in NATIONAL.items():
    NAMES_FOR.setdefault(_name, []).append(_national)
for _name, _aliases in ALIASES.items():
    NAMES_FOR.setdefault(_name, []).extend(_aliases)

KIND = {c.name: c for cols in COLUMNS.values() for c in cols}

# Text openpyxl can write into XML (no control characters other than tab/newline, no surrogates).
SAFE_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n"), max_size=20)
JUNK = st.one_of(
    SAFE_TEXT,
    st.sampled_from(["=SUM(A1:A9)", "=1+1", "+44 7700 900000", "-", "@user", "=HYPERLINK(\"x\")", "#N/A",
                     "#REF!", "NULL", "n/a", "TRUE", "0", "-0", "1e308", "NaN", "inf", "  ", "\u00a0",
                     "Total", "Grand total", "Zoë", "£5", "\u202etxt", "😀", "Ä" * 200]),
)


@st.composite
def header_name(draw: st.DrawFn, column: str) -> str:
    name = draw(st.sampled_from(NAMES_FOR[column]))
    style = draw(st.sampled_from(["as is", "upper", "lower", "spaced", "underscored", "padded"]))
    return {"as is": name, "upper": name.upper(), "lower": name.lower(), "spaced": name.replace("_", " "),
            "underscored": name.replace(" ", "_"), "padded": f"  {name} "}[style]


@st.composite
def date_cell(draw: st.DrawFn) -> object:
    day = draw(st.dates(min_value=dt.date(1890, 1, 1), max_value=dt.date(2040, 12, 31)))
    style = draw(st.sampled_from(["iso", "dmy", "d/m/yy", "dmony", "serial", "cell", "datetime", "compact",
                                  "mdy", "junk", "impossible", "spaces"]))
    serial = (day - dt.date(1899, 12, 30)).days
    return {
        "iso": day.isoformat(), "dmy": day.strftime("%d/%m/%Y"),
        "d/m/yy": f"{day.day}/{day.month}/{day.strftime('%y')}", "dmony": day.strftime("%d-%b-%Y"),
        "serial": str(serial), "cell": day, "datetime": dt.datetime(day.year, day.month, day.day, 13, 5),
        "compact": day.strftime("%Y%m%d"), "mdy": day.strftime("%m/%d/%Y"),
        "junk": draw(JUNK), "impossible": draw(st.sampled_from(["31/02/2025", "00/00/0000", "29/02/1900",
                                                                "9999-99-99", "60", "1/1/1", "-1"])),
        "spaces": f"  {day.strftime('%d/%m/%Y')}  ",
    }[style]


@st.composite
def cell_for(draw: st.DrawFn, column: str | None) -> object:
    if column is None or draw(st.integers(0, 9)) == 0:
        return draw(st.none() | JUNK | st.integers(-10**12, 10**12) | st.floats(allow_nan=False, allow_infinity=False))
    col = KIND[column] if column in KIND else None
    if col is None or column in ("top_start_date", "top_review_date", "top_exit_date") or col.type == "date":
        return draw(st.none() | date_cell())
    if col.type == "code":
        codes = CODE_LISTS[col.code_list]
        return draw(st.none() | st.sampled_from(list(codes)) | st.sampled_from(list(codes.values()))
                    | st.sampled_from([c.lower() + " " for c in codes]) | JUNK)
    if col.type == "int":
        return draw(st.none() | st.integers(-5, 40) | st.integers(-5, 40).map(str)
                    | st.sampled_from(["3.0", "2.5", " 7 ", "+4", "012", "x"]))
    return draw(st.none() | st.from_regex(r"[A-Z][0-9]{1,6}", fullmatch=True) | st.integers(0, 10**9) | JUNK)


@st.composite
def messy_table(draw: st.DrawFn, table: str) -> list[list[object]]:
    """Title rows, a header, up to 30 data rows, sometimes blank rows and a totals row."""
    names = [c.name for c in COLUMNS[table]]
    required = [c.name for c in COLUMNS[table] if c.required]
    chosen = draw(st.lists(st.sampled_from(names), max_size=len(names), unique=True))
    if draw(st.integers(0, 4)):                          # mostly a usable sheet, sometimes not
        chosen = list(dict.fromkeys(required + chosen))
    columns: list[str | None] = list(chosen) + [None] * draw(st.integers(0, 2))
    columns = draw(st.permutations(columns))
    header = [draw(header_name(c)) if c else draw(JUNK) for c in columns]
    copy_of = None
    if columns and draw(st.integers(0, 7)) == 0:        # a column twice: a copy, or different values
        copy_of = draw(st.integers(0, len(columns) - 1))
        columns.append(columns[copy_of])
        header.append(header[copy_of])
    same = draw(st.booleans())
    out: list[list[object]] = [[draw(JUNK)] for _ in range(draw(st.integers(0, 2)))]
    out.append(header)
    for _ in range(draw(st.integers(0, 30))):
        if draw(st.integers(0, 12)) == 0:
            out.append([])
            continue
        values = [draw(cell_for(c)) for c in columns]
        if copy_of is not None and same:
            values[-1] = values[copy_of]
        out.append(values)
    if draw(st.integers(0, 6)) == 0:
        out.append(["Total", len(out)])
    return out


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                if value is not None:
                    cell = ws.cell(row=r, column=c, value=value)
                    if isinstance(value, str) and value.startswith("=") and len(value) % 2:
                        cell.data_type = "s"   # text that looks like a formula; the others stay formulas
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]], *, encoding: str, delimiter: str) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for values in rows:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in values])
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    return path
