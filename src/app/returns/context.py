"""The one context object both templates are filled from (documented in docs/templates.md).

It is built from the measures' JSON form (spec/cli.md: ``MeasuresResult.to_json()``) for the
period, the previous quarter, the same quarter last year and the last four quarters, plus the
findings and the accepted exceptions. A *public* context (the committee report) has every figure
suppressed as spec/measures.md says; a *restricted* one (the national return) has none.
All values are plain dicts, lists, numbers, text and dates, so any template can reach them with
``{{ a.b.c }}`` and the tag check can walk them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from app.returns.definitions import BY_ID, COUNT_IDS, MEASURE_IDS, SETTING_MEANINGS, plain
from app.returns.dq_context import data_quality_context, exceptions_context
from app.returns.figures import direction_of, percent_text, target_text, whole_of
from app.returns.period_words import kind_of, words
from app.returns.provider_context import provider_rows
from app.returns.suppress_context import (
    PUBLIC_FOOTNOTE,
    RESTRICTED_LABEL,
    show_count,
    show_percent,
)
from app.returns.tagcheck import RowList
from rules.settings import Settings

MEASURE_KEYS = ("id", "title", "unit", "numerator", "denominator", "percent", "percent_text", "pending",
                "excluded", "available", "target", "target_text", "met", "status", "previous",
                "previous_text", "change", "last_year", "last_year_text", "direction", "direction_text",
                "definition", "provisional", "provisional_text", "provisional_note")


def _measure(mid: str, raw: Mapping[str, Any] | None, settings: Settings, *, public: bool,
             previous: Mapping[str, Any] | None, last_year: Mapping[str, Any] | None) -> dict[str, Any]:
    """One measure as the templates see it."""
    d = BY_ID[mid]
    raw = raw or {}
    available = bool(raw.get("available", True)) and bool(raw)
    num, den = raw.get("numerator"), raw.get("denominator")
    shown_num = show_count(num, public=public) if available else None
    shown_den = show_count(den, public=public) if available else None
    pct = show_percent(shown_num, shown_den, raw.get("percent"), public=public) if available else None
    target = settings.target(mid)
    met = None if not isinstance(pct, (int, float)) or target is None else bool(pct >= target)

    def other(src: Mapping[str, Any] | None) -> Any:
        if not src or not src.get("available", True):
            return None
        n, dn = show_count(src.get("numerator"), public=public), show_count(src.get("denominator"), public=public)
        return show_percent(n, dn, src.get("percent"), public=public)

    def other_text(src: Mapping[str, Any] | None, value: Any) -> str:
        src = src or {}
        return percent_text(value, numerator=src.get("numerator"), denominator=src.get("denominator"),
                            whole=public)

    prev, last = other(previous), other(last_year)
    if public:  # compare what the reader sees (whole percents)
        now_shown = whole_of(pct, num, den)
        prev_shown = whole_of(prev, (previous or {}).get("numerator"), (previous or {}).get("denominator"))
        direction, direction_text = direction_of(now_shown, prev_shown, higher_is_better=d.higher_is_better)
    else:
        direction, direction_text = direction_of(pct, prev, higher_is_better=d.higher_is_better)
    change = round(pct - prev, 1) if direction is not None else None
    return {
        "id": mid, "title": d.title, "unit": d.unit,
        "numerator": shown_num, "denominator": shown_den, "percent": pct,
        "percent_text": percent_text(pct, numerator=num, denominator=den, whole=public),
        "pending": show_count(raw.get("pending"), public=public) if available else None,
        "excluded": show_count(raw.get("excluded"), public=public) if available else None,
        "available": available, "target": target, "target_text": target_text(target), "met": met,
        "status": "-" if met is None else ("Met" if met else "Not met"),
        "previous": prev, "previous_text": other_text(previous, prev),
        "change": change, "last_year": last, "last_year_text": other_text(last_year, last),
        "direction": direction, "direction_text": direction_text,
        "definition": plain(d.definition, settings),
        "provisional": show_count(raw.get("provisional"), public=public) if available else None,
        "provisional_text": _provisional_text(show_count(raw.get("provisional"), public=public) if available else None),
        "provisional_note": (f" (+{show_count(raw.get('provisional'), public=public)} provisional)"
                             if available and raw.get("provisional") else ""),
    }


def _provisional_text(value: Any) -> str:
    """``plus 34 provisional`` beside successful completions: they become final six months after
    discharge (unless the client comes back), so a recent period reads low until then."""
    if value in (None, 0):
        return ""
    return f"plus {value} provisional (final six months after discharge)"


def _targets(measures: Mapping[str, dict[str, Any]], with_target: Sequence[str], this: str) -> dict[str, Any]:
    """How many targets were met, counting only those with a figure, and which could not be judged."""
    judged = [m for m in with_target if measures[m]["met"] is not None]
    unjudged = [m for m in with_target if measures[m]["met"] is None]
    met = sum(1 for m in judged if measures[m]["met"])
    reasons = [f"{measures[m]['title']} ({'small numbers' if measures[m]['percent'] == '*' else 'no figure'})"
               for m in unjudged]
    sentence = f"{met} of {len(judged)} targets with a figure were met {this}."
    if unjudged:
        sentence += (" " + ("These could" if len(unjudged) > 1 else "This one could") + " not be judged: "
                     + "; ".join(reasons) + ".")
    return {"met": met, "total": len(judged), "set": len(with_target), "not_judged": [measures[m]["title"] for m in unjudged],
            "sentence": sentence}


def _counts(result: Mapping[str, Any] | None) -> dict[str, Any]:
    return dict((result or {}).get("counts") or {})


def _period(p: Mapping[str, Any] | None) -> dict[str, Any]:
    if not p:
        return {"label": "-", "start": None, "end": None, "months": "-", **words("quarter")}
    start, end = (dt.date.fromisoformat(str(p[k])) if p.get(k) else None for k in ("start", "end"))
    months = f"{start:%B} to {end:%B %Y}" if start and end else "-"
    return {"label": p.get("label", "-"), "start": start, "end": end, "months": months,
            **words(kind_of(p.get("label")))}


def _trend(quarters: Sequence[Mapping[str, Any]], settings: Settings, *, public: bool) -> dict[str, Any]:
    """Each measure's percent per quarter, with the text the tables print for it (same rounding) and
    its target; quarters with no figure at all are left off the axis."""
    labels = [(_period(q.get("period")))["label"] for q in quarters]
    series: dict[str, list[Any]] = {}
    texts: dict[str, list[str]] = {}
    for m in MEASURE_IDS:
        values, shown = [], []
        for q in quarters:
            raw = (q.get("measures") or {}).get(m) or {}
            if not raw or not raw.get("available", True):
                values.append(None)
                shown.append("-")
                continue
            n, d = show_count(raw.get("numerator"), public=public), show_count(raw.get("denominator"), public=public)
            value = show_percent(n, d, raw.get("percent"), public=public)
            values.append(value)
            shown.append(percent_text(value, numerator=raw.get("numerator"), denominator=raw.get("denominator"),
                                      whole=public))
        series[m], texts[m] = values, shown
    keep = [i for i in range(len(labels)) if any(isinstance(series[m][i], (int, float)) for m in MEASURE_IDS)]
    return {"labels": [labels[i] for i in keep],
            "measures": {m: [v[i] for i in keep] for m, v in series.items()},
            "texts": {m: [v[i] for i in keep] for m, v in texts.items()},
            "targets": {m: settings.target(m) for m in MEASURE_IDS}}


def build_context(current: Mapping[str, Any], *, settings: Settings, public: bool, draft: bool,
                  previous: Mapping[str, Any] | None = None, last_year: Mapping[str, Any] | None = None,
                  quarters: Sequence[Mapping[str, Any]] = (), findings: pd.DataFrame | None = None,
                  accepted: pd.DataFrame | None = None, generated: dt.date | None = None,
                  provider_names: Mapping[str, str] | None = None,
                  report: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The context for one output. ``current``/``previous``/``last_year``/``quarters`` are measures JSON."""
    as_at = current.get("as_at")
    as_at = dt.date.fromisoformat(as_at) if isinstance(as_at, str) else as_at
    generated = generated or dt.date.today()
    period = _period(current.get("period"))
    measures = {m: _measure(m, (current.get("measures") or {}).get(m), settings, public=public,
                            previous=(previous or {}).get("measures", {}).get(m),
                            last_year=(last_year or {}).get("measures", {}).get(m)) for m in MEASURE_IDS}
    now, before, last = _counts(current), _counts(previous), _counts(last_year)
    count_rows = []
    counts = {}
    for c in COUNT_IDS:
        value, prev = show_count(now.get(c), public=public), show_count(before.get(c), public=public)
        counts[c] = value
        change = value - prev if isinstance(value, int) and isinstance(prev, int) else None
        count_rows.append({"id": c, "title": BY_ID[c].title, "unit": BY_ID[c].unit, "value": value,
                           "previous": prev, "change": change,
                           "last_year": show_count(last.get(c), public=public),
                           "definition": plain(BY_ID[c].definition, settings)})
    providers, provider_total, provider_measures = provider_rows(
        current, settings, public=public, names=provider_names or dict(settings.provider_names))
    with_target = [m for m in MEASURE_IDS if settings.target(m) is not None]
    targets = _targets(measures, with_target, period["this"])
    name = settings.partnership_name
    report = {"committee": settings.committee, "meeting_date": settings.meeting_date or "-",
              "report_of": settings.report_of, "author": settings.report_author or settings.contact_officer,
              "subject": f"Adult drug and alcohol treatment: performance, {period['label']}",
              "contact": settings.contact_officer, "contact_details": settings.contact_details,
              "commentary": "", **(report or {})}
    # the commentary's paragraphs (split at blank lines), each its own paragraph in a document
    report["commentary_paragraphs"] = [part.strip() for part in re.split(r"\n\s*\n", str(report["commentary"] or ""))
                                       if part.strip()]
    dq = data_quality_context(findings, accepted, public=public)
    return {
        "partnership": name, "period": period, "as_at": as_at, "generated": generated,
        "as_at_text": _date_text(as_at), "generated_text": _date_text(generated),
        "targets_met": targets["met"], "targets_total": targets["total"], "targets": targets,
        "previous_period": {**_period((previous or {}).get("period")), "heading": period["previous_heading"]},
        "last_year_period": {**_period((last_year or {}).get("period")), "heading": period["last_year_heading"]},
        "draft": draft, "draft_mark": "DRAFT" if draft else "", "title_prefix": "DRAFT - " if draft else "",
        "public": public, "restricted": not public,
        "marking": "Public - small numbers suppressed" if public else RESTRICTED_LABEL,
        "report": report,
        "settings": settings.to_dict(),
        "settings_rows": RowList([{"name": k, "value": _setting_text(v), "meaning": SETTING_MEANINGS.get(k, "")}
                                  for k, v in settings.to_dict().items()], example={"name": "", "value": "",
                                                                                    "meaning": ""}),
        "counts": counts, "count_rows": RowList(count_rows, example=count_rows[0]),
        "previous_counts": {r["id"]: r["previous"] for r in count_rows},
        "last_year_counts": {r["id"]: r["last_year"] for r in count_rows},
        "measures": measures,
        "measure_rows": RowList([measures[m] for m in MEASURE_IDS], example=measures[MEASURE_IDS[0]]),
        "headline": RowList([measures[m] for m in with_target], example=measures[MEASURE_IDS[0]]),
        "outcomes": RowList([measures[m] for m in MEASURE_IDS if m not in with_target],
                            example=measures[MEASURE_IDS[0]]),
        "by": {"provider": providers, "provider_total": provider_total, "provider_measures": provider_measures},
        "trend": _trend(quarters, settings, public=public),
        "data_quality": dq,
        "exceptions": exceptions_context(accepted, public=public),
        "definitions": RowList([{"id": m, "title": BY_ID[m].title, "unit": BY_ID[m].unit,
                                 "definition": plain(BY_ID[m].definition, settings)} for m in MEASURE_IDS],
                               example={"id": "", "title": "", "unit": "", "definition": ""}),
        "suppression": {"applied": public, "note": PUBLIC_FOOTNOTE if public else
                        "Figures are not suppressed. " + RESTRICTED_LABEL + "."},
        "charts": {"trend": "", "planned_exits_by_provider": ""},
    }


def _date_text(day: dt.date | None) -> str:
    """``15 July 2025``, as council reports write dates."""
    return f"{day.day} {day:%B %Y}" if day else "-"


def _setting_text(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k} {v:g}%" if isinstance(v, (int, float)) else f"{k} = {v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def example_context(*, public: bool, settings: Settings | None = None) -> dict[str, Any]:
    """A context with every key and no data, to check a template before any extract is opened."""
    empty = {"period": {"label": "2025-26 Q1", "start": "2025-04-01", "end": "2025-06-30"},
             "as_at": "2025-07-15", "counts": dict.fromkeys(COUNT_IDS, 0),
             "measures": {m: {"numerator": 0, "denominator": 0, "percent": None} for m in MEASURE_IDS},
             "by": {"provider_code": {}}}
    return build_context(empty, settings=settings or Settings(), public=public, draft=True, previous=empty,
                         last_year=empty, quarters=[empty] * 4, generated=dt.date(2025, 7, 15))
