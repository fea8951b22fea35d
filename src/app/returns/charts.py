"""Charts for the committee report, drawn with matplotlib (Agg: no display needed) as PNG bytes.

Suppressed values (``*``) and missing ones are not drawn: a gap in a line, no bar with a ``*``.
"""

from __future__ import annotations

import io
import math
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
    """Lines of the headline measures' percentages over the quarters in ``trend``."""
    labels = list(trend.get("labels") or [])
    fig, ax = plt.subplots(figsize=(16 * CM, 7.5 * CM))
    x = range(len(labels))
    for colour, mid in zip(COLOURS, measures, strict=False):
        ys = [_number(v) for v in (trend.get("measures") or {}).get(mid, [])]
        if len(ys) == len(labels):
            ax.plot(x, ys, marker="o", color=colour, linewidth=1.8, label=BY_ID[mid].title)
    ax.set_xticks(list(x), labels)
    ax.set_ylim(0, 100)
    ax.set_ylabel("Percent")
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=7.5, frameon=False)
    return _png(fig)


def provider_chart(rows: Sequence[Mapping[str, Any]], measure_id: str, target: float | None) -> bytes:
    """Horizontal bars of one measure by provider, with the target as a dashed line."""
    names = [str(r.get("name") or r.get("code")) for r in rows] or ["(no providers)"]
    values = [(r.get("measures") or {}).get(measure_id, {}).get("percent") for r in rows] or [None]
    fig, ax = plt.subplots(figsize=(16 * CM, max(3.0, 1.0 + 0.8 * len(names)) * CM))
    ys = list(range(len(names)))[::-1]
    ax.barh(ys, [0 if math.isnan(_number(v)) else _number(v) for v in values], color="#2E75B6", height=0.6)
    for y, v in zip(ys, values, strict=True):
        text = "*" if v == "*" else ("-" if math.isnan(_number(v)) else f"{_number(v):.0f}%")
        ax.text((_number(v) if not math.isnan(_number(v)) else 0) + 1, y, text, va="center", fontsize=8)
    if target is not None:
        ax.axvline(target, color="#C00000", linestyle="--", linewidth=1, label=f"Target {target:g}%")
        ax.legend(loc="lower right", fontsize=7.5, frameon=False)
    ax.set_yticks(ys, names, fontsize=8)
    ax.set_xlim(0, 110)
    ax.set_xlabel("Percent")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
