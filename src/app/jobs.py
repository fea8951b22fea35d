"""The one place that composes the jobs: open, validate, measure, generate.

The command line calls these; a job written here once cannot drift between the faces that use it.
Inputs are either raw extract files or a saved workspace (its edits, settings, rule catalogue,
accepted findings and measure snapshots).
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from app.errors import InputError
from rules.catalogue import Catalogue, CatalogueError
from rules.engine import Report, evaluate
from rules.periods import Period
from rules.progress import NO_PROGRESS, Progress
from rules.settings import Settings
from rules.tables import Tables


@dataclass
class Checked:
    """Typed tables with their findings, and everything a return needs beside them."""

    tables: Tables
    report: Report
    settings: Settings
    as_at: dt.date
    files_count: int
    accepted: pd.DataFrame | None = None
    snapshots: dict[str, Any] = field(default_factory=dict)
    #: The workspace the tables came from: its file, or the open workspace when the caller holds it
    #: (``generate --workspace`` holds it, and its lock, for the whole run).
    workspace: Any = None

    @property
    def findings(self) -> pd.DataFrame:
        return self.report.findings


def load_settings(path: Path | None, base: Settings | None = None) -> Settings:
    """Settings from a TOML or JSON file over ``base``; anything wrong is an InputError naming the file."""
    base = base or Settings()
    if path is None:
        return base
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
        data = json.loads(text) if Path(path).suffix.lower() == ".json" else tomllib.loads(text)
        if not isinstance(data, dict):
            raise ValueError("expected a table of settings")
        return base.updated(data)
    except (OSError, ValueError, TypeError) as exc:  # JSONDecodeError and TOMLDecodeError are ValueErrors
        raise InputError(f"settings not read: {exc}", file=Path(path).name) from None


def load_catalogue(path: Path | None = None, *, text: str | None = None) -> Catalogue | None:
    """A user rule catalogue from a file or stored text; a bad one is an InputError with file, line, rule."""
    from rules.catalogue import load, parse

    try:
        if path is not None:
            return load(path)
        if text:
            return parse(text, source="workspace rule catalogue")
    except CatalogueError as exc:
        raise InputError(f"rule catalogue refused: {exc.reason}" + (f" (rule {exc.rule!r})" if exc.rule else ""),
                         file=exc.file, row=exc.line) from None
    return None


def check_files(paths: Sequence[Path], *, as_at: dt.date | None = None, settings: Settings | None = None,
                catalogue: Catalogue | None = None, profile: Any = None,
                progress: Progress = NO_PROGRESS) -> Checked:
    """Open providers' extracts and validate them (schema and rule catalogue)."""
    from app.extracts import open_extracts

    settings = settings or Settings()
    opened = open_extracts(list(paths), as_at=as_at, profile=profile, progress=progress)
    report = evaluate(opened.tables, catalogue=catalogue, settings=settings, schema_findings=opened.findings)
    return Checked(opened.tables, report, settings, as_at or opened.tables.as_at or report.as_at,
                   files_count=len(paths))


def open_workspace(path: Path) -> Any:
    """A workspace to read for a job: open as usual (locked), or read-only when it cannot be written
    (a read-only medium or share); open in another window is still refused."""
    from app.workspace import Workspace, WorkspaceError, WorkspaceLocked

    try:
        return Workspace.open(path)
    except WorkspaceLocked:
        raise
    except WorkspaceError as error:
        if not _cannot_write(str(error)):
            raise
        return Workspace.open(path, read_only=True)


def _cannot_write(message: str) -> bool:
    text = message.lower()
    return any(words in text for words in ("read-only", "readonly", "unable to open database file"))


