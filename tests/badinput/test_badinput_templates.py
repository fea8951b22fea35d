"""Templates are code from outside: hostile or damaged ones are refused with one line, and run nothing.

Each case has its exact outcome: the tag check's problem, the filler's refusal (the sandbox, even when
the check is skipped), and the command line's exit code and line.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from app.cli import main
from app.errors import InputError
from app.returns.checking import check_template
from app.returns.context import example_context
from app.returns.excel_fill import fill_xlsx
from app.returns.word_fill import fill_docx

MARKER = "pwned-marker"
#: Walks from a string to every class in the program, finds Popen and runs a command.
POPEN = ("{% for c in ''.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == 'Popen' %}"
         "{{ c(['touch', '%s']).wait() }}{% endif %}{% endfor %}")
#: The same through a global's module namespace.
GLOBALS = "{{ cycler.__init__.__globals__.os.popen('touch %s').read() }}"
#: Seven loops inside each other over the 14 measures: 14**7 = 105 million steps.
ENDLESS = "".join(f"{{% for {v} in measure_rows %}}" for v in "abcdefg") + "x" + "{% endfor %}" * 7
HUGE = "{{ 'A' * 2**33 }}"


def _docx(path: Path, text: str) -> Path:
    doc = Document()
    doc.add_paragraph("Report for {{ partnership }}")
    doc.add_paragraph(text)
    doc.save(path)
    return path


def _xlsx(path: Path, text: str) -> Path:
    wb = Workbook()
    wb.active.title = "Return"
    wb.active["A1"] = "Partnership"
    wb.active["B3"] = "{{ partnership }}"
    wb.active["C4"] = text
    wb.save(path)
    return path


def _rewrite(src: Path, dst: Path, member: str, change) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, change(data) if info.filename == member else data)
    return dst


@pytest.fixture
def ctx():
    return example_context(public=False)


@pytest.mark.parametrize("attack", [POPEN, GLOBALS], ids=["subclasses", "globals"])
@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_template_that_runs_a_command_runs_nothing(tmp_path: Path, ctx, attack: str, kind: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / MARKER
    make = _docx if kind == "docx" else _xlsx
    template = make(tmp_path / f"hostile.{kind}", attack.replace("%s", str(marker)))
    # the tag check refuses it: underscored names are never allowed
    problems = check_template(template, ctx)
    assert problems and problems[0].kind == "unsafe"
    assert problems[0].message.startswith("names starting with _ are never allowed in a template")
    assert problems[0].where == ("Return!C4" if kind == "xlsx" else f"paragraph 2 ({attack.replace('%s', str(marker))[:60]})")
    # --check-template lists it (exit 1), generate refuses it before anything is filled (exit 2)
    assert main(["generate", "--check-template", str(template)]) == 1
    assert "names starting with _ are never allowed" in capsys.readouterr().out
    # and the filler itself, without the check, runs it in the sandbox: refused, nothing run
    with pytest.raises(InputError, match=r"access to attribute '__(class|init)__' of '\w+' object is unsafe"):
        (fill_docx(template, tmp_path / "out.docx", ctx) if kind == "docx"
         else fill_xlsx(template, tmp_path / "out.xlsx", ctx, draft=True))
    assert not marker.exists()


def test_generate_refuses_the_hostile_template_and_runs_nothing(tmp_path: Path, demo_extract: Path) -> None:
    marker = tmp_path / MARKER
    template = _docx(tmp_path / "committee.docx", POPEN.replace("%s", str(marker)))
    done = subprocess.run([sys.executable, "-m", "app", "generate", str(demo_extract), "--period", "2025-26 Q2",
                           "--out", str(tmp_path / "out"), "--draft", "--template", str(template)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith("treatment-returns: the template has tags the product cannot fill: committee.docx "
                               "paragraph 2 (")
    assert "names starting with _ are never allowed in a template" in lines[0]
    assert not marker.exists()
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.fixture(scope="module")
def demo_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    assert main(["synth", "--out", str(out), "--providers", "1", "--episodes", "200", "--seed", "3",
                 "--as-at", "2026-01-15"]) == 0
    return next(out.glob("*.xlsx"))


def test_the_endless_nested_loop_is_refused_within_seconds(tmp_path: Path, ctx) -> None:
    template = _docx(tmp_path / "endless.docx", ENDLESS)
    assert check_template(template, ctx) == []       # every name is fine: it is the work that is not
    with pytest.raises(InputError) as caught:
        fill_docx(template, tmp_path / "out.docx", ctx)
    assert str(caught.value) == (
        "endless.docx: refused: paragraph 2 ({% for a in measure_rows %}{% for b in measure_rows %}{% for): "
        "the loop 'for g in measure_rows' went over 1,000,000 steps in all, far more than a return needs "
        "(loops inside loops?)")
    template = _xlsx(tmp_path / "endless.xlsx", "n = " + ENDLESS)
    with pytest.raises(InputError) as caught:
        fill_xlsx(template, tmp_path / "out.xlsx", ctx, draft=False)
    assert str(caught.value) == ("Return!C4: refused: the loop 'for g in measure_rows' went over 1,000,000 steps "
                                 "in all, far more than a return needs (loops inside loops?)")


def test_a_slow_template_is_stopped_by_the_clock(tmp_path: Path, ctx) -> None:
    from app.returns.sandbox import Limits

    template = _docx(tmp_path / "slow.docx", ENDLESS)
    with pytest.raises(InputError, match=r"^slow.docx: refused: paragraph 2 .*filling the template took over "
                                         r"0.2 seconds \(in the loop 'for g in measure_rows'\)"):
        fill_docx(template, tmp_path / "out.docx", ctx, limits=Limits(loop_steps=10**9, seconds=0.2))


@pytest.mark.parametrize(("text", "outcome"), [
    (HUGE, "refused: a value would be 8,589,934,592 characters long, more than 50,000,000, far more than a "
           "return needs"),
    ("{{ 9 ** 999999999 }}", "refused: a number of about 1,204,119,999 digits, far more than a return needs"),
    ("{{ '%999999999d' % 1 }}", "refused: the format '%999999999d' asks for a huge or variable width"),
    ("{{ partnership | center(2**40) }}", "refused: a value would be 1,099,511,627,812 characters long, more "
                                          "than 50,000,000, far more than a return needs"),
])
def test_a_value_too_big_to_make_is_refused_before_it_is_made(tmp_path: Path, ctx, text: str, outcome: str) -> None:
    ctx = {**ctx, "partnership": "Anytown Drug and Alcohol Partnership"}
    with pytest.raises(InputError) as caught:
        fill_docx(_docx(tmp_path / "big.docx", text), tmp_path / "out.docx", ctx)
    assert str(caught.value) == f"big.docx: {outcome}"
    with pytest.raises(InputError) as caught:
        fill_xlsx(_xlsx(tmp_path / "big.xlsx", "n = " + text), tmp_path / "out.xlsx", ctx, draft=False)
    assert str(caught.value) == f"Return!C4: {outcome}"


def test_a_cell_longer_than_excel_holds_is_refused(tmp_path: Path, ctx) -> None:
    with pytest.raises(InputError) as caught:
        fill_xlsx(_xlsx(tmp_path / "long.xlsx", "{{ 'A' * 40000 }}"), tmp_path / "out.xlsx", ctx, draft=False)
    assert str(caught.value) == ("Return!C4: refused: the tag \"{{ 'A' * 40000 }}\" makes 40,000 characters, more "
                                 "than the 32,767 an Excel cell holds")


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10)) + b"]>")


def _damaged(folder: Path) -> dict[str, str]:
    """Damaged templates and the exact line each gets."""
    ok_docx, ok_xlsx = _docx(folder / "ok.docx", "{{ partnership }}"), _xlsx(folder / "ok.xlsx", "{{ as_at }}")
    _rewrite(ok_docx, folder / "laughs.docx", "word/document.xml",
             lambda xml: LAUGHS + xml.split(b"?>", 1)[1].replace(b"{{ partnership }}", b"&lol9;"))
    _rewrite(ok_xlsx, folder / "dtd.xlsx", "xl/worksheets/sheet1.xml",
             lambda xml: b'<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + xml)
    shutil.copyfile(ok_xlsx, folder / "renamed.docx")
    shutil.copyfile(ok_docx, folder / "renamed.xlsx")
    _rewrite(ok_docx, folder / "broken.docx", "word/document.xml", lambda xml: xml[: len(xml) // 2])
    (folder / "text.docx").write_text("Dear colleague, the template is attached.")
    (folder / "empty.xlsx").write_bytes(b"")
    hostile = ("refused: part {} declares a DTD or entities, which Word and Excel never write and which are "
               "used to attack programs; save the template again from Word or Excel")
    return {
        "laughs.docx": hostile.format("word/document.xml"),
        "dtd.xlsx": hostile.format("xl/worksheets/sheet1.xml"),
        "renamed.docx": "this is an Excel workbook (.xlsx) with a .docx name, not a Word document (.docx); give "
                        "the template its right name or choose the right file",
        "renamed.xlsx": "this is a Word document (.docx) with a .xlsx name, not an Excel workbook (.xlsx); give "
                        "the template its right name or choose the right file",
        "broken.docx": "the template is damaged: part word/document.xml is not well-formed XML (",
        "text.docx": "not a Word document (.docx): the file is damaged or another format (File is not a zip file)",
        "empty.xlsx": "the template is empty (0 bytes)",
    }


def test_damaged_templates_get_one_line_and_exit_2(tmp_path: Path, ctx, capsys: pytest.CaptureFixture[str]) -> None:
    for name, outcome in _damaged(tmp_path).items():
        path = tmp_path / name
        with pytest.raises(InputError) as caught:
            check_template(path, ctx)
        assert str(caught.value).startswith(f"{name}: {outcome}"), name
        with pytest.raises(InputError) as filled:      # the fillers check the package too
            if name.endswith(".docx"):
                fill_docx(path, tmp_path / "out.docx", ctx)
            else:
                fill_xlsx(path, tmp_path / "out.xlsx", ctx, draft=True)
        assert str(filled.value) == str(caught.value)
        assert main(["generate", "--check-template", str(path)]) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert err == f"treatment-returns: {caught.value}\n"


UNKNOWN_FILTERS = ["{{ partnership | uper }}", "{{ partnership|uper(2) }}", "{% filter uper %}x{% endfilter %}",
                   "{% if report.subject | uper %}y{% endif %}", "{{ partnership | default(report.subject | uper) }}",
                   "{% set a = partnership | uper %}{{ a }}", "{% for m in measure_rows | uper %}{{ m.id }}{% endfor %}"]


@pytest.mark.parametrize("text", UNKNOWN_FILTERS)
@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_an_unknown_filter_is_found_with_its_place(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   text: str, kind: str) -> None:
    """``| uper`` is named like an unknown name: the check exits 1 and says where (paragraph or cell)."""
    template = (_docx if kind == "docx" else _xlsx)(tmp_path / f"t.{kind}", text)
    assert main(["generate", "--check-template", str(template)]) == 1
    out, err = capsys.readouterr()
    where = "paragraph 2 (" if kind == "docx" else "Return!C4"
    assert out.splitlines() == [f"t.{kind}: {where}{text[:60] + ')' if kind == 'docx' else ''}: "
                                "no such filter or test in a template: | uper"]
    assert err == ""


def test_an_unknown_filter_in_a_row_loop_and_a_header_is_located(tmp_path: Path, ctx) -> None:
    doc = Document()
    doc.add_paragraph("Report for {{ partnership | upper }}")  # a real filter, and the word upper, come first
    table = doc.add_table(rows=3, cols=1)
    for row, text in zip(table.rows, ["{%tr for p in by.provider %}", "{{ p.name | uper }}", "{%tr endfor %}"],
                         strict=True):
        row.cells[0].text = text
    doc.sections[0].header.paragraphs[0].text = "{{ marking | lowr }}"
    doc.save(tmp_path / "loop.docx")
    problems = {p.tag: p.where for p in check_template(tmp_path / "loop.docx", ctx)}
    assert problems == {"| uper": "paragraph 3 ({{ p.name | uper }})",
                        "| lowr": "section 1 header paragraph 1 ({{ marking | lowr }})"}
