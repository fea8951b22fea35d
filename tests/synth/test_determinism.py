"""Same arguments, same data: byte-identical CSVs and workbooks; another seed, other data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests.synth.conftest import AS_AT

from app.synth import generate, write


def _bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "flat-xlsx"])
def test_same_seed_same_bytes(tmp_path: Path, fmt: str) -> None:
    for name in ("a", "b"):
        write(generate(providers=3, episodes=250, seed=7, defects=0.05, as_at=AS_AT, fmt=fmt), tmp_path / name)
    a, b = _bytes(tmp_path / "a"), _bytes(tmp_path / "b")
    assert a == b and len(a) >= 4


def test_other_seed_other_data() -> None:
    a = generate(providers=3, episodes=250, seed=1, as_at=AS_AT)
    b = generate(providers=3, episodes=250, seed=2, as_at=AS_AT)
    assert not a.raw.episodes["referral_date"].equals(b.raw.episodes["referral_date"])


def test_clean_base_is_the_same_with_or_without_defects() -> None:
    """Defects draw from their own random stream: the partnership underneath is the same."""
    clean = generate(providers=2, episodes=300, seed=3, as_at=AS_AT)
    messy = generate(providers=2, episodes=300, seed=3, defects=0.05, as_at=AS_AT)
    touched = {d.record for d in messy.manifest}

    def untouched(frame: pd.DataFrame) -> pd.DataFrame:
        keys = frame["provider_code"] + "/" + frame["episode_id"]
        cols = ["client_ref", "dob", "referral_date", "triage_date", "discharge_date", "drug1"]
        return frame.assign(key=keys)[~keys.isin(touched)].set_index("key")[cols]

    before, after = untouched(clean.raw.episodes), untouched(messy.raw.episodes)
    both = before.index.intersection(after.index)  # a duplicated id leaves its old key behind
    assert len(both) > 250 and before.loc[both].equals(after.loc[both])
