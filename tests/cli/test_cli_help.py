"""Command-line help: every option explained, exit codes listed, dates as people write them."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import COMMANDS, build_parser

COMMAND = Path(sys.executable).with_name("treatment-returns")


def run(*args: str) -> subprocess.CompletedProcess:
    """The installed command itself, as a person or a scheduler runs it."""
    return subprocess.run([str(COMMAND), *args], capture_output=True, text=True, timeout=300)


def sub_parsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_option_of_every_command_has_help() -> None:
    parser, known = build_parser()
    subs = sub_parsers(parser)
    assert set(subs) == set(COMMANDS) == known
    unexplained = [f"{name} {'/'.join(a.option_strings) or a.dest}"
                   for name, p in [("", parser), *subs.items()] for a in p._actions
                   if not a.help or a.help == argparse.SUPPRESS or not a.help.strip()]
    assert unexplained == []


def test_top_level_help_lists_the_exit_codes() -> None:
    done = run("--help")
    assert done.returncode == 0
    codes = done.stdout[done.stdout.index("exit codes:"):]
    for code in ("0 ", "1 ", "2 ", "130 "):
        assert f"\n  {code}" in codes


def test_generate_help_says_period_and_out_are_required() -> None:
    text = " ".join(sub_parsers(build_parser()[0])["generate"].format_help().split())
    assert "--period PERIOD required" in text and "--out DIR required" in text


@pytest.fixture(scope="module")
def extract(tmp_path_factory) -> Path:
    from app.synth import generate, write

    return write(generate(providers=1, episodes=60, seed=4, as_at=dt.date(2025, 10, 15)),
                 tmp_path_factory.mktemp("cli_help"))[0]


def test_as_at_is_taken_as_dd_mm_yyyy(extract) -> None:
    done = run("validate", str(extract), "--as-at", "17/06/2025", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    assert json.loads(done.stdout)["as_at"] == "2025-06-17"


def test_a_day_that_does_not_exist_is_refused_in_one_line(extract) -> None:
    done = run("validate", str(extract), "--as-at", "31/06/2025")
    assert done.returncode == 2
    assert "'31/06/2025' is not a date" in done.stderr and "dd/mm/yyyy" in done.stderr
