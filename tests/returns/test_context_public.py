"""The context: whole percents for the committee, suppression of every public figure, direction."""

from __future__ import annotations

import datetime as dt

from app.returns.context import build_context
from app.returns.figures import percent_text, whole_percent
from rules.settings import Settings


def _json(label, num, den, *, referrals=20, providers=None):
    return {"period": {"label": label, "start": "2025-04-01", "end": "2025-06-30"}, "as_at": "2025-07-15",
            "counts": {"referrals": referrals, "in_treatment": 3},
            "measures": {"planned_exits": {"numerator": num, "denominator": den,
                                           "percent": round(100 * num / den, 1) if den else None,
                                           "pending": 2, "excluded": 0}},
            "by": {"provider_code": providers or {}}}


def test_whole_percent_half_up_from_counts():
    assert whole_percent(29, 33) == 88 and whole_percent(6, 11) == 55 and whole_percent(1, 8) == 13
    assert whole_percent(7, 8) == 88  # 87.5 -> 88 (half up)
    assert percent_text(87.5, numerator=7, denominator=8, whole=False) == "87.5%"
    assert percent_text(None, whole=True) == "-" and percent_text("*", whole=True) == "*"


def test_public_and_restricted_contexts():
    providers = {"N9001": {"counts": {"referrals": 3}, "measures": {"planned_exits": {
                     "numerator": 2, "denominator": 3, "percent": 66.7}}},
                 "N9002": {"counts": {"referrals": 10}, "measures": {"planned_exits": {
                     "numerator": 8, "denominator": 10, "percent": 80.0}}},
                 "N9003": {"counts": {"referrals": 12}, "measures": {"planned_exits": {
                     "numerator": 9, "denominator": 12, "percent": 75.0}}}}
    now = _json("2025-26 Q1", 19, 25, referrals=25, providers=providers)
    before = _json("2024-25 Q4", 15, 25)
    kw = {"settings": Settings(), "draft": False, "previous": before, "generated": dt.date(2025, 7, 20)}
    pub = build_context(now, public=True, **kw)
    res = build_context(now, public=False, **kw)
    m = pub["measures"]["planned_exits"]
    assert (m["percent"], m["percent_text"], m["previous_text"], m["direction_text"]) == (76.0, "76%", "60%",
                                                                                         "Improved")
    assert m["pending"] == "*" and res["measures"]["planned_exits"]["pending"] == 2
    assert pub["counts"]["in_treatment"] == "*" and res["counts"]["in_treatment"] == 3
    assert res["measures"]["planned_exits"]["percent_text"] == "76.0%"
    rows = {r["code"]: r for r in pub["by"]["provider"]}
    # [3, 10, 12 | 25] -> [*, *, 12 | 25]
    assert [rows[c]["referrals"] for c in ("N9001", "N9002", "N9003")] == ["*", "*", 12]
    assert pub["by"]["provider_total"]["referrals"] == 25
    assert rows["N9001"]["measures"]["planned_exits"]["percent"] == "*"
    assert [r["referrals"] for r in res["by"]["provider"]] == [3, 10, 12]
    assert pub["marking"].startswith("Public") and res["marking"] == "Restricted - not for publication"
    assert pub["title_prefix"] == "" and pub["exceptions"] == []
    assert pub["as_at_text"] == "15 July 2025"


def test_data_quality_and_accepted_exceptions():
    import pandas as pd

    from app.returns.dq_context import data_quality_context, exceptions_context, outstanding_errors

    def finding(rule, severity, row, provider="N9001"):
        return {"rule": rule, "severity": severity, "category": "data-quality", "provider": provider,
                "file": f"{provider}.xlsx", "table": "episodes", "row": row, "record": f"{provider}/E{row}",
                "fields": ("dob",), "values": ("1890-01-01",), "message": "implausible"}

    findings = pd.DataFrame([finding("dob-plausible", "error", 2), finding("dob-plausible", "error", 3),
                             finding("adult-at-referral", "warning", 4, "N9002")])
    accepted = pd.DataFrame([{**finding("dob-plausible", "error", 2), "reason": "checked with the client"}])
    assert outstanding_errors(findings, None) == 2 and outstanding_errors(findings, accepted) == 1
    dq = data_quality_context(findings, accepted, public=False)
    assert (dq["errors"], dq["warnings"], dq["accepted"], dq["outstanding_errors"], dq["final_allowed"]) == (
        2, 1, 1, 1, False)
    rows = {(r["rule"], r["provider"]): (r["findings"], r["accepted"], r["outstanding"])
            for r in dq["by_rule_provider"]}
    assert rows == {("dob-plausible", "N9001"): (2, 1, 1), ("adult-at-referral", "N9002"): (1, 0, 1)}
    assert [r["rule"] for r in dq["by_rule_provider"]][0] == "dob-plausible"  # errors first
    ex = exceptions_context(accepted, public=False)
    assert ex[0]["reason"] == "checked with the client" and ex[0]["values"] == "1890-01-01"
    assert exceptions_context(accepted, public=True) == []
    assert data_quality_context(findings, accepted, public=True)["errors"] == "*"
