"""One small workbook writer shared by the tests' file helpers (extracts, bad-input corpus)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[object]]],
               edit: Callable[[openpyxl.Workbook], None] | None = None) -> Path:
    """A workbook with one sheet per entry (rows as given; None = empty cell); ``edit`` may change it before saving."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
    if edit:
        edit(wb)
    wb.save(path)
    return path
