"""Words a manager reads: rule titles for rule ids, field labels for column names, dd/mm/yyyy for
ISO dates. The ids and column names stay in the data, the tooltips and the exports; only what is
shown is translated (Qt-free, so the models and the tests use the same functions)."""

from __future__ import annotations

import re
from functools import cache

from rules import columns

#: Titles of the checks the schema makes itself (not in the rule catalogue).
SCHEMA_TITLES = {"invalid-date": "Dates are real dates", "invalid-code": "Codes are known codes",
                 "invalid-number": "Numbers are whole numbers", "out-of-range": "Numbers are in range",
                 "month-first-dates": "Dates are day first"}

ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NAME = re.compile(r"\b[a-z][a-z0-9_]*\b")


@cache
def _labels() -> dict[str, str]:
    """Column name -> label over every table (a name means the same in each table)."""
    return {c.name: c.label for table in columns.COLUMNS.values() for c in table}


def field_label(name: str) -> str:
    """``discharge_reason`` -> ``Discharge reason``; an unknown name is shown as it is."""
    return _labels().get(name, name)


def field_labels(names) -> str:  # noqa: ANN001 - any iterable of names
    return ", ".join(field_label(str(n)) for n in names)


def rule_title(rule_id: str, catalogue=None) -> str:  # noqa: ANN001 - rules.catalogue.Catalogue
    """The rule's title from the catalogue (the schema's checks have their own); else the id."""
    if rule_id in SCHEMA_TITLES:
        return SCHEMA_TITLES[rule_id]
    if catalogue is not None:
        for rule in catalogue:
            if rule.id == rule_id:
                return rule.title or rule_id
    return _default_titles().get(rule_id, rule_id)


@cache
def _default_titles() -> dict[str, str]:
    from rules.catalogue import default_catalogue

    try:
        return {r.id: r.title for r in default_catalogue()}
    except (OSError, ValueError):
        return {}


def day_first(text: str) -> str:
    """Every ISO date in ``text`` written dd/mm/yyyy (``2023-10-04`` -> ``04/10/2023``)."""
    return ISO_DATE.sub(lambda m: f"{m[3]}/{m[2]}/{m[1]}", text) if isinstance(text, str) else text


def values_text(values) -> str:  # noqa: ANN001 - a finding's values (a tuple of text)
    """A finding's values as shown: dates dd/mm/yyyy, a blank one said, not left as a stray comma."""
    return ", ".join(day_first(str(v)) if str(v) else "(blank)" for v in values)


def plain(text: str) -> str:
    """A rule's message as a manager reads it: dates dd/mm/yyyy, column names as their labels
    (only names with an underscore or a digit, and ``dob``: plain words such as "consent" stay)."""
    if not isinstance(text, str):
        return text
    labels = _labels()

    def label(m: re.Match) -> str:
        word = m[0]
        if word in labels and ("_" in word or any(ch.isdigit() for ch in word) or word == "dob"):
            return labels[word]
        return word

    return _NAME.sub(label, day_first(text))
