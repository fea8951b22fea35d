"""The as-at date proposed when extracts are opened (``app.session.as_at``), without Qt."""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd
import pytest

from app.session import Session
from app.session.as_at import AsAt, change, covered_periods, file_date, latest_date, propose
from app.synth import generate, write
from rules import columns
from rules.tables import Tables

TODAY = dt.date(2026, 1, 20)


def typed(**dates: list[str | None]) -> Tables:
    frame = pd.DataFrame({name: pd.to_datetime(pd.Series(values, dtype=object)) for name, values in dates.items()})
    return Tables(episodes=frame)


def test_the_latest_date_in_the_data_ignores_dates_after_today() -> None:
    tables = typed(referral_date=["2024-01-02", "2052-03-01", None], discharge_date=["2025-06-17", None, "2030-01-01"])
    assert latest_date(tables, TODAY) == dt.date(2025, 6, 17)
    assert latest_date(typed(referral_date=["2052-03-01", None]), TODAY) is None


def test_about_sheet_first_then_the_data_then_the_files_date(tmp_path) -> None:
    tables = typed(referral_date=["2024-01-02", "2025-03-31"])
    assert propose(dt.date(2025, 4, 4), tables, [], TODAY) == AsAt(dt.date(2025, 4, 4), "about")
    assert propose(None, tables, [], TODAY) == AsAt(dt.date(2025, 3, 31), "data")
    old = tmp_path / "extract.csv"
    old.write_text("x\n", encoding="utf-8")
    stamp = dt.datetime(2024, 7, 1, 12, 0).timestamp()
    os.utime(old, (stamp, stamp))
    assert file_date([tmp_path]) == file_date([old]) == dt.date(2024, 7, 1)
    empty = typed(referral_date=[None])
    assert propose(None, empty, [old], TODAY) == AsAt(dt.date(2024, 7, 1), "file")
    assert propose(None, empty, [], TODAY).basis == "today"
    assert propose(None, tables, [], TODAY).describe() == "31/03/2025 (the latest date in the data)"


@pytest.fixture(scope="module")
def no_about(tmp_path_factory):
    """A partnership's CSV folders without about.csv, as real extracts come; and its synthetic data."""
    synthetic = generate(providers=1, episodes=80, seed=3, as_at=dt.date(2024, 11, 20), fmt="csv")
    folders = write(synthetic, tmp_path_factory.mktemp("no_about"))
    for folder in folders:
        (folder / "about.csv").unlink()
    return folders, synthetic


def test_opening_files_without_an_about_sheet_takes_the_datas_latest_date(no_about, tmp_path) -> None:
    folders, synthetic = no_about
    expected = max(pd.to_datetime(synthetic.raw.get(t)[c.name], errors="coerce").max()
                   for t in columns.TABLES if synthetic.raw.get(t) is not None
                   for c in columns.COLUMNS[t] if c.type == "date").date()
    session = Session()
    session.open_files(folders, workspace_path=tmp_path / "a.trworkspace")
    assert session.as_at_basis == "data"
    assert session.raw.as_at == session.typed.as_at == expected <= dt.date(2024, 11, 20)
    assert session.workspace.as_at == expected           # the workspace's sources record it
    periods = covered_periods(session)
    assert periods[0].contains(expected) and any(p.label == "2023-24" for p in periods)
    session.close()


def test_a_changed_date_judges_again_and_survives_a_reopen(no_about, tmp_path) -> None:
    folders, _ = no_about
    path = tmp_path / "b.trworkspace"
    session = Session()
    session.open_files(folders, workspace_path=path)
    before = int((session.findings["rule"] == "no-future-dates").sum())
    change(session, dt.date(2023, 6, 30))
    assert session.raw.as_at == session.typed.as_at == dt.date(2023, 6, 30)
    assert int((session.findings["rule"] == "no-future-dates").sum()) > before    # judged as at the new date
    session.close()
    again = Session()
    again.open_workspace(path)
    assert again.raw.as_at == dt.date(2023, 6, 30)
    again.close()
