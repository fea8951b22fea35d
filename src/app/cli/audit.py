"""``treatment-returns audit --workspace FILE [--out FILE]``: the audit trail of a saved workspace.

Writes exactly what the app's File > Export audit trail writes (``Workspace.export_audit``), as
people read it (``trail.readable``: times dd/mm/yyyy hh:mm in this computer's time zone, dates
dd/mm/yyyy): ``--out TRAIL.xlsx`` (the edits, the sources and the accepted findings) or ``--out
TRAIL.csv`` (the edits); without ``--out`` the edits are printed as CSV, the same columns as the
.csv file.
Values of identifying fields (client reference, initials, date of birth, postcode) are withheld
unless ``--identifiers`` is given. Exit 0 written; 2 bad input or usage (no such file, not a
workspace, open in the app, an --out that is not .xlsx or .csv).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from pathlib import Path

from app.errors import InputError

SUFFIXES = (".xlsx", ".csv")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit", help="write the audit trail (every edit) of a saved workspace",
        description="Write the audit trail of a saved workspace, as the app's File > Export audit trail "
                    "does: every edit with its record, field, old and new value, reason, user and time "
                    "(dd/mm/yyyy hh:mm; dates dd/mm/yyyy). "
                    "Without --out the edits are printed as CSV.")
    parser.add_argument("--workspace", type=Path, required=True, metavar="FILE",
                        help="the saved workspace (.trworkspace); it must not be open in the app")
    parser.add_argument("--out", type=Path, default=None, metavar="FILE",
                        help="write TRAIL.xlsx (edits, sources, accepted findings) or TRAIL.csv (edits)")
    parser.add_argument("--identifiers", action="store_true",
                        help="show client reference, initials, date of birth and postcode values "
                             "(withheld by default: an audit trail may be sent on)")
    parser.set_defaults(run=run)


def _check_paths(workspace: Path, out: Path | None) -> None:
    """Refuse in one line what ``Workspace.open`` would not say clearly (or would change)."""
    if workspace.is_dir():
        raise InputError("a folder, not a workspace file", file=str(workspace))
    if workspace.is_file() and workspace.stat().st_size == 0:
        # SQLite would take an empty file as a new database and the schema would be written into it.
        raise InputError("an empty file, not a Treatment Returns workspace", file=str(workspace))
    if out is None:
        return
    if out.suffix.lower() not in SUFFIXES:
        raise InputError(f"an audit trail file must end in {' or '.join(SUFFIXES)}", file=str(out))
    if out.is_dir():
        raise InputError("a folder: give the audit trail's file name", file=str(out))
    if out.exists() and workspace.exists() and os.path.samefile(out, workspace):
        raise InputError("this is the workspace itself: give another file for the audit trail", file=str(out))


def _print_csv(ws, identifiers: bool) -> None:
    """The .csv export, copied to stdout: same columns and values, no byte-order mark, and the
    platform's own line ends."""
    with tempfile.TemporaryDirectory(prefix="treatment-returns-audit-") as folder:
        written = ws.export_audit(Path(folder) / "audit.csv", identifiers=identifiers)
        with open(written, encoding="utf-8-sig", newline="") as f:
            out = csv.writer(sys.stdout, lineterminator="\n")
            for row in csv.reader(f):
                out.writerow(row)
    sys.stdout.flush()


def run(args: argparse.Namespace) -> int:
    from app.workspace import Workspace

    _check_paths(args.workspace, args.out)
    with Workspace.open(args.workspace) as ws:
        if args.out is None:
            _print_csv(ws, args.identifiers)
            return 0
        try:
            written = ws.export_audit(args.out, identifiers=args.identifiers)
        except OSError as exc:
            raise InputError(f"cannot write the audit trail ({exc.strerror or exc})", file=str(args.out)) from None
    print(written)
    return 0
