"""Entry point: open one or more extracts into raw and typed tables.

``read_extract`` reads one workbook, CSV or folder of CSVs into raw tables and says how it mapped
each sheet. ``open_extracts`` reads them all, refuses a file whose required columns are not
mapped, concatenates, and parses + validates with ``rules.schema.check``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from app.errors import InputError
from app.extracts import cells, readers, sniff
from app.extracts.codemap import map_codes
from app.extracts.flat import split_flat
from app.extracts.header import data_rows, find_header
from app.extracts.mapping import (
    drop_guesses,
    known_targets,
    map_headers,
    table_from_name,
    table_of,
    targets_for,
)
from app.extracts.model import Opened, RawExtract
from app.extracts.profiles import MappingProfile, norm_key
from rules import schema
from rules.columns import SOURCE_FILE, SOURCE_ROW, SOURCE_SHEET, TABLES, column_names
from rules.progress import NO_PROGRESS, Progress, check_cancelled
from rules.tables import Tables


def read_extract(path: Path, *, profile: MappingProfile | None = None, progress: Progress = NO_PROGRESS,
                 use_guesses: bool = True, label: str | None = None) -> RawExtract:
    """Read one file or folder into raw tables with its mapping information.

    Does not refuse missing required columns (the mapping says which): a UI shows the mapping for a
    person to correct. ``open_extracts`` refuses them. ``label`` overrides the file name recorded
    in ``_file`` (used to tell apart two files of the same name).
    """
    path = Path(path)
    if not path.exists():
        raise InputError("no such file or folder", file=str(path))
    if path.is_dir():
        return _read_folder(path, profile, progress, use_guesses, label)
    if not path.is_file():
        raise InputError("not a regular file (a device or a pipe); reading it could wait for ever",
                         file=label or path.name)
    suffix = path.suffix.lower()
    name = label or path.name
    if suffix in (".csv", ".txt", ".tsv"):
        data = sniff.read_whole(path)
        grid = readers.read_csv_grid(path, data)
        hint = table_from_name(path.stem)
        extract = RawExtract(path, {}, files=[name], digests=_digest(path, data))
        if hint == "about":
            extract.as_at = _about_as_at(grid, name)
        else:
            _add_grid(extract, grid, name, profile, use_guesses, path.stem, required=True)
            _refuse_no_episodes(extract)
        return extract
    if suffix in readers.SPREADSHEET_SUFFIXES:
        progress.report(0.0, f"Reading {name}")
        data = sniff.read_whole(path, limit=sniff.MAX_TOTAL)
        grids = readers.read_workbook(path, must_read=lambda sheet: table_from_name(sheet) is not None, data=data)
        check_cancelled(progress)
        extract = RawExtract(path, {}, files=[name], digests=_digest(path, data))
        for grid in [g for g in grids if not g.hidden]:
            if table_from_name(grid.sheet) == "about":
                extract.as_at = _about_as_at(grid, name)
                continue
            _add_grid(extract, grid, name, profile, use_guesses, grid.sheet)
        _add_hidden(extract, [g for g in grids if g.hidden], name, profile, use_guesses)
        if not grids:
            raise InputError("the workbook holds no data: its sheets are empty or charts", file=name)
        if not extract.tables:
            raise InputError("no sheet holds extract data (expected sheets named episodes, modalities and "
                             "tops, or a sheet whose header names columns such as episode_id and "
                             "referral_date)", file=name)
        _refuse_no_episodes(extract)
        return extract
    raise InputError("not a file type this program reads (use .xlsx, .csv or a folder of CSV files)",
                     file=name)


def _digest(path: Path, data: bytes) -> dict[str, str]:
    """{the file's resolved path: sha256 of ``data``}: the bytes parsed, not whatever is on disk later."""
    return {str(path.resolve()): hashlib.sha256(data).hexdigest()}


def _read_folder(folder: Path, profile: MappingProfile | None, progress: Progress, use_guesses: bool,
                 label: str | None) -> RawExtract:
    csvs = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    base = label or folder.name
    extract = RawExtract(folder, {})
    for i, csv_path in enumerate(csvs):
        check_cancelled(progress)
        progress.report(i / max(len(csvs), 1), f"Reading {csv_path.name}")
        name = csv_path.name
        data = sniff.read_whole(csv_path)
        grid = readers.read_csv_grid(csv_path, data)
        extract.digests.update(_digest(csv_path, data))
        if table_from_name(csv_path.stem) == "about":
            extract.as_at = _about_as_at(grid, name)
            continue
        if _add_grid(extract, grid, name, profile, use_guesses, csv_path.stem):
            extract.files.append(name)
    if "episodes" not in extract.tables:
        raise InputError("the folder has no episodes CSV (expected files named like *episodes*.csv, "
                         "*modalities*.csv, *tops*.csv)", file=base)
    _refuse_no_episodes(extract)
    return extract


def _add_hidden(extract: RawExtract, grids: list[readers.Grid], name: str, profile: MappingProfile | None,
                use_guesses: bool) -> None:
    """Hidden sheets (old quarters, lookups) are read only for a table no visible sheet holds.

    The person who checked the workbook saw only the visible sheets; a hidden copy of last quarter's
    episodes must not be added to this quarter's.
    """
    for grid in grids:
        if table_from_name(grid.sheet) == "about":
            extract.as_at = extract.as_at or _about_as_at(grid, name)
            continue
        trial = RawExtract(extract.path, {})
        try:
            _add_grid(trial, grid, name, profile, use_guesses, grid.sheet)
        except InputError:
            continue  # a hidden sheet nobody can see is not worth refusing the file for
        if trial.tables and not set(trial.tables) & set(extract.tables):
            extract.tables.update(trial.tables)
            extract.mappings += trial.mappings


def _refuse_no_episodes(extract: RawExtract) -> None:
    """An episodes sheet with a header and nothing under it is an extract that was not filled in.

    (Modalities or TOPs with no rows are possible; a provider with no episodes at all is not.)
    """
    frame = extract.tables.get("episodes")
    if frame is None or len(frame):
        return
    where = next((m for m in extract.mappings if m.table in ("episodes", "flat")), None)
    raise InputError("the episodes table has a header row but no data rows under it; was the extract run "
                     "for the right dates?", file=where.file if where else None,
                     sheet=where.sheet if where else None, row=where.header_row if where else None)


def _add_grid(extract: RawExtract, grid: readers.Grid, name: str, profile: MappingProfile | None,
              use_guesses: bool, title: str | None, *, required: bool = False) -> bool:
    """Map one sheet (or CSV) and add its rows to the extract's raw tables; False if it held none.

    ``title`` is the sheet name or CSV file stem: a sheet named like a table (or ``required``) must
    have a header; any other sheet without a recognisable header is notes or lookups, and is skipped.
    """
    header = find_header(grid.frame, profile)
    if header is None:
        if required or table_from_name(title) is not None:
            raise InputError("no header row found: none of the first rows names the extract's columns "
                             "(e.g. episode_id, referral_date, or the national names EPISODID, REFLD)",
                             file=name, sheet=grid.sheet)
        return False
    header_cells = grid.frame.iloc[header].tolist()
    table = table_of(known_targets(header_cells, profile), title)
    if table is None:
        return False  # a sheet of notes or lookups, not extract data
    result, positions = map_headers(header_cells, file=name, sheet=grid.sheet, header_row=grid.first_row + header,
                                    table=table, profile=profile)
    if not use_guesses:
        positions = drop_guesses(result, positions)
    extract.mappings.append(result)
    cells.fill_merged_down(grid, header)
    cells.refuse_uncached(grid, header, positions, header_cells, name=name)
    body = data_rows(grid.frame, header)
    cells.refuse_conflicting_duplicates(grid, body, positions, header_cells, name=name, profile=profile)
    raw = pd.DataFrame({target: body[pos] for pos, target in positions.items()})
    raw = raw.reindex(columns=list(targets_for(result.table)))
    for col in raw.columns:
        raw[col] = raw[col].astype("str")
    map_codes(raw, result, profile)
    raw[SOURCE_FILE] = name
    raw[SOURCE_SHEET] = grid.sheet
    raw[SOURCE_ROW] = (grid.first_row + body.index.to_numpy()).astype("int64")
    raw = raw.reset_index(drop=True)
    parts = split_flat(raw, set(positions.values())) if result.table == "flat" else {result.table: raw}
    for table, frame in parts.items():
        old = extract.tables.get(table)
        extract.tables[table] = frame if old is None else pd.concat([old, frame], ignore_index=True)
    return True


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _about_as_at(grid: readers.Grid, name: str) -> dt.date | None:
    """The ``as_at`` row of an about sheet/CSV: ``as_at, 2025-06-30`` (ISO, dd/mm/yyyy or a date cell)."""
    frame = grid.frame
    if frame.shape[1] < 2:
        return None
    for pos, (key, value) in enumerate(zip(frame[0].tolist(), frame[1].tolist(), strict=True)):
        if isinstance(key, str) and norm_key(key) == "asat":
            text = str(value).strip() if isinstance(value, str) else ""
            try:
                if m := _ISO.match(text):
                    return dt.date(int(m[1]), int(m[2]), int(m[3]))
                if m := _UK.match(text):
                    return dt.date(int(m[3]), int(m[2]), int(m[1]))
            except ValueError:
                pass
            raise InputError(f"as_at {text!r} is not a date (expected yyyy-mm-dd)", file=name,
                             sheet=grid.sheet, row=grid.first_row + pos, column="as_at")
    return None


def open_extracts(paths: Sequence[Path], *, as_at: dt.date | None = None, profile: MappingProfile | None = None,
                  progress: Progress = NO_PROGRESS, confirm_guesses: bool = True) -> Opened:
    """Read every extract, concatenate, then parse and validate (``rules.schema.check``).

    ``confirm_guesses=True`` accepts the proposed (similar-name) header mappings, as a headless run
    must; False drops them. Either way a file whose required columns are not all mapped is refused
    with an InputError naming the file, sheet and columns.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise InputError("no extract files given")
    labels = _labels(paths)
    done: list[str] = []
    lock = threading.Lock()

    def read_one(path: Path, label: str) -> RawExtract:
        check_cancelled(progress)
        extract = read_extract(path, profile=profile, use_guesses=confirm_guesses, label=label)
        with lock:
            done.append(label)
            progress.report(0.8 * len(done) / len(paths), f"Read {label}")
        return extract

    progress.report(0.0, f"Reading {labels[0]}" if len(paths) == 1 else f"Reading {len(paths)} extracts")
    if len(paths) == 1:
        extracts = [read_one(paths[0], labels[0])]
    else:  # the readers release the GIL while they inflate and parse: read files side by side
        with ThreadPoolExecutor(max_workers=min(len(paths), os.cpu_count() or 1, 4)) as pool:
            extracts = list(pool.map(read_one, paths, labels))
    for extract in extracts:
        for m in extract.mappings:
            if m.missing_required:
                proposed = {t: h for h, t in m.guessed.items()}
                names = ", ".join(c + (f" (is it {proposed[c]!r}?)" if c in proposed else "")
                                  for c in m.missing_required)
                raise InputError(f"required column(s) not found in the header: {names}; map them in a "
                                 "mapping profile", file=m.file, sheet=m.sheet, row=m.header_row)
    _rename_clashes(extracts, labels)
    progress.report(0.8, "Checking values")
    raw = _concat(extracts, as_at)
    check_cancelled(progress)
    typed, findings = schema.check(raw)
    progress.report(1.0, "Done")
    return Opened(raw=raw, tables=typed, findings=findings,
                  mappings=[m for e in extracts for m in e.mappings],
                  digests={p: d for e in extracts for p, d in e.digests.items()})


def _labels(paths: list[Path]) -> list[str]:
    """File names as users know them; two files of one name get their folder in front."""
    names = [p.name for p in paths]
    return [f"{p.parent.name}/{p.name}" if names.count(p.name) > 1 else p.name for p in paths]


def _rename_clashes(extracts: list[RawExtract], labels: list[str]) -> None:
    """Two CSVs of one name in different folders: put the folder in front so rows stay unique."""
    seen: dict[str, int] = {}
    for extract in extracts:
        for name in extract.files:
            seen[name] = seen.get(name, 0) + 1
    for extract, label in zip(extracts, labels, strict=True):
        clash = {f: f"{label}/{f}" for f in extract.files if seen[f] > 1 and f != label}
        if not clash:
            continue
        extract.files = [clash.get(f, f) for f in extract.files]
        for frame in extract.tables.values():
            frame[SOURCE_FILE] = frame[SOURCE_FILE].replace(clash)
        for m in extract.mappings:
            m.file = clash.get(m.file, m.file)


def _concat(extracts: list[RawExtract], as_at: dt.date | None) -> Tables:
    tables: dict[str, pd.DataFrame | None] = {}
    for table in TABLES:
        parts = [e.tables[table] for e in extracts if table in e.tables]
        tables[table] = pd.concat(parts, ignore_index=True) if parts else None
    if tables["episodes"] is None:
        raise InputError("no episodes table in the files given (only episodes is required)",
                         file=", ".join(f for e in extracts for f in e.files))
    recorded = [e.as_at for e in extracts if e.as_at is not None]
    when = as_at or (max(recorded) if recorded else dt.date.today())
    files = [f for e in extracts for f in e.files]
    for table, frame in tables.items():
        if frame is not None:
            tables[table] = frame[column_names(table) + [SOURCE_FILE, SOURCE_SHEET, SOURCE_ROW]]
    return Tables(episodes=tables["episodes"], modalities=tables["modalities"], tops=tables["tops"],
                  as_at=when, files=files)
