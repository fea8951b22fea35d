"""The generate job: extracts + findings + period -> the filled national return and committee report.

One function, ``generate_returns``, used by the CLI (and the app): it computes the measures for the
period, the previous quarter, the same quarter last year and the last four quarters (or takes them
from workspace snapshots), builds the restricted and the public context, checks every template,
refuses a final return while unaccepted errors remain, and writes each output atomically.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from app.errors import InputError
from app.returns.atomic import atomic_write, refuse_template_overwrite
from app.returns.checking import check_template
from app.returns.context import build_context
from app.returns.dq_context import mark_accepted, outstanding_errors
from app.returns.excel_fill import fill_xlsx
from app.returns.period_words import previous_of
from app.returns.tagcheck import Problem
from app.returns.word_fill import fill_docx
from rules.periods import Period
from rules.settings import Settings
from rules.tables import Tables

NATIONAL_RETURN = "national_quarterly_return.xlsx"
COMMITTEE_REPORT = "committee_report.docx"


class ReturnRefused(Exception):
    """A final return asked for while error findings remain unaccepted (CLI exit 1)."""


@dataclass
class Generated:
    """What a generate job wrote, and what the user should be told."""

    outputs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: The period's partnership figures the returns were filled with (measures JSON, no breakdown):
    #: what a workspace keeps as the period's snapshot, so nothing computes them twice.
    figures: dict[str, Any] | None = None


def templates_dir() -> Path:
    """The default templates: beside the package in a checkout, or in a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle and (Path(bundle) / "templates").is_dir():
        return Path(bundle) / "templates"
    return Path(__file__).resolve().parents[3] / "templates"


def default_templates() -> list[Path]:
    return [templates_dir() / NATIONAL_RETURN, templates_dir() / COMMITTEE_REPORT]


def is_public(template: Path) -> bool:
    """Word templates are public (suppressed), workbooks restricted, unless the name says otherwise."""
    name = template.name.lower()
    if "restricted" in name:
        return False
    if "public" in name:
        return True
    return template.suffix.lower() == ".docx"


def output_name(template: Path, period: Period, *, draft: bool) -> str:
    """``committee_report_2025-26_Q1_DRAFT.docx``: distinct per template, period and status."""
    label = re.sub(r"[^A-Za-z0-9-]+", "_", period.label).strip("_")
    return f"{template.stem}_{label}{'_DRAFT' if draft else ''}{template.suffix.lower()}"


def measures_json(tables: Tables, period: Period, *, as_at: dt.date, settings: Settings,
                  findings: pd.DataFrame | None, by_provider: bool = False) -> dict[str, Any]:
    """The measures JSON (spec/cli.md) of one period."""
    from rules.measures import compute

    by = ["provider_code"] if by_provider else []
    return compute(tables, period, as_at=as_at, settings=settings, findings=findings, by=by).to_json()


