"""``--selftest``: prove a build works end to end on this machine, then exit 0 (or 1 with the reason).

Made for the desktop bundle, where a missing data file or module only shows when the code runs:
it synthesises a small partnership into a temporary folder, opens and validates it, computes the
measures, generates both returns as drafts, reopens them to check figures and markers, and (unless
``--no-gui``) shows the main window and the dashboard with Qt offscreen. Each step prints one line;
the first failure prints what failed and why, then a traceback, and the job stops with exit 1.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from app.selftest_kit import PARTNERSHIP, SelftestFailure, State, expect

# ----------------------------------------------------------------------------- the steps

def check_resources(state: State) -> str:
    """The data files a bundle must carry: both templates and the default rule catalogue."""
    from app import __version__
    from app.returns.generate import default_templates
    from rules.catalogue import default_catalogue

    missing = [str(p) for p in default_templates() if not p.is_file()]
    expect(not missing, f"template(s) not found: {', '.join(missing)}")
    catalogue = default_catalogue()
    expect(len(catalogue) > 0, "the default rule catalogue has no rules")
    where = getattr(sys, "_MEIPASS", None)
    return f"version {__version__}, {len(catalogue)} rules, templates in {default_templates()[0].parent}" + (
        f" (bundle {where})" if where else "")


def synthesise(state: State) -> str:
    from app.synth import generate, write

    synthetic = generate(**PARTNERSHIP)
    state.paths = list(write(synthetic, state.folder / "extracts"))
    expect(len(state.paths) == PARTNERSHIP["providers"], f"expected {PARTNERSHIP['providers']} extract files, "
                                                         f"got {[p.name for p in state.paths]}")
    return ", ".join(p.name for p in state.paths)


def open_and_validate(state: State) -> str:
    from app.extracts import open_extracts
    from rules.engine import evaluate

    opened = open_extracts(state.paths, as_at=PARTNERSHIP["as_at"])
    counts = opened.tables.row_counts()
    expect(counts.get("episodes") == PARTNERSHIP["episodes"],
           f"read {counts.get('episodes')} episodes, the generator wrote {PARTNERSHIP['episodes']}")
    report = evaluate(opened.tables, schema_findings=opened.findings)
    expect(report.errors > 0, "no error findings although defects were injected")
    expect(not report.not_run, f"rules could not run: {report.not_run}")
    state.values.update(opened=opened, report=report)
    rows = ", ".join(f"{n} {t}" for t, n in counts.items())
    return f"{rows}; {report.errors} errors, {report.warnings} warnings"


def save_workspace(state: State) -> str:
    """A workspace (SQLite, sources as parquet): import each extract, edit a cell, reopen, read it back."""
    from app.workspace import Workspace
    from rules.columns import SOURCE_FILE, TABLES
    from rules.tables import Tables

    raw = state.values["opened"].raw
    path = state.folder / "selftest.trworkspace"
    with Workspace.create(path, partnership="Selftest", year="2025-26") as ws:
        for extract in state.paths:
            frames = {t: f[f[SOURCE_FILE] == extract.name].reset_index(drop=True)
                      for t in TABLES if (f := raw.get(t)) is not None}
            ws.import_source(Tables(**frames, as_at=raw.as_at, files=[extract.name]), file_path=extract)
        value = "M" if ws.tables().episodes["sex"].iloc[0] == "U" else "U"
        ws.edit("episodes", 0, "sex", value, reason="selftest")
    with Workspace.open(path) as ws:
        episodes = ws.tables().episodes
        history = ws.history()
    expect(len(episodes) == len(raw.episodes), f"the workspace gives back {len(episodes)} of "
                                               f"{len(raw.episodes)} episodes")
    expect(episodes["sex"].iloc[0] == value, f"the edit was not kept (sex = {episodes['sex'].iloc[0]!r})")
    expect(len(history) == 1, f"expected one edit in the history, got {len(history)}")
    return f"{len(state.paths)} sources, {len(episodes)} episodes, 1 edit kept ({path.stat().st_size:,} bytes)"


def compute_measures(state: State) -> str:
    from rules.measures import compute
    from rules.periods import parse_period, quarter_containing

    period = quarter_containing(PARTNERSHIP["as_at"]).previous()
    expect(parse_period(period.label) == period, f"period label {period.label!r} does not parse back")
    result = compute(state.values["opened"].tables, period, as_at=PARTNERSHIP["as_at"],
                     findings=state.values["report"].findings)
    expect(bool(result.counts) and bool(result.measures), "no counts or measures computed")
    in_treatment = result.counts["in_treatment"].value
    expect(bool(in_treatment), f"nobody in treatment in {period.label} (got {in_treatment})")
    state.values.update(period=period, measures=result)
    return f"{period.label}: {len(result.counts)} counts, {len(result.measures)} measures, {in_treatment} in treatment"


def generate_drafts(state: State) -> str:
    from app.returns.generate import generate_returns

    opened, report = state.values["opened"], state.values["report"]
    result = generate_returns(opened.tables, report.findings, state.values["period"], state.folder / "returns",
                              draft=True, as_at=PARTNERSHIP["as_at"])
    suffixes = sorted(p.suffix for p in result.outputs)
    expect(suffixes == [".docx", ".xlsx"], f"expected one .xlsx and one .docx, got {result.outputs}")
    expect(all(p.is_file() and p.stat().st_size > 0 for p in result.outputs), "an output file is missing or empty")
    state.values["outputs"] = {p.suffix: p for p in result.outputs}
    return ", ".join(p.name for p in result.outputs)


def reopen_workbook(state: State) -> str:
    """The national return has the DRAFT marker and the same referrals count as computed."""
    import openpyxl

    path = state.values["outputs"][".xlsx"]
    referrals = state.values["measures"].counts["referrals"]
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        texts, found = [], None
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                texts.extend(str(v) for v in row if isinstance(v, str))
                if found is None and row and row[0] == referrals.title:
                    found = [v for v in row[1:] if isinstance(v, int | float) and not isinstance(v, bool)]
        sheets = len(workbook.worksheets)
    finally:
        workbook.close()
    expect(any("DRAFT" in t for t in texts), f"{path.name}: no DRAFT marker in any cell")
    expect(found is not None, f"{path.name}: no row titled {referrals.title!r}")
    expect(bool(found) and found[0] == referrals.value,
           f"{path.name}: {referrals.title} row shows {found}, computed {referrals.value}")
    return f"{sheets} sheets, {referrals.title} = {referrals.value}"


def reopen_document(state: State) -> str:
    """The committee report names the period, is marked DRAFT and has its tables."""
    import docx

    path = state.values["outputs"][".docx"]
    label = state.values["period"].label
    document = docx.Document(str(path))
    body = [p.text for p in document.paragraphs]
    headers = [p.text for s in document.sections for p in s.header.paragraphs]
    expect(any(label in t for t in body), f"{path.name}: no paragraph mentions {label}")
    expect(any("DRAFT" in t for t in body + headers), f"{path.name}: no DRAFT marker")
    expect(len(document.tables) > 0, f"{path.name}: no tables")
    return f"{len(body)} paragraphs, {len(document.tables)} tables, {len(document.inline_shapes)} pictures"


def show_windows(state: State) -> str:
    """The main window over the opened partnership and the dashboard, offscreen (Qt lives in app.ui)."""
    from app.ui.selftest_windows import show_windows as show

    return show(state)


STEPS: tuple[tuple[str, Callable[[State], str], bool], ...] = (
    # (name, step, needs Qt)
    ("resources", check_resources, False),
    ("synthesise a partnership", synthesise, False),
    ("open and validate", open_and_validate, False),
    ("save and reopen a workspace", save_workspace, False),
    ("compute measures", compute_measures, False),
    ("generate draft returns", generate_drafts, False),
    ("reopen the workbook", reopen_workbook, False),
    ("reopen the document", reopen_document, False),
    ("main window offscreen", show_windows, True),
)


def run(*, gui: bool = True, keep: Path | None = None, out: TextIO | None = None) -> int:
    """Run every step; 0 when all passed, 1 at the first failure (named, with the reason)."""
    out = out or sys.stdout
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="treatment-returns-selftest-") as tmp:
        folder = Path(keep) if keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        state = State(folder=folder, gui=gui)
        for name, step, needs_qt in STEPS:
            if needs_qt and not gui:
                print(f"selftest: skip {name} (--no-gui)", file=out, flush=True)
                continue
            t0 = time.perf_counter()
            try:
                detail = step(state)
            except Exception as exc:  # noqa: BLE001 - every failure is reported the same clear way
                kind = "check failed" if isinstance(exc, SelftestFailure) else type(exc).__name__
                print(f"selftest: FAILED at '{name}': {kind}: {exc}", file=out, flush=True)
                traceback.print_exc(file=sys.stderr)
                return 1
            print(f"selftest: ok   {name} ({time.perf_counter() - t0:.1f} s): {detail}", file=out, flush=True)
    print(f"selftest: passed in {time.perf_counter() - started:.1f} s", file=out, flush=True)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="treatment-returns --selftest",
                                description="Check this installation end to end on a small synthetic partnership.")
    add_arguments(p)
    return p


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-gui", action="store_true", help="skip the Qt window check")
    p.add_argument("--keep", type=Path, default=None, metavar="DIR",
                   help="write the extracts and returns into DIR and keep them (default: a temporary folder)")


def main(argv: Sequence[str] | None = None) -> int:
    """``treatment-returns --selftest [--no-gui] [--keep DIR]`` (the bundle's entry point calls this)."""
    args = parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    return run(gui=not args.no_gui, keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
