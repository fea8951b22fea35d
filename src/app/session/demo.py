"""The bundled demo: a small fictional partnership, the same on every machine."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from rules.progress import NO_PROGRESS, Progress

DEMO = {"providers": 3, "episodes": 1500, "seed": 7, "defects": 0.02, "as_at": dt.date(2025, 10, 15)}


def demo_files(folder: Path, *, progress: Progress = NO_PROGRESS) -> list[Path]:
    """The demo partnership's extracts in ``folder``, generated (``app.synth``) on first use."""
    from app.synth import generate, write

    folder = Path(folder)
    existing = sorted(folder.glob("*.xlsx"))
    if (folder / "manifest.json").exists() and existing:
        made = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        # made by an older generator (no defects yet, other sizes): make it again
        if made.get("seed") == DEMO["seed"] and made.get("episodes") == DEMO["episodes"] \
                and bool(made.get("defects")) == bool(DEMO["defects"]):
            return existing

    progress.report(0.1, "Generating the demo partnership")
    return write(generate(**DEMO), folder)
