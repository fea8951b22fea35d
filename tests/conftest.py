"""Test set-up shared by every test: Qt offscreen on a 1366x768 laptop screen, and QSettings kept
out of the user's home."""

from __future__ import annotations

import json
import os
import tempfile

#: The screen every GUI test runs on: a common laptop's (Qt's offscreen default is 800x600).
LAPTOP = {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96,
          "logicalBaseDpi": 96, "dpr": 1}


def _laptop_platform() -> str:
    """``offscreen`` with a config file naming one 1366x768 screen (read when the QApplication starts)."""
    path = os.path.join(tempfile.mkdtemp(prefix="tr-screen-"), "laptop.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"windowFrameMargins": True, "screens": [LAPTOP]}, f)
    return f"offscreen:configfile={path}"


if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = _laptop_platform()

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _private_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point QSettings and the user's documents folder at a temporary directory."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(home / "Documents"))
