"""The Word side: unknown tags named with their paragraph, curly quotes found, autoescaped rendering."""

from __future__ import annotations

from docx import Document

from app.cli import main
from app.returns.context import example_context
from app.returns.generate import default_templates
from app.returns.tagcheck import RowList
from app.returns.word_fill import check_docx, fill_docx, paragraphs


def _doc(path, lines, table=None):
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                t.rows[r].cells[c].text = text
    doc.sections[0].header.paragraphs[0].text = "{{ draft_mark }}"
    doc.save(path)
    return path


def test_unknown_tags_named_with_paragraph(tmp_path):
    path = _doc(tmp_path / "t.docx", ["Report for {{ partnership }}",
                                      "Planned exits {{ measures.planned_exits.percnt }}",
                                      "{{ nosuch }}"],
                table=[["{%tr for p in by.provider %}"], ["{{ p.name }} {{ p.colour }}"], ["{%tr endfor %}"]])
    problems = check_docx(path, example_context(public=True))
    got = {(p.kind, p.tag): p.where for p in problems}
    assert set(got) == {("unknown", "measures.planned_exits.percnt"), ("unknown", "nosuch"),
                        ("unknown", "p.colour")}
    assert got[("unknown", "measures.planned_exits.percnt")].startswith("paragraph 2 (Planned exits")
    assert got[("unknown", "nosuch")].startswith("paragraph 3")
    assert got[("unknown", "p.colour")].startswith("paragraph 5")


def test_curly_quotes_found(tmp_path):
    path = _doc(tmp_path / "q.docx", ["{{ partnership | replace(\u201cA\u201d, \u2018B\u2019) }}"])
    problems = check_docx(path, example_context(public=True))
    assert [p.kind for p in problems] == ["curly-quotes"]
    assert problems[0].where.startswith("paragraph 1")


def test_render_is_autoescaped_and_complete(tmp_path):
    path = _doc(tmp_path / "r.docx", ["{{ title_prefix }}{{ partnership }}"],
                table=[["{%tr for p in by.provider %}"], ["{{ p.name }}"], ["{%tr endfor %}"]])
    ctx = example_context(public=True)
    ctx = {**ctx, "partnership": "Smith & Jones <Partners>",
           "by": {**ctx["by"], "provider": RowList([{"name": "A & B"}, {"name": "<C>"}])}}
    out = tmp_path / "out.docx"
    fill_docx(path, out, ctx)
    texts = [t for _, t in paragraphs(out)]
    assert "DRAFT - Smith & Jones <Partners>" in texts
    assert "A & B" in texts and "<C>" in texts
    assert "DRAFT" in texts  # the header


def test_check_template_command(tmp_path, capsys):
    for template in default_templates():
        assert main(["generate", "--check-template", str(template)]) == 0
    bad = _doc(tmp_path / "bad.docx", ["{{ measures.planed_exits.percent }}"])
    assert main(["generate", "--check-template", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "paragraph 1" in out and "measures.planed_exits" in out


def test_syntax_error_located(tmp_path):
    path = _doc(tmp_path / "s.docx", ["fine {{ partnership }}", "broken {{ measures.planned_exits. }}"])
    problems = check_docx(path, example_context(public=True))
    assert [(p.kind, p.where.split(" (")[0]) for p in problems] == [("syntax", "paragraph 2")]


def test_unreadable_template_is_bad_input(tmp_path, capsys):
    for name in ("bad.xlsx", "bad.docx"):
        path = tmp_path / name
        path.write_text("not a zip file")
        assert main(["generate", "--check-template", str(path)]) == 2
        assert "the file is damaged or another format" in capsys.readouterr().err
