"""``treatment-returns generate`` and ``demo`` from the command line: outputs and exit codes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import load_workbook

from app.cli import main
from app.synth import generate, write

AS_AT = dt.date(2025, 7, 15)


@pytest.fixture(scope="module")
def extracts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    clean = write(generate(providers=2, episodes=200, seed=3, defects=0.0, as_at=AS_AT), folder / "clean")
    dirty = write(generate(providers=2, episodes=200, seed=3, defects=0.05, as_at=AS_AT), folder / "dirty")
    return clean, dirty


def test_generate_final_from_clean_extracts(extracts, tmp_path, capsys):
    clean, _ = extracts
    args = ["generate", *map(str, clean), "--period", "2025-26 Q1", "--out", str(tmp_path), "--as-at",
            AS_AT.isoformat()]
    assert main(args) == 0
    printed = capsys.readouterr().out.split()
    assert sorted(p.rsplit("/", 1)[1] for p in printed) == ["committee_report_2025-26_Q1.docx",
                                                            "national_quarterly_return_2025-26_Q1.xlsx"]
    ws = load_workbook(tmp_path / "national_quarterly_return_2025-26_Q1.xlsx")["Summary"]
    assert ws["A1"].value.startswith("National quarterly return") and ws.oddHeader.center.text in (None, "")


def test_final_refused_with_errors_but_draft_allowed(extracts, tmp_path, capsys):
    _, dirty = extracts
    base = ["generate", *map(str, dirty), "--period", "2025-26-Q1", "--out", str(tmp_path)]
    assert main(base) == 1
    assert "cannot be generated" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    assert main([*base, "--draft"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["committee_report_2025-26_Q1_DRAFT.docx",
                                                          "national_quarterly_return_2025-26_Q1_DRAFT.xlsx"]


def test_bad_period_and_bad_template_exit_2(extracts, tmp_path, capsys):
    clean, _ = extracts
    with pytest.raises(SystemExit) as exc:
        main(["generate", *map(str, clean), "--period", "Q5", "--out", str(tmp_path)])
    assert exc.value.code == 2
    bad = tmp_path / "bad.docx"
    from docx import Document

    doc = Document()
    doc.add_paragraph("{{ measures.no_such.percent }}")
    doc.save(bad)
    assert main(["generate", *map(str, clean), "--period", "2025-26 Q1", "--out", str(tmp_path / "o"),
                 "--template", str(bad), "--draft"]) == 2
    assert "measures.no_such" in capsys.readouterr().err


def test_demo_end_to_end(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "validation.html").is_file() and "errors" in out
    drafts = sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".xlsx", ".docx"))
    assert len(drafts) == 2 and all("_DRAFT" in d for d in drafts)
    manifest = json.loads((tmp_path / "extracts" / "manifest.json").read_text())
    assert manifest  # the synthetic defects are listed
