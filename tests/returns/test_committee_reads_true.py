"""The committee report reads true (issue 15): targets from a settings file add to the defaults and
only judged targets are counted; provisional completions are shown; a year report never speaks of
"the quarter"; provider names stand beside codes; chart labels round as the tables do."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document

from app.errors import InputError
from app.jobs import load_settings
from app.returns import charts
from app.returns.context import build_context
from app.returns.generate import COMMITTEE_REPORT, contexts_of, templates_dir
from app.returns.word_fill import fill_docx
from conftest import fake_measures
from rules.settings import Settings


def test_a_settings_file_with_one_target_keeps_the_others(tmp_path):
    f = tmp_path / "my settings.toml"
    f.write_text('partnership_name = "Anytown"\n[targets]\nplanned_exits = 45\ntop_exit = "none"\n'
                 '[provider_names]\nN9001 = "Anytown Recovery"\n', encoding="utf-8")
    s = load_settings(f)
    defaults = dict(Settings().targets)
    assert s.target("planned_exits") == 45.0
    assert s.target("top_exit") is None
    assert {k: v for k, v in s.targets if k not in ("planned_exits",)} == {
        k: v for k, v in defaults.items() if k not in ("planned_exits", "top_exit")}
    assert dict(s.provider_names) == {"N9001": "Anytown Recovery"}


@pytest.mark.parametrize("text, says", [
    ('[provider_names]\nN9001 = 3\n', "provider_names"),
    ('[targets]\nplanned_exits = "lots"\n', "planned_exits"),
    ('meeting_date = 3\n', "meeting_date"),
])
def test_a_wrong_table_setting_is_one_line_naming_it(tmp_path, text, says):
    f = tmp_path / "s.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_settings(f)
    assert says in str(err.value) and "\n" not in str(err.value)


def _with(current: dict, mid: str, **values) -> dict:
    out = {**current, "measures": {**current["measures"], mid: {**current["measures"][mid], **values}}}
    return out


def test_targets_met_counts_only_measures_with_a_figure(measures_json):
    current = _with(measures_json["current"], "top_review", numerator=0, denominator=0, percent=None)
    ctx = build_context(current, settings=Settings(), public=False, draft=True, previous=measures_json["previous"])
    measured = [m for m, _ in Settings().targets if m != "top_review"]
    met = sum(1 for m in measured if ctx["measures"][m]["percent"] >= Settings().target(m))
    assert (ctx["targets"]["met"], ctx["targets"]["total"], ctx["targets"]["set"]) == (met, len(measured), 10)
    assert ctx["targets"]["not_judged"] == ["TOPs - reviews"]
    assert ctx["targets"]["sentence"].startswith(f"{met} of {len(measured)} targets with a figure were met this quarter.")
    assert "TOPs - reviews (no figure)" in ctx["targets"]["sentence"]


def test_provisional_completions_are_shown_and_small_ones_suppressed(measures_json):
    current = _with(measures_json["current"], "successful_completions", numerator=0, denominator=170,
                    percent=0.0, provisional=34)
    pub = build_context(current, settings=Settings(), public=True, draft=True)
    assert pub["measures"]["successful_completions"]["provisional_note"] == " (+34 provisional)"
    small = build_context(_with(current, "successful_completions", provisional=3), settings=Settings(),
                          public=True, draft=True)
    assert small["measures"]["successful_completions"]["provisional_note"] == " (+* provisional)"


def _report_text(tmp_path, contexts, public=True) -> str:
    out = tmp_path / "report.docx"
    fill_docx(templates_dir() / COMMITTEE_REPORT, out, contexts[public])
    doc = Document(str(out))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        parts.extend(c.text for row in t.rows for c in row.cells)
    return "\n".join(parts)


def test_a_year_report_never_says_the_quarter(tmp_path):
    year = fake_measures("2024-25", "2024-04-01", "2025-03-31", scale=40)
    before = fake_measures("2023-24", "2023-04-01", "2024-03-31", scale=38)
    quarters = [fake_measures(f"2024-25 Q{q}", "2024-04-01", "2024-06-30", scale=10) for q in (1, 2, 3, 4)]
    figures = {"current": year, "previous": before, "last_year": before, "quarters": quarters}
    ctx = contexts_of(figures, None, draft=True, settings=Settings(partnership_name="Anytown"), accepted=None,
                      generated=dt.date(2025, 5, 1), report={"meeting_date": "12 June 2025"})
    text = _report_text(tmp_path, ctx)
    assert "the quarter" not in text and "this quarter" not in text and "Previous quarter" not in text
    assert "this year" in text and "Previous year" in text and "12 June 2025" in text


def test_provider_names_stand_beside_codes(tmp_path, measures_json):
    settings = Settings(provider_names=(("N9002", "Anytown Recovery"),))
    ctx = contexts_of(measures_json, None, draft=True, settings=settings, accepted=None,
                      generated=dt.date(2025, 7, 20), report=None)
    names = [p["name"] for p in ctx[True]["by"]["provider"]]
    assert names == ["N9001", "Anytown Recovery (N9002)", "N9003"]
    assert "Anytown Recovery (N9002)" in _report_text(tmp_path, ctx)


def test_chart_labels_round_as_the_tables_do(measures_json):
    row = {"name": "N9001", "measures": {"planned_exits": {"percent": 40.5, "percent_text": "41%"}}}
    assert charts.bar_labels([row], "planned_exits") == ["41%"]
    ctx = build_context(_with(measures_json["current"], "planned_exits", numerator=15, denominator=37,
                              percent=40.5), settings=Settings(), public=True, draft=True,
                        quarters=[_with(measures_json["current"], "planned_exits", numerator=15, denominator=37,
                                        percent=40.5)])
    assert ctx["trend"]["texts"]["planned_exits"] == ["41%"]
    assert ctx["measures"]["planned_exits"]["percent_text"] == "41%"


def test_figure_one_leaves_empty_quarters_off_the_axis(measures_json):
    empty = {"period": {"label": "2024-25 Q1", "start": "2024-04-01", "end": "2024-06-30"}, "measures": {}}
    ctx = build_context(measures_json["current"], settings=Settings(), public=True, draft=True,
                        quarters=[empty, *measures_json["quarters"][1:]])
    assert ctx["trend"]["labels"] == [q["period"]["label"] for q in measures_json["quarters"][1:]]
    assert charts.trend_chart(ctx["trend"]).startswith(b"\x89PNG")
