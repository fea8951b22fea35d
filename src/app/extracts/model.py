"""The values import hands on: one file's raw tables and how its headers were mapped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from rules.tables import Tables


@dataclass
class MappingResult:
    """How one sheet (or CSV) of one file was mapped to one canonical table.

    ``columns`` maps each provider header (as written) to the canonical column it feeds;
    ``how`` says why (``canonical``, ``national``, ``alias``, ``label``, ``profile`` or ``guess``).
    Guesses (similar-looking names) are listed in ``guessed`` because a person should confirm them;
    they are applied (and in ``columns``) only when guesses are accepted (``confirm_guesses=True``),
    otherwise their headers are in ``unmapped`` and their columns in ``missing``.
    """

    file: str
    sheet: str | None
    table: str                      # episodes | modalities | tops | flat
    header_row: int                 # 1-based row of the header in the source sheet
    columns: dict[str, str] = field(default_factory=dict)
    how: dict[str, str] = field(default_factory=dict)
    guessed: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    #: canonical column -> {provider value -> canonical code} that were applied
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    #: canonical column -> provider values that matched no code (left as text; schema reports them)
    unknown_codes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def needs_confirmation(self) -> bool:
        """True when a person should look at the mapping (guesses or a required column missing)."""
        return bool(self.guessed or self.missing_required)

    @property
    def where(self) -> str:
        """``file`` or ``file, sheet 'x'`` for messages."""
        return f"{self.file}, sheet {self.sheet!r}" if self.sheet else self.file


@dataclass
class RawExtract:
    """One file or folder read into RAW tables (text, canonical names, source positions)."""

    path: Path
    tables: dict[str, pd.DataFrame]
    mappings: list[MappingResult] = field(default_factory=list)
    as_at: dt.date | None = None    # the as_at the file recorded (``about`` sheet / about.csv)
    files: list[str] = field(default_factory=list)
    #: resolved path of each file read -> sha256 of the bytes that were parsed (what the workspace records)
    digests: dict[str, str] = field(default_factory=dict)


@dataclass
class Opened:
    """What opening one or more extracts gives."""

    raw: Tables                     # RAW form (text), all files concatenated, with _file/_sheet/_row
    tables: Tables                  # TYPED form from rules.schema.check(raw)
    findings: pd.DataFrame          # schema findings, findings.FINDING_COLUMNS
    mappings: list[MappingResult]   # per file and table
    #: resolved path of each file read -> sha256 of the bytes that were parsed (``RawExtract.digests``)
    digests: dict[str, str] = field(default_factory=dict)
