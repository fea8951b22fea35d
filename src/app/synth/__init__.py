"""The synthetic partnership generator: the source of all test and demo data (no real people).

``generate`` builds a fictional partnership of providers ``N9001``, ``N9002``... with realistic
volumes and rates; ``write`` puts it on disk as the providers would send it, with ``manifest.json``
listing every defect injected on purpose.
"""

from app.synth.generate import generate
from app.synth.manifest import read_manifest
from app.synth.model import FORMATS, Defect, Synthetic
from app.synth.writer import write

__all__ = ["FORMATS", "Defect", "Synthetic", "generate", "read_manifest", "write"]
