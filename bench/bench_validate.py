"""Benchmark: `treatment-returns validate` on a 100,000-episode, 5-provider partnership (.xlsx).

Whole processes side by side in one run (issue 3):
- floor: a process that only reads the same workbooks with fastexcel;
- our read: `app.extracts.read_extract` of each file (read once, the zip opened once over its bytes:
  sniffing, the sheet scans for formulas, merges and extent, fastexcel, header and code mapping);
- ours: `treatment-returns validate FILES` (the default table for people), and with `--format json`
  (every finding printed for tools);
- baseline: a process reading them with pandas.read_excel(engine="openpyxl") alone.
Prints validate / floor (goal <= 2, aim 1.5) and openpyxl / validate (goal >= 5), and peak memory.

    .venv/bin/python bench/bench_validate.py [--episodes 100000] [--providers 5] [--repeat 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import OUT, report, run_python  # noqa: E402

AS_AT = dt.date(2026, 1, 15)


def make_partnership(episodes: int, providers: int) -> list[Path]:
    """Write (or reuse) the synthetic partnership, in a child process so this one stays small.

    Linux carries a process's peak memory across fork and exec, so a large parent would inflate
    every measured child's peak.
    """
    folder = OUT / f"partnership_{providers}x{episodes}"
    files = sorted(folder.glob("*.xlsx"))
    if len(files) != providers:
        folder.mkdir(parents=True, exist_ok=True)
        code = ("import datetime as dt\nfrom app.synth import generate, write\n"
                f"write(generate(providers={providers}, episodes={episodes}, seed=11, defects=0.01, "
                f"as_at=dt.date({AS_AT.year}, {AS_AT.month}, {AS_AT.day})), {str(folder)!r})\n")
        subprocess.run([sys.executable, "-c", code], check=True)
        files = sorted(folder.glob("*.xlsx"))
    return files


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--providers", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    files = [str(f) for f in make_partnership(args.episodes, args.providers)]

    floor = (
        "import fastexcel\n"
        f"for f in {files!r}:\n"
        "    r = fastexcel.read_excel(f)\n"
        "    for name in r.sheet_names:\n"
        "        r.load_sheet(name, dtypes='string').to_arrow()\n"
    )
    our_read = (
        "from app.extracts import read_extract\n"
        f"for f in {files!r}:\n"
        "    read_extract(f)\n"
    )
    ours = (
        "import sys\nfrom app.cli import main\n"
        "sys.stdout = open('/dev/null', 'w')\n"
        f"main(['validate', *{files!r}, '--as-at', '{AS_AT}'])\n"
    )
    ours_json = ours.replace("'])", "', '--format', 'json'])")
    baseline = (
        "import pandas as pd\n"
        f"for f in {files!r}:\n"
        "    pd.read_excel(f, sheet_name=None, engine='openpyxl')\n"
    )
    timings = [
        run_python("fastexcel read only (floor)", floor, repeat=args.repeat),
        run_python("read_extract only (our reader)", our_read, repeat=args.repeat),
        run_python("treatment-returns validate", ours, repeat=args.repeat),
        run_python("treatment-returns validate --format json", ours_json, repeat=args.repeat),
        run_python("pandas.read_excel(openpyxl) only", baseline, repeat=1),
    ]
    result = report(f"validate: {args.episodes:,} episodes, {args.providers} providers (.xlsx)", timings,
                    baseline="fastexcel read only (floor)")
    t = result["timings"]
    vs_openpyxl = t["pandas.read_excel(openpyxl) only"]["seconds"] / t["treatment-returns validate"]["seconds"]
    print(f"\nvalidate / fastexcel floor = {t['treatment-returns validate']['ratio']:.2f}  (goal <= 2.0, aim 1.5);"
          f" with --format json (every finding printed) {t['treatment-returns validate --format json']['ratio']:.2f}")
    print(f"openpyxl read / validate   = {vs_openpyxl:.1f}  (goal >= 5)")
    print(f"our read / fastexcel floor = {t['read_extract only (our reader)']['ratio']:.2f}  (the checks fastexcel "
          "does not make: one read of each file, one zip, one pass per sheet)")


if __name__ == "__main__":
    main()
