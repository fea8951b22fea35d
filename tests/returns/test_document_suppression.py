"""Nothing suppressed in the committee report can be worked out from what the same document publishes.

The checker (``app.returns.document_check``) reads every table cell and sentence of the filled report.
The exact case of issue 15: a data-quality table showed 22, 8 and ``*`` while a sentence said
"33 warnings". Then many synthetic partnerships (hypothesis): the generated report has nothing
recoverable, and the checker finds exactly the cells a primary-only data-quality table would give away.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import InputError
from app.returns import dq_context
from app.returns.document_check import check_document, texts
from app.returns.generate import contexts_of, default_templates, generate_returns, return_contexts
from app.returns.suppress_context import SUPPRESSED, show_count
from app.returns.tagcheck import RowList
from app.returns.word_fill import fill_docx
from app.synth import generate
from rules import schema
from rules.engine import evaluate
from rules.findings import findings_frame
from rules.periods import parse_period

COMMITTEE = default_templates()[1]
AS_AT = dt.date(2025, 7, 15)
GENERATED = dt.date(2025, 7, 20)
COLUMNS = ("errors", "warnings", "outstanding_errors")


def _findings(warnings: dict[str, int], errors: dict[str, int]):
    rows = []
    for severity, counts in (("warning", warnings), ("error", errors)):
        for provider, n in counts.items():
            for i in range(n):
                rows.append({"rule": f"a-{severity}-rule", "severity": severity, "category": "data-quality",
                             "provider": provider, "file": f"{provider}.xlsx", "table": "episodes", "row": i + 2,
                             "record": f"{provider}/E{i}", "fields": ("referral_date",), "values": ("x",),
                             "message": "m"})
    return findings_frame(rows)


def _primary_only(public: dict, restricted: dict) -> dict:
    """The public context as generation made it before: the data-quality rows suppressed cell by cell."""
    rows = RowList([{**r, **{c: show_count(r[c], public=True) for c in COLUMNS}}
                    for r in restricted["data_quality"]["by_provider"]],
                   example=restricted["data_quality"]["by_provider"].example)
    return {**public, "data_quality": {**public["data_quality"], "by_provider": rows}}


def test_the_33_warnings_case(tmp_path: Path, measures_json: dict) -> None:
    findings = _findings({"N9001": 22, "N9002": 8, "N9003": 3}, {"N9001": 6, "N9002": 5, "N9003": 7})
    contexts = contexts_of(measures_json, findings, draft=True, settings=None, accepted=None,
                           generated=GENERATED, report=None)
    public, restricted = contexts[True], contexts[False]

    before = tmp_path / "before.docx"  # what generation filled before: 22, 8, * beside "33 warnings"
    fill_docx(COMMITTEE, before, _primary_only(public, restricted))
    table = next(_table_by(before, "Warnings"))  # Table 5
    assert [r[2] for r in table[1:]] == ["22", "8", SUPPRESSED]
    assert any("33 warnings" in text for _, text in texts(before))
    problems = check_document(COMMITTEE, before, _primary_only(public, restricted), restricted)
    assert len(problems) == 1
    assert "data_quality.by_provider[2].warnings as *" in problems[0] and "paragraph" in problems[0]

    now = tmp_path / "now.docx"
    fill_docx(COMMITTEE, now, public)
    table = next(_table_by(now, "Warnings"))
    assert [r[2] for r in table[1:]] == ["22", SUPPRESSED, SUPPRESSED]  # the smallest other cell goes too
    assert any("33 warnings" in text for _, text in texts(now))
    assert check_document(COMMITTEE, now, public, restricted) == []


def _table_by(path: Path, column: str):
    """Tables of the report with a column headed ``column`` (Table 3 and Table 5 both start "Provider")."""
    cells: dict[str, dict[tuple[int, int], str]] = {}
    for where, text in texts(path):
        if where.startswith("table "):
            _, t, _, r, _, c = where.split()
            cells.setdefault(t, {})[(int(r), int(c))] = text
    for grid in cells.values():
        if column in [v for (r, _), v in grid.items() if r == 1]:
            n_rows, n_cols = max(r for r, _ in grid), max(c for _, c in grid)
            yield [[grid.get((r, c), "") for c in range(1, n_cols + 1)] for r in range(1, n_rows + 1)]


@pytest.fixture(scope="module")
def small_tables():
    synthetic = generate(providers=3, episodes=60, seed=2, as_at=AS_AT)
    typed, _ = schema.check(synthetic.raw)
    return typed


def test_generate_refuses_a_report_that_gives_a_figure_away(tmp_path: Path, small_tables, monkeypatch) -> None:
    """Should the data-quality table lose its secondary suppression, generate writes nothing and says why."""
    providers = sorted(small_tables.episodes["provider_code"].dropna().unique())
    findings = _findings(dict(zip(providers, (22, 8, 3), strict=True)), {})
    monkeypatch.setattr(dq_context, "suppress_in_groups",
                        lambda rows, columns, totals, *, key=None, public: [
                            {**r, **{c: show_count(r[c], public=public) for c in columns}} for r in rows])
    out = tmp_path / "out"
    with pytest.raises(InputError) as refused:
        generate_returns(small_tables, findings, parse_period("2025-26 Q1"), out, draft=True, as_at=AS_AT,
                         generated=GENERATED)
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith("committee_report.docx: refused: a suppressed figure could be worked out")
    assert "data_quality.by_provider[2].warnings as *" in message
    assert not out.exists() or not any(out.iterdir())  # neither output written


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(providers=st.integers(1, 4), episodes=st.integers(20, 80), seed=st.integers(0, 10_000),
       defects=st.sampled_from([0.0, 0.03, 0.1]), quarter=st.sampled_from(["2025-26 Q1", "2024-25 Q4"]))
def test_no_generated_committee_report_gives_a_figure_away(tmp_path_factory, providers: int, episodes: int,
                                                           seed: int, defects: float, quarter: str) -> None:
    tmp = tmp_path_factory.mktemp("gen")
    synthetic = generate(providers=providers, episodes=episodes, seed=seed, defects=defects, as_at=AS_AT)
    typed, schema_findings = schema.check(synthetic.raw)
    findings = evaluate(typed, schema_findings=schema_findings).findings
    period = parse_period(quarter)
    result = generate_returns(typed, findings, period, tmp, templates=[COMMITTEE], draft=True, as_at=AS_AT,
                              generated=GENERATED)  # refuses (InputError) a report with anything recoverable
    contexts = return_contexts(typed, findings, period, draft=True, as_at=AS_AT, generated=GENERATED)
    public, restricted = contexts[True], contexts[False]
    assert check_document(COMMITTEE, result.outputs[0], public, restricted) == []

    # The checker is not blind: on the primary-only data-quality table it finds exactly the cells a
    # reader can work out, a lone * in a column whose total the sentence states.
    before = tmp / "before.docx"
    old = _primary_only(public, restricted)
    fill_docx(COMMITTEE, before, old)
    rows, dq = old["data_quality"]["by_provider"], restricted["data_quality"]
    expected = {f"data_quality.by_provider[{i}].{c}" for c in COLUMNS
                for i, r in enumerate(rows)
                if r[c] == SUPPRESSED and [x[c] for x in rows].count(SUPPRESSED) == 1
                and show_count(dq[c], public=True) != SUPPRESSED}
    found = {p.split(" shows ")[1].split(" as *")[0] for p in check_document(COMMITTEE, before, old, restricted)}
    assert found == expected
