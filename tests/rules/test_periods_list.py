"""The periods a picker lists for data covering some dates, and the typed forms they parse back from."""

from __future__ import annotations

import datetime as dt

import pytest

from rules.periods import MAX_YEARS_LISTED, parse_period, periods_between, quarter_containing


def test_every_quarter_ytd_and_year_between_two_dates_newest_first() -> None:
    listed = periods_between(dt.date(2023, 5, 2), dt.date(2025, 6, 17))
    labels = [p.label for p in listed]
    quarters = [p for p in listed if p.kind == "quarter"]
    assert quarters[0] == quarter_containing(dt.date(2025, 6, 17))          # 2025-26 Q1
    assert quarters[-1] == quarter_containing(dt.date(2023, 5, 2))          # 2023-24 Q1
    assert len(quarters) == 9 and all(a.start > b.start for a, b in zip(quarters, quarters[1:], strict=False))
    assert [p.label for p in listed if p.kind == "year"] == ["2025-26", "2024-25", "2023-24"]
    assert {"2024-25 Q3 YTD", "2024-25 Q2 YTD", "2023-24 Q3 YTD"} <= set(labels)
    assert len(labels) == len(set(labels))
    for p in listed:                                   # every listed label types back to itself
        assert parse_period(p.label) == p


def test_dates_given_the_wrong_way_round_list_the_same() -> None:
    a, b = dt.date(2024, 1, 31), dt.date(2024, 12, 1)
    assert periods_between(b, a) == periods_between(a, b)


def test_a_date_decades_old_does_not_list_a_hundred_quarters() -> None:
    listed = periods_between(dt.date(1987, 5, 16), dt.date(2025, 6, 17))
    years = [p for p in listed if p.kind == "year"]
    assert len(years) == MAX_YEARS_LISTED + 1 and years[-1].label == "2015-16"


@pytest.mark.parametrize("text", ["2024-25 YTD Q3", "2024-25 Q3 YTD", "2024/25 ytd q3", "2024-25-YTD-Q3"])
def test_year_to_date_is_understood_either_way_round(text: str) -> None:
    period = parse_period(text)
    assert (period.kind, period.start, period.end) == ("ytd", dt.date(2024, 4, 1), dt.date(2024, 12, 31))


def test_a_wrong_typed_period_says_what_is_accepted() -> None:
    with pytest.raises(ValueError, match="financial year"):
        parse_period("2024-26 Q3")
    with pytest.raises(ValueError, match="not understood"):
        parse_period("Q3 last year")
