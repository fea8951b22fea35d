"""The one way the product writes a file: whole or not at all, readable only by its owner.

Every output (returns, exports, validation reports) is written to a temporary file beside its
target, flushed to disk, then renamed over the target in one step (``os.replace``): a crash or a
full disk leaves the old file or none, never half a file that someone might send. The temporary
file is made owner-only (0600 where the system has such modes), so a file that can hold
identifiers is never readable by others, not even for a moment. On Windows a file open in Excel
cannot be replaced: the person is told to close it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.errors import InputError


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` with a temporary path beside ``path``, flush it, then rename it over ``path``.

    The temporary file is removed when anything fails, so no partial output is left behind.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix + ".tmp", dir=path.parent)
    os.close(fd)  # mkstemp makes it 0600
    tmp = Path(name)
    try:
        write(tmp)
        _flush(tmp)
        try:
            os.replace(tmp, path)
        except PermissionError:
            raise InputError(f"{path.name} could not be replaced: if it is open (in Excel, say), close it "
                             "and try again", file=str(path)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_text(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    """``atomic_write`` of a text file."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding=encoding))


#: A temporary file older than this is what a killed run left behind, not another run's work in progress.
LEFTOVER_SECONDS = 600


def _clear_leftovers(path: Path) -> None:
    """Remove the hidden temporary files a killed run left beside ``path`` (so none pile up)."""
    for old in path.parent.glob(f".{glob.escape(path.stem)}-*{glob.escape(path.suffix)}.tmp"):
        with contextlib.suppress(OSError):  # gone already, or still held open (Windows): left alone
            if time.time() - old.stat().st_mtime > LEFTOVER_SECONDS:
                old.unlink()


def _flush(path: Path) -> None:
    """Put the file's bytes on disk before the rename makes it the output."""
    with open(path, "rb+") as handle, contextlib.suppress(OSError):  # fsync is not offered everywhere
        os.fsync(handle.fileno())
