"""Messy tables in real files: opening, checking and evaluating them raises nothing but InputError.

Bounded so the suite stays quick (50 examples per test, no deadline: file writing varies).
Hypothesis keeps its example database in .hypothesis/, so a failure found once is tried first next time.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import zipfile
from pathlib import Path

from fuzz_tables import messy_table, write_csv, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import InputError
from app.extracts import open_extracts
from rules import schema
from rules.columns import SOURCE_FILE, SOURCE_ROW
from rules.engine import evaluate

AS_AT = dt.date(2025, 7, 15)
#: FUZZ_EXAMPLES=1000 for a long run by hand; the suite's 50 keep the three tests under a minute.
BOUNDED = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "50")), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                         HealthCheck.data_too_large])


def _only_input_errors(path: Path) -> None:
    """Open, check and evaluate; anything but InputError fails the test. Findings must point at rows."""
    try:
        opened = open_extracts([path], as_at=AS_AT)
    except InputError as err:
        assert "\n" not in str(err) and err.file
        return
    typed, findings = schema.check(opened.raw)
    report = evaluate(typed, schema_findings=findings)
    for table in ("episodes", "modalities", "tops"):
        frame = typed.get(table)
        if frame is None:
            continue
        rows = set(zip(frame[SOURCE_FILE], frame[SOURCE_ROW].astype("int64"), strict=True))
        located = report.findings[(report.findings["table"] == table) & report.findings["row"].notna()]
        for file, row in zip(located["file"], located["row"], strict=True):
            assert (file, int(row)) in rows


@BOUNDED
@given(episodes=messy_table("episodes"), tops=st.none() | messy_table("tops"),
       modalities=st.none() | messy_table("modalities"))
def test_messy_workbooks(episodes, tops, modalities) -> None:  # noqa: ANN001
    sheets = {"episodes": episodes}
    if tops is not None:
        sheets["tops"] = tops
    if modalities is not None:
        sheets["modalities"] = modalities
    with tempfile.TemporaryDirectory() as folder:
        _only_input_errors(write_xlsx(Path(folder) / "messy.xlsx", sheets))


@BOUNDED
@given(episodes=messy_table("episodes"), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
       delimiter=st.sampled_from([",", ";", "\t", "|"]))
def test_messy_csv(episodes, encoding: str, delimiter: str) -> None:  # noqa: ANN001
    with tempfile.TemporaryDirectory() as folder:
        _only_input_errors(write_csv(Path(folder) / "messy_episodes.csv", episodes, encoding=encoding,
                                     delimiter=delimiter))


@BOUNDED
@given(episodes=messy_table("episodes"), edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 40),
                                                                  st.binary(max_size=12)), min_size=1, max_size=4))
def test_damaged_sheet_xml(episodes, edits) -> None:  # noqa: ANN001
    """The sheet XML cut and spliced (as a bad export or a damaged file could be), then re-zipped."""
    with tempfile.TemporaryDirectory() as folder:
        good = write_xlsx(Path(folder) / "good.xlsx", {"episodes": episodes})
        bad = Path(folder) / "damaged.xlsx"
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename == "xl/worksheets/sheet1.xml":
                    for where, cut, splice in edits:
                        at = int(where * len(data))
                        data = data[:at] + splice + data[at + cut:]
                dst.writestr(info.filename, data)
        _only_input_errors(bad)
