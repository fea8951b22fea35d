"""Find client identifiers in text: the synthetic source's identifiers, in the forms they could be written.

Identifiers are ``client_ref``, ``postcode`` (full and sector), ``dob`` (ISO, dd/mm/yyyy, d/m/yyyy,
dd.mm.yyyy, dd-Mon-yyyy, d Month yyyy, ddmmyyyy) and the linking key (initials + dob + sex).
Initials on their own are not searched: two capital letters name every pair of the alphabet among a
few thousand clients, so "GP" or "MH" in a report would always "match". An initials pair only
identifies someone next to a date of birth, which the linking-key forms cover.

Text is cut into words (and runs of two or three words, for "ZZ91 3JP" and "5 June 1980"), each also
split at "/" and ","; a word is a leak when it equals an identifier exactly.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from html import unescape
from pathlib import Path

import pandas as pd

_EDGE = "\"'()[]{}<>;:,.!?\u2018\u2019\u201c\u201d"


def identifiers(episodes: pd.DataFrame, *, service_days: set[pd.Timestamp] = frozenset()) -> dict[str, str]:
    """identifier text -> what it is, from raw episodes (text as imported) and their typed dob.

    A date of birth that is also a service date in the data (a referral, triage, TOP... date: some
    injected defects put a birth in 2024) is not searched: a report may show that day as the service
    date, and on its own it identifies nobody.
    """
    out: dict[str, str] = {}
    for ref in episodes["client_ref"].dropna():
        out[str(ref).strip()] = "client_ref"
    for code in episodes["postcode"].dropna():
        code = " ".join(str(code).split()).upper()
        out[code] = "postcode"
        out[code.replace(" ", "")] = "postcode"
        if " " in code and len(code.split()[1]) == 3:
            out[code[:-2]] = "postcode sector"
    dob = pd.to_datetime(episodes["dob_typed"], errors="coerce")
    for day, first, last, sex in zip(dob, episodes["first_initial"], episodes["surname_initial"],
                                     episodes["sex"], strict=True):
        if pd.isna(day) or day in service_days:
            continue
        for form in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%b-%Y", "%d%m%Y", "%d %B %Y", "%d %b %Y"):
            out[day.strftime(form)] = "dob"
        out[f"{day.day}/{day.month}/{day.year}"] = "dob"
        out[f"{day.day} {day.strftime('%B')} {day.year}"] = "dob"
        if isinstance(first, str) and isinstance(last, str):
            key = f"{first}{last}{day.strftime('%d%m%Y')}{sex if isinstance(sex, str) else ''}".upper()
            out[key] = "client_key"
    return out


def words(text: str) -> Iterator[str]:
    parts = [w.strip(_EDGE) for w in text.split()]
    parts = [w for w in parts if w]
    for i, word in enumerate(parts):
        yield word
        yield from (p for p in re.split(r"[/,]", word) if p)
        if i + 1 < len(parts):
            yield f"{word} {parts[i + 1]}"
        if i + 2 < len(parts):
            yield f"{word} {parts[i + 1]} {parts[i + 2]}"


def leaks(texts: Iterable[str], known: dict[str, str]) -> list[tuple[str, str]]:
    """(identifier, kind) found as a whole word in any of ``texts``."""
    found = set()
    for text in texts:
        for word in words(text):
            if word in known:
                found.add((word, known[word]))
    return sorted(found)


def docx_texts(path: Path) -> list[str]:
    """Every run, paragraph and table cell of the body, headers and footers (python-docx), and the core
    properties; then every XML part's text as a backstop (text boxes, footnotes, charts' data)."""
    import docx

    document = docx.Document(str(path))
    out: list[str] = []

    def container(c) -> None:  # noqa: ANN001
        for paragraph in c.paragraphs:
            out.append(paragraph.text)
            out.extend(run.text for run in paragraph.runs)
        for table in c.tables:
            for row in table.rows:
                for cell in row.cells:
                    container(cell)

    container(document)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                     section.even_page_header, section.even_page_footer):
            container(part)
    props = document.core_properties
    out += [props.title or "", props.subject or "", props.author or "", props.comments or "", props.keywords or ""]
    out += zip_xml_texts(path)
    return out


def zip_xml_texts(path: Path) -> list[str]:
    """The text of every XML part of an Office file, paragraph by paragraph (tags dropped)."""
    out = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.endswith((".xml", ".rels")):
                xml = zf.read(name).decode("utf-8", errors="replace")
                xml = re.sub(r"</(?:w:p|a:p|c:v|t|v|si|row)>", "\n", xml)
                out.append(unescape(re.sub(r"<[^>]+>", " ", xml)))
    return out


def xlsx_texts(path: Path) -> list[str]:
    """Every cell value of every sheet, and the sheets' headers and footers."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            out.extend(str(v) for v in row if v is not None)
        for hf in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter, ws.firstHeader, ws.firstFooter):
            out.extend(part.text or "" for part in (hf.left, hf.center, hf.right))
    return out + zip_xml_texts(path)


def html_texts(path: Path) -> list[str]:
    html = path.read_text(encoding="utf-8")
    return [unescape(re.sub(r"<[^>]+>", " \n ", html))]
