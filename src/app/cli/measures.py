"""``treatment-returns measures FILE ... --period PERIOD``: every count and measure, as a table or JSON.

Opens the extracts, runs the rule catalogue (its error findings exclude records from the measures
that depend on the flagged fields), then ``rules.measures.compute``. Output is unsuppressed and
marked "Restricted - not for publication".
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.cli.common import add_as_at, existing_path
from rules.measures import MeasuresResult
from rules.measures.context import BY_FIELDS
from rules.periods import Period, parse_period
from rules.suppression import disclosure_label


def period_arg(text: str) -> Period:
    """A PERIOD argument; a bad one is a usage error (exit 2) with the accepted forms."""
    try:
        return parse_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("measures", help="compute the counts and measures for a period",
                                   description="Compute every count and measure of the returns for one period.")
    parser.add_argument("files", nargs="*", type=existing_path, metavar="FILE",
                        help="an extract: .xlsx workbook, flat sheet, or folder of three CSV files")
    parser.add_argument("--workspace", type=existing_path, default=None, metavar="FILE",
                        help="use a saved workspace (its edits, settings and accepted findings) instead of files")
    parser.add_argument("--period", required=True, type=period_arg, metavar="PERIOD",
                        help="required: 2025-26, 2025-26 Q1, 2025-26-Q1, 2025-26 Q2 YTD (or YTD Q2) or "
                             "YYYY-MM-DD..YYYY-MM-DD")
    add_as_at(parser)
    parser.add_argument("--by", action="append", default=[], choices=sorted(BY_FIELDS), metavar="FIELD",
                        help="break down by provider_code, pdu, substance, sex, ethnicity or age_band (repeatable)")
    parser.add_argument("--settings", type=existing_path, default=None, metavar="FILE",
                        help="a TOML or JSON file of settings (names as printed in the output)")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="table for people (default), json for tools")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from app import jobs

    settings = jobs.load_settings(args.settings) if args.settings else None
    checked = jobs.check(args.files, workspace=args.workspace, as_at=args.as_at, settings=settings)
    result = jobs.measures(checked, args.period, by=args.by)
    if args.format == "json":
        json.dump(result.to_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_table(result))
    return 0


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "met" if value else "not met"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _rows(result: MeasuresResult | Any) -> list[list[str]]:
    rows = []
    for c in result.counts.values():
        rows.append([c.id, c.unit, _cell(c.value) if c.available else "not available", "", "", "", "",
                     _cell(c.excluded), "", ""])
    for m in result.measures.values():
        if not m.available:
            rows.append([m.id, m.unit, "not available", "", "", "", "", "", _cell(m.target), ""])
            continue
        pending = _cell(m.pending) + (f" (+{m.provisional} provisional)" if m.provisional else "")
        rows.append([m.id, m.unit, "", _cell(m.numerator), _cell(m.denominator), _cell(m.percent), pending,
                     _cell(m.excluded), _cell(m.target), _cell(m.met)])
    return rows


def _grid(rows: list[list[str]]) -> str:
    head = ["id", "unit", "count", "numerator", "denominator", "%", "pending", "excluded", "target", "met"]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(v.ljust(w) if i < 2 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths, strict=True)))
             for r in [head, *rows]]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def format_table(result: MeasuresResult) -> str:
    """The plain-text report: heading, settings, counts and measures, then each breakdown."""
    out = [f"{disclosure_label(result.restricted)}",
           f"Period {result.period.label} ({result.period.start.isoformat()} to {result.period.end.isoformat()}),"
           f" as at {result.as_at.isoformat()}", ""]
    out.append(_grid(_rows(result)))
    for field, groups in result.by.items():
        for value, part in groups.items():
            out.append(f"\n{field} = {value}\n")
            out.append(_grid(_rows(part)))
    out.append("\nSettings:")
    for key, value in result.settings.to_dict().items():
        out.append(f"  {key} = {value}")
    return "\n".join(out) + "\n"
