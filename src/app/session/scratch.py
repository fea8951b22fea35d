"""A throw-away workspace for RAW tables handed to ``Session.load`` (scripts, tests, the self-test).

The session always works in a workspace, so an edit, an acceptance or the history takes one path
whatever was opened. Tables loaded rather than opened from files get one in a temporary folder:
all their rows as one source, in the order given (row positions stay those of the tables). It is
closed and deleted with the session (``close``/``discard``), or when the session is collected;
the SQLite connection is closed before the folder goes (Windows will not delete an open file).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any

import pandas as pd

from rules import columns
from rules.settings import Settings
from rules.tables import Tables


class Scratch:
    """The temporary folder and the workspace in it; ``drop()`` closes and deletes both (once)."""

    def __init__(self, raw: Tables, settings: Settings) -> None:
        from app.workspace import SUFFIX, Workspace

        self.folder = Path(tempfile.mkdtemp(prefix="treatment-returns-"))
        try:
            self.workspace = Workspace.create(self.folder / f"loaded{SUFFIX}",
                                              partnership=settings.partnership_name, year=_year(raw))
            self._drop = weakref.finalize(self, _remove, self.workspace, self.folder)
            source = self.folder / "loaded tables"
            self.workspace.import_source(raw, file_path=source, digests={str(source.resolve()): _digest(raw)})
            self.workspace.set_settings(settings)
        except BaseException:
            _remove(getattr(self, "workspace", None), self.folder)
            raise

    def drop(self) -> None:
        """Close the workspace and delete the folder (nothing in it is wanted)."""
        self._drop()


def _remove(workspace: Any, folder: Path) -> None:
    if workspace is not None:
        workspace.close()
    shutil.rmtree(folder, ignore_errors=True)


def _year(raw: Tables) -> str:
    """The financial year a workspace of opened extracts would be named for (``2025-26``)."""
    from rules.periods import quarter_containing

    return quarter_containing(raw.as_at or dt.date.today()).previous().label.split()[0]


def _digest(raw: Tables) -> str:
    """A sha256 of the rows loaded (there is no file to hash)."""
    h = hashlib.sha256()
    for table in columns.TABLES:
        frame = raw.get(table)
        if frame is not None:
            h.update(table.encode())
            h.update(pd.util.hash_pandas_object(frame.astype(object), index=False).to_numpy().tobytes())
    return h.hexdigest()
