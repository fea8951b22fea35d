"""The registry of rule kinds, by stable kebab-case name (spec/rules.md "Declaring rules").

A kind is a small vectorised function with declared parameters; a catalogue rule names a kind and
gives its parameters, so adding a rule of an existing kind needs no code::

    >>> from rules.kinds import KINDS
    >>> sorted(KINDS)[:3]
    ['both-or-neither', 'custom', 'date-order']
"""

from __future__ import annotations

from collections.abc import Callable

from rules.kinds.base import Check, Context, Hits, Kind, Param

KINDS: dict[str, Kind] = {}


def register(name: str, *, params: tuple[Param, ...], evidence: tuple[str, ...] = (),
             needs: Callable[[Check], tuple[str, ...]] | None = None
             ) -> Callable[[Callable[[Context, Check], Hits]], Callable[[Context, Check], Hits]]:
    """Register a kind under ``name`` (names never change once shipped)."""
    def wrap(fn: Callable[[Context, Check], Hits]) -> Callable[[Context, Check], Hits]:
        if name in KINDS:
            raise ValueError(f"kind {name!r} registered twice")
        KINDS[name] = Kind(name, fn, params, evidence, (fn.__doc__ or "").strip(),
                           needs or (lambda check: ()))
        return fn
    return wrap


from rules.kinds import custom, dates, keys, presence  # noqa: E402,F401  (they register themselves)

__all__ = ["KINDS", "Check", "Context", "Hits", "Kind", "Param", "register"]
