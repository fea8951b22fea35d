"""Small RAW tables and a stand-in validator shared by tests/test_session.py and the GUI tests.

``TinyValidator`` stands in for ``rules.schema`` + ``rules.engine`` with a few real rules
(invalid-date, invalid-code, triage-not-before-referral, triage-within-6-weeks): enough to drive
every workflow while the engine is being built; tests against the real services sit beside them.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from app.session.model import finding_keys
from rules import codes, columns
from rules.engine.report import Changes
from rules.findings import concat_findings, findings_frame, normalise
from rules.progress import NO_PROGRESS
from rules.tables import Tables


class TinyValidator:
    """Parses dates and codes of the episodes table and applies two cross-field rules; a re-check
    judges every record again and hands back the findings that came and went since the last."""

    catalogue = None   # the shipped catalogue is what the app shows for these rules

    def __init__(self) -> None:
        self._last = concat_findings([])

    def check(self, raw: Tables, fields=None) -> tuple[Tables, pd.DataFrame]:  # checks every column
        frame = raw.episodes.copy()
        found = []
        for name in ("dob", "referral_date", "triage_date", "discharge_date"):
            text = frame[name]
            parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
            bad = text.notna() & parsed.isna()
            found += [_f(frame, i, "invalid-date", "error", (name,), (text[i],), f"{text[i]!r} is not a date")
                      for i in frame.index[bad]]
            frame[name] = parsed
        for name in ("sex", "drug1", "discharge_reason"):
            listing = codes.CODE_LISTS[columns.column("episodes", name).code_list]
            bad = frame[name].notna() & ~frame[name].isin(list(listing))
            found += [_f(frame, i, "invalid-code", "error", (name,), (frame.at[i, name],),
                         f"{frame.at[i, name]!r} is not a {name} code") for i in frame.index[bad]]
            frame.loc[bad, name] = None
        return Tables(episodes=frame, as_at=raw.as_at, files=raw.files), findings_frame(found)

    def evaluate(self, typed: Tables, schema_findings: pd.DataFrame, progress=NO_PROGRESS) -> pd.DataFrame:
        e = typed.episodes
        days = (e["triage_date"] - e["referral_date"]).dt.days
        found = [_f(e, i, "triage-not-before-referral", "error", ("referral_date", "triage_date"),
                    (str(e.at[i, "referral_date"].date()), str(e.at[i, "triage_date"].date())),
                    f"Triaged {-int(days[i])} days before referral") for i in e.index[days < 0]]
        found += [_f(e, i, "triage-within-6-weeks", "warning", ("triage_date",), (str(e.at[i, "triage_date"].date()),),
                     f"Triaged {int(days[i])} days after referral (target 42)") for i in e.index[days > 42]]
        self._last = concat_findings([schema_findings, findings_frame(found)])
        return self._last

    def recheck(self, typed: Tables, schema_findings: pd.DataFrame, touched) -> Changes:
        before = self._last
        now = self.evaluate(typed, schema_findings)
        old_keys, new_keys = finding_keys(normalise(before)), finding_keys(normalise(now))
        return Changes(added=now[~new_keys.isin(set(old_keys)).to_numpy()],
                       removed=before[~old_keys.isin(set(new_keys)).to_numpy()])


def _f(frame, i, rule, severity, fields, values, message):
    return {"rule": rule, "severity": severity,
            "category": "performance" if rule.startswith("triage-within") else "data-quality",
            "provider": frame.at[i, "provider_code"], "file": frame.at[i, "_file"], "table": "episodes",
            "row": int(frame.at[i, "_row"]), "record": f"{frame.at[i, 'provider_code']}/{frame.at[i, 'episode_id']}",
            "fields": fields, "values": tuple(str(v) for v in values), "message": message}


def small_raw(n: int = 40) -> Tables:
    """A RAW episodes table of ``n`` rows over two providers; rows 3, 7 and 11 carry defects."""
    rows = []
    for i in range(n):
        provider = "N9001" if i % 2 == 0 else "N9002"
        referral = dt.date(2025, 4, 1) + dt.timedelta(days=i)
        rows.append({c: None for c in columns.column_names("episodes")} | {
            "provider_code": provider, "episode_id": f"E{i:05d}", "client_ref": f"C{i:05d}",
            "dob": "1980-01-01", "sex": "MF"[i % 2], "consent": "Y", "referral_date": referral.isoformat(),
            "triage_date": (referral + dt.timedelta(days=7)).isoformat(), "drug1": "HER",
            "_file": f"{provider.lower()}.xlsx", "_sheet": "episodes", "_row": i // 2 + 2})
    rows[3]["triage_date"] = "2025-03-01"   # before referral: error
    rows[7]["sex"] = "X"                    # not a code: error
    rows[11]["triage_date"] = (dt.date(2025, 4, 12) + dt.timedelta(days=60)).isoformat()  # late: warning
    frame = pd.DataFrame(rows, dtype=object)
    return Tables(episodes=frame, as_at=dt.date(2025, 9, 30), files=["n9001.xlsx", "n9002.xlsx"])


def synthetic_extracts(factory, name: str, *, episodes: int, seed: int, defects: float = 0.0,
                       providers: int = 2) -> list:
    """A fictional partnership's extract files (``app.synth``) in a fresh temporary folder."""
    from app.synth import generate, write

    return write(generate(providers=providers, episodes=episodes, seed=seed, defects=defects,
                          as_at=dt.date(2025, 10, 15)), factory.mktemp(name))


def window_on(qtbot, extracts, workspace):  # noqa: ANN001, ANN201 - pytest-qt's qtbot, paths
    """A shown main window over ``extracts`` opened into the workspace file ``workspace`` (a
    generator for a fixture: yields the window, then waits for its jobs and closes it)."""
    from app.session import Session
    from app.ui.main_window import MainWindow

    session = Session()
    session.open_files(extracts, workspace_path=workspace)
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.runner.wait()
    w.close()
