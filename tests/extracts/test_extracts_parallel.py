"""Several extracts are read side by side, yet the result and the errors are as if read in order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.errors import InputError
from app.extracts import open_extracts
from app.synth import generate, write

AS_AT = dt.date(2026, 1, 15)


def test_files_keep_their_order_and_rows(tmp_path: Path) -> None:
    paths = write(generate(providers=4, episodes=400, seed=5, defects=0.0, as_at=AS_AT), tmp_path)
    extracts = [p for p in paths if p.suffix == ".xlsx"]
    forward = open_extracts(extracts)
    backward = open_extracts(list(reversed(extracts)))
    assert forward.tables.files == [p.name for p in extracts]
    assert backward.tables.files == [p.name for p in reversed(extracts)]
    order = list(dict.fromkeys(forward.tables.episodes["_file"]))
    assert order == [p.name for p in extracts]
    one_by_one = [open_extracts([p]).tables.episodes for p in extracts]
    assert sum(len(e) for e in one_by_one) == len(forward.tables.episodes)
    first = forward.tables.episodes[forward.tables.episodes["_file"] == extracts[0].name].reset_index(drop=True)
    assert first.equals(one_by_one[0])


def test_the_first_bad_file_in_order_is_the_one_reported(tmp_path: Path) -> None:
    paths = [p for p in write(generate(providers=2, episodes=100, seed=5, as_at=AS_AT), tmp_path)
             if p.suffix == ".xlsx"]
    broken_a = tmp_path / "a_broken.xlsx"
    broken_b = tmp_path / "b_broken.xlsx"
    broken_a.write_bytes(b"")
    broken_b.write_bytes(b"not a zip at all")
    with pytest.raises(InputError) as caught:
        open_extracts([paths[0], broken_a, paths[1], broken_b])
    assert caught.value.file is not None and "a_broken.xlsx" in str(caught.value)
