"""The registry itself: ``KINDS`` and ``register``, in a leaf module so each kind's module can
register itself without importing the package that imports it."""

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