def comparisons(tables: Tables, period: Period, *, as_at: dt.date, settings: Settings,
                findings: pd.DataFrame | None,
                snapshots: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """Current (by provider), previous quarter, same quarter last year and the last four quarters.

    A period found in ``snapshots`` (period label -> measures JSON saved in the workspace) is taken
    from there, as the figures were reported; any other is computed from the same data.
    """
    snapshots = snapshots or {}

    def get(p: Period, *, by_provider: bool = False) -> dict[str, Any]:
        if p.label in snapshots and not by_provider:
            return dict(snapshots[p.label])
        return measures_json(tables, p, as_at=as_at, settings=settings, findings=findings,
                             by_provider=by_provider)

    current = get(period, by_provider=True)
    previous_period = previous_of(period)  # previous quarter, previous year, or the year before a YTD
    previous = get(previous_period)
    last_year = get(period.same_quarter_last_year())
    quarters = []
    for q in period.last_quarters(4):
        if q.label == period.label:
            quarters.append(current)
        elif q.label == previous_period.label:
            quarters.append(previous)
        else:
            quarters.append(get(q))
    return {"current": current, "previous": previous, "last_year": last_year, "quarters": quarters}


def check_template_file(template: Path, settings: Settings | None = None) -> list[Problem]:
    """A template's problems before any extract is open (the CLI's and the app's "Check template")."""
    from app.returns.context import example_context

    return check_template(template, example_context(public=is_public(Path(template)), settings=settings))


def check_templates(templates: Sequence[Path], contexts: Mapping[bool, Mapping[str, Any]]) -> list[Problem]:
    """Problems of every template against the context it will be filled with."""
    problems = []
    for template in templates:
        for p in check_template(template, contexts[is_public(template)]):
            problems.append(Problem(p.kind, f"{template.name} {p.where}", p.tag, p.message))
    return problems


def return_contexts(tables: Tables, findings: pd.DataFrame | None, period: Period, *, draft: bool,
                    as_at: dt.date | None = None, settings: Settings | None = None,
                    accepted: pd.DataFrame | None = None, generated: dt.date | None = None,
                    snapshots: Mapping[str, Mapping[str, Any]] | None = None,
                    report: Mapping[str, str] | None = None) -> dict[bool, dict[str, Any]]:
    """The restricted (False) and public (True) contexts the templates of ``period`` are filled with."""
    return contexts_of(period_figures(tables, findings, period, as_at=as_at, settings=settings, accepted=accepted,
                                      snapshots=snapshots),
                       findings, draft=draft, settings=settings, accepted=accepted, generated=generated, report=report)


def period_figures(tables: Tables, findings: pd.DataFrame | None, period: Period, *, as_at: dt.date | None = None,
                   settings: Settings | None = None, accepted: pd.DataFrame | None = None,
                   snapshots: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """The figures a return shows (``comparisons``): accepted findings no longer exclude records
    (the data were confirmed); other error findings do."""
    settings = settings or Settings()
    as_at = as_at or tables.as_at or dt.date.today()
    marked = mark_accepted(findings, accepted)
    open_findings = findings[~marked["accepted"].to_numpy(dtype=bool)] if findings is not None else None
    return comparisons(tables, period, as_at=as_at, settings=settings, findings=open_findings, snapshots=snapshots)


def contexts_of(figures: dict[str, Any], findings: pd.DataFrame | None, *, draft: bool, settings: Settings | None,
                accepted: pd.DataFrame | None, generated: dt.date | None,
                report: Mapping[str, str] | None) -> dict[bool, dict[str, Any]]:
    """The restricted (False) and public (True) contexts from the period's figures."""
    settings = settings or Settings()
    return {public: build_context(figures["current"], settings=settings, public=public, draft=draft,
                                  previous=figures["previous"], last_year=figures["last_year"],
                                  quarters=figures["quarters"], findings=findings, accepted=accepted,
                                  generated=generated, report=report)
            for public in (False, True)}


def check_returns(tables: Tables, findings: pd.DataFrame | None, period: Period, *,
                  templates: Sequence[Path] | None = None, draft: bool = False, as_at: dt.date | None = None,
                  settings: Settings | None = None, accepted: pd.DataFrame | None = None,
                  snapshots: Mapping[str, Mapping[str, Any]] | None = None) -> list[Problem]:
    """Every tag of the templates that cannot be filled for ``period``, checked against the very
    contexts ``generate_returns`` would fill them with (nothing is written)."""
    templates = [Path(t) for t in (templates or default_templates())]
    for template in templates:
        if not template.is_file():
            raise InputError("template not found", file=str(template))
    contexts = return_contexts(tables, findings, period, draft=draft, as_at=as_at, settings=settings,
                               accepted=accepted, snapshots=snapshots)
    return check_templates(templates, contexts)


def generate_returns(tables: Tables, findings: pd.DataFrame | None, period: Period, out_dir: Path, *,
                     templates: Sequence[Path] | None = None, draft: bool = False,
                     as_at: dt.date | None = None, settings: Settings | None = None,
                     accepted: pd.DataFrame | None = None, generated: dt.date | None = None,
                     snapshots: Mapping[str, Mapping[str, Any]] | None = None,
                     report: Mapping[str, str] | None = None) -> Generated:
    """Fill every template for ``period`` into ``out_dir``.

    Raises ``ReturnRefused`` for a final return while error findings remain unaccepted, and
    ``InputError`` for a template with unknown tags or an output that would overwrite a template.
    """
    settings = settings or Settings()
    templates = [Path(t) for t in (templates or default_templates())]
    for template in templates:
        if not template.is_file():
            raise InputError("template not found", file=str(template))
        if template.suffix.lower() not in (".xlsx", ".docx"):
            raise InputError("a template must be an .xlsx workbook or a .docx document", file=str(template))
    left = outstanding_errors(findings, accepted)
    if not draft and left:
        raise ReturnRefused(f"a final return cannot be generated: {left} error finding(s) are not corrected "
                            "or accepted with a reason (generate a draft with --draft)")
    figures = period_figures(tables, findings, period, as_at=as_at, settings=settings, accepted=accepted,
                             snapshots=snapshots)
    contexts = contexts_of(figures, findings, draft=draft, settings=settings, accepted=accepted, generated=generated,
                           report=report)
    problems = check_templates(templates, contexts)
    if problems:
        raise InputError("the template has tags the product cannot fill: "
                         + "; ".join(str(p) for p in problems[:20]))
    out_dir = Path(out_dir)
    result = Generated(figures={**figures["current"], "by": {}})  # the partnership's, without the provider rows
    for template in sorted(templates, key=lambda t: not (is_public(t) and t.suffix.lower() == ".docx")):
        # a public report is checked for recoverable figures first: a refusal leaves nothing written
        out = out_dir / output_name(template, period, draft=draft)
        refuse_template_overwrite(out, templates)
        ctx = contexts[is_public(template)]
        try:
            if template.suffix.lower() == ".xlsx":
                warnings: list[str] = []
                atomic_write(out, lambda tmp, t=template, c=ctx, w=warnings: w.extend(
                    fill_xlsx(t, tmp, c, draft=draft)))
                result.warnings.extend(f"{template.name}: {w}" for w in warnings)
            else:
                atomic_write(out, lambda tmp, t=template, c=ctx: _fill_docx_checked(t, tmp, c, contexts))
        except OSError as exc:
            raise InputError(f"cannot write the return: {exc.strerror or exc}", file=str(out)) from None
        except (KeyError, zipfile.BadZipFile) as exc:
            raise InputError(f"the template cannot be read as {template.suffix} ({exc})",
                             file=str(template)) from None
        result.outputs.append(out)
    result.outputs.sort(key=lambda o: [output_name(t, period, draft=draft) for t in templates].index(o.name))
    return result


def _fill_docx_checked(template: Path, out: Path, context: Mapping[str, Any],
                       contexts: Mapping[bool, Mapping[str, Any]]) -> None:
    """Fill a Word template; a public one is refused if a reader could work out a suppressed figure."""
    fill_docx(template, out, context)
    if context.get("public"):
        from app.returns.document_check import check_document

        problems = check_document(template, out, context, contexts[False])
        if problems:
            raise InputError("refused: a suppressed figure could be worked out from the report: "
                             + "; ".join(problems[:3]), file=template.name)
