"""Killed mid-edit: a child process runs the app's session on a workspace and is killed (SIGKILL
on POSIX, TerminateProcess on Windows) at a random point, over and over. Every step it reported
as done must be in the file afterwards, the file must pass SQLite's integrity check, and the step
it was making when killed must be there whole or not at all.

The child makes single edits, bulk replaces and undos through ``Session`` (what the app does) and
prints ``try ...`` before each step and ``done <batch> ...`` once it returned (so once committed).
The parent checks the reopened workspace (history and working tables) and the audit trail that
``treatment-returns audit`` writes of it.
"""

from __future__ import annotations

import csv
import datetime as dt
import inspect
import json
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from app import words
from app.cli import main
from app.workspace import Workspace

RUNS = 24
MAX_LINES = 40
KEYS = {"episodes": ("provider_code", "episode_id"), "modalities": ("provider_code", "episode_id", "modality_id"),
        "tops": ("provider_code", "episode_id", "top_id")}

CHILD = r'''
import json, random, sys
from pathlib import Path

from app.session import Session
from rules import codes, columns

path, seed = Path(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
FIELDS = {"episodes": ["sex", "drug1", "discharge_reason", "referral_source", "triage_date", "care_plan_date",
                       "postcode"],
          "modalities": ["modality_type", "modality_end_date"],
          "tops": ["top_stage", "opiate_days", "alcohol_days"]}
CODED = [("episodes", "sex"), ("episodes", "drug1"), ("episodes", "referral_source"), ("tops", "top_stage")]

session = Session()
session.open_workspace(path)


def value_for(table, field):
    column = columns.column(table, field)
    if column.type == "code":
        return rng.choice(sorted(codes.CODE_LISTS[column.code_list]))
    if column.type == "date":
        return f"2025-{rng.randint(4, 12):02d}-{rng.randint(1, 28):02d}"
    if field == "postcode":
        return f"ZZ{rng.randint(1, 99)} {rng.randint(1, 9)}ZZ"
    return str(rng.randint(0, 28))


def say(word, kind, changes):
    """One line: ``try KIND TABLE POS[,POS...] FIELD VALUE`` or ``done BATCH KIND ...`` (VALUE as JSON)."""
    c = changes[0]
    assert all((d.table, d.field, d.new) == (c.table, c.field, c.new) for d in changes)
    print(word, kind, c.table, ",".join(str(d.pos) for d in changes), c.field, json.dumps(c.new), flush=True)


undoable = None   # the last edit or bulk replace, while it can be undone
for _ in range(100000):
    roll = rng.random()
    if roll < 0.15 and undoable is not None:
        changes = [c.inverse() for c in reversed(undoable.changes)]
        say("try", "undo", changes)
        result = session.apply(changes, reason="undo", kind="undo", ref_step=undoable.step)
        kind, undoable = "undo", None
    elif roll < 0.35:
        table, field = rng.choice(CODED)
        frame = session.table(table)
        present = sorted(set(frame[field].dropna()))
        if not present:
            continue
        old = rng.choice(present)
        new = rng.choice(sorted(set(codes.CODE_LISTS[columns.column(table, field).code_list]) - {old}))
        rows = [int(i) for i in frame.index[frame[field] == old]]
        rows = sorted(rng.sample(rows, min(len(rows), rng.randint(1, 6))))
        changes = session.replace_changes(table, rows, field, new, old_text=old)
        if not changes:
            continue
        say("try", "bulk-replace", changes)
        result = session.bulk_replace(table, rows, field, new, old_text=old, reason=f"recoded {old} as {new}")
        kind, undoable = "bulk-replace", result
    else:
        table = rng.choice(list(FIELDS))
        field = rng.choice(FIELDS[table])
        pos = rng.randrange(len(session.table(table)))
        change = session.change_for(table, pos, field, value_for(table, field))
        if change.old == change.new:
            continue
        say("try", "edit", [change])
        result = session.edit(table, pos, field, change.new, reason=f"fix {field}")
        kind, undoable = "edit", result
    assert result.batch_id is not None, "the step was not saved in the workspace"
    say(f"done {result.batch_id}", kind, result.changes)
'''


@dataclass(frozen=True)
class Step:
    kind: str
    table: str
    positions: tuple[int, ...]
    field: str
    value: str | None
    batch_id: int | None = None


