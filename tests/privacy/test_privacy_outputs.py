"""Public outputs hold no client identifier: the committee report, the national return, the validation
report (.html and .xlsx). The JSON report is complete on purpose (tools need every value).

The demo's own synthetic extracts give the identifiers to look for (every client_ref, postcode,
date of birth in several forms, linking key); ``privacy_scan`` says how text is searched and why
initials alone are not.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from privacy_scan import docx_texts, html_texts, identifiers, leaks, xlsx_texts

from app.cli import main
from app.extracts import open_extracts


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    out = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--out", str(out)]) == 0
    extracts = sorted((out / "extracts").glob("*.xlsx"))
    assert main(["validate", *map(str, extracts), "--out", str(out / "validation.xlsx")]) == 1   # it has errors
    opened = open_extracts(extracts)
    episodes = opened.raw.episodes.assign(dob_typed=opened.tables.episodes["dob"])
    typed = opened.tables
    service_days = {day for table in ("episodes", "modalities", "tops") for name, column in typed.get(table).items()
                    if name != "dob" and str(column.dtype).startswith("datetime") for day in column.dropna()}
    known = identifiers(episodes, service_days=service_days)
    assert sum(kind == "client_ref" for kind in known.values()) > 1000
    return out, known


def test_the_scan_finds_identifiers_anywhere_in_a_document(tmp_path: Path) -> None:
    import pandas as pd

    known = identifiers(pd.DataFrame({"client_ref": ["P-000935"], "postcode": ["ZZ95 3SE"], "first_initial": ["S"],
                                      "surname_initial": ["H"], "sex": ["F"],
                                      "dob_typed": [pd.Timestamp("1972-05-31")]}))
    document = docx.Document()
    document.add_paragraph("Nothing to see: 31 clients, GP referrals, ZZ95 is not a postcode")
    document.sections[0].header.add_paragraph("Prepared for P-000935.")
    document.sections[0].footer.add_paragraph("Lives in ZZ95 3SE")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 1).text = "born 31 May 1972"
    table.cell(0, 0).text = "N9001/SH31051972F"
    path = tmp_path / "leaky.docx"
    document.save(str(path))
    found = leaks(docx_texts(path), known)
    assert found == [("31 May 1972", "dob"), ("P-000935", "client_ref"), ("SH31051972F", "client_key"),
                     ("ZZ95 3SE", "postcode")]


def test_committee_report_holds_no_identifier(demo: tuple[Path, dict[str, str]]) -> None:
    out, known = demo
    [report] = out.glob("committee_report_*.docx")
    texts = docx_texts(report)
    assert sum(len(t) for t in texts) > 1000            # the report has content to search
    assert leaks(texts, known) == []


def test_national_return_holds_no_identifier(demo: tuple[Path, dict[str, str]]) -> None:
    out, known = demo
    [national] = out.glob("national_quarterly_return_*.xlsx")
    assert leaks(xlsx_texts(national), known) == []


def test_html_validation_report_withholds_identifiers(demo: tuple[Path, dict[str, str]]) -> None:
    out, known = demo
    texts = html_texts(out / "validation.html")
    assert "N9001/" in texts[0]                          # records are named, by provider and episode id
    assert "(withheld)" in texts[0]                      # findings on a date of birth are in it, values withheld
    assert leaks(texts, known) == []


def test_xlsx_validation_report_withholds_identifiers(demo: tuple[Path, dict[str, str]]) -> None:
    out, known = demo
    texts = xlsx_texts(out / "validation.xlsx")
    assert any("(withheld)" in t for t in texts)
    assert leaks(texts, known) == []
