"""Provider code values -> canonical codes, column by column (work done per distinct value).

A value already a canonical code (any case, stray spaces) is left as written: the schema strips and
upper-cases it. Otherwise a profile's mapping is used, then the code's own label matched
case-insensitively ("Treatment completed - drug free" -> TCDF), then a few plain synonyms.
Values still unknown stay as text and the schema reports them as ``invalid-code``.
"""

from __future__ import annotations

import pandas as pd

from app.extracts.model import MappingResult
from app.extracts.profiles import MappingProfile, norm_key, norm_value
from rules.codes import CODE_LISTS
from rules.columns import COLUMNS

#: Plain words providers use that are not labels (value normalised with ``norm_key``).
SYNONYMS: dict[str, dict[str, str]] = {
    "consent": {"yes": "Y", "no": "N", "true": "Y", "false": "N"},
    "sex": {"male": "M", "female": "F", "unknown": "U", "notknown": "U", "m": "M", "f": "F"},
}

CODE_COLUMNS: dict[str, str] = {c.name: c.code_list for cols in COLUMNS.values() for c in cols if c.code_list}


def _label_index(code_list: str) -> dict[str, str]:
    out = {norm_key(label): code for code, label in CODE_LISTS[code_list].items()}
    out.update(SYNONYMS.get(code_list, {}))
    return out


LABELS = {name: _label_index(name) for name in CODE_LISTS}


def map_codes(frame: pd.DataFrame, result: MappingResult, profile: MappingProfile | None) -> None:
    """Replace known provider values in every code column of ``frame`` (in place); note what was done."""
    for column, code_list in CODE_COLUMNS.items():
        if column not in frame.columns:
            continue
        series = frame[column]
        uniques = series.dropna().unique()
        if len(uniques) == 0:
            continue
        codes = CODE_LISTS[code_list]
        chosen = profile.code_map(column, code_list) if profile else {}
        labels = LABELS[code_list]
        replace: dict[str, str] = {}
        unknown: list[str] = []
        for value in uniques:
            text = str(value)
            if text.strip().upper() in codes:
                continue
            code = chosen.get(norm_value(text)) or labels.get(norm_key(text))
            if code:
                replace[text] = code
            else:
                unknown.append(text)
        if replace:
            mapped = series.map(replace)
            frame[column] = mapped.where(mapped.notna(), series).astype("str")
            result.codes[column] = replace
        if unknown:
            result.unknown_codes[column] = sorted(unknown)
