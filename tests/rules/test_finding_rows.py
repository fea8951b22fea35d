"""``FindingRows``: findings spliced as slices read back exactly as the one frame they stand for."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.engine import order
from rules.engine.order import FindingRows
from rules.findings import findings_frame


def _findings(start: int, n: int) -> pd.DataFrame:
    return findings_frame([{"rule": f"r{i}", "severity": "error", "category": "data-quality", "provider": "N9001",
                            "file": "a.xlsx", "table": "episodes", "row": i if i % 7 else None, "record": f"N9001/E{i}",
                            "fields": ("sex",), "values": (f"v{i}",), "message": f"m{i}"} for i in range(start, start + n)])


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.lists(st.integers(0, 10_000), max_size=4), st.integers(0, 3)), min_size=1, max_size=12),
       st.sampled_from([3, 400]))
def test_spliced_rows_read_back_as_the_frame_they_stand_for(steps, max_pieces) -> None:
    old_max, order.MAX_PIECES = order.MAX_PIECES, max_pieces
    try:
        model = _findings(0, 20)                  # what the rows must equal, kept the plain way
        rows = FindingRows(model)
        made = 20
        for cuts, added in steps:
            gone = sorted({c % len(model) for c in cuts}) if len(model) else []
            fresh = _findings(1000 + made, added)
            made += added
            plan, start = [], 0
            for g in gone:
                if g > start:
                    plan.append(("old", start, g))
                start = g + 1
            if start < len(model):
                plan.append(("old", start, len(model)))
            if added:
                plan.append(("new", 0, added))
            rows = rows.spliced(plan, fresh)
            model = pd.concat([model.drop(index=model.index[gone]), fresh], ignore_index=True)
            assert len(rows) == len(model)
            picks = np.arange(len(model))[::2][::-1]
            assert rows.take(picks).astype(object).equals(model.iloc[picks].reset_index(drop=True).astype(object))
        frame = rows.frame
        assert frame.astype(object).equals(model.astype(object))
        assert list(frame.dtypes) == list(model.dtypes)
        assert all(frame[c].array._pa_array.num_chunks == 1 for c in frame.columns if hasattr(frame[c].array, "_pa_array"))
    finally:
        order.MAX_PIECES = old_max


def test_many_splices_are_glued_into_one_frame_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(order, "MAX_PIECES", 4)
    rows = FindingRows(_findings(0, 30))
    for i in range(6):
        rows = rows.spliced([("old", 0, 5 + i), ("new", 0, 1), ("old", 6 + i, len(rows))], _findings(100 + i, 1))
    assert len(rows._pieces) <= 4 and len(rows) == 30
