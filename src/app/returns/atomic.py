"""Write outputs atomically (``app.atomic``, the product's one writer) and never over the template
they were filled from: a half-written return is worse than none, the user might send it."""

from __future__ import annotations

import os
from pathlib import Path

from app.atomic import atomic_write
from app.errors import InputError

__all__ = ["atomic_write", "refuse_template_overwrite", "same_file"]


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
