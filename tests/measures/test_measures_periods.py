"""Financial years, quarters, year-to-date and ranges: parsing, labels and comparisons."""

from __future__ import annotations

import datetime as dt

import pytest

from rules.periods import add_months, financial_year, parse_period, quarter, quarter_containing

D = dt.date


@pytest.mark.parametrize(("text", "label", "start", "end", "kind"), [
    ("2025-26", "2025-26", D(2025, 4, 1), D(2026, 3, 31), "year"),
    ("2025-26 Q1", "2025-26 Q1", D(2025, 4, 1), D(2025, 6, 30), "quarter"),
    ("2025-26-Q2", "2025-26 Q2", D(2025, 7, 1), D(2025, 9, 30), "quarter"),
    ("2025-26 q3", "2025-26 Q3", D(2025, 10, 1), D(2025, 12, 31), "quarter"),
    (" 2025-26  Q4 ", "2025-26 Q4", D(2026, 1, 1), D(2026, 3, 31), "quarter"),
    ("2025-26 Q2 YTD", "2025-26 Q2 YTD", D(2025, 4, 1), D(2025, 9, 30), "ytd"),
    ("2025-04-01..2025-05-15", "2025-04-01..2025-05-15", D(2025, 4, 1), D(2025, 5, 15), "range"),
    ("1999-00", "1999-00", D(1999, 4, 1), D(2000, 3, 31), "year"),
])
def test_parse_period_forms_and_labels(text, label, start, end, kind):
    p = parse_period(text)
    assert (p.label, p.start, p.end, p.kind) == (label, start, end, kind)
    assert parse_period(p.label) == p  # every label parses back to itself


@pytest.mark.parametrize("text", ["2025-27", "2025-26 Q5", "2025", "Q1 2025-26", "2025-06-01..2025-05-01",
                                  "2025-02-30..2025-03-01", "", "last quarter"])
def test_bad_period_is_a_clear_value_error(text):
    with pytest.raises(ValueError, match="period"):
        parse_period(text)


def test_previous_quarter_and_same_quarter_last_year():
    q1 = parse_period("2025-26 Q1")
    assert q1.previous().label == "2024-25 Q4"
    assert q1.previous_quarter().label == "2024-25 Q4"
    assert q1.same_quarter_last_year().label == "2024-25 Q1"
    assert parse_period("2025-26 Q4").previous().label == "2025-26 Q3"
    assert parse_period("2025-26").previous().label == "2024-25"
    assert parse_period("2025-26 Q1 YTD").previous().label == "2024-25 Q4 YTD"


def test_last_n_quarters_oldest_first_and_contiguous():
    quarters = parse_period("2025-26 Q2").last_quarters(4)
    assert [q.label for q in quarters] == ["2024-25 Q3", "2024-25 Q4", "2025-26 Q1", "2025-26 Q2"]
    for a, b in zip(quarters, quarters[1:], strict=False):
        assert b.start - a.end == dt.timedelta(days=1)


def test_quarters_tile_the_financial_year():
    fy = financial_year(2024)  # a leap year's February inside Q4
    qs = [quarter(2024, q) for q in (1, 2, 3, 4)]
    assert qs[0].start == fy.start and qs[-1].end == fy.end
    assert sum(q.days for q in qs) == fy.days == 365
    assert quarter_containing(D(2026, 2, 14)).label == "2025-26 Q4"
    assert quarter_containing(D(2025, 4, 1)).label == "2025-26 Q1"


def test_six_months_later_clamps_to_the_month_end():
    assert add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)
    assert add_months(D(2025, 5, 10), 6) == D(2025, 11, 10)
    assert add_months(D(2025, 1, 31), -2) == D(2024, 11, 30)