def check_workspace(path: Any, *, as_at: dt.date | None = None, settings: Settings | None = None,
                    catalogue: Catalogue | None = None, progress: Progress = NO_PROGRESS) -> Checked:
    """Validate a workspace's working tables (sources + edits) with its own settings and rules.

    ``path``: the file (opened and closed here), or a ``Workspace`` the caller holds open."""
    from contextlib import nullcontext

    from rules.schema import check

    held = not isinstance(path, (str, Path))
    with nullcontext(path) if held else open_workspace(Path(path)) as ws:
        raw = ws.tables()
        settings = settings or ws.settings
        catalogue = catalogue or load_catalogue(text=ws.catalogue_toml)
        accepted = ws.accepted()
        snapshots = {label: ws.snapshot(label) for label in ws.snapshots()["period_label"].unique()}
        workspace_as_at = ws.as_at
    progress.report(0.3, "Checking the working tables")
    typed, schema_findings = check(raw)
    typed.as_at = as_at or workspace_as_at or typed.as_at
    report = evaluate(typed, catalogue=catalogue, settings=settings, schema_findings=schema_findings,
                      progress=progress)
    return Checked(typed, report, settings, typed.as_at or report.as_at, files_count=len(typed.files),
                   accepted=accepted, snapshots=snapshots, workspace=path if held else Path(path))


def check(files: Sequence[Path], *, workspace: Path | None = None, **options: Any) -> Checked:
    """``check_workspace`` when a workspace is given, else ``check_files``; neither given is a usage error."""
    if workspace is not None:
        if files:
            raise InputError("give either extract files or --workspace, not both")
        options.pop("profile", None)
        return check_workspace(workspace, **options)
    if not files:
        raise InputError("no extract given: name one or more files or folders, or --workspace")
    return check_files(files, **options)


def measures(checked: Checked, period: Period, *, by: Sequence[str] = ()) -> Any:
    """Every count and measure for ``period``; error findings exclude the records they concern."""
    from app.returns.dq_context import mark_accepted
    from rules.measures import compute

    findings = checked.findings
    if checked.accepted is not None and len(checked.accepted):
        findings = findings[~mark_accepted(findings, checked.accepted)["accepted"].to_numpy(dtype=bool)]
    return compute(checked.tables, period, as_at=checked.as_at, settings=checked.settings,
                   findings=findings, by=by)


def generate(checked: Checked, period: Period, out_dir: Path, *, templates: Sequence[Path] | None = None,
             draft: bool = False) -> Any:
    """Fill the returns of checked files or a workspace (``fill_returns``)."""
    return fill_returns(checked.tables, checked.findings, period, out_dir, templates=templates, draft=draft,
                        as_at=checked.as_at, settings=checked.settings, accepted=checked.accepted,
                        snapshots=checked.snapshots, workspace=checked.workspace)


def fill_returns(tables: Tables, findings: pd.DataFrame, period: Period, out_dir: Path, *,
                 templates: Sequence[Path] | None, draft: bool, as_at: dt.date, settings: Settings,
                 accepted: pd.DataFrame | None, snapshots: dict[str, Any], workspace: Any,
                 report: dict[str, str] | None = None) -> Any:
    """The one generate job, the command line's and the app's: fill the returns, then (with a
    workspace) keep the figures they were filled with as the period's snapshot for next quarter.

    ``workspace``: its file, or an open ``Workspace`` (the app's, or one the command line holds).
    ``report``: this paper's own details over the settings' (``meeting_date``, ``commentary``...).
    """
    from contextlib import nullcontext

    from app.returns.generate import generate_returns

    result = generate_returns(tables, findings, period, Path(out_dir), templates=templates, draft=draft,
                              as_at=as_at, settings=settings, accepted=accepted, snapshots=snapshots,
                              report=report)
    if workspace is not None:
        held = not isinstance(workspace, (str, Path))
        with nullcontext(workspace) if held else open_workspace(Path(workspace)) as ws:
            if ws.read_only:
                result.warnings.append("the workspace is read-only: no snapshot of this period was kept for "
                                       "next quarter's comparisons")
            else:
                ws.snapshot_measures(period.label, as_at, result.figures)
    return result
