"""What the self-test's steps share (``app.selftest`` and its Qt step ``app.ui.selftest_windows``):
the partnership checked, the state handed from step to step, and ``expect``. A leaf module, so
neither of the two imports the other."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The small fictional partnership checked (seconds, not minutes; some defects so rules fire).
PARTNERSHIP = {"providers": 2, "episodes": 200, "seed": 11, "defects": 0.02, "as_at": dt.date(2025, 10, 15)}


class SelftestFailure(Exception):
    """A check that ran but found something wrong (as opposed to code that crashed)."""


@dataclass
class State:
    """What the steps hand on to each other."""

    folder: Path
    gui: bool = True
    paths: list[Path] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SelftestFailure(message)
