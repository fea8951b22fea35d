"""The data-quality part of the context: findings per rule and provider, accepted exceptions.

A finding is *accepted* when the caller passes it (same rule, table, file, row, fields and values)
with a reason. A final return needs every error accepted (spec/rules.md); ``final_allowed`` says so.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from app.returns.suppress_context import show_count, suppress_in_groups
from app.returns.tagcheck import RowList
from app.words import rule_title
from rules.findings import FINDING_COLUMNS, empty_findings

#: What identifies one finding (the same as ``app.session.FINDING_KEY``: an acceptance lasts while the
#: values it was given for stay the same).
MATCH = ["rule", "table", "file", "row", "fields", "values"]
EXCEPTION_KEYS = ("rule", "title", "severity", "provider", "record", "file", "table", "row", "fields", "values",
                  "message", "reason")


def _key(frame: pd.DataFrame) -> pd.Series:
    return frame[MATCH].astype(str).agg("|".join, axis=1) if len(frame) else pd.Series([], dtype=str)


def mark_accepted(findings: pd.DataFrame | None, accepted: pd.DataFrame | None) -> pd.DataFrame:
    """Findings with a boolean ``accepted`` column."""
    frame = (findings if findings is not None else empty_findings()).copy()
    keys = set(_key(accepted)) if accepted is not None and len(accepted) else set()
    frame["accepted"] = _key(frame).isin(keys).to_numpy() if len(frame) else pd.Series([], dtype=bool)
    return frame


def outstanding_errors(findings: pd.DataFrame | None, accepted: pd.DataFrame | None) -> int:
    """Error findings not accepted (a final return is refused while this is above 0)."""
    frame = mark_accepted(findings, accepted)
    return int(((frame["severity"] == "error") & ~frame["accepted"]).sum()) if len(frame) else 0


def data_quality_context(findings: pd.DataFrame | None, accepted: pd.DataFrame | None, *,
                         public: bool) -> dict[str, Any]:
    frame = mark_accepted(findings, accepted)

    def n(value: int) -> Any:
        return show_count(int(value), public=public)

    sev = frame["severity"] if len(frame) else pd.Series([], dtype=str)
    outstanding = ~frame["accepted"] if len(frame) else pd.Series([], dtype=bool)
    errors_left = int(((sev == "error") & outstanding).sum())
    rows, rule_rows, provider_rows = [], [], []
    if len(frame):
        frame = frame.assign(outstanding=~frame["accepted"], one=1)
        g = frame.groupby(["rule", "severity", "category", "provider"], sort=True)[
            ["one", "accepted", "outstanding"]].sum().reset_index()
        order = {"error": 0, "warning": 1, "info": 2}
        g = g.sort_values(["severity", "rule", "provider"], key=lambda s: s.map(order) if s.name == "severity"
                          else s)
        for r in g.itertuples(index=False):
            rows.append({"rule": r.rule, "title": rule_title(r.rule), "severity": r.severity, "category": r.category,
                         "provider": r.provider, "findings": int(r.one), "accepted": int(r.accepted),
                         "outstanding": int(r.outstanding)})
        gr = g.groupby(["rule", "severity", "category"], sort=False)[["one", "accepted", "outstanding"]].sum()
        for (rule, severity, category), r in gr.iterrows():
            rule_rows.append({"rule": rule, "title": rule_title(rule), "severity": severity, "category": category, "findings": int(r["one"]),
                              "accepted": int(r["accepted"]), "outstanding": int(r["outstanding"])})
        gp = frame.groupby("provider")
        for provider, part in gp:
            provider_rows.append({"provider": provider, "errors": int((part["severity"] == "error").sum()),
                                  "warnings": int((part["severity"] == "warning").sum()),
                                  "outstanding_errors": int(((part["severity"] == "error")
                                                             & part["outstanding"]).sum())})
    rows, rule_rows, provider_rows = _suppressed(rows, rule_rows, provider_rows, frame, public=public)
    ex_rule = {"rule": "", "title": "", "severity": "", "category": "", "provider": "", "findings": 0, "accepted": 0,
               "outstanding": 0}
    return {
        "errors": n((sev == "error").sum()), "warnings": n((sev == "warning").sum()),
        "info": n((sev == "info").sum()),
        "accepted": n(frame["accepted"].sum()) if len(frame) else 0,
        "outstanding_errors": n(errors_left),
        "final_allowed": errors_left == 0,
        "by_rule_provider": RowList(rows, example=ex_rule),
        "by_rule": RowList(rule_rows, example={k: v for k, v in ex_rule.items() if k != "provider"}),
        "by_provider": RowList(provider_rows, example={"provider": "", "errors": 0, "warnings": 0,
                                                       "outstanding_errors": 0}),
    }


def _suppressed(rows: list, rule_rows: list, provider_rows: list, frame: pd.DataFrame, *,
                public: bool) -> tuple[list, list, list]:
    """Each table's columns suppressed under the totals the text states ("33 warnings"), spec 3."""
    sev = frame["severity"] if len(frame) else pd.Series([], dtype=str)
    out = frame["outstanding"] if "outstanding" in frame else pd.Series(False, index=frame.index)
    by_sev = {s: {"findings": int((sev == s).sum()), "outstanding": int(((sev == s) & out).sum())}
              for s in ("error", "warning", "info")}
    accepted = {None: {"accepted": int(frame["accepted"].sum()) if len(frame) else 0}}
    totals = {None: {"errors": by_sev["error"]["findings"], "warnings": by_sev["warning"]["findings"],
                     "outstanding_errors": by_sev["error"]["outstanding"]}}
    rows, rule_rows = (suppress_in_groups(suppress_in_groups(r, ["findings", "outstanding"], by_sev, key="severity",
                                                             public=public), ["accepted"], accepted, public=public)
                       for r in (rows, rule_rows))
    provider_rows = suppress_in_groups(provider_rows, ["errors", "warnings", "outstanding_errors"], totals,
                                       public=public)
    return rows, rule_rows, provider_rows


def exceptions_context(accepted: pd.DataFrame | None, *, public: bool) -> RowList:
    """Accepted exceptions with their reasons; none in a public output (they name records)."""
    example = dict.fromkeys(EXCEPTION_KEYS, "")
    if public or accepted is None or not len(accepted):
        return RowList([], example=example)
    rows = []
    for r in accepted.to_dict("records"):
        rows.append({"rule": r.get("rule", ""), "title": rule_title(str(r.get("rule", ""))),
                     "severity": r.get("severity", ""),
                     "provider": r.get("provider", ""), "record": r.get("record", ""),
                     "file": r.get("file", ""), "table": r.get("table", ""),
                     "row": None if pd.isna(r.get("row")) else int(r["row"]),
                     "fields": ", ".join(r.get("fields") or ()), "values": ", ".join(map(str, r.get("values") or ())),
                     "message": r.get("message", ""), "reason": r.get("reason", "")})
    return RowList(rows, example=example)


__all__ = ["FINDING_COLUMNS", "data_quality_context", "exceptions_context", "mark_accepted",
           "outstanding_errors"]
