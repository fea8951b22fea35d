"""Defect injection: about ``rate`` x rows defects spread over every error rule and some warnings.

Each defect changes one record (an episode with its modalities and TOPs) that no other defect
touches, chosen so the change breaks exactly its intended rule and no other error rule (see
``kinds`` for each rule's change and why it cannot cascade).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from app.synth.context import Context, Pending
from app.synth.kinds_more import KINDS


def inject(rng: np.random.Generator, tables: dict[str, pd.DataFrame], *, rate: float, flat: bool,
           as_at: dt.date) -> list[Pending]:
    """Change ``tables`` in place; return the defects made (about rate x all rows)."""

    for name in tables:
        tables[name] = tables[name].copy()
    ctx = Context(rng=rng, tables=tables, as_at=pd.Timestamp(as_at), flat=flat)
    target = int(round(rate * sum(len(f) for f in tables.values())))
    rules: dict[str, list] = {}
    for kind in KINDS:
        if flat and not kind.flat:
            continue
        rules.setdefault(kind.rule, []).append(kind)
    pending: list[Pending] = []
    turn = 0
    while len(pending) < target and rules:
        for rule in list(rules):
            if len(pending) >= target:
                break
            kinds = rules[rule]
            made = None
            for k in range(len(kinds)):  # this rule's variants in turn; drop the rule when all are spent
                kind = kinds[(turn + k) % len(kinds)]
                made = kind.make(ctx)
                if made:
                    break
            if made:
                pending.extend(made)
            else:
                del rules[rule]
        turn += 1
    return pending
