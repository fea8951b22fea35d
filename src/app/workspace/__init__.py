"""The workspace: one SQLite file per partnership and financial year that keeps every imported
source as imported, every fix as an appended edit, accepted findings, rule settings, mapping
profiles and measure snapshots. Qt-free; the UI and the CLI both use it.

Typical use::

    with Workspace.open(path) as ws:                      # WorkspaceLocked if open elsewhere
        raw = ws.tables()                                  # working RAW tables: sources + edits
        typed, schema_findings = rules.schema.check(raw)   # RAW -> typed, same row order
        report = rules.engine.evaluate(typed, settings=ws.settings, schema_findings=schema_findings)
        findings = ws.mark_accepted(report.findings)       # + accepted, accepted_reason
        edit = ws.edit("episodes", 17, "discharge_reason", "TCDF", reason="provider confirmed")
        ws.undo()

Rows are located by working position (an int: the row's position in ``tables()``, which is
also the position in the typed tables), by ``RowLocator(source_id, _row)``, by
``(file name, _row)``, or by a row or finding carrying ``_file``/``file`` and ``_row``/``row``.
Every change returns what it changed (``Edit.position``, ``Change.changed``), so callers update
their own copy of the rows instead of calling ``tables()`` again; after ``import_source``
positions change and callers reload.
"""

from __future__ import annotations

from pathlib import Path

from app.workspace.edits import Change, Edit
from app.workspace.errors import WorkspaceError, WorkspaceLocked
from app.workspace.locate import RowLocator
from app.workspace.reimport import ImportResult
from app.workspace.workspace import Workspace

SUFFIX = ".trworkspace"


def default_folder() -> Path:
    """Where the app keeps the workspaces it makes: the user's data folder (never the extracts' folder,
    which may be a shared drive, and never only memory)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("Treatment Returns", appauthor=False)) / "Workspaces"


def default_path(partnership: str, period: str, folder: Path | None = None) -> Path:
    """A new file for a partnership and period, e.g. ``.../Workspaces/Anytown 2025-26 Q2.trworkspace``;
    ``Anytown 2025-26 Q2 (2).trworkspace`` and so on when that name is taken."""
    safe = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in partnership).strip() or "Partnership"
    folder = default_folder() if folder is None else Path(folder)
    stem = f"{safe} {period}".strip()
    path, n = folder / f"{stem}{SUFFIX}", 1
    while path.exists():
        n += 1
        path = folder / f"{stem} ({n}){SUFFIX}"
    return path


__all__ = ["Change", "Edit", "ImportResult", "RowLocator", "Workspace", "WorkspaceError", "WorkspaceLocked",
           "default_folder", "default_path"]
