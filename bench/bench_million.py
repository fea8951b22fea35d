"""Benchmark: a 1,000,000-episode synthetic partnership imports, validates and gives its measures.

Issue 8 (load). The partnership (5 providers, CSV folders: the fastest form to generate) is made once
and cached under bench/out/ (gitignored). Then, in one run, two fresh processes:
- ours: ``open_extracts`` (read, map headers and codes, parse + schema), ``rules.engine.evaluate``
  (the rule catalogue), ``rules.measures.compute`` (one financial year, with breakdown by provider),
  each stage timed, with the process's peak memory (ru_maxrss) after each;
- baseline: ``pandas.read_csv(dtype=str)`` of the same files and nothing else.
Prints seconds per stage, peak MiB, and the ratio of each stage to the baseline read.

    .venv/bin/python bench/bench_million.py [--episodes 1000000] [--providers 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import OUT  # noqa: E402

AS_AT = dt.date(2026, 1, 15)
PERIOD = "2025-26"

STAGES = r"""
import json, resource, sys, time
from pathlib import Path
import datetime as dt

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

folders = [Path(p) for p in json.loads(sys.argv[1])]
as_at = dt.date.fromisoformat(sys.argv[2])
out = {"start_mib": peak()}
t = time.perf_counter()
from app.extracts import open_extracts
from rules.engine import evaluate
from rules.measures import compute
from rules.periods import parse_period
out["imports_s"] = time.perf_counter() - t
t = time.perf_counter()
opened = open_extracts(folders, as_at=as_at)
out["import_s"], out["import_peak_mib"] = time.perf_counter() - t, peak()
out["rows"] = opened.tables.row_counts()
out["schema_findings"] = len(opened.findings)
t = time.perf_counter()
report = evaluate(opened.tables, schema_findings=opened.findings)
out["validate_s"], out["validate_peak_mib"] = time.perf_counter() - t, peak()
out["errors"], out["warnings"] = report.errors, report.warnings
t = time.perf_counter()
result = compute(opened.tables, parse_period(sys.argv[3]), as_at=as_at, findings=report.findings,
                 by=["provider_code"])
out["measures_s"], out["measures_peak_mib"] = time.perf_counter() - t, peak()
out["in_treatment"] = result.counts["in_treatment"].value
print(json.dumps(out))
"""

BASELINE = r"""
import json, resource, sys, time
from pathlib import Path
import pandas as pd
t = time.perf_counter()
rows = 0
for folder in json.loads(sys.argv[1]):
    for f in sorted(Path(folder).glob("*.csv")):
        # header=None with spare column names: the providers' files have title rows above the header
        rows += len(pd.read_csv(f, dtype=str, header=None, names=range(40), keep_default_na=False,
                                skip_blank_lines=False, encoding="utf-8-sig"))
print(json.dumps({"read_s": time.perf_counter() - t, "rows": rows,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


GENERATE = r"""
import json, sys, time
import datetime as dt
from app.synth import generate, write
episodes, providers, folder = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
t = time.perf_counter()
synthetic = generate(providers=providers, episodes=episodes, seed=8, defects=0.001,
                     as_at=dt.date.fromisoformat(sys.argv[4]), fmt="csv")
generated = time.perf_counter() - t
write(synthetic, folder)
print(json.dumps({"generate_s": generated, "write_s": time.perf_counter() - t - generated}))
"""


def make_partnership(episodes: int, providers: int) -> tuple[list[Path], dict]:
    """The cached partnership's folders, and how long generating it took.

    Generated in a child process: Linux carries a process's peak memory across fork and exec, so
    a driver that had generated a million episodes would pass its peak on to the measured processes.
    """
    folder = OUT / f"million_csv_{providers}x{episodes}"
    done = folder / "complete.json"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        made = _run(GENERATE, str(episodes), str(providers), str(folder), AS_AT.isoformat())
        print(f"generated {episodes:,} episodes in {made['generate_s']:.1f} s, written as CSV in "
              f"{made['write_s']:.1f} s (cached in {folder})")
        done.write_text(json.dumps(made))
    else:
        made = json.loads(done.read_text())
        print(f"reusing {folder} (generated in {made.get('generate_s', 0):.0f} s when it was made)")
    return sorted(p for p in folder.iterdir() if p.is_dir()), made


def _run(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=1_000_000)
    parser.add_argument("--providers", type=int, default=5)
    args = parser.parse_args()
    folders, made = make_partnership(args.episodes, args.providers)
    names = json.dumps([str(f) for f in folders])
    size = sum(f.stat().st_size for folder in folders for f in folder.glob("*.csv"))
    base = _run(BASELINE, names)
    ours = _run(STAGES, names, AS_AT.isoformat(), PERIOD)
    rows = ours["rows"]
    print(f"\n{args.episodes:,}-episode partnership, {args.providers} providers, CSV ({size / 2**20:.0f} MiB): "
          f"{rows['episodes']:,} episodes, {rows['modalities']:,} modalities, {rows['tops']:,} TOPs")
    print(f"{'stage':<46} {'seconds':>8} {'x read_csv':>11} {'peak MiB':>9}")
    read = base["read_s"]
    lines = [("baseline: pandas.read_csv(dtype=str) only", read, base["peak_mib"]),
             ("import (read, map, parse + schema)", ours["import_s"], ours["import_peak_mib"]),
             ("validate (rule catalogue)", ours["validate_s"], ours["validate_peak_mib"]),
             (f"measures ({PERIOD}, by provider)", ours["measures_s"], ours["measures_peak_mib"])]
    total = ours["import_s"] + ours["validate_s"] + ours["measures_s"]
    for name, seconds, peak in lines:
        print(f"{name:<46} {seconds:>8.1f} {seconds / read:>11.2f} {peak:>9.0f}")
    print(f"{'total: import + validate + measures':<46} {total:>8.1f} {total / read:>11.2f} "
          f"{ours['measures_peak_mib']:>9.0f}")
    print(f"findings: {ours['errors']:,} errors, {ours['warnings']:,} warnings; "
          f"in treatment {ours['in_treatment']:,}")
    OUT.mkdir(parents=True, exist_ok=True)
    result = {"episodes": args.episodes, "providers": args.providers, "csv_mib": round(size / 2**20),
              "generated": made, "baseline": base, "ours": ours,
              "total_s": round(total, 2), "ratio_total_to_read_csv": round(total / read, 2)}
    (OUT / "bench_million.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
