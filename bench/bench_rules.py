"""Benchmark: the rule engine on a 100,000-episode, 5-provider partnership, in process.

Times, side by side in one run (best of ``--repeat``), with ratios against baselines timed in the
same run (machines here are noisy; never read the seconds alone):
- baseline ``schema.check``: typing the same RAW tables (``rules.schema.check``);
- baseline ``groupby``: a plain pandas groupby over the episodes (min referral date per provider);
- ``evaluate``: every rule of the default catalogue;
- ``recheck``: one edited cell of one record (episode date, episode key, modality date, TOP stage),
  as the desktop app does after an edit (goal: a few ms, at most ~15 ms).

The RAW tables are generated once and cached as parquet under ``bench/out/`` (gitignored).

    .venv/bin/python bench/bench_rules.py [--episodes 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import OUT  # noqa: E402

AS_AT = dt.date(2026, 1, 15)
TABLE_NAMES = ("episodes", "modalities", "tops")


def raw_tables(episodes: int = 100_000, providers: int = 5):  # -> rules.tables.Tables
    """The RAW tables of the synthetic partnership, generated once and cached as parquet."""
    from app.synth import generate
    from rules.tables import Tables

    folder = OUT / f"raw_{providers}x{episodes}"
    paths = {t: folder / f"{t}.parquet" for t in TABLE_NAMES}
    meta = folder / "meta.json"
    if not all(p.exists() for p in paths.values()) or not meta.exists():
        folder.mkdir(parents=True, exist_ok=True)
        raw = generate(providers=providers, episodes=episodes, seed=11, defects=0.01, as_at=AS_AT).raw
        for t, p in paths.items():
            raw.get(t).to_parquet(p, index=False)
        meta.write_text(json.dumps({"files": list(raw.files), "as_at": AS_AT.isoformat()}))
    info = json.loads(meta.read_text())
    frames = {t: pd.read_parquet(p) for t, p in paths.items()}
    return Tables(**frames, as_at=dt.date.fromisoformat(info["as_at"]), files=info["files"])


def best(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def show(title: str, rows: dict[str, float], baselines: tuple[str, ...]) -> dict:
    """Print seconds and ratios against each baseline; save the figures as JSON under bench/out."""
    print(f"\n{title}")
    head = "".join(f"{'x ' + b[10:]:>28}" for b in baselines)
    print(f"{'step':<46}{'ms':>10}{head}")
    for name, s in rows.items():
        ratios = "".join(f"{s / rows[b]:>28.3f}" for b in baselines)
        print(f"{name:<46}{s * 1000:>10.2f}{ratios}")
    OUT.mkdir(parents=True, exist_ok=True)
    slug = title.lower().split(":")[0].replace(" ", "_")
    result = {"title": title, "seconds": {k: round(v, 5) for k, v in rows.items()},
              "ratios": {b: {k: round(v / rows[b], 4) for k, v in rows.items()} for b in baselines}}
    (OUT / f"{slug}.json").write_text(json.dumps(result, indent=2))
    return result


def edits(typed) -> list[tuple[str, str, str, int, object]]:
    """(name, table, column, position, new value) of the one-cell edits the recheck timings make."""
    eps, mods, tps = typed.episodes, typed.modalities, typed.tops
    mid = len(eps) // 2
    return [
        ("recheck: episode triage_date", "episodes", "triage_date", mid, pd.Timestamp("2025-01-02")),
        ("recheck: episode discharge_reason", "episodes", "discharge_reason", mid + 1, "TCDF"),
        ("recheck: episode client_ref (key)", "episodes", "client_ref", mid + 2, str(eps["client_ref"].iloc[0])),
        ("recheck: modality start date", "modalities", "modality_start_date", len(mods) // 2,
         pd.Timestamp("2025-02-02")),
        ("recheck: TOP stage", "tops", "top_stage", len(tps) // 2, "R"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--providers", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from rules import engine, schema

    raw = raw_tables(args.episodes, args.providers)
    typed, schema_findings = schema.check(raw)
    rows: dict[str, float] = {}
    rows["baseline: schema.check (typing)"] = best(lambda: schema.check(raw), max(1, args.repeat // 2))
    eps = typed.episodes
    rows["baseline: groupby min over episodes"] = best(
        lambda: eps.groupby("provider_code")["referral_date"].min(), args.repeat * 4)
    rows["evaluate (all rules)"] = best(
        lambda: engine.evaluate(typed, schema_findings=schema_findings), args.repeat)
    report = engine.evaluate(typed, schema_findings=schema_findings)
    for name, table, column, pos, value in edits(typed):
        frame = typed.get(table)
        col = frame.columns.get_loc(column)
        old = frame.iloc[pos, col]
        checker = engine.Rechecker(typed, report)
        state = {"flip": False}

        def one(frame=frame, col=col, pos=pos, table=table, old=old, value=value, state=state,
                checker=checker) -> None:
            # alternate the new value and the old one, so every call really changes the cell
            frame.iloc[pos, col] = old if state["flip"] else value
            state["flip"] = not state["flip"]
            checker.recheck(typed, {table: [frame.index[pos]]}, schema_findings=schema_findings)

        one()  # first call builds the per-report indexes (timed separately)
        rows[name] = best(one, args.repeat * 4)
        frame.iloc[pos, col] = old
        report = engine.evaluate(typed, schema_findings=schema_findings)
    start = time.perf_counter()
    fresh = engine.evaluate(typed, schema_findings=schema_findings)
    frame = typed.episodes
    engine.Rechecker(typed, fresh).recheck(typed, {"episodes": [frame.index[0]]}, schema_findings=schema_findings)
    rows["first recheck after evaluate (builds indexes)"] = time.perf_counter() - start - rows["evaluate (all rules)"]
    show(f"rules: {args.episodes:,} episodes, {args.providers} providers", rows,
         ("baseline: schema.check (typing)", "baseline: groupby min over episodes"))


if __name__ == "__main__":
    main()
