"""The corrected workbook holds real Excel dates in one format and codes without stray spaces, while
the workspace and the audit trail keep the text the provider (or the person) wrote (issue 14)."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook
from wsdata import import_all, synthetic

from app.workspace import Workspace
from app.workspace.excel_values import DATE_FORMAT
from rules.columns import column_names

WRITTEN = {  # (row, field): as a provider wrote it -> what the workbook must hold
    (0, "dob"): ("16-May-1987", dt.datetime(1987, 5, 16)),
    (1, "dob"): (" 02/10/1977", dt.datetime(1977, 10, 2)),
    (2, "referral_date"): ("2025-05-16", dt.datetime(2025, 5, 16)),
    (3, "referral_date"): ("31/02/2025", "31/02/2025"),         # not a date: written as it stands
    (4, "discharge_reason"): (" tcdf ", "TCDF"),
    (5, "sex"): ("F ", "F"),
}


def test_corrected_workbook_has_real_dates_and_clean_codes(tmp_path) -> None:
    with Workspace.create(tmp_path / "ws.trworkspace", partnership="A", year="2025-26") as ws:
        import_all(ws, synthetic(), tmp_path)
        for (row, field), (text, _) in WRITTEN.items():
            ws.edit("episodes", row, field, text, reason="as the provider wrote it")
        [path] = ws.export_corrected(tmp_path / "corrected.xlsx")
        frame = ws.tables().episodes.reset_index(drop=True)
        assert [frame.at[r, f] for r, f in WRITTEN] == [t for t, _ in WRITTEN.values()]   # the raw text kept
        trail = ws.history()
        assert {" 02/10/1977", " tcdf "} <= set(trail["new"])

    sheet = load_workbook(path)["episodes"]
    header = [c.value for c in sheet[1]]
    assert header == column_names("episodes")
    for (row, field), (_, wanted) in WRITTEN.items():
        cell = sheet.cell(row=row + 2, column=header.index(field) + 1)
        assert cell.value == wanted, (row, field)
        if isinstance(wanted, dt.datetime):
            assert cell.is_date and cell.number_format == DATE_FORMAT
    column = [sheet.cell(row=r, column=header.index("triage_date") + 1) for r in range(2, sheet.max_row + 1)]
    assert all(c.is_date and c.number_format == DATE_FORMAT for c in column if c.value is not None)
    assert any(c.value is not None for c in column)
