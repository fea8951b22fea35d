"""Many rows: 200,000 short episode rows import and validate in seconds here; a million is in bench/.

A million rows takes about 15 s and 2 GB on this 2-core machine (bench/bench_million.py measures it);
the suite keeps to 200,000 so several developers can run it at once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from corpus import write_many_rows

from app.extracts import open_extracts
from rules.columns import SOURCE_ROW
from rules.engine import evaluate

ROWS = 200_000


def test_two_hundred_thousand_rows_import_and_validate(tmp_path: Path) -> None:
    path = write_many_rows(tmp_path / "many_episodes.csv", ROWS)
    opened = open_extracts([path], as_at=dt.date(2025, 7, 15))
    report = evaluate(opened.tables, schema_findings=opened.findings)
    episodes = opened.tables.episodes
    assert len(episodes) == ROWS
    assert episodes[SOURCE_ROW].iloc[[0, -1]].tolist() == [2, ROWS + 1]
    assert episodes["episode_id"].iloc[-1] == f"E{ROWS - 1}"
    assert opened.findings.empty and report.errors == 0
