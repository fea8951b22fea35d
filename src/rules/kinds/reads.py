"""Which cells a check reads, so a re-check after an edit runs only the rules the edit can change.

A check reads the record keys of its table (``provider_code``, ``episode_id``: every finding names
its record, and child tables find their episode by them), every column a parameter names (in its
own table or, for ``parent-column-list``, the parent's), every column its message template names,
and for a ``custom`` check what the named check declares in ``reads``. An edit of a key column
re-runs every rule (``KEY_FIELDS``).
"""

from __future__ import annotations

import string
from collections.abc import Iterable

from rules.columns import TABLES, column_names
from rules.kinds.base import Check
from rules.kinds.custom import CHECKS

#: Columns whose change re-runs every rule: they decide which record (and episode) a row is.
KEY_FIELDS: frozenset[str] = frozenset({"provider_code", "episode_id"})


def _names(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, str)]
    return []


def check_reads(check: Check) -> frozenset[tuple[str, str]]:
    """(table, column) pairs ``check`` reads."""
    own = set(column_names(check.table)) if check.table in TABLES else set()
    parent = check.params.get("parent")
    parent_cols = set(column_names(parent)) if parent in TABLES else set()
    out = {(check.table, k) for k in KEY_FIELDS}
    if parent in TABLES:
        out |= {(parent, k) for k in KEY_FIELDS}
    for value in check.params.values():
        for name in _names(value):
            if name in own:
                out.add((check.table, name))
            if name in parent_cols:
                out.add((parent, name))  # type: ignore[arg-type]
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(check.message) if f}
    except ValueError:
        fields = set()
    out |= {(check.table, f) for f in fields if f in own}
    if check.kind == "custom":
        named = CHECKS.get(str(check.params.get("function")))
        if named is not None:
            out |= set(named.reads)
            out |= {(t, k) for t in named.needs for k in KEY_FIELDS}
    return frozenset(out)


def rule_reads(checks: Iterable[Check]) -> frozenset[tuple[str, str]]:
    """(table, column) pairs any of ``checks`` reads."""
    out: set[tuple[str, str]] = set()
    for check in checks:
        out |= check_reads(check)
    return frozenset(out)


def affected(checks: Iterable[Check], changed: set[tuple[str, str]]) -> bool:
    """Whether an edit of the ``changed`` cells can change the findings of a rule with ``checks``."""
    if any(col in KEY_FIELDS for _, col in changed):
        return True
    return bool(rule_reads(checks) & changed)
