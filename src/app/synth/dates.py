"""Dates as whole days since 1970-01-01 in float arrays (NaN = blank), and their ISO text."""

from __future__ import annotations

import datetime as dt

import numpy as np

EPOCH = dt.date(1970, 1, 1)


def day_number(d: dt.date) -> int:
    return (d - EPOCH).days


def iso(days: np.ndarray) -> np.ndarray:
    """Day numbers -> object array of ``YYYY-MM-DD`` text, None where NaN."""
    days = np.asarray(days, dtype=float)
    out = np.full(days.shape, None, dtype=object)
    ok = ~np.isnan(days)
    if ok.any():
        out[ok] = np.datetime_as_string(days[ok].astype("int64").astype("datetime64[D]"), unit="D")
    return out
