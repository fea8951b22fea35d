"""The fast JSON writer gives exactly the JSON ``json.dumps`` would, and findings convert column-wise."""

from __future__ import annotations

import io
import json

import pandas as pd

from app.reports.jsonout import dump_report_json
from rules.findings import finding_to_json, findings_frame, findings_to_json


def _findings() -> pd.DataFrame:
    return findings_frame([
        {"rule": "triage-not-before-referral", "severity": "error", "category": "data-quality",
         "provider": "N9001", "file": "a £.xlsx", "table": "episodes", "row": 17, "record": "N9001/E1",
         "fields": ("referral_date", "triage_date"), "values": ("2025-05-02", "2025-04-28"),
         "message": "Triaged 4 days before referral"},
        {"rule": "month-first-dates", "severity": "warning", "category": "data-quality", "provider": "N9002",
         "file": "b.csv", "table": "episodes", "row": None, "record": "", "fields": ("dob",),
         "values": ("12/31/1980",), "message": "Dates look \"month-first\""},
    ])


def test_column_wise_conversion_matches_row_by_row() -> None:
    frame = _findings()
    assert findings_to_json(frame) == [finding_to_json(r) for r in frame.to_dict("records")]
    assert findings_to_json(frame)[1]["row"] is None
    assert findings_to_json(frame.iloc[:0]) == []


def test_dump_is_the_same_json_as_json_dumps() -> None:
    for findings in (findings_to_json(_findings()), []):
        data = {"as_at": "2025-07-15", "summary": {"files": 2, "by_rule": {"x": 1}}, "findings": findings}
        stream = io.StringIO()
        dump_report_json(data, stream)
        assert json.loads(stream.getvalue()) == data
        assert stream.getvalue().count("\n") >= len(findings) + 3
