"""Benchmark: every count and measure of the 100,000-episode partnership, in process.

Times, side by side in one run (best of ``--repeat``), with ratios against baselines timed in the
same run (the same baselines as ``bench_rules.py``):
- ``compute`` for financial year 2025-26, for 2025-26 Q3 without and with every breakdown;
- the shared tables alone (``rules.measures.context.build``) and the journey linking
  (``rules.journeys.episode_frame`` + ``link``), which every period pays.

    .venv/bin/python bench/bench_measures.py [--episodes 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_rules import AS_AT, best, raw_tables, show  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--providers", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from rules import engine, journeys, measures, periods, schema
    from rules.measures.context import build
    from rules.settings import Settings

    raw = raw_tables(args.episodes, args.providers)
    typed, schema_findings = schema.check(raw)
    findings = engine.evaluate(typed, schema_findings=schema_findings).findings
    year, q3 = periods.financial_year(2025), periods.quarter(2025, 3)
    every = ("provider_code", "pdu", "substance", "sex", "ethnicity", "age_band")
    settings = Settings()
    r = args.repeat
    rows: dict[str, float] = {}
    rows["baseline: schema.check (typing)"] = best(lambda: schema.check(raw), max(1, r // 2))
    eps = typed.episodes
    rows["baseline: groupby min over episodes"] = best(
        lambda: eps.groupby("provider_code")["referral_date"].min(), r * 4)

    def linking() -> None:
        frame = journeys.episode_frame(typed.episodes, typed.modalities)
        journeys.link(frame, gap_days=settings.journey_gap_days)

    rows["journeys: episode_frame + link"] = best(linking, r)
    rows["shared tables (context.build), year"] = best(
        lambda: build(typed, year, AS_AT, settings, findings), r)
    rows["compute: year 2025-26"] = best(
        lambda: measures.compute(typed, year, as_at=AS_AT, findings=findings), r)
    rows["compute: 2025-26 Q3"] = best(
        lambda: measures.compute(typed, q3, as_at=AS_AT, findings=findings), r)
    rows["compute: 2025-26 Q3, every breakdown"] = best(
        lambda: measures.compute(typed, q3, as_at=AS_AT, findings=findings, by=every), r)
    show(f"measures: {args.episodes:,} episodes, {args.providers} providers", rows,
         ("baseline: schema.check (typing)", "baseline: groupby min over episodes"))


if __name__ == "__main__":
    main()
