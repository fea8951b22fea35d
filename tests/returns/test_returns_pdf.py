"""Both returns convert to PDF with LibreOffice headless (spec: printable as they are)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from app.extracts import open_extracts
from app.returns.generate import generate_returns
from app.synth import generate, write
from rules.engine import evaluate
from rules.periods import parse_period
from rules.settings import Settings

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
AS_AT = dt.date(2025, 10, 20)

pytestmark = [pytest.mark.libreoffice, pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed")]


def _to_pdf(path, out, profile):
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=180)
    pdf = out / f"{path.stem}.pdf"
    assert pdf.is_file() and pdf.stat().st_size > 1000, f"no PDF for {path.name}"
    return pdf


def test_both_returns_convert_to_pdf(tmp_path):
    synthetic = generate(providers=4, episodes=300, seed=5, defects=0.0, as_at=AS_AT)
    opened = open_extracts(write(synthetic, tmp_path / "extracts"), as_at=AS_AT)
    settings = Settings(partnership_name="Testshire Partnership")
    report = evaluate(opened.tables, settings=settings, schema_findings=opened.findings)
    result = generate_returns(opened.tables, report.findings, parse_period("2025-26 Q2"), tmp_path / "out",
                              draft=True, as_at=AS_AT, settings=settings)
    assert len({p.stem for p in result.outputs}) == 2  # distinct stems: one PDF each
    pdfs = [_to_pdf(path, tmp_path / "pdf", tmp_path / f"profile-{i}") for i, path in enumerate(result.outputs)]
    if shutil.which("pdftotext"):
        for pdf in pdfs:
            text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout
            assert "DRAFT" in text and "Testshire Partnership" in text
            assert "{{" not in text and "{%" not in text


def test_templates_resaved_by_an_office_suite_still_fill(tmp_path):
    """A user opens and saves the templates (here in LibreOffice): runs and styles change, tags survive."""
    from app.returns.generate import check_template_file, default_templates

    resaved = []
    for i, (template, fmt) in enumerate(zip(default_templates(), ("xlsx:Calc MS Excel 2007 XML",
                                                                   "docx:MS Word 2007 XML"), strict=True)):
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile-{i}", "--headless",
                        "--convert-to", fmt, "--outdir", str(tmp_path / "resaved"), str(template)],
                       check=True, capture_output=True, timeout=180)
        path = tmp_path / "resaved" / template.name
        assert path.is_file()
        assert check_template_file(path) == []
        resaved.append(path)
    synthetic = generate(providers=2, episodes=150, seed=9, defects=0.0, as_at=AS_AT)
    opened = open_extracts(write(synthetic, tmp_path / "extracts"), as_at=AS_AT)
    report = evaluate(opened.tables, schema_findings=opened.findings)
    result = generate_returns(opened.tables, report.findings, parse_period("2025-26 Q2"), tmp_path / "out",
                              templates=resaved, draft=True, as_at=AS_AT)
    assert [p.suffix for p in result.outputs] == [".xlsx", ".docx"]
