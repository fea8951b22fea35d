"""Opening a 100,000-episode workspace with 5,000 edits, against reading the same rows from CSV.

Both are timed in this run, side by side, several rounds: the workspace's ``open`` + ``tables()``
(Parquet blobs -> RAW frames, then the edits applied), and ``pandas.read_csv`` (all columns as
text) of the three tables written as CSV. Also the time of one edit and one undo on the open
workspace (incremental: no rebuild). Run: ``.venv/bin/python bench/bench_workspace_open.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from app.synth import generate
from app.workspace import Workspace

FIELDS = ("discharge_reason", "care_plan_date", "triage_date", "referral_source", "postcode")


def build(folder: Path, episodes: int, edits: int) -> tuple[Path, dict[str, Path]]:
    raw = generate(providers=5, episodes=episodes, seed=1, defects=0.0, as_at=dt.date(2026, 1, 15)).raw
    csvs = {}
    for table in ("episodes", "modalities", "tops"):
        csvs[table] = folder / f"{table}.csv"
        raw.get(table).to_csv(csvs[table], index=False)
    path = folder / "bench.trworkspace"
    rng = np.random.default_rng(1)
    with Workspace.create(path, partnership="Bench", year="2025-26") as ws:
        for file in raw.episodes["_file"].unique():
            part = {t: raw.get(t)[raw.get(t)["_file"] == file].reset_index(drop=True)
                    for t in ("episodes", "modalities", "tops")}
            stand_in = folder / str(file)
            stand_in.write_bytes(str(file).encode())
            ws.import_source(type(raw)(**part, as_at=raw.as_at, files=[str(file)]), file_path=stand_in,
                             profile=None)
        frame = ws.tables().episodes
        keys = (frame["provider_code"] + "/" + frame["episode_id"]).to_numpy()
        per_field = edits // len(FIELDS)
        for i, field in enumerate(FIELDS):
            rows = rng.choice(len(keys), size=per_field, replace=False)
            ws.bulk_fill("episodes", field, {k: f"X{i}-{j}" for j, k in enumerate(keys[rows])},
                         reason="bench", overwrite=True)
        assert len(ws.history()) == per_field * len(FIELDS)
    return path, csvs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--edits", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        path, csvs = build(folder, args.episodes, args.edits)
        print(f"built {args.episodes:,} episodes + {args.edits:,} edits in {time.perf_counter() - t0:.1f} s; "
              f"workspace {path.stat().st_size / 2**20:.1f} MiB, CSVs "
              f"{sum(p.stat().st_size for p in csvs.values()) / 2**20:.1f} MiB")
        opens, reads, ratios = [], [], []
        for i in range(args.rounds):
            order = [0, 1] if i % 2 == 0 else [1, 0]
            took = {}
            for which in order:
                start = time.perf_counter()
                if which == 0:
                    with Workspace.open(path) as ws:
                        tables = ws.tables()
                    rows = sum(tables.row_counts().values())
                else:
                    frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in csvs.values()]
                    rows = sum(len(f) for f in frames)
                took[which] = time.perf_counter() - start
            opens.append(took[0])
            reads.append(took[1])
            ratios.append(took[0] / took[1])
        print(f"rows: {rows:,}")
        print(f"workspace open + tables(): median {statistics.median(opens):.2f} s")
        print(f"pandas.read_csv (baseline): median {statistics.median(reads):.2f} s")
        print(f"ratio open / read_csv: median {statistics.median(ratios):.2f}x")
        with Workspace.open(path) as ws:
            ws.tables()
            edit_times, undo_times = [], []
            for i in range(20):
                start = time.perf_counter()
                ws.edit("episodes", i, "postcode", f"ZZ1 {i}", reason="bench")
                edit_times.append(time.perf_counter() - start)
            for _ in range(20):
                start = time.perf_counter()
                ws.undo()
                undo_times.append(time.perf_counter() - start)
        print(f"one edit on the open workspace: median {statistics.median(edit_times) * 1000:.1f} ms; "
              f"one undo: median {statistics.median(undo_times) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
