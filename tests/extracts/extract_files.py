"""Helpers the extract tests share: write small real workbooks and CSV files (imported by name)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from workbook_files import write_xlsx  # noqa: F401  (re-exported for the tests here)

EPISODE_HEADER = ["provider_code", "episode_id", "client_ref", "first_initial", "surname_initial", "dob",
                  "sex", "ethnicity", "consent", "referral_date", "drug1", "discharge_date",
                  "discharge_reason"]


def episode_row(i: int, **values: object) -> list[object]:
    """A valid episode row (as text) in EPISODE_HEADER order, with some cells replaced."""
    base = {"provider_code": "N9001", "episode_id": f"E{i:04d}", "client_ref": f"C{i:04d}",
            "first_initial": "A", "surname_initial": "B", "dob": "1980-01-15", "sex": "M",
            "ethnicity": "A", "consent": "Y", "referral_date": "2025-04-01", "drug1": "HER",
            "discharge_date": None, "discharge_reason": None}
    base.update(values)
    return [base[c] for c in EPISODE_HEADER]




def write_csv(path: Path, rows: Sequence[Sequence[object]], *, encoding: str = "utf-8",
              delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def episodes_rows(n: int = 3) -> list[list[object]]:
    """Header plus ``n`` valid episodes."""
    return [list(EPISODE_HEADER)] + [episode_row(i) for i in range(1, n + 1)]
