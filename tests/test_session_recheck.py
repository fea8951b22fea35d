"""Edits re-check only what they touch, and the findings are always those of checking everything again.

Real extract files (the project's generator, with defects) are opened with the real schema and
engine; random sequences of typed edits (good values, bad codes, bad dates, out-of-range numbers,
blanks, key columns) are applied through ``Session.apply``, and after every step the session's
findings must equal those of a new session loaded from the same RAW tables.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "ui"))
from ui_data import synthetic_extracts  # noqa: E402

from app.session import Session  # noqa: E402
from rules.findings import FINDING_COLUMNS  # noqa: E402
from rules.tables import Tables  # noqa: E402

#: (table, column, what a person might type) - valid, invalid and blank values for each kind of field.
TYPED = [
    ("episodes", "triage_date", ["01/04/2025", "31/02/2025", "", "2024-01-01", "13/13/13"]),
    ("episodes", "referral_date", ["02/02/2025", "x", ""]),
    ("episodes", "discharge_date", ["30/09/2025", "", "01/01/2030"]),
    ("episodes", "discharge_reason", ["TCDF", "ZZ", ""]),
    ("episodes", "sex", ["F", "Q", ""]),
    ("episodes", "drug1", ["HER", "NOPE", ""]),
    ("episodes", "client_ref", ["C00001", "", "SAME"]),
    ("episodes", "episode_id", ["E-NEW", ""]),
    ("episodes", "provider_code", ["N9001", "N0000", ""]),
    ("episodes", "dob", ["01/01/1980", "01/01/2030", "bad"]),
    ("modalities", "modality_type", ["PHA", "XXX", ""]),
    ("modalities", "modality_start_date", ["01/05/2025", "nope", ""]),
    ("tops", "opiate_days", ["0", "29", "3.5", "", "abc"]),
    ("tops", "top_stage", ["S", "R", "Z"]),
    ("tops", "top_date", ["01/06/2025", "", "1/1/99"]),
]


@pytest.fixture(scope="module")
def opened(tmp_path_factory) -> Tables:
    files = synthetic_extracts(tmp_path_factory, "recheck", episodes=60, seed=5, defects=0.1)
    session = Session()
    session.open_files(files)
    return session.raw


def _copy(raw: Tables) -> Tables:
    return Tables(**{t: f.copy() if (f := raw.get(t)) is not None else None for t in ("episodes", "modalities", "tops")},
                  as_at=raw.as_at, files=list(raw.files))


def _as_set(findings: pd.DataFrame) -> set[tuple]:
    return set(findings[list(FINDING_COLUMNS)].astype(object).itertuples(index=False, name=None))


edit = st.tuples(st.integers(0, len(TYPED) - 1), st.integers(0, 10_000), st.integers(0, 10))


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow,
                                                                                     HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(edit, min_size=1, max_size=3), min_size=1, max_size=4))
def test_findings_after_edits_equal_checking_everything_again(opened: Tables, steps) -> None:
    session = Session()
    session.load(_copy(opened))
    session.counts()
    for step in steps:
        changes = []
        for which, row, pick in step:
            table, column, texts = TYPED[which]
            frame = session.table(table)
            if frame is None or not len(frame):
                continue
            changes.append(session.change_for(table, row % len(frame), column, texts[pick % len(texts)]))
        result = session.apply(changes)
        assert not result.full or not changes, "a partial re-check failed and everything was checked again"
        again = Session()
        again.load(_copy(session.raw))
        assert _as_set(session.findings) == _as_set(again.findings)
        assert session.findings["key"].is_unique
        assert session.counts() == again.counts()  # kept up to date edit by edit
