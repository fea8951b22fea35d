"""The HTML validation report's finding tables, parsed back and compared with the findings row by row.

The Values column once printed ``<built-in method values of dict object at 0x...>`` (jinja2 read
``f.values`` as the dict's method); every cell is now checked against the finding it shows.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pandas as pd
import pytest

from app.reports import render_html
from app.reports.redact import redact
from app.synth import generate
from rules import schema
from rules.engine import evaluate

HEADER = ["File", "Table", "Row", "Record", "Fields", "Values", "Message"]


class _Tables(HTMLParser):
    """Every table of the page as (id of the heading before it, rows of cell texts)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[str | None, list[list[str]]]] = []
        self._heading: str | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2":
            self._heading = dict(attrs).get("id")
        elif tag == "table":
            self.tables.append((self._heading, []))
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1][1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _expected(finding: pd.Series) -> list[str]:
    row = "" if pd.isna(finding["row"]) else str(int(finding["row"]))
    return [str(finding["file"]), str(finding["table"]), row, str(finding["record"]),
            ", ".join(finding["fields"]), ", ".join(v or "(blank)" for v in finding["values"]), " ".join(str(finding["message"]).split())]


@pytest.fixture(scope="module")
def report():
    synthetic = generate(providers=2, episodes=120, seed=5, defects=0.08, as_at=dt.date(2025, 7, 15))
    typed, schema_findings = schema.check(synthetic.raw)
    return evaluate(typed, schema_findings=schema_findings)


@pytest.mark.parametrize("identifiers", [False, True], ids=["withheld", "identifiers"])
def test_every_finding_cell_shows_the_finding(report, identifiers: bool) -> None:
    findings = report.findings if identifiers else redact(report.findings)
    assert len(findings) > 10 and findings["rule"].nunique() > 3  # enough rules to mean something
    parser = _Tables()
    parser.feed(render_html(report, identifiers=identifiers))
    groups = [(rule, rows) for rule, rows in parser.tables if rule is not None]
    assert sorted(rule for rule, _ in groups) == sorted(findings["rule"].unique())
    for rule, rows in groups:
        assert rows[0] == HEADER
        expected = [_expected(f) for _, f in findings[findings["rule"] == rule].iterrows()]
        assert rows[1:] == expected, rule
    shown_values = [row[5] for _, rows in groups for row in rows[1:]]
    assert not any("built-in method" in v for v in shown_values)
    assert sum(1 for v in shown_values if v) > len(shown_values) / 2  # most findings carry values
