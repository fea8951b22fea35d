"""Safety: a second real process gets WorkspaceLocked; a process killed mid-edit loses nothing
it reported committed and leaves a sound file."""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from wsdata import import_all, synthetic

from app.workspace import Workspace, WorkspaceLocked

OPEN_IN_CHILD = """
import sys
from app.workspace import Workspace, WorkspaceLocked
try:
    ws = Workspace.open(sys.argv[1])
except WorkspaceLocked as error:
    print("LOCKED", error)
    sys.exit(0)
print("OPENED", flush=True)
sys.stdin.readline()   # hold it open until told
ws.close()
"""

# Imports once, then forks one child per round: each child opens the workspace and edits in a
# loop, printing every committed edit id, until the test kills it with SIGKILL.
CRASHER = """
import os, sys
from app.workspace import Workspace
path = sys.argv[1]
while sys.stdin.readline().strip() == "go":
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        try:
            ws = Workspace.open(path)
            n = len(ws.tables().episodes)
            i = 0
            while True:
                edit = ws.edit("episodes", i % n, "postcode", f"Z{os.getpid()} {i}", reason="crash test")
                os.write(1, f"C {edit.id}\\n".encode())
                i += 1
        finally:
            os._exit(1)
    os.write(1, f"P {pid}\\n".encode())
    os.waitpid(pid, 0)
    os.write(1, b"X\\n")
"""


@pytest.fixture
def workspace_path(tmp_path):
    path = tmp_path / "ws.trworkspace"
    with Workspace.create(path, partnership="A", year="2025-26") as ws:
        import_all(ws, synthetic(providers=1, episodes=30), tmp_path)
    return path


def _child(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_second_process_gets_workspace_locked(workspace_path):
    with Workspace.open(workspace_path):
        out = subprocess.run([sys.executable, "-c", OPEN_IN_CHILD, str(workspace_path)], input="\n",
                             capture_output=True, text=True, timeout=60)
        assert out.stdout.startswith("LOCKED") and "open in another window" in out.stdout, out.stderr
    holder = _child(OPEN_IN_CHILD, str(workspace_path))
    try:
        assert holder.stdout.readline().strip() == "OPENED"
        with pytest.raises(WorkspaceLocked, match="open in another window"):
            Workspace.open(workspace_path)
    finally:
        holder.communicate("\n", timeout=60)
    with Workspace.open(workspace_path) as ws:  # released when the other window closed
        assert ws.partnership == "A"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")
def test_killed_process_loses_no_committed_edit(workspace_path):
    rng = random.Random(7)
    crasher = _child(CRASHER, str(workspace_path))
    reported: set[int] = set()
    try:
        for _ in range(20):
            crasher.stdin.write("go\n")
            crasher.stdin.flush()
            pid = int(crasher.stdout.readline().split()[1])
            for _ in range(rng.randint(1, 12)):
                line = crasher.stdout.readline()
                if m := re.fullmatch(r"C (\d+)\n", line):
                    reported.add(int(m.group(1)))
            time.sleep(rng.random() * 0.004)
            os.kill(pid, signal.SIGKILL)
            while (line := crasher.stdout.readline()) != "X\n":
                assert line, crasher.stderr.read()
                if m := re.fullmatch(r"C (\d+)\n", line):
                    reported.add(int(m.group(1)))
            with Workspace.open(workspace_path) as ws:
                saved = set(ws.history()["id"])
                assert reported <= saved
        crasher.stdin.write("stop\n")
        crasher.stdin.flush()
    finally:
        crasher.communicate(timeout=60)
    assert len(reported) >= 20
    conn = sqlite3.connect(workspace_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # Each step is one transaction: no step without its edit, no edit without its step.
    assert conn.execute("SELECT count(*) FROM batches b WHERE kind = 'edit' AND NOT EXISTS "
                        "(SELECT 1 FROM edits e WHERE e.batch_id = b.id)").fetchone()[0] == 0
    conn.close()
    with Workspace.open(workspace_path) as ws:  # and the working tables show the last values
        last = ws.history().drop_duplicates(["source_id", "seq", "field"], keep="last")
        episodes = ws.tables().episodes
        assert all(episodes.at[int(s), "postcode"] == v for s, v in zip(last["seq"], last["new"], strict=True))
