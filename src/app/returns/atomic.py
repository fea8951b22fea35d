"""Write outputs atomically and never over the template they were filled from.

A half-written return is worse than none: the user might send it. So each output is written to a
temporary file in the destination folder and renamed over the target in one step (``os.replace``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from app.errors import InputError


def same_file(a: Path, b: Path) -> bool:
    """True when two paths name the same file (also through links or `..`)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return Path(os.path.abspath(a)) == Path(os.path.abspath(b))


def refuse_template_overwrite(out: Path, templates: list[Path]) -> None:
    """Raise ``InputError`` when ``out`` is one of the templates."""
    for template in templates:
        if same_file(Path(out), Path(template)):
            raise InputError("the output would overwrite the template; choose another folder or name",
                             file=str(out))


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` with a temporary path beside ``path``, then rename it over ``path``.

    The temporary file is removed when ``write`` fails, so no partial output is left behind.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix + ".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
