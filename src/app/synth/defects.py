"""Defect injection (filled in below)."""

from __future__ import annotations


def inject(rng, tables, *, rate, flat, as_at):  # noqa: ANN001, ANN201 - placeholder
    return []
