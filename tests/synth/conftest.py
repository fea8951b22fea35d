"""Shared synthetic partnerships for the generator's tests (small: a few hundred rows)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.synth import Synthetic, generate

AS_AT = dt.date(2026, 1, 15)


@pytest.fixture(scope="session")
def clean() -> Synthetic:
    return generate(providers=3, episodes=900, seed=3, as_at=AS_AT)
