"""End to end: edits saved in the workspace show in the findings and measures after reopening."""

from __future__ import annotations

import pandas as pd
from wsdata import import_all, synthetic

import rules.engine as engine
import rules.measures as measures
import rules.periods as periods
import rules.schema as schema
from app.workspace import Workspace

YEAR = periods.financial_year(2025)


def _validate(ws):
    typed, schema_findings = schema.check(ws.tables())
    report = engine.evaluate(typed, settings=ws.settings, schema_findings=schema_findings)
    result = measures.compute(typed, YEAR, settings=ws.settings, findings=report.findings)
    return typed, report.findings, result


def test_findings_and_measures_follow_the_edits_after_reopening(tmp_path):
    path = tmp_path / "ws.trworkspace"
    with Workspace.create(path, partnership="A", year="2025-26") as ws:
        import_all(ws, synthetic(providers=2, episodes=150), tmp_path)
        typed, findings, before = _validate(ws)
        assert (findings["severity"] == "error").sum() == 0
        episodes = typed.episodes
        keys = episodes["provider_code"] + "/" + episodes["episode_id"]
        planned = (episodes["discharge_date"].between(pd.Timestamp(YEAR.start), pd.Timestamp(YEAR.end))
                   & episodes["discharge_reason"].isin(["TCDF", "TCOU"])).to_numpy()
        planned_at = int(planned.nonzero()[0][0])
        triaged = (episodes["triage_date"].notna() & (episodes["referral_date"] > pd.Timestamp("2020-01-01"))
                   ).to_numpy().copy()
        triaged[planned_at] = False
        triage_at = int(triaged.nonzero()[0][0])

        ws.edit("episodes", planned_at, "discharge_reason", "INDO", reason="provider: client dropped out")
        referral = episodes.at[triage_at, "referral_date"]
        ws.edit("episodes", triage_at, "triage_date", (referral - pd.Timedelta(days=3)).date().isoformat(),
                reason="as the provider's system shows")
    with Workspace.open(path) as ws:
        _, findings, after = _validate(ws)
        errors = findings[findings["severity"] == "error"]
        assert list(errors["rule"]) == ["triage-not-before-referral"]
        assert list(errors["record"]) == [keys.iat[triage_at]]
        assert after.measures["planned_exits"].numerator == before.measures["planned_exits"].numerator - 1
        assert after.measures["planned_exits"].denominator == before.measures["planned_exits"].denominator
        ws.accept(errors.iloc[0], "confirmed with the provider")
        ws.snapshot_measures(YEAR.label, ws.as_at, after.to_json())
    with Workspace.open(path) as ws:
        _, findings, _ = _validate(ws)
        marked = ws.mark_accepted(findings[findings["severity"] == "error"])
        assert list(marked["accepted"]) == [True]
        saved = ws.snapshot(YEAR.label)
        assert saved["measures"]["planned_exits"] == after.to_json()["measures"]["planned_exits"]
        ws.undo()  # the triage edit: its finding goes, and with it the acceptance's use
        _, findings, _ = _validate(ws)
        assert (findings["severity"] == "error").sum() == 0
