"""Validation report writers: HTML (to email), XLSX (to filter), JSON (for tools), text (terminal).

One ``rules.engine.Report`` feeds them all. ``write_report`` picks the writer from the suffix and
writes atomically (a half-written report is never left behind).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from app.atomic import atomic_write
from app.errors import InputError
from app.reports.html import render_html, write_html
from app.reports.jsonout import dump_report_json
from app.reports.redact import redact_json
from app.reports.text import format_table
from app.reports.xlsx import write_xlsx
from rules.engine import Report
from rules.engine.order import FindingRows

SUFFIXES: tuple[str, ...] = (".html", ".xlsx", ".json")


def for_provider(report: Report, provider: str) -> Report:
    """A copy of ``report`` holding only one provider's findings (for the report sent to that provider)."""
    findings = report.findings[report.findings["provider"] == provider].reset_index(drop=True)
    return dataclasses.replace(report, rows=FindingRows(findings), order=None)


def write_json(path: Path, report: Report, *, files_count: int | None = None,
               row_counts: dict[str, int] | None = None, identifiers: bool = False) -> None:
    """The ``validate --format json`` object as a file; identifying values withheld unless asked for."""
    data = report.to_json(files_count=files_count, row_counts=row_counts)
    if not identifiers:
        data["findings"] = redact_json(data["findings"])
    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8") as stream:
            dump_report_json(data, stream)

    atomic_write(Path(path), write)


def write_report(path: Path, report: Report, *, files: list[str] | None = None, files_count: int | None = None,
                 row_counts: dict[str, int] | None = None, identifiers: bool = False) -> Path:
    """Write ``report`` as .html, .xlsx or .json (by the suffix of ``path``).

    A report file may be emailed to a provider, so client reference, initials, date of birth and
    postcode values are withheld unless ``identifiers`` is asked for.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"a report file must end in {', '.join(SUFFIXES)}", file=str(path))
    if not path.parent.exists():
        raise InputError("the folder does not exist", file=str(path))
    tmp = path.with_name(f".{path.name}.tmp{suffix}")
    try:
        if suffix == ".html":
            write_html(tmp, report, files=files, row_counts=row_counts, identifiers=identifiers)
        elif suffix == ".xlsx":
            write_xlsx(tmp, report, files=files, row_counts=row_counts, identifiers=identifiers)
        else:
            write_json(tmp, report, files_count=files_count, row_counts=row_counts, identifiers=identifiers)
        tmp.replace(path)
    except OSError as exc:
        raise InputError(f"cannot write the report: {exc.strerror or exc}", file=str(path)) from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


__all__ = ["SUFFIXES", "for_provider", "format_table", "render_html", "write_html", "write_json", "write_report", "write_xlsx"]
