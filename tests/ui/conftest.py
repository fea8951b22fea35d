"""Fixtures for the GUI tests: a session over a small partnership (see ``ui_data``)."""

from __future__ import annotations

import pytest
from ui_data import TinyValidator, small_raw

from app.session import Session


@pytest.fixture
def session() -> Session:
    s = Session(validator=TinyValidator())
    s.load(small_raw())
    return s
