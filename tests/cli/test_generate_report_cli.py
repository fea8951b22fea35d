"""``treatment-returns generate --meeting-date DATE --commentary FILE``: the committee paper's own
details from the command line, read back from the report written; a bad commentary file is one line
naming it and exit 2, with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document
from docx.table import Table

from app.cli import main
from app.synth import generate, write

AS_AT = dt.date(2025, 7, 15)


@pytest.fixture(scope="module")
def extracts(tmp_path_factory):
    return write(generate(providers=2, episodes=120, seed=3, defects=0.0, as_at=AS_AT),
                 tmp_path_factory.mktemp("paper") / "clean")


def _base(extracts, out) -> list[str]:
    return ["generate", *map(str, extracts), "--period", "2025-26 Q1", "--out", str(out), "--as-at",
            AS_AT.isoformat()]


def _report(out) -> Document:
    return Document(next(out.glob("committee_report_*.docx")))


def _table_after(doc, caption: str) -> Table:
    seen = False
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p" and "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")).startswith(caption):
            seen = True
        elif tag == "tbl" and seen:
            return Table(child, doc)
    raise AssertionError(f"no table after {caption!r}")


def test_meeting_date_commentary_and_settings_reach_the_committee_report(extracts, tmp_path, capsys) -> None:
    commentary = tmp_path / "commentary.txt"
    commentary.write_text("Waiting times fell again – both providers met the target.\r\n\r\n\r\n"
                          "  The café outreach service opens in July.  \r\n", encoding="utf-8")
    settings = tmp_path / "settings.toml"
    settings.write_text('partnership_name = "Testshire"\nreport_author = "Jo Bloggs"\n'
                        '[provider_names]\nN9001 = "Anytown Recovery"\n'
                        '[targets]\nplanned_exits = 45\n', encoding="utf-8")
    out = tmp_path / "out"
    args = [*_base(extracts, out), "--meeting-date", "12/06/2025", "--commentary", str(commentary),
            "--settings", str(settings)]
    assert main(args) == 0, capsys.readouterr().err
    doc = _report(out)
    details = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert details["Date of meeting:"] == "12 June 2025" and details["Report author:"] == "Jo Bloggs"
    texts = [p.text for p in doc.paragraphs]
    first = texts.index("Waiting times fell again – both providers met the target.")
    assert texts[first + 1] == "The café outreach service opens in July."   # each its own Word paragraph
    assert not any("[Add the commissioner's commentary" in p.text for p in doc.paragraphs)
    assert "Anytown Recovery (N9001)" in [row.cells[0].text for row in _table_after(doc, "Table 3").rows]
    table_1 = [[c.text for c in row.cells] for row in _table_after(doc, "Table 1").rows]
    assert any("45%" in cells for cells in table_1)          # the one target set; the others are kept
    assert sum(1 for cells in table_1 if "90%" in cells) >= 2


def test_an_iso_meeting_date_and_no_commentary_leave_the_marked_place(extracts, tmp_path) -> None:
    out = tmp_path / "out"
    assert main([*_base(extracts, out), "--meeting-date", "2025-06-12"]) == 0
    doc = _report(out)
    assert {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}["Date of meeting:"] == "12 June 2025"
    assert any("[Add the commissioner's commentary" in p.text for p in doc.paragraphs)


@pytest.mark.parametrize("content", [None, b"Caf\xe9 opens in July.\n"], ids=["missing", "not-utf8"])
def test_a_commentary_that_cannot_be_read_is_one_line_naming_it(extracts, tmp_path, capsys, content) -> None:
    commentary = tmp_path / "commentary.txt"
    if content is not None:
        commentary.write_bytes(content)
    out = tmp_path / "out"
    assert main([*_base(extracts, out), "--commentary", str(commentary)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(commentary) in err and err.startswith("treatment-returns: ")
    assert ("no such commentary file" if content is None else "not UTF-8") in err
    assert not out.exists()


def test_a_meeting_date_that_is_not_a_date_is_a_usage_error(extracts, tmp_path, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main([*_base(extracts, tmp_path / "out"), "--meeting-date", "31/06/2025"])
    assert exc.value.code == 2 and "31/06/2025" in capsys.readouterr().err
