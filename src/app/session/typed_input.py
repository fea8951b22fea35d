"""What a person types into a cell, turned into the RAW text the working tables hold."""

from __future__ import annotations

import datetime as dt
import re

from rules import codes, columns

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def convert_input(table: str, name: str, text: str | None, *, today: dt.date | None = None) -> str | None:
    """What a person typed into a cell -> the RAW value stored (blank -> None).

    Dates typed day-first (``dd/mm/yyyy``, ``d/m/yy``) or ISO become ISO text; a value that is not
    a date is kept as typed so the schema reports it. Codes are upper-cased; a drop-down's
    ``CODE - label`` or a label typed in full gives the code.
    """
    if text is None or not str(text).strip():
        return None
    value = " ".join(str(text).split())
    kind = columns.column(table, name)
    if kind.type == "date":
        return _date_text(value, today or dt.date.today())
    if kind.type == "code" and kind.code_list:
        listing = codes.CODE_LISTS[kind.code_list]
        head = value.split(" - ")[0].strip()
        if head.upper() in listing:
            return head.upper()
        by_label = {lab.casefold(): code for code, lab in listing.items()}
        return by_label.get(value.casefold(), value.upper())
    return value


def _date_text(value: str, today: dt.date) -> str:
    match = _DMY.match(value)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            if len(match.group(3)) == 2:
                year += 2000 if 2000 + year <= today.year else 1900
            return dt.date(year, month, day).isoformat()
        match = _ISO.match(value)
        if match:
            return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        pass
    return value
