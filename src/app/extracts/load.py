"""Entry point: open one or more extracts into raw and typed tables (work in progress)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from app.extracts.model import Opened, RawExtract
from app.extracts.profiles import MappingProfile
from rules.progress import NO_PROGRESS, Progress


def read_extract(path: Path, *, profile: MappingProfile | None = None,
                 progress: Progress = NO_PROGRESS) -> RawExtract:
    """Read one file or folder into raw tables with its mapping information."""
    raise NotImplementedError


def open_extracts(paths: Sequence[Path], *, as_at: dt.date | None = None, profile: MappingProfile | None = None,
                  progress: Progress = NO_PROGRESS, confirm_guesses: bool = True) -> Opened:
    """Read every extract, concatenate, then parse and validate (``rules.schema.check``)."""
    raise NotImplementedError
