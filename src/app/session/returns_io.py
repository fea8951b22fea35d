"""Measures and returns from the open document (the session's ``Returns``).

Generating is ``app.jobs.fill_returns``, the command line's job: the workspace's accepted findings
and measure snapshots go into the returns, and every generated return keeps the figures it was
filled with as its period's snapshot for next quarter's comparisons. Accepted findings no longer
exclude their records from the figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.errors import InputError
from app.session.checking import Checker
from app.session.workspace_io import WorkspaceLink
from rules.findings import FINDING_COLUMNS
from rules.settings import Settings


class Returns:
    """``measures`` and ``generate`` over the checker's typed tables and findings, with the
    workspace's acceptances and snapshots (``link``); the settings come with each call."""

    def __init__(self, checker: Checker, link: WorkspaceLink) -> None:
        self.checker, self.link = checker, link

    def _need_data(self) -> None:
        if self.checker.typed is None:
            raise InputError("no extracts are open yet: open your providers' extracts (or the demo) first")

    def measures(self, period: str | Any, settings: Settings, *, by: Sequence[str] = ()) -> Any:
        """Every count and measure for a period (``rules.measures.compute``): open (not accepted)
        error findings exclude the records they concern, as in the returns."""
        from rules.measures import compute

        span = _period(period)
        self._need_data()
        return compute(self.checker.typed, span, as_at=self.checker.raw.as_at, settings=settings,
                       findings=self.checker.open_findings(), by=by)

    def generate(self, period: str | Any, out_dir: Path, settings: Settings, *,
                 templates: Sequence[Path] | None = None, draft: bool = True, check_only: bool = False,
                 report: dict[str, str] | None = None) -> Any:
        """Fill the return templates (``app.returns``); ``check_only`` lists template problems instead.
        ``report``: the committee paper's details for this one (meeting date, commentary...).

        A final return refused while errors remain raises ``ReturnRefused`` worded for the app.
        """
        from app import jobs
        from app.returns.generate import ReturnRefused, check_returns

        span = _period(period)
        self._need_data()
        checker = self.checker
        findings = checker.findings[list(FINDING_COLUMNS)]
        accepted, snapshots = self.link.returns_inputs()
        as_at = checker.raw.as_at or dt.date.today()
        options = {"templates": templates, "draft": draft, "as_at": as_at, "settings": settings,
                   "accepted": accepted, "snapshots": snapshots}
        if check_only:
            return check_returns(checker.typed, findings, span, **options)
        try:
            return jobs.fill_returns(checker.typed, findings, span, Path(out_dir), workspace=self.link.workspace,
                                     report=report, **options)
        except ReturnRefused:
            left = checker.counts()["error"]
            raise ReturnRefused(f"a final return needs every error corrected or accepted with a reason "
                                f"({left:,} left): fix or accept them in the Findings panel, or generate "
                                "a draft") from None


def _period(period: str | Any) -> Any:
    from rules.periods import parse_period

    return parse_period(period) if isinstance(period, str) else period
