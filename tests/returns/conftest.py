"""Hand-made measures JSON (spec/cli.md form) for the returns tests."""

from __future__ import annotations

import pytest

from app.returns.definitions import COUNT_IDS, MEASURE_IDS


def fake_measures(label: str, start: str, end: str, *, scale: int = 10,
                  providers: tuple[str, ...] = ("N9001", "N9002", "N9003")) -> dict:
    """Measures JSON with every count and measure; provider figures derived from ``scale``."""

    def block(k: int) -> dict:
        counts = {c: k * (i + 3) for i, c in enumerate(COUNT_IDS)}
        measures = {}
        for i, m in enumerate(MEASURE_IDS):
            den = k * (i % 5 + 4)
            num = (den * (50 + 3 * i)) // 100
            measures[m] = {"unit": "episode", "numerator": num, "denominator": den,
                           "percent": round(100 * num / den, 1), "pending": i % 3, "excluded": i % 2}
        return {"counts": counts, "measures": measures}

    by = {code: block(k) for code, k in zip(providers, (1, scale // 2, scale), strict=False)}
    whole = block(scale * 2)
    return {"period": {"label": label, "start": start, "end": end}, "as_at": "2025-07-15", **whole,
            "by": {"provider_code": by}}


@pytest.fixture
def measures_json():
    quarters = [fake_measures("2024-25 Q2", "2024-07-01", "2024-09-30", scale=8),
                fake_measures("2024-25 Q3", "2024-10-01", "2024-12-31", scale=9),
                fake_measures("2024-25 Q4", "2025-01-01", "2025-03-31", scale=11),
                fake_measures("2025-26 Q1", "2025-04-01", "2025-06-30", scale=10)]
    last_year = fake_measures("2024-25 Q1", "2024-04-01", "2024-06-30", scale=7)
    return {"current": quarters[-1], "previous": quarters[-2], "last_year": last_year, "quarters": quarters}
