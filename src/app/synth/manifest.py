"""``manifest.json``: the arguments a partnership was generated with, and every injected defect."""

from __future__ import annotations

import json
from pathlib import Path

from app.synth.model import Defect, Synthetic


def manifest_json(synthetic: Synthetic) -> dict[str, object]:
    return {
        "as_at": synthetic.as_at.isoformat(),
        "seed": synthetic.seed,
        "providers": len(synthetic.providers),
        "episodes": synthetic.episodes,
        "defects_rate": synthetic.defects_rate,
        "format": synthetic.fmt,
        "defects": [d.to_json() for d in synthetic.manifest],
    }


def write_manifest(synthetic: Synthetic, path: Path) -> None:
    path.write_text(json.dumps(manifest_json(synthetic), indent=1) + "\n", encoding="utf-8")


def read_manifest(path: Path) -> list[Defect]:
    """The defects listed in a manifest.json (for tests and the demo)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [Defect(**d) for d in data["defects"]]
