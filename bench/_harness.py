"""Shared benchmark helpers: time whole processes side by side and report ratios, never absolutes alone.

Machines here are noisy, so every benchmark times its baseline in the same run and prints ratios.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"

#: Run a Python snippet in a fresh process and print its own peak RSS (KiB) as the last line.
_PEAK = "\nimport resource, sys; print('PEAK_KIB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"


@dataclass
class Timing:
    name: str
    seconds: float
    peak_mib: float


def run_python(name: str, code: str, *, repeat: int = 1) -> Timing:
    """Time a fresh Python process running ``code``; best of ``repeat`` runs, with peak memory."""
    best = None
    peak = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code + _PEAK], capture_output=True, text=True,
                              env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        elapsed = time.perf_counter() - start
        if done.returncode not in (0, 1):
            raise RuntimeError(f"{name} failed ({done.returncode}):\n{done.stderr[-2000:]}")
        for line in done.stderr.splitlines():
            if line.startswith("PEAK_KIB"):
                peak = max(peak, int(line.split()[1]) / 1024)
        best = elapsed if best is None else min(best, elapsed)
    return Timing(name, best or 0.0, peak)


def report(title: str, timings: list[Timing], *, baseline: str, extra: dict | None = None) -> dict:
    """Print timings with ratios against the named baseline and return them as a dict."""
    base = next(t for t in timings if t.name == baseline)
    print(f"\n{title}")
    print(f"{'process':<44} {'seconds':>8} {'x ' + baseline:>22} {'peak MiB':>9}")
    rows = {}
    for t in timings:
        ratio = t.seconds / base.seconds if base.seconds else float("nan")
        print(f"{t.name:<44} {t.seconds:>8.2f} {ratio:>22.2f} {t.peak_mib:>9.0f}")
        rows[t.name] = {"seconds": round(t.seconds, 3), "ratio": round(ratio, 3), "peak_mib": round(t.peak_mib)}
    result = {"title": title, "baseline": baseline, "timings": rows, **(extra or {})}
    OUT.mkdir(parents=True, exist_ok=True)
    slug = title.lower().split(":")[0].replace(" ", "_")
    (OUT / f"{slug}.json").write_text(json.dumps(result, indent=2))
    return result
