"""How a return names its period and its comparisons: a year report never says "the quarter".

Quarter: compared with the previous quarter and the same quarter last year. Year: with the previous
year. Year to date: with the whole previous year and the same months last year. A date range: with
the range of the same length before it and the same dates last year.
"""

from __future__ import annotations

from typing import Any

from rules.periods import Period, financial_year, parse_period

_WORDS: dict[str, dict[str, str]] = {
    "quarter": {"noun": "quarter", "previous": "Previous quarter", "last_year": "Same quarter last year"},
    "year": {"noun": "year", "previous": "Previous year", "last_year": "Same period last year"},
    "ytd": {"noun": "year to date", "previous": "Previous year", "last_year": "Same period last year"},
    "range": {"noun": "period", "previous": "Previous period", "last_year": "Same period last year"},
}


def kind_of(label: str | None) -> str:
    """The period's kind from its label (``quarter``, ``year``, ``ytd``, ``range``)."""
    try:
        return parse_period(str(label)).kind if label else "quarter"
    except ValueError:
        return "range"


def words(kind: str) -> dict[str, Any]:
    """``noun`` (quarter / year / year to date / period), ``the`` and ``this`` with it, and the
    comparison columns' headings."""
    w = _WORDS.get(kind, _WORDS["range"])
    this = "the year to date" if kind == "ytd" else f"this {w['noun']}"
    return {"kind": kind, "noun": w["noun"], "the": f"the {w['noun']}", "this": this,
            "previous_heading": w["previous"], "last_year_heading": w["last_year"]}


def previous_of(period: Period) -> Period:
    """The period a return compares with as "previous": a year to date is set beside the whole
    previous financial year (spec is silent; docs/decisions.md)."""
    if period.kind == "ytd":
        return financial_year(period.start.year - 1)
    return period.previous()
