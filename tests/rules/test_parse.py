"""Text -> typed values: every accepted date style, Excel serials, two-digit years, whole numbers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from rules.dates import month_first_only, parse_dates, parse_dates_detail
from rules.parse import clean_text, parse_ints, parse_table

TODAY = dt.date(2026, 1, 15)


def _dates(values: list[str | None], **kw: object) -> list[str | None]:
    parsed = parse_dates(clean_text(pd.Series(values, dtype=object)), today=TODAY, **kw)
    assert parsed.dtype == "datetime64[ns]"
    return [None if pd.isna(v) else v.strftime("%Y-%m-%d") for v in parsed]


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-04-05", "2025-04-05"),
    ("2025-04-05 00:00:00", "2025-04-05"),
    ("2025-04-05T13:45:00", "2025-04-05"),
    ("05/04/2025", "2025-04-05"),
    ("5/4/2025", "2025-04-05"),
    ("05-04-2025", "2025-04-05"),
    ("05.04.2025", "2025-04-05"),
    ("5/4/25", "2025-04-05"),
    ("05-Apr-2025", "2025-04-05"),
    ("05-APR-2025", "2025-04-05"),
    ("5 April 2025", "2025-04-05"),
    ("05-Apr-25", "2025-04-05"),
    ("  05/04/2025 ", "2025-04-05"),
    ("05/04/2025 00:00", "2025-04-05"),
    ("20250405", "2025-04-05"),
    ("45748", "2025-04-01"),
    ("45748.75", "2025-04-01"),
    ("61", "1900-03-01"),
    ("59", "1900-02-28"),
    ("1", "1900-01-01"),
    ("2025/04/05", "2025-04-05"),
    ("5th April 2025", "2025-04-05"),
    ("05  Apr  2025", "2025-04-05"),
    ("29/02/2024", "2024-02-29"),
])
def test_accepted_styles(text: str, expected: str) -> None:
    assert _dates([text]) == [expected]


@pytest.mark.parametrize("text", ["60", "0", "31/02/2025", "29/02/2025", "TBC", "13/13/2025", "2025-02-30",
                                  "05/04", "32-Jan-2025", "99999999",
                                  "05-Foo-2025", "01/01/1066", "1e5", "2025-04-05x"])
def test_not_dates(text: str) -> None:
    assert _dates([text]) == [None]


def test_blank_and_spaces_are_blank_not_bad() -> None:
    text = clean_text(pd.Series(["", "   ", None, "x"], dtype=object))
    assert text.isna().tolist() == [True, True, True, False]


def test_two_digit_years_pivot() -> None:
    assert _dates(["01/06/87", "01/06/19", "01/06/30"]) == ["2087-06-01", "2019-06-01", "2030-06-01"]
    # a date of birth is never after today: 87 and 30 become 19xx, 19 stays 2019
    assert _dates(["01/06/87", "01/06/19", "01/06/30", "10/01/26", "20/01/26"], birth=True) == [
        "1987-06-01", "2019-06-01", "1930-06-01", "2026-01-10", "1926-01-20"]


def test_mixed_styles_in_one_column_keep_their_positions() -> None:
    values = ["45748", "5/4/25", None, "2025-04-05", "bad", "05-Apr-2025", "01/02/2025"]
    assert _dates(values) == ["2025-04-01", "2025-04-05", None, "2025-04-05", None, "2025-04-05", "2025-02-01"]


def test_index_labels_are_kept() -> None:
    text = clean_text(pd.Series(["5/4/25", "45748"], index=[10, 3], dtype=object))
    parsed = parse_dates(text, today=TODAY)
    assert parsed.index.tolist() == [10, 3]
    assert parsed.dt.strftime("%Y-%m-%d").tolist() == ["2025-04-05", "2025-04-01"]


def _month_first(values: list[str | None], rows: list[bool] | None = None) -> bool:
    _, slash = parse_dates_detail(clean_text(pd.Series(values, dtype=object)), today=TODAY)
    return month_first_only(slash, None if rows is None else np.array(rows))


def test_month_first_only() -> None:
    assert _month_first(["04/25/2025", "01/02/2025", "12/31/2025", None, "2025-01-01"])
    assert _month_first(["4/25/25"])
    assert not _month_first(["25/04/2025", "31/02/2025"])  # 25 cannot be a month: a UK file with a typo
    assert not _month_first(["01/02/2025", "2025-04-05"])  # nothing failed
    assert not _month_first(["04/25/2025", "25/04/2025"])  # neither reading fits every value
    assert _month_first(["04/25/2025", "25/04/2025"], rows=[True, False])  # one file's rows only


def test_ints() -> None:
    ints, bad = parse_ints(clean_text(pd.Series(["3", "3.0", " 3 ", "", None, "3.5", "x", "-1", "28"])))
    assert ints.dtype == "Int64"
    assert ints.tolist()[:3] == [3, 3, 3] and ints.tolist()[7:] == [-1, 28]
    assert bad.tolist() == [False, False, False, False, False, True, True, False, False]


def test_parse_table_types_and_strips() -> None:
    raw = pd.DataFrame({"provider_code": [" N9001 "], "episode_id": ["E1"], "sex": [" f "],
                        "dob": ["01/02/1980"], "_file": ["a.csv"], "_sheet": [None], "_row": [2]})
    parsed = parse_table(raw, "episodes", today=TODAY)
    typed = parsed.typed
    assert typed["provider_code"].tolist() == ["N9001"]
    assert typed["sex"].tolist() == ["F"]
    assert typed["dob"].tolist() == [pd.Timestamp("1980-02-01")]
    assert typed["referral_date"].isna().all()  # a column the file lacked comes out blank
    assert str(typed["provider_code"].dtype) == "string" and str(typed["_row"].dtype) == "Int64"
    assert parsed.bad == {}
