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


@pytest.fixture(autouse=True)
def _fresh_app_settings(qapp):
    """Each test starts with empty QSettings: Qt fixes the settings file once per process, so the
    per-test config folder (tests/conftest.py) does not reach it after the first test."""
    from PySide6.QtCore import QSettings

    from app.ui.app import application

    application()
    QSettings().clear()
    QSettings().sync()
    yield
