"""``treatment-returns generate FILE ... --period PERIOD --out DIR``: fill the returns' templates.

Exit 0 written; 1 a final return refused (errors not corrected or accepted) or, with
``--check-template``, the template has problems; 2 bad input (file, period, template tags, a
commentary file that cannot be read). ``--meeting-date`` and ``--commentary`` are this committee
paper's own details, laid over the settings' (``report=`` of ``jobs.fill_returns``).
"""

from __future__ import annotations

import argparse
import re
import sys
from contextlib import nullcontext
from pathlib import Path

from app.cli.common import add_as_at, existing_path, iso_date
from app.errors import InputError


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
    parser.add_argument("--meeting-date", type=iso_date, default=None, metavar="DATE",
                        help="the committee meeting's date, dd/mm/yyyy or YYYY-MM-DD, printed as 12 June 2025 "
                             "(default: meeting_date in the settings)")
    parser.add_argument("--commentary", type=Path, default=None, metavar="FILE",
                        help="a UTF-8 text file of the commissioner's commentary for the committee report; "
                             "a blank line starts a new paragraph")
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


def read_commentary(path: Path) -> str:
    """The commentary file's paragraphs (split at blank lines), or an InputError naming the file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("no such commentary file", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"the commentary is not UTF-8 text (byte {exc.start + 1}); save it as UTF-8",
                         file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read the commentary: {exc.strerror or exc}", file=str(path)) from None
    return "\n\n".join(p.strip() for p in re.split(r"\n\s*\n", text) if p.strip())


def report_details(args: argparse.Namespace) -> dict[str, str]:
    """This paper's details from ``--meeting-date`` and ``--commentary`` (only those given)."""
    report: dict[str, str] = {}
    if args.meeting_date is not None:
        day = args.meeting_date
        report["meeting_date"] = f"{day.day} {day:%B %Y}"
    if args.commentary is not None:
        report["commentary"] = read_commentary(args.commentary)
    return report


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
    report = report_details(args)   # a bad commentary file stops here, before the extracts are read
    # the workspace stays open (and locked) from reading it to keeping the snapshot: no edit between
    with jobs.open_workspace(args.workspace) if args.workspace is not None else nullcontext() as held:
        checked = jobs.check(args.files, workspace=held, as_at=args.as_at, settings=settings)
        try:
            result = jobs.fill_returns(checked.tables, checked.findings, args.period, args.out,
                                       templates=args.template, draft=args.draft, as_at=checked.as_at,
                                       settings=checked.settings, accepted=checked.accepted,
                                       snapshots=checked.snapshots, workspace=checked.workspace, report=report)
        except ReturnRefused as exc:
            print(f"treatment-returns: {exc}", file=sys.stderr)
            return 1
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for path in result.outputs:
        print(path)
    return 0
