"""Measures and returns from the open session (a mixin of ``Session``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.errors import InputError
from rules.findings import FINDING_COLUMNS


class ReturnsIO:
    """``measures`` and ``generate``."""

    def _need_data(self) -> None:
        if self.typed is None:
            raise InputError("no extracts are open yet: open your providers' extracts (or the demo) first")

    def measures(self, period: str | Any, *, by: Sequence[str] = ()) -> Any:
        """Every count and measure for a period (``rules.measures.compute``), errors excluding records."""
        from rules.measures import compute
        from rules.periods import parse_period

        span = parse_period(period) if isinstance(period, str) else period
        self._need_data()
        return compute(self.typed, span, settings=self.settings, findings=self.findings[list(FINDING_COLUMNS)],
                       by=by)

    def generate(self, period: str | Any, out_dir: Path, *, templates: Sequence[Path] | None = None,
                 draft: bool = True, check_only: bool = False) -> Any:
        """Fill the return templates (``app.returns``); ``check_only`` lists template problems instead."""
        from app.returns import generate as returns
        from app.returns.context import build_context
        from rules.periods import parse_period

        span = parse_period(period) if isinstance(period, str) else period
        self._need_data()
        findings, accepted = self.findings[list(FINDING_COLUMNS)], self.accepted_frame()
        if not check_only:
            return returns.generate_returns(self.typed, findings, span, Path(out_dir), templates=templates,
                                            draft=draft, settings=self.settings, accepted=accepted)
        as_at = self.raw.as_at or dt.date.today()
        figures = returns.comparisons(self.typed, span, as_at=as_at, settings=self.settings, findings=findings)
        contexts = {public: build_context(figures["current"], settings=self.settings, public=public, draft=draft,
                                          previous=figures["previous"], last_year=figures["last_year"],
                                          quarters=figures["quarters"], findings=findings, accepted=accepted)
                    for public in (False, True)}
        return returns.check_templates([Path(t) for t in templates or returns.default_templates()], contexts)
