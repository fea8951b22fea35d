"""An independent, slow reference of spec/measures.md: plain Python over records, no pandas maths.

Written separately from ``rules.measures`` (loops, dicts, sets) so that agreement between the two
on synthetic partnerships means something. Returns plain numbers per count and measure; ``rows``
holds the same numbers per provider, each unit counted under the providers spec/measures.md
"Provider rows" names (the ``credited`` episodes of each unit below).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict

import pandas as pd

from rules.codes import SUBSTANCE_GROUP
from rules.measures import COUNT_IDS, DEFINITIONS, MEASURE_IDS
from rules.settings import Settings
from rules.tables import Tables

INF = dt.date.max


def _value(v):
    if v is None or v is pd.NaT or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    return v


def records(frame: pd.DataFrame | None) -> list[dict]:
    if frame is None:
        return []
    cols = list(frame.columns)
    return [{c: _value(v) for c, v in zip(cols, row, strict=True)} for row in frame.itertuples(index=False)]


def plus_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def days(a: dt.date, b: dt.date) -> int:
    return (b - a).days


class Reference:
    def __init__(self, tables: Tables, settings: Settings, as_at: dt.date, excluded: dict[str, set[str]]):
        self.s, self.as_at, self.bad = settings, as_at, excluded  # bad: record -> fields with errors
        self.rows: dict[str, dict[str, dict]] = {}  # figure -> provider -> the figure's numbers
        self.has_mods, self.has_tops = tables.modalities is not None, tables.tops is not None
        self.eps = records(tables.episodes)
        first: dict[tuple, int] = {}
        for i, e in enumerate(self.eps):
            e["i"] = i
            e["record"] = f"{e['provider_code'] or ''}/{e['episode_id'] or ''}"
            e["person"] = self._person(e)
            e["mods"], e["tops"] = [], []
            first.setdefault((e["provider_code"], e["episode_id"]), i)
        self.mods = []
        for m in records(tables.modalities):
            i = first.get((m["provider_code"], m["episode_id"]))
            if i is not None:
                m["ep"] = self.eps[i]
                self.eps[i]["mods"].append(m)
                self.mods.append(m)
        for t in records(tables.tops):
            i = first.get((t["provider_code"], t["episode_id"]))
            if i is not None:
                self.eps[i]["tops"].append(t)
        for e in self.eps:
            starts = [m["modality_start_date"] for m in e["mods"] if m["modality_start_date"]]
            e["first_mod"] = min(starts) if starts else None
            e["e_start"] = e["triage_date"] or e["first_mod"]
            e["planned"] = e["discharge_reason"] in settings.planned_reasons
            groups = {SUBSTANCE_GROUP.get(e[d]) for d in ("drug1", "drug2", "drug3") if e[d]}
            e["pdu"] = bool(groups & {"OPIATE", "CRACK"})
        self._link()

    @staticmethod
    def _person(e: dict) -> str:
        parts = [e["first_initial"], e["surname_initial"], e["dob"], e["sex"]]
        if e["consent"] == "Y" and all(p is not None for p in parts):
            return (e["first_initial"].strip() + e["surname_initial"].strip() + e["dob"].strftime("%d%m%Y")
                    + e["sex"]).upper()
        return f"|{e['provider_code'] or ''}|{e['client_ref'] or ''}"

    def _link(self) -> None:
        by_person = defaultdict(list)
        for pos, e in enumerate([e for e in self.eps if e["e_start"]]):
            e["pos"] = pos
            by_person[e["person"]].append(e)
        self.journeys = []
        for person in sorted(by_person):
            eps = sorted(by_person[person], key=lambda e: (
                e["referral_date"] is None, e["referral_date"] or dt.date.min,
                e["e_start"] is None, e["e_start"] or dt.date.min, e["pos"]))
            current, prev_end = None, None
            for e in eps:
                joins = False
                if current is not None:
                    if e["referral_date"] is not None and e["referral_date"] <= prev_end:
                        joins = True
                    if e["first_mod"] is not None and (prev_end == INF or days(prev_end, e["first_mod"])
                                                       <= self.s.journey_gap_days):
                        joins = True
                if not joins:
                    current = {"eps": [], "person": person, "id": len(self.journeys)}
                    self.journeys.append(current)
                    prev_end = None
                current["eps"].append(e)
                e["journey"] = current
                end = e["discharge_date"] or INF
                prev_end = end if prev_end is None else max(prev_end, end)
        for j in self.journeys:
            eps = j["eps"]
            if self.s.retention_start == "first_modality":
                starts = [e["first_mod"] for e in eps if e["first_mod"]]
            else:
                starts = [e["e_start"] for e in eps]
            j["start"] = min(starts) if starts else None
            j["end"] = None if any(e["discharge_date"] is None for e in eps) else max(e["discharge_date"] for e in eps)
            last = max(eps, key=lambda e: (e["discharge_date"] or dt.date.min,
                                           e["referral_date"] or dt.date.min, e["i"]))
            j["last_planned"] = j["end"] is not None and last["planned"]
            j["last"] = last
            # the episode whose start is J_start (ties: earlier referral, then file order)
            own_start = (lambda e: e["first_mod"]) if self.s.retention_start == "first_modality" else (
                lambda e: e["e_start"])
            j["starter"] = min((e for e in eps if own_start(e)),
                               key=lambda e: (own_start(e), e["referral_date"] or dt.date.max, e["i"]), default=None)
            fms = [e["first_mod"] for e in eps if e["first_mod"]]
            j["first_mod"] = min(fms) if fms else None

    # ----------------------------------------------------------------------------------- helpers
    def _bad(self, mid: str, eps) -> bool:
        fields = set(DEFINITIONS[mid].fields)
        return any(self.bad.get(e["record"], set()) & fields for e in eps)

    def _in_tx(self, e: dict, a: dt.date, b: dt.date) -> bool:
        return any(m["modality_start_date"] and m["modality_start_date"] <= b
                   and (m["modality_end_date"] is None or m["modality_end_date"] >= a) for m in e["mods"])

    def _measure(self, mid: str, units) -> dict:
        """units: (members, in_scope, pending, numerator, provisional[, credited]); credited: the
        episodes whose providers the unit counts under (default: its members, for episode units)."""
        keys = ("numerator", "denominator", "pending", "excluded", "provisional")
        out = dict.fromkeys(keys, 0)
        rows: dict[str, dict] = defaultdict(lambda: dict.fromkeys(keys, 0))
        for unit in units:
            members, scope, pending, num, prov = unit[:5]
            credited = unit[5] if len(unit) > 5 else members
            if not (scope or pending):
                continue
            if self._bad(mid, members):
                adds = ["excluded"]
            elif pending:
                adds = ["pending"]
            else:
                adds = ["denominator"] + ["numerator"] * bool(num) + ["provisional"] * bool(prov and not num)
            for target in [out] + [rows[p] for p in {e["provider_code"] for e in credited}]:
                for key in adds:
                    target[key] += 1
        self.rows[mid] = dict(rows)
        return out

    def _prefer_clean(self, mid: str, eps: list[dict]) -> list[dict]:
        clean = [e for e in eps if not self._bad(mid, [e])]
        return clean or eps

    def _clients(self, mid: str, qualifying) -> dict:
        by_person: dict[str, list[dict]] = defaultdict(list)
        for e in qualifying:
            by_person[e["person"]].append(e)
        out = {"value": 0, "excluded": 0}
        rows: dict[str, dict] = defaultdict(lambda: {"value": 0, "excluded": 0})
        for eps in by_person.values():
            key = "value" if any(not self._bad(mid, [e]) for e in eps) else "excluded"
            out[key] += 1
            for p in {e["provider_code"] for e in self._prefer_clean(mid, eps)}:
                rows[p][key] += 1
        self.rows[mid] = dict(rows)
        return out

    def _credit_in_tx(self, mid: str, person: str, a: dt.date, b: dt.date) -> list[dict]:
        """A client's episodes in structured treatment during [a, b] (clean ones if any)."""
        return self._prefer_clean(mid, [e for e in self.eps if e["person"] == person and self._in_tx(e, a, b)])

    @staticmethod
    def _holding_first_mod(j: dict) -> dict:
        """The journey's episode with the earliest modality start (ties: earlier referral, file order)."""
        return min((e for e in j["eps"] if e["first_mod"]),
                   key=lambda e: (e["first_mod"], e["referral_date"] or dt.date.max, e["i"]))

    def _latest(self, eps) -> list[dict]:
        best: dict[str, dict] = {}
        for e in eps:
            j = e["journey"]
            b = best.get(j["person"])
            if b is None or (j["start"], j["id"]) > (b["start"], b["id"]):
                best[j["person"]] = j
        return list(best.values())

    # ---------------------------------------------------------------------------------- figures
    def counts(self, ps: dt.date, pe: dt.date, fy_start: dt.date) -> dict[str, dict]:
        s = self.s
        inP = lambda d: d is not None and ps <= d <= pe  # noqa: E731
        out: dict[str, dict] = {}
        eps = self.eps

        def episodes(mid, pred):
            units = [e for e in eps if pred(e)]
            rows: dict[str, dict] = defaultdict(lambda: {"value": 0, "excluded": 0})
            for e in units:
                rows[e["provider_code"]]["excluded" if self._bad(mid, [e]) else "value"] += 1
            self.rows[mid] = dict(rows)
            bad = sum(self._bad(mid, [e]) for e in units)
            return {"value": len(units) - bad, "excluded": bad}

        out["referrals"] = episodes("referrals", lambda e: inP(e["referral_date"]))
        out["discharges"] = episodes("discharges", lambda e: inP(e["discharge_date"]))
        out["in_contact"] = self._clients("in_contact", [
            e for e in eps if e["e_start"] and e["e_start"] <= pe
            and (e["discharge_date"] is None or e["discharge_date"] >= ps)])
        for mid in DEFINITIONS:
            if ("modalities" in DEFINITIONS[mid].tables and not self.has_mods) or (
                    "tops" in DEFINITIONS[mid].tables and not self.has_tops):
                out[mid] = {"available": False}
        if not self.has_mods:
            return out
        in_tx = [e for e in eps if self._in_tx(e, ps, pe)]
        out["in_treatment"] = self._clients("in_treatment", in_tx)
        # a journey whose earliest modality start is in P; judged by the episode holding that start
        out["new_presentations"] = self._clients("new_presentations", [
            self._holding_first_mod(j) for j in self.journeys if inP(j["first_mod"])])
        waiting = [m for m in self.mods if m["modality_referral_date"]
                   and m["modality_referral_date"] <= pe - dt.timedelta(days=s.wait_target_days + 1)
                   and (m["modality_start_date"] is None or m["modality_start_date"] > pe)
                   and (m["ep"]["discharge_date"] is None or m["ep"]["discharge_date"] > pe)]
        bad = sum(self._bad("waiting_over_3_weeks_at_end", [m["ep"]]) for m in waiting)
        rows: dict[str, dict] = defaultdict(lambda: {"value": 0, "excluded": 0})
        for m in waiting:
            rows[m["ep"]["provider_code"]]["excluded" if self._bad("waiting_over_3_weeks_at_end", [m["ep"]])
                                           else "value"] += 1
        self.rows["waiting_over_3_weeks_at_end"] = dict(rows)
        out["waiting_over_3_weeks_at_end"] = {"value": len(waiting) - bad, "excluded": bad}
        return out

    def measures(self, ps: dt.date, pe: dt.date) -> dict[str, dict]:
        s, A = self.s, self.as_at
        inP = lambda d: d is not None and ps <= d <= pe  # noqa: E731
        out: dict[str, dict] = {}
        for mid, cjit in (("triage_within_6_weeks", False), ("dip_triage_within_6_weeks", True)):
            units = []
            for e in self.eps:
                ref, tri = e["referral_date"], e["triage_date"]
                if not inP(ref) or (cjit and e["referral_source"] != "CJIT"):
                    continue
                pending = tri is None and days(ref, A) <= s.triage_target_days
                num = tri is not None and 0 <= days(ref, tri) <= s.triage_target_days
                units.append(([e], not pending, pending, num, False))
            out[mid] = self._measure(mid, units)
        planned = [e for e in self.eps if inP(e["discharge_date"])]
        out["planned_exits"] = self._measure("planned_exits", [([e], True, False, e["planned"], False) for e in planned])
        if not self.has_mods:
            return out
        units = []
        for j in self.journeys:
            mods = [m for e in j["eps"] for m in e["mods"]]
            if not mods:
                continue
            # spec: the first modality = earliest modality referral; ties earliest start, then file order
            first = min(mods, key=lambda m: (m["modality_referral_date"] or dt.date.max,
                                             m["modality_start_date"] or dt.date.max, self.mods.index(m)))
            if first["modality_start_date"] and inP(first["modality_start_date"]):
                ref = first["modality_referral_date"]
                num = ref is not None and days(ref, first["modality_start_date"]) <= s.wait_target_days
                units.append(([first["ep"]], True, False, num, False))
        out["waiting_within_3_weeks"] = self._measure("waiting_within_3_weeks", units)

        units = []
        for j in self.journeys:
            if j["start"] and inP(j["start"] + dt.timedelta(days=s.retention_days)):
                num = j["end"] is None or days(j["start"], j["end"]) >= s.retention_days
                pending = j["start"] + dt.timedelta(days=s.retention_days) > A
                units.append((j["eps"], True, pending, num, False, [j["starter"]]))
        out["retention_12_weeks"] = self._measure("retention_12_weeks", units)

        in_tx = [e for e in self.eps if self._in_tx(e, ps, pe)]
        units = []
        for j in self._latest(in_tx):
            if s.effective_pdu_only and not any(e["pdu"] for e in j["eps"]):
                continue
            until = min(j["end"] or A, A)
            length = days(j["start"], until)
            early = j["end"] is not None and j["end"] <= min(pe, A) and length < s.retention_days and j["last_planned"]
            pending = j["end"] is None and days(j["start"], A) < s.retention_days
            units.append((j["eps"], True, pending, length >= s.retention_days or early, False,
                          self._credit_in_tx("effective_treatment", j["person"], ps, pe)))
        out["effective_treatment"] = self._measure("effective_treatment", units)

        units = []
        for e in in_tx:
            if e["first_mod"] and e["first_mod"] <= pe - dt.timedelta(days=s.care_plan_grace_days):
                limit = min(pe, e["discharge_date"] or pe)
                num = e["care_plan_date"] is not None and e["care_plan_date"] <= limit
                units.append(([e], True, False, num, False))
        out["care_plan_present"] = self._measure("care_plan_present", units)

        units = []
        for e in planned:
            j = e.get("journey")
            long = j is not None and j["start"] is not None and days(j["start"], e["discharge_date"]) >= s.retention_days
            units.append(([e], True, False, e["planned"] or long, False))
        out["retention_and_care_planned_discharges"] = self._measure("retention_and_care_planned_discharges", units)

        starts_by_person = defaultdict(list)
        for m in self.mods:
            if m["modality_start_date"]:
                starts_by_person[m["ep"]["person"]].append(m["modality_start_date"])
        units = []
        for j in self.journeys:
            if not inP(j["end"]):
                continue
            gap_end = j["end"] + dt.timedelta(days=s.exit_gap_days)
            if any(j["end"] < d <= gap_end for d in starts_by_person[j["person"]]):
                continue
            units.append((j["eps"], True, gap_end > A, j["last_planned"], False, [j["last"]]))
        out["treatment_system_exits"] = self._measure("treatment_system_exits", units)

        events = defaultdict(list)
        for e in self.eps:
            events[e["person"]] += [d for d in (e["referral_date"], e["triage_date"]) if d]
        done: dict[str, dict] = {}  # each client's latest completion in P
        every: dict[str, list[dict]] = defaultdict(list)  # and all of them
        for j in self.journeys:
            if inP(j["end"]) and j["last_planned"]:
                every[j["person"]].append(j)
                window = plus_months(j["end"], s.representation_months)
                j["represented"] = any(j["end"] < d <= window for d in events[j["person"]])
                j["settled"] = window <= A
                b = done.get(j["person"])
                if b is None or (j["end"], j["id"]) > (b["end"], b["id"]):
                    done[j["person"]] = j
        units = []
        for js in every.values():  # one client, counted once: in the numerator if any clean completion re-presented
            clean = [j for j in js if not self._bad("representations", j["eps"])]
            members = [e for j in (clean or js) for e in j["eps"]]
            units.append((members, True, False, any(j["represented"] for j in clean), False,
                          [j["last"] for j in (clean or js)]))
        out["representations"] = self._measure("representations", units)
        people = {e["person"] for e in in_tx}
        units = []
        for j in self._latest(in_tx):
            c = done.get(j["person"])
            credited = self._credit_in_tx("successful_completions", j["person"], ps, pe)
            if c is not None:
                ok = not c["represented"]
                units.append((c["eps"], True, False, ok and c["settled"], ok and not c["settled"], credited))
            else:
                units.append((j["eps"], True, False, False, False, credited))
        assert len(units) == len(people)
        out["successful_completions"] = self._measure("successful_completions", units)

        if not self.has_tops:
            return out
        w = s.top_window_days
        units = []
        for j in self.journeys:
            if inP(j["first_mod"]):
                num = any(t["top_stage"] == "S" and t["top_date"] and abs(days(j["first_mod"], t["top_date"])) <= w
                          for e in j["eps"] for t in e["tops"])
                units.append((j["eps"], True, False, num, False, [self._holding_first_mod(j)]))
        out["top_start"] = self._measure("top_start", units)
        units = []
        for j in self._latest([e for e in self.eps if self._in_tx(e, pe, pe)]):
            if j["start"] > pe - dt.timedelta(days=s.top_review_after_days):
                continue
            tops = [t for e in j["eps"] for t in e["tops"]]
            if not any(t["top_stage"] == "S" for t in tops):
                continue
            lo = pe - dt.timedelta(days=s.top_review_window_days)
            num = any(t["top_stage"] == "R" and t["top_date"] and lo <= t["top_date"] <= pe for t in tops)
            units.append((j["eps"], True, False, num, False, self._credit_in_tx("top_review", j["person"], pe, pe)))
        out["top_review"] = self._measure("top_review", units)
        units = []
        for e in planned:
            if e["planned"]:
                num = any(t["top_stage"] == "E" and t["top_date"] and abs(days(e["discharge_date"], t["top_date"])) <= w
                          for t in e["tops"])
                units.append(([e], True, False, num, False))
        out["top_exit"] = self._measure("top_exit", units)
        return out


def provider_numbers(figure) -> dict | None:
    """A figure's numbers, or None when it is unavailable or all zero."""
    if not figure.available:
        return None
    keys = ("value", "excluded") if hasattr(figure, "value") else (
        "numerator", "denominator", "pending", "excluded", "provisional")
    numbers = {k: getattr(figure, k) for k in keys}
    return numbers if any(numbers.values()) else None


def assert_provider_rows(result, ref: Reference, label) -> None:
    """Every provider row of every figure equals the reference's (providers with nothing left out)."""
    for mid in COUNT_IDS + MEASURE_IDS:
        if mid not in ref.rows:  # only a figure whose tables are missing has no rows
            assert not (result.counts[mid] if mid in COUNT_IDS else result.measures[mid]).available, mid
            continue
        got = {}
        for code, part in result.by["provider_code"].items():
            numbers = provider_numbers(part.counts[mid] if mid in COUNT_IDS else part.measures[mid])
            if numbers is not None:
                got[code] = numbers
        want = {code: v for code, v in ref.rows[mid].items() if any(v.values())}
        assert got == want, (label, mid)