def parse(line: str, batch_id: int | None = None) -> Step:
    kind, table, positions, field, value = line.split(" ", 4)
    return Step(kind, table, tuple(int(p) for p in positions.split(",")), field, json.loads(value), batch_id)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace made from synthetic extracts by the Qt-free session, closed (so no -wal file)."""
    from app.session import Session
    from app.synth import generate, write

    folder = tmp_path_factory.mktemp("kill")
    paths = write(generate(providers=2, episodes=200, seed=7, defects=0.02, as_at=dt.date(2025, 10, 15)),
                  folder / "extracts")
    path = folder / "template.trworkspace"
    session = Session()
    made_at_once = "workspace_path" in inspect.signature(Session.open_files).parameters
    session.open_files(paths, **({"workspace_path": path} if made_at_once else {}))
    if session.workspace is None:
        session.save_workspace(path, year="2025-26")
    session.workspace.close()
    assert path.is_file() and not Path(f"{path}-wal").exists()
    return path


def run_child(path: Path, seed: int, stop_after: int, extra_sleep: float, stderr_path: Path
              ) -> tuple[list[Step], Step | None, int]:
    """Start the child, kill it after ``stop_after`` steps (+ a sleep); the steps it reported done,
    the step it had started when killed (or None), and its exit code."""
    with open(stderr_path, "w") as stderr:
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(seed)],
                                stdout=subprocess.PIPE, stderr=stderr, text=True)
    watchdog = threading.Timer(120, proc.kill)
    watchdog.start()
    lines: list[str] = []
    try:
        while sum(line.startswith("done ") for line in lines) < stop_after:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
        time.sleep(extra_sleep)
        proc.kill()
        code = proc.wait()
        lines += proc.stdout.readlines()   # what it printed before the kill landed
    finally:
        watchdog.cancel()
        proc.stdout.close()
    done = sum(line.startswith("done ") for line in lines)
    assert done >= stop_after, f"the child stopped by itself after {done} steps:\n{stderr_path.read_text()[-3000:]}"
    steps, started = [], None
    for line in lines:
        if not line.endswith("\n"):
            continue   # cut off by the kill: never a whole report
        word, rest = line.rstrip("\n").split(" ", 1)
        if word == "try":
            started = parse(rest)
        else:
            assert word == "done"
            batch, rest = rest.split(" ", 1)
            step = parse(rest, int(batch))
            assert started is not None and parse(rest) == started, line
            steps.append(step)
            started = None
    return steps, started, code


def keys_of(frame: pd.DataFrame, table: str, positions: tuple[int, ...]) -> list[str]:
    rows = frame.iloc[list(positions)]
    return ["/".join(str(v) for v in values) for values in zip(*(rows[c] for c in KEYS[table]), strict=True)]


def blank(value: object) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "" else str(value)


def expected_rows(step: Step, tables) -> set[tuple[str, str, str, str | None]]:
    return {(step.kind, key, step.field, step.value) for key in keys_of(tables.get(step.table), step.table, step.positions)}


def trail_rows(rows, batch_id: int) -> set[tuple[str, str, str, str | None]]:
    return {(r["step"], r["row_key"], r["field"], blank(r["new"])) for r in rows
            if blank(r["batch_id"]) is not None and int(float(r["batch_id"])) == batch_id}


def integrity(path: Path, scratch: Path) -> str:
    """SQLite's integrity check of the file as the crash left it (a copy with its -wal, so the
    app's own reopening below still meets the crash)."""
    scratch.mkdir()
    copy = scratch / path.name
    shutil.copy(path, copy)
    if Path(f"{path}-wal").exists():
        shutil.copy(f"{path}-wal", f"{copy}-wal")
    conn = sqlite3.connect(copy)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def audit(path: Path, out: Path, *, real_process: bool) -> list[dict[str, str]]:
    argv = ["audit", "--workspace", str(path), "--out", str(out), "--identifiers"]
    if real_process:
        done = subprocess.run([sys.executable, "-m", "app", *argv], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    else:
        assert main(argv) == 0
    with open(out, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.slow
def test_every_step_reported_done_survives_a_kill(template: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    started_at = time.perf_counter()
    stats = {"steps": 0, "in_flight_saved": 0, "in_flight_lost": 0, "idle": 0, "wal_left": 0}
    for run in range(RUNS):
        rng = random.Random(run)
        folder = tmp_path / f"run{run}"
        folder.mkdir()
        path = folder / "workspace.trworkspace"
        shutil.copy(template, path)
        steps, started, code = run_child(path, seed=1000 + run, stop_after=rng.randint(1, MAX_LINES),
                                         extra_sleep=rng.uniform(0, 0.05), stderr_path=folder / "stderr.txt")
        assert code != 0, "the child was not killed"
        where = f"run {run} ({len(steps)} steps done, {'one started' if started else 'none started'})"
        stats["steps"] += len(steps)
        stats["wal_left"] += Path(f"{path}-wal").exists()

        assert integrity(path, folder / "copy") == "ok", where

        # the audit trail, read without the app straight from the file as the kill left it
        trail = audit(path, folder / "trail.csv", real_process=run == 0)
        capsys.readouterr()

        with Workspace.open(path) as ws:
            tables = ws.tables()
            history = ws.history()
        batches = set(history["batch_id"].dropna().astype(int))
        last = max((s.batch_id for s in steps), default=0)
        newer = sorted(b for b in batches if b > last)
        assert len(newer) <= 1, f"{where}: batches {newer} after the last one reported"
        saved = list(steps)
        if newer:   # the step under way when killed was committed: it must be there whole
            assert started is not None, f"{where}: batch {newer} but no step was started"
            saved.append(Step(started.kind, started.table, started.positions, started.field, started.value,
                              newer[0]))
            stats["in_flight_saved"] += 1
        else:
            stats["in_flight_lost" if started is not None else "idle"] += 1

        history_rows = [{"step": s, "row_key": k, "field": f, "new": n, "batch_id": b} for s, k, f, n, b in
                        zip(history["step"], history["row_key"], history["field"], history["new"],
                            history["batch_id"], strict=True)]
        for step in saved:
            want = expected_rows(step, tables)
            assert trail_rows(history_rows, step.batch_id) == want, f"{where}: batch {step.batch_id} in history"
            readable = {(st, k, f, None if n is None else words.day_first(n)) for st, k, f, n in want}
            assert trail_rows(trail, step.batch_id) == readable, f"{where}: batch {step.batch_id} in the audit trail"

        final: dict[tuple[str, int, str], str | None] = {}
        for step in saved:
            for pos in step.positions:
                final[(step.table, pos, step.field)] = step.value
        for (table, pos, field), value in final.items():
            assert blank(tables.get(table)[field].iat[pos]) == value, f"{where}: {table} row {pos} {field}"

        assert integrity(path, folder / "after") == "ok", where
    seconds = time.perf_counter() - started_at
    with capsys.disabled():
        print(f"\n{RUNS} kills in {seconds:.1f} s: {stats}")
    assert stats["steps"] >= RUNS
