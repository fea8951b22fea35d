"""Charts for the committee report, drawn with matplotlib (Agg: no display needed) as PNG bytes.

Suppressed values (``*``) and missing ones are not drawn: a gap in a line, no bar with a ``*``.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from app.returns.definitions import BY_ID  # noqa: E402

TREND_MEASURES: tuple[str, ...] = ("retention_and_care_planned_discharges", "planned_exits",
                                   "triage_within_6_weeks", "top_start", "top_exit")
COLOURS = ("#1F3864", "#C55A11", "#548235", "#7030A0", "#2E75B6")
CM = 1 / 2.54


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else math.nan


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=200, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def trend_chart(trend: Mapping[str, Any], measures: Sequence[str] = TREND_MEASURES) -> bytes:
    """One small panel per headline measure: its percent over the quarters, each point labelled as
    the tables print it, and its target as a dashed line (panels, so lines never hide each other)."""
    labels = list(trend.get("labels") or [])
    texts = trend.get("texts") or {}
    targets = trend.get("targets") or {}
    cols = 3
    rows = max(1, math.ceil(len(measures) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(16 * CM, 5.8 * rows * CM), sharey=True, squeeze=False)
    x = list(range(len(labels)))
    for i, ax in enumerate(axes.flat):
        if i >= len(measures):
            ax.set_visible(False)
            continue
        mid = measures[i]
        ys = [_number(v) for v in (trend.get("measures") or {}).get(mid, [])]
        shown = list(texts.get(mid) or [])
        colour = COLOURS[i % len(COLOURS)]
        if len(ys) == len(labels) and labels:
            ax.plot(x, ys, marker="o", color=colour, linewidth=1.6, markersize=3.5)
            for xi, y, text in zip(x, ys, shown or [""] * len(ys), strict=False):
                if not math.isnan(y):
                    ax.annotate(text, (xi, y), textcoords="offset points", xytext=(0, 5), ha="center", fontsize=6.5)
        target = targets.get(mid)
        if target is not None:
            ax.axhline(target, color="#C00000", linestyle="--", linewidth=0.9)
            ax.text(1.0, target, f" {target:g}%", transform=ax.get_yaxis_transform(), color="#C00000",
                    fontsize=6, va="center", ha="left", clip_on=False)
        ax.set_title(textwrap.fill(BY_ID[mid].title, 26), fontsize=7.5, loc="left")
        ax.set_xticks(x, [lab.replace(" ", "\n", 1) for lab in labels], fontsize=6)
        ax.set_xlim(-0.5, max(len(labels) - 0.5, 0.5))
        ax.set_ylim(0, 112)
        ax.set_yticks([0, 25, 50, 75, 100])
        ax.tick_params(axis="y", labelsize=6)
        ax.grid(axis="y", color="#E5E5E5", linewidth=0.5)
        ax.spines[["top", "right"]].set_visible(False)
    fig.text(0.01, 0.005, "Dashed red line: the partnership's target. Suppressed and missing values are not plotted.",
             fontsize=6, color="#444444")
    fig.tight_layout(h_pad=1.4, w_pad=1.6, rect=(0, 0.03, 1, 1))
    return _png(fig)


def bar_labels(rows: Sequence[Mapping[str, Any]], measure_id: str) -> list[str]:
    """Each bar's label exactly as the tables print the figure (same rounding: 15/37 is 41% in both)."""
    out = []
    for r in rows:
        m = (r.get("measures") or {}).get(measure_id, {})
        v = m.get("percent")
        out.append(m.get("percent_text") or ("*" if v == "*" else ("-" if math.isnan(_number(v)) else f"{_number(v):.0f}%")))
    return out


def provider_chart(rows: Sequence[Mapping[str, Any]], measure_id: str, target: float | None) -> bytes:
    """Horizontal bars of one measure by provider, with the target as a dashed line."""
    names = [str(r.get("name") or r.get("code")) for r in rows] or ["(no providers)"]
    values = [(r.get("measures") or {}).get(measure_id, {}).get("percent") for r in rows] or [None]
    fig, ax = plt.subplots(figsize=(16 * CM, max(3.0, 1.0 + 0.8 * len(names)) * CM))
    ys = list(range(len(names)))[::-1]
    ax.barh(ys, [0 if math.isnan(_number(v)) else _number(v) for v in values], color="#2E75B6", height=0.6)
    for y, v, text in zip(ys, values, bar_labels(rows, measure_id) or ["-"], strict=True):
        ax.text((_number(v) if not math.isnan(_number(v)) else 0) + 1, y, text, va="center", fontsize=8)
    if target is not None:
        ax.axvline(target, color="#C00000", linestyle="--", linewidth=1, label=f"Target {target:g}%")
        ax.legend(loc="lower right", fontsize=7.5, frameon=False)
    ax.set_yticks(ys, names, fontsize=8)
    ax.set_xlim(0, 110)
    ax.set_xlabel("Percent")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
