"""How figures read in a return: whole or 1-decimal percents, targets, direction of change.

The committee report prints whole percents rounded half up *from the counts* (29/33 -> 88%, and
87.45% -> 87%, never rounded twice); the national return keeps the measures' 1 decimal.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.returns.suppress_context import SUPPRESSED


def whole_percent(numerator: int, denominator: int) -> int:
    """100 * n / d rounded half-up to a whole percent, from the counts (no double rounding)."""
    value = Decimal(100) * Decimal(int(numerator)) / Decimal(int(denominator))
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def percent_text(value: Any, *, numerator: Any = None, denominator: Any = None, whole: bool) -> str:
    """How a percentage reads: ``88%`` (committee, whole) or ``88.0%`` (return); ``*``; ``-``."""
    if value is None:
        return "-"
    if value == SUPPRESSED:
        return SUPPRESSED
    if whole:
        if isinstance(numerator, int) and isinstance(denominator, int) and denominator:
            return f"{whole_percent(numerator, denominator)}%"
        return f"{int(Decimal(str(value)).quantize(Decimal('1'), rounding=ROUND_HALF_UP))}%"
    return f"{float(value):.1f}%"


def whole_of(value: Any, numerator: Any, denominator: Any) -> int | None:
    if not isinstance(value, (int, float)):
        return None
    if isinstance(numerator, int) and isinstance(denominator, int) and denominator:
        return whole_percent(numerator, denominator)
    return int(Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def target_text(target: float | None) -> str:
    if target is None:
        return "-"
    return f"{target:g}%"


def direction_of(now: Any, before: Any, *, higher_is_better: bool) -> tuple[str | None, str]:
    if not isinstance(now, (int, float)) or not isinstance(before, (int, float)):
        return None, "-"
    if abs(now - before) < 0.05:
        return "same", "No change"
    up = now > before
    better = up == higher_is_better
    return ("up" if up else "down"), ("Improved" if better else "Declined")
