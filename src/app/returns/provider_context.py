"""The provider rows of the context: counts and measures per provider under the partnership total.

In a public context every column of counts is suppressed with the partnership row as its published
total (``suppress_columns``), then each provider's percentages follow from what is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.returns.definitions import BY_ID, COUNT_IDS, MEASURE_IDS
from app.returns.figures import percent_text, target_text
from app.returns.suppress_context import show_count, show_percent, suppress_columns
from app.returns.tagcheck import RowList
from rules.settings import Settings


def provider_rows(current: Mapping[str, Any], settings: Settings, *, public: bool,
                  names: Mapping[str, str]) -> tuple[RowList, dict[str, Any], RowList]:
    """Rows by provider (with suppression down each column under the partnership total)."""
    by = ((current.get("by") or {}).get("provider_code") or {})
    codes = sorted(by)
    rows, long_rows = [], []
    flat_cols = list(COUNT_IDS) + [f"{m}__{part}" for m in MEASURE_IDS for part in ("numerator", "denominator")]

    def flat(src: Mapping[str, Any]) -> dict[str, Any]:
        out = {c: (src.get("counts") or {}).get(c) for c in COUNT_IDS}
        for m in MEASURE_IDS:
            raw = (src.get("measures") or {}).get(m) or {}
            ok = raw.get("available", True)
            out[f"{m}__numerator"] = raw.get("numerator") if ok else None
            out[f"{m}__denominator"] = raw.get("denominator") if ok else None
        return out

    shown, total = suppress_columns([flat(by[c]) for c in codes], flat(current), flat_cols, public=public)

    def row(code: str, name: str, src: Mapping[str, Any], shown_row: dict[str, Any]) -> dict[str, Any]:
        counts = {c: shown_row[c] for c in COUNT_IDS}
        measures = {}
        for m in MEASURE_IDS:
            raw = (src.get("measures") or {}).get(m) or {}
            num, den = shown_row[f"{m}__numerator"], shown_row[f"{m}__denominator"]
            pct = show_percent(num, den, raw.get("percent"), public=public) if num is not None else None
            target = settings.target(m)
            met = None if not isinstance(pct, (int, float)) or target is None else bool(pct >= target)
            measures[m] = {"id": m, "title": BY_ID[m].title, "numerator": num, "denominator": den,
                           "percent": pct, "target": target, "target_text": target_text(target),
                           "percent_text": percent_text(pct, numerator=raw.get("numerator"),
                                                        denominator=raw.get("denominator"), whole=public),
                           "met": met, "status": "-" if met is None else ("Met" if met else "Not met"),
                           "pending": show_count(raw.get("pending"), public=public),
                           "excluded": show_count(raw.get("excluded"), public=public)}
        return {"code": code, "name": name, "counts": counts, "measures": measures, **counts}

    for code, shown_row in zip(codes, shown, strict=True):
        r = row(code, f"{names[code]} ({code})" if names.get(code) else code, by[code], shown_row)
        rows.append(r)
        for m in MEASURE_IDS:
            long_rows.append({"provider": code, "name": r["name"], **r["measures"][m]})
    total_row = row("Total", "Partnership", current, total)
    example = row("", "", {}, {c: None for c in flat_cols})
    long_example = {"provider": "", "name": "", **example["measures"][MEASURE_IDS[0]]}
    return RowList(rows, example=example), total_row, RowList(long_rows, example=long_example)
