"""The project's own input error: bad input gets one clear line naming where, never a traceback."""

from __future__ import annotations


class InputError(Exception):
    """A file or an option the user gave cannot be used.

    The message names the file, sheet, row and column where they are known, and says what to do.
    The CLI prints ``str(error)`` on one line and exits 2; the app shows it in a message box.
    """

    def __init__(self, message: str, *, file: str | None = None, sheet: str | None = None,
                 row: int | None = None, column: str | None = None) -> None:
        self.reason = message
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.sheet:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason
