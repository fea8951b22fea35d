"""``treatment-returns demo --out DIR``: the whole job end to end on a fictional partnership.

Synthesises a small partnership with a few defects into ``DIR/extracts``, validates it into
``DIR/validation.html``, and generates both returns as DRAFT into ``DIR`` for the last complete
quarter. Everything is synthetic: no real person's data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
from pathlib import Path

import pandas as pd

DEMO_NAME = "Demo Partnership (synthetic data)"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo", help="synthesise, validate and generate, end to end",
                                   description="Synthesise a fictional partnership with a few defects, "
                                               "validate it and generate both returns as drafts.")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write into")
    parser.set_defaults(run=run)


def write_validation_html(path: Path, findings: pd.DataFrame, *, as_at: dt.date, files: list[str]) -> None:
    """A plain HTML list of the findings (used when the project's own report writer is not there)."""
    errors = int((findings["severity"] == "error").sum())
    warnings = int((findings["severity"] == "warning").sum())
    head = "".join(f"<th>{h}</th>" for h in ("Severity", "Rule", "File", "Row", "Record", "Message"))
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in (
            r["severity"], r["rule"], r["file"], "" if pd.isna(r["row"]) else int(r["row"]), r["record"],
            r["message"])) + "</tr>"
        for r in findings.to_dict("records"))
    text = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Validation report</title>"
            "<style>body{font-family:Arial,sans-serif}table{border-collapse:collapse}"
            "td,th{border:1px solid #999;padding:2px 6px;font-size:13px}</style></head><body>"
            f"<h1>Validation report</h1><p>Extracts as at {as_at.isoformat()}: {html.escape(', '.join(files))}</p>"
            f"<p>{errors} errors, {warnings} warnings.</p><table><tr>{head}</tr>{rows}</table></body></html>")
    path.write_text(text, encoding="utf-8")


def run(args: argparse.Namespace) -> int:
    from app.extracts import open_extracts
    from app.returns.atomic import atomic_write
    from app.returns.generate import generate_returns
    from app.synth import generate, write
    from rules.engine import evaluate
    from rules.periods import quarter_containing
    from rules.settings import Settings

    out = Path(args.out)
    as_at = dt.date.today()
    period = quarter_containing(as_at).previous()
    synthetic = generate(providers=3, episodes=1200, seed=2025, defects=0.01, as_at=as_at)
    paths = write(synthetic, out / "extracts")
    opened = open_extracts(paths, as_at=as_at)
    settings = Settings(partnership_name=DEMO_NAME)
    report = evaluate(opened.tables, settings=settings, schema_findings=opened.findings)
    validation = out / "validation.html"
    atomic_write(validation, lambda tmp: write_validation_html(tmp, report.findings, as_at=as_at,
                                                                 files=list(opened.tables.files)))
    result = generate_returns(opened.tables, report.findings, period, out, draft=True, as_at=as_at,
                              settings=settings)
    print(f"Demo partnership: {len(synthetic.providers)} providers, as at {as_at.isoformat()}, "
          f"period {period.label}")
    print(f"Extracts:          {out / 'extracts'}")
    print(f"Validation report: {validation} ({report.errors} errors, {report.warnings} warnings)")
    for path in result.outputs:
        print(f"Return (DRAFT):    {path}")
    for warning in result.warnings:
        print(f"warning: {warning}")
    return 0
