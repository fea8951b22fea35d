"""An independent, plain-Python reading of the error rules of spec/rules.md (and the schema rules).

The real engine is built elsewhere; this checker exists so the generator can prove, on its own,
that clean data breaks no error rule and that each injected defect breaks exactly its rule.
One finding = (rule, table, file, row, record). Cells the schema flags are skipped by the rules,
as TEAM-NOTES asks.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pandas as pd

from rules.codes import CODE_LISTS
from rules.columns import COLUMNS
from rules.tables import Tables

MIN_DOB = dt.date(1903, 1, 1)
Finding = tuple[str, str, str, int, str]


def _records(frame: pd.DataFrame | None) -> Iterator[dict]:
    if frame is None:
        return iter(())
    return iter(frame.to_dict("records"))


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == ""


class Checker:
    def __init__(self, raw: Tables) -> None:
        self.raw = raw
        self.as_at = raw.as_at
        self.findings: list[Finding] = []
        self.values: dict[tuple[str, int, str], dict] = {}  # typed values per row
        self.flagged: set[tuple[str, str, int, str]] = set()

    def add(self, rule: str, table: str, r: dict) -> None:
        self.findings.append((rule, table, r["_file"], int(r["_row"]), f"{r['provider_code']}/{r['episode_id']}"))

    # schema: parse every cell; a bad one is a finding and becomes unknown for the rules
    def typed(self, table: str, r: dict) -> dict:
        out = {}
        for col in COLUMNS[table]:
            v = r.get(col.name)
            if _blank(v):
                out[col.name] = None
                continue
            v = str(v).strip()
            bad = None
            if col.type == "date":
                out[col.name] = _date(v)
                bad = "invalid-date" if out[col.name] is None else None
            elif col.type == "code":
                out[col.name] = v if v in CODE_LISTS[col.code_list] else None
                bad = "invalid-code" if out[col.name] is None else None
            elif col.type == "int":
                try:
                    out[col.name] = int(v)
                except ValueError:
                    out[col.name], bad = None, "invalid-number"
                if out[col.name] is not None and not (col.minimum <= out[col.name] <= col.maximum):
                    out[col.name], bad = None, "out-of-range"
            else:
                out[col.name] = v
            if bad:
                self.add(bad, table, r)
                self.flagged.add((table, r["_file"], int(r["_row"]), col.name))
        return out

    def known(self, table: str, r: dict, *names: str) -> bool:
        return not any((table, r["_file"], int(r["_row"]), n) in self.flagged for n in names)

    def run(self) -> list[Finding]:
        eps = [(r, self.typed("episodes", r)) for r in _records(self.raw.episodes)]
        mods = [(r, self.typed("modalities", r)) for r in _records(self.raw.modalities)]
        tops = [(r, self.typed("tops", r)) for r in _records(self.raw.tops)]
        for r, t in eps:
            self.episode(r, t)
        by_key: dict[tuple[str, str], dict] = {}
        for _r, t in eps:
            by_key.setdefault((t["provider_code"], t["episode_id"]), t)
        for r, t in mods:
            self.modality(r, t, by_key.get((t["provider_code"], t["episode_id"])))
        for r, t in tops:
            self.top(r, t, by_key.get((t["provider_code"], t["episode_id"])))
        self.unique("episodes", eps, ("provider_code", "episode_id"))
        self.unique("modalities", mods, ("provider_code", "episode_id", "modality_id"))
        self.unique("tops", tops, ("provider_code", "episode_id", "top_id"))
        return self.findings

    def required(self, table: str, r: dict, t: dict, names: list[str]) -> None:
        if any(t[n] is None and self.known(table, r, n) for n in names):
            self.add("required-fields", table, r)

    def future(self, table: str, r: dict, t: dict) -> None:
        if any(c.type == "date" and t[c.name] is not None and t[c.name] > self.as_at for c in COLUMNS[table]):
            self.add("no-future-dates", table, r)

    def episode(self, r: dict, t: dict) -> None:
        names = ["provider_code", "episode_id", "client_ref", "dob", "consent", "referral_date", "drug1"]
        if t["consent"] == "Y":
            names += ["first_initial", "surname_initial"]
        self.required("episodes", r, t, names)
        dob, ref, tri, dis = t["dob"], t["referral_date"], t["triage_date"], t["discharge_date"]
        if dob and ref and not (MIN_DOB <= dob <= ref):
            self.add("dob-plausible", "episodes", r)
        elif dob and not ref and dob < MIN_DOB:
            self.add("dob-plausible", "episodes", r)
        if tri and ref and tri < ref:
            self.add("triage-not-before-referral", "episodes", r)
        start = tri or (ref if self.known("episodes", r, "triage_date") else None)
        if dis and start and dis < start:
            self.add("discharge-not-before-start", "episodes", r)
        has_date = dis is not None or not self.known("episodes", r, "discharge_date")
        has_reason = t["discharge_reason"] is not None or not self.known("episodes", r, "discharge_reason")
        if has_date != has_reason:
            self.add("discharge-date-and-reason", "episodes", r)
        self.future("episodes", r, t)

    def modality(self, r: dict, t: dict, ep: dict | None) -> None:
        self.required("modalities", r, t, ["provider_code", "episode_id", "modality_id", "modality_type",
                                           "modality_referral_date"])
        chain = [t[n] for n in ("modality_referral_date", "first_appt_offered_date", "modality_start_date",
                                "modality_end_date") if t[n] is not None]
        if any(a > b for a, b in zip(chain, chain[1:], strict=False)):
            self.add("modality-dates-in-order", "modalities", r)
        end_known = t["modality_end_date"] is not None or not self.known("modalities", r, "modality_end_date")
        exit_known = (t["modality_exit_status"] is not None
                      or not self.known("modalities", r, "modality_exit_status"))
        if end_known != exit_known:
            self.add("modality-exit-with-end", "modalities", r)
        if ep is None:
            self.add("orphan-rows", "modalities", r)
        else:
            ref, dis, end = ep["referral_date"], ep["discharge_date"], t["modality_end_date"]
            bad = (t["modality_referral_date"] and ref and t["modality_referral_date"] < ref) or (
                dis and end and end > dis) or (dis and not end_known)
            if bad:
                self.add("modality-within-episode", "modalities", r)
        self.future("modalities", r, t)

    def top(self, r: dict, t: dict, ep: dict | None) -> None:
        self.required("tops", r, t, ["provider_code", "episode_id", "top_id", "top_date", "top_stage"])
        if ep is None:
            self.add("orphan-rows", "tops", r)
        self.future("tops", r, t)

    def unique(self, table: str, rows: list[tuple[dict, dict]], key: tuple[str, ...]) -> None:
        counts = Counter(tuple(t[k] for k in key) for _, t in rows)
        for r, t in rows:
            if counts[tuple(t[k] for k in key)] > 1:
                self.add("unique-ids", table, r)


def error_findings(raw: Tables) -> list[Finding]:
    """Every error finding (catalogue errors and schema rules) of these RAW tables."""
    return Checker(raw).run()
