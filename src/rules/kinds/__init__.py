"""The registry of rule kinds, by stable kebab-case name (spec/rules.md "Declaring rules").

A kind is a small vectorised function with declared parameters; a catalogue rule names a kind and
gives its parameters, so adding a rule of an existing kind needs no code::

    >>> from rules.kinds import KINDS
    >>> sorted(KINDS)[:3]
    ['both-or-neither', 'custom', 'date-order']
"""

from __future__ import annotations

from rules.kinds import custom, dates, keys, presence, waits  # noqa: F401  (they register themselves)
from rules.kinds.base import Check, Context, Hits, Kind, Param
from rules.kinds.registry import KINDS, register

__all__ = ["KINDS", "Check", "Context", "Hits", "Kind", "Param", "register"]
