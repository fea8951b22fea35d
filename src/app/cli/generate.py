"""``treatment-returns generate FILE ... --period PERIOD --out DIR``: fill the returns' templates.

Exit 0 written; 1 a final return refused (errors not corrected or accepted) or, with
``--check-template``, the template has problems; 2 bad input (file, period, template tags).
"""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from pathlib import Path

from app.cli.common import add_as_at, existing_path


def register(subparsers: argparse._SubParsersAction) -> None:
    from app.cli.measures import period_arg

    parser = subparsers.add_parser(
        "generate", help="fill the national return and the committee report for a period",
        description="Fill the national quarterly return (restricted) and the committee report (public, "
                    "small numbers suppressed) from the extracts.")
    parser.add_argument("files", nargs="*", type=existing_path, metavar="FILE",
                        help="an extract: .xlsx workbook, flat sheet, or folder of three CSV files "
                             "(required unless --workspace or --check-template)")
    parser.add_argument("--period", type=period_arg, metavar="PERIOD",
                        help="required (unless --check-template): the period of the returns, 2025-26 Q1, "
                             "2025-26, 2025-26 Q2 YTD (or YTD Q2) or YYYY-MM-DD..YYYY-MM-DD")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="required (unless --check-template): the folder to write the returns into")
    parser.add_argument("--template", action="append", type=existing_path, default=None, metavar="FILE",
                        help="a template to fill instead of the defaults (repeatable; .xlsx or .docx)")
    parser.add_argument("--draft", action="store_true",
                        help="a draft, marked DRAFT, allowed while errors remain")
    add_as_at(parser)
    parser.add_argument("--workspace", type=existing_path, default=None, metavar="FILE",
                        help="use a saved workspace (its edits and settings) instead of raw files")
    parser.add_argument("--settings", type=existing_path, default=None, metavar="FILE",
                        help="a TOML or JSON file of settings (partnership name, targets...)")
    parser.add_argument("--check-template", type=existing_path, default=None, metavar="FILE",
                        help="list the tags of a template the product cannot fill, then stop")
    parser.set_defaults(run=run, _parser=parser)


def check_template_command(path: Path, settings_path: Path | None) -> int:
    from app.jobs import load_settings
    from app.returns.generate import check_template_file

    problems = check_template_file(path, load_settings(settings_path))
    for p in problems:
        print(f"{path.name}: {p}")
    if not problems:
        print(f"{path.name}: every tag can be filled")
    return 1 if problems else 0


def run(args: argparse.Namespace) -> int:
    if args.check_template is not None:
        return check_template_command(args.check_template, args.settings)
    missing = [name for name, value in (("--period", args.period), ("--out", args.out)) if not value]
    if not args.files and args.workspace is None:
        missing.insert(0, "FILE (or --workspace)")
    if missing:
        args._parser.error(f"the following arguments are required: {', '.join(missing)}")

    from app import jobs
    from app.returns.generate import ReturnRefused
    settings = jobs.load_settings(args.settings) if args.settings else None
    # the workspace stays open (and locked) from reading it to keeping the snapshot: no edit between
    with jobs.open_workspace(args.workspace) if args.workspace is not None else nullcontext() as held:
        checked = jobs.check(args.files, workspace=held, as_at=args.as_at, settings=settings)
        try:
            result = jobs.generate(checked, args.period, args.out, templates=args.template, draft=args.draft)
        except ReturnRefused as exc:
            print(f"treatment-returns: {exc}", file=sys.stderr)
            return 1
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for path in result.outputs:
        print(path)
    return 0
