"""Counts and measures of spec/measures.md, each with the records behind it.

``compute(tables, period, ...)`` is the one entry point; ``DEFINITIONS`` has each figure's title,
unit, one-sentence definition and the fields whose error findings exclude a record from it.
"""

from rules.measures.base import Breakdown, CountResult, MeasureResult, MeasuresResult
from rules.measures.compute import compute
from rules.measures.context import BY_FIELDS
from rules.measures.definitions import COUNT_IDS, DEFINITIONS, MEASURE_IDS, Definition

__all__ = ["BY_FIELDS", "COUNT_IDS", "DEFINITIONS", "MEASURE_IDS", "Breakdown", "CountResult", "Definition",
           "MeasureResult", "MeasuresResult", "compute"]
