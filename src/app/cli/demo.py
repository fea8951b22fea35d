"""``treatment-returns demo --out DIR``: the whole job end to end on a fictional partnership.

Synthesises a small partnership with a few defects into ``DIR/extracts``, validates it into
``DIR/validation.html``, and generates both returns as DRAFT into ``DIR`` for the last complete
quarter. Everything is synthetic: no real person's data.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

DEMO_NAME = "Demo Partnership (synthetic data)"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo", help="synthesise, validate and generate, end to end",
                                   description="Synthesise a fictional partnership with a few defects, "
                                               "validate it and generate both returns as drafts.")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write into")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from app import jobs
    from app.reports import write_report
    from app.synth import generate, write
    from rules.periods import quarter_containing
    from rules.settings import Settings

    out = Path(args.out)
    as_at = dt.date.today()
    period = quarter_containing(as_at).previous()
    synthetic = generate(providers=3, episodes=1200, seed=2025, defects=0.01, as_at=as_at)
    paths = write(synthetic, out / "extracts")
    checked = jobs.check_files(paths, as_at=as_at, settings=Settings(partnership_name=DEMO_NAME))
    report = checked.report
    validation = write_report(out / "validation.html", report, files=list(checked.tables.files),
                              files_count=len(paths), row_counts=checked.tables.row_counts())
    result = jobs.generate(checked, period, out, draft=True)
    print(f"Demo partnership: {len(synthetic.providers)} providers, as at {as_at.isoformat()}, "
          f"period {period.label}")
    print(f"Extracts:          {out / 'extracts'}")
    print(f"Validation report: {validation} ({report.errors} errors, {report.warnings} warnings)")
    for path in result.outputs:
        print(f"Return (DRAFT):    {path}")
    for warning in result.warnings:
        print(f"warning: {warning}")
    return 0
