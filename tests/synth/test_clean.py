"""Clean synthetic data breaks no error rule, in every format."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.synth.checks import error_findings
from tests.synth.conftest import AS_AT

from app.synth import Synthetic, generate


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "flat-xlsx"])
@pytest.mark.parametrize("seed", [1, 2])
def test_clean_data_has_no_errors(fmt: str, seed: int) -> None:
    synthetic = generate(providers=3, episodes=700, seed=seed, as_at=AS_AT, fmt=fmt)
    assert error_findings(synthetic.raw) == []
    assert synthetic.manifest == []


def test_one_provider_and_an_old_as_at() -> None:
    synthetic = generate(providers=1, episodes=300, seed=5, as_at=dt.date(2024, 3, 31))
    assert error_findings(synthetic.raw) == []


def test_the_checker_can_fail(clean: Synthetic) -> None:
    """The independent checker is real: a triage before referral is found."""
    episodes = clean.raw.episodes.copy()
    i = episodes.index[episodes["triage_date"].notna()][0]
    episodes.at[i, "triage_date"] = "1990-01-01"
    raw = type(clean.raw)(episodes=episodes, modalities=clean.raw.modalities, tops=clean.raw.tops,
                          as_at=clean.raw.as_at)
    assert [f[0] for f in error_findings(raw)] == ["triage-not-before-referral"]
