"""Measures and returns from the open session (a mixin of ``Session``).

Generating is ``app.jobs.fill_returns``, the command line's job: with the workspace, its accepted
findings and measure snapshots go into the returns, and every generated return keeps the figures it
was filled with as its period's snapshot for next quarter's comparisons. Accepted findings no longer exclude their records from the figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from app.errors import InputError
from rules.findings import FINDING_COLUMNS


class ReturnsIO:
    """``measures`` and ``generate``."""

    workspace: Any

    def _need_data(self) -> None:
        if self.typed is None:
            raise InputError("no extracts are open yet: open your providers' extracts (or the demo) first")

    def measures(self, period: str | Any, *, by: Sequence[str] = ()) -> Any:
        """Every count and measure for a period (``rules.measures.compute``): open (not accepted)
        error findings exclude the records they concern, as in the returns."""
        from rules.measures import compute

        span = _period(period)
        self._need_data()
        return compute(self.typed, span, as_at=self.raw.as_at, settings=self.settings,
                       findings=self.open_findings(), by=by)

    def returns_inputs(self) -> tuple[pd.DataFrame, dict[str, Any]]:
        """Accepted findings (with reasons) and measure snapshots by period label, as the returns take them."""
        ws = self.workspace
        labels = ws.snapshots()["period_label"].unique()
        return ws.accepted(), {label: ws.snapshot(label) for label in labels}

    def generate(self, period: str | Any, out_dir: Path, *, templates: Sequence[Path] | None = None,
                 draft: bool = True, check_only: bool = False, report: dict[str, str] | None = None) -> Any:
        """Fill the return templates (``app.returns``); ``check_only`` lists template problems instead.
        ``report``: the committee paper's details for this one (meeting date, commentary...).

        A final return refused while errors remain raises ``ReturnRefused`` worded for the app.
        """
        from app import jobs
        from app.returns.generate import ReturnRefused, check_returns

        span = _period(period)
        self._need_data()
        findings = self.findings[list(FINDING_COLUMNS)]
        accepted, snapshots = self.returns_inputs()
        as_at = self.raw.as_at or dt.date.today()
        options = {"templates": templates, "draft": draft, "as_at": as_at, "settings": self.settings,
                   "accepted": accepted, "snapshots": snapshots}
        if check_only:
            return check_returns(self.typed, findings, span, **options)
        try:
            return jobs.fill_returns(self.typed, findings, span, Path(out_dir), workspace=self.workspace,
                                     report=report, **options)
        except ReturnRefused:
            left = self.counts()["error"]
            raise ReturnRefused(f"a final return needs every error corrected or accepted with a reason "
                                f"({left:,} left): fix or accept them in the Findings panel, or generate "
                                "a draft") from None


def _period(period: str | Any) -> Any:
    from rules.periods import parse_period

    return parse_period(period) if isinstance(period, str) else period
