"""Date cells as the records show them: dd/mm/yyyy whatever style the provider wrote.

The project's own parser (``rules.parse.clean_text`` + ``rules.dates.parse_dates``, what the schema
uses) reads the value, so what is shown agrees with what is judged: "16-May-1987", " 02/10/1977"
and "1987-05-16" all show "16/05/1987". A value that is not a date is shown exactly as written,
so the person sees what to fix. Vectorised: a column of 100,000 cells in tens of milliseconds.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from rules.dates import parse_dates
from rules.parse import clean_text


def shown_dates(values: np.ndarray, *, birth: bool = False, today: dt.date | None = None) -> np.ndarray:
    """RAW date texts (object array, None/NaN = blank) -> the texts shown (None where blank)."""
    raw = pd.Series(values, dtype=object)
    text = clean_text(raw)
    parsed = parse_dates(text, birth=birth, today=today)
    out = np.where(text.isna().to_numpy(), None, raw.to_numpy(dtype=object))  # as written, spaces and all
    ok = parsed.notna().to_numpy()
    if ok.any():
        out[ok] = day_month_year(parsed[ok].to_numpy().astype("datetime64[D]"))
    return out


def day_month_year(days: np.ndarray) -> np.ndarray:
    """datetime64[D] -> "dd/mm/yyyy" texts, by integer arithmetic (``strftime`` is three times slower)."""
    years, months = days.astype("datetime64[Y]"), days.astype("datetime64[M]")

    def padded(numbers: np.ndarray, width: int) -> pa.Array:
        return pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width, "0")

    return pc.binary_join_element_wise(padded((days - months).astype(np.int64) + 1, 2),
                                       padded((months - years).astype(np.int64) + 1, 2),
                                       padded(years.astype(np.int64) + 1970, 4), "/").to_numpy(zero_copy_only=False)


class ShownColumns:
    """A model's columns as shown and as searched, each made once and kept until its cells change."""

    def __init__(self, cols: list[np.ndarray], fields: list[str], dates: set[int], today: dt.date | None) -> None:
        self.cols, self.fields, self.dates, self.today = cols, fields, dates, today
        self._shown: dict[int, np.ndarray] = {}
        self._search: dict[int, pa.Array] = {}

    def shown(self, col: int) -> np.ndarray:
        """A column's values as shown (dates dd/mm/yyyy, whatever style the file used): object array."""
        if col not in self.dates:
            return self.cols[col]
        if col not in self._shown:
            self._shown[col] = self._format(col, self.cols[col])
        return self._shown[col]

    def searchable(self, col: int) -> pa.Array:
        """A column as shown, as an Arrow string array (what the filter and Find search)."""
        if col not in self._search:
            values = self.shown(col)
            try:
                self._search[col] = pa.array(values, type=pa.string(), from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers (source rows)
                self._search[col] = pa.array(pd.Series(values, dtype="string"), type=pa.string())
        return self._search[col]

    def changed(self, col: int, positions: np.ndarray) -> None:
        """Cells of ``col`` were edited: format only those again; search the column afresh."""
        self._search.pop(col, None)
        if col in self._shown:
            self._shown[col][positions] = self._format(col, self.cols[col][positions])

    def _format(self, col: int, values: np.ndarray) -> np.ndarray:
        return shown_dates(values, birth=self.fields[col] == "dob", today=self.today)


def shown_date(value: object, *, birth: bool = False, today: dt.date | None = None) -> str:
    """One date cell as shown (blank -> "")."""
    shown = shown_dates(np.array([value], dtype=object), birth=birth, today=today)[0]
    return "" if shown is None else str(shown)
