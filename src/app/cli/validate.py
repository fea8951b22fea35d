"""``treatment-returns validate FILE ...``: check extracts against the schema and the rule catalogue.

Prints a summary by rule and severity and the first findings (``--format table``) or the JSON of
spec/cli.md (``--format json``); ``--out`` also writes an .html, .xlsx or .json report.
Exit codes: 0 no errors, 1 errors found, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import add_as_at, existing_path


def report_path(text: str) -> Path:
    """An --out path ending in .html, .xlsx or .json (anything else is a usage error)."""
    from app.reports import SUFFIXES
    path = Path(text)
    if path.suffix.lower() not in SUFFIXES:
        raise argparse.ArgumentTypeError(f"{text}: a report file must end in {', '.join(SUFFIXES)}")
    return path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate", help="check extracts and report the findings",
        description="Check extracts against the schema and the rule catalogue. "
                    "Exit code 0: no errors; 1: errors found; 2: bad input or usage.")
    parser.add_argument("files", nargs="+", type=existing_path, metavar="FILE",
                        help="an extract: .xlsx workbook, flat sheet, or folder of three CSV files")
    add_as_at(parser)
    parser.add_argument("--mapping", type=existing_path, default=None, metavar="PROFILE",
                        help="a saved mapping profile (.json) for the providers' headers and codes")
    parser.add_argument("--rules", type=existing_path, default=None, metavar="CATALOGUE",
                        help="a rule catalogue (.toml) changing or adding to the default rules")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="table for people (default), json for tools")
    parser.add_argument("--out", type=report_path, default=None, metavar="REPORT",
                        help="also write a report file: REPORT.html, REPORT.xlsx or REPORT.json")
    parser.add_argument("--identifiers", action="store_true",
                        help="show client reference, initials, date of birth and postcode values in the --out "
                             "report (withheld by default: a report may be sent to a provider)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from app import jobs
    from app.extracts import MappingProfile
    from app.reports import format_table, write_report
    from app.reports.jsonout import dump_report_json

    catalogue = jobs.load_catalogue(args.rules) if args.rules else None
    profile = MappingProfile.load(args.mapping) if args.mapping else None
    checked = jobs.check_files(args.files, as_at=args.as_at, catalogue=catalogue, profile=profile)
    tables, report = checked.tables, checked.report
    files_count = len(args.files)
    rows = tables.row_counts()
    if args.out:
        write_report(args.out, report, files=list(tables.files), files_count=files_count, row_counts=rows,
                     identifiers=args.identifiers)
    if args.format == "json":
        dump_report_json(report.to_json(files_count=files_count, row_counts=rows), sys.stdout)
    else:
        sys.stdout.write(format_table(report, files_count=files_count, row_counts=rows))
        if args.out:
            sys.stdout.write(f"Report written to {args.out}\n")
    return 1 if report.errors else 0
