"""The session (the open document) without Qt: edit, re-validate, undo by inverse, accept."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "ui"))
from ui_data import TinyValidator, small_raw, synthetic_extracts  # noqa: E402

from app.session import Session, convert_input  # noqa: E402
from app.workspace import Workspace  # noqa: E402


@pytest.fixture
def session() -> Session:
    s = Session(validator=TinyValidator())
    s.load(small_raw())
    return s


def test_session_imports_no_qt() -> None:
    code = "import sys, app.session; print(any(m.startswith('PySide6') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(("table", "name", "typed", "stored"), [
    ("episodes", "referral_date", "03/04/2025", "2025-04-03"),
    ("episodes", "referral_date", " 3/4/25 ", "2025-04-03"),
    ("episodes", "dob", "1/2/85", "1985-02-01"),
    ("episodes", "referral_date", "2025-4-3", "2025-04-03"),
    ("episodes", "referral_date", "31/02/2025", "31/02/2025"),   # not a date: kept for the schema to report
    ("episodes", "referral_date", "", None),
    ("episodes", "sex", "f", "F"),
    ("episodes", "drug1", "HER - Heroin", "HER"),
    ("episodes", "drug1", "crack cocaine", "CRK"),
    ("episodes", "discharge_reason", "zz", "ZZ"),
    ("tops", "opiate_days", " 12 ", "12"),
    ("episodes", "client_ref", "  abc  def ", "abc def"),
])
def test_typed_input_is_converted_to_raw_form(table, name, typed, stored) -> None:
    assert convert_input(table, name, typed, today=dt.date(2025, 9, 30)) == stored


def test_findings_are_located_on_their_rows(session: Session) -> None:
    f = session.findings
    assert sorted(f["rule"]) == ["invalid-code", "triage-not-before-referral", "triage-within-6-weeks"]
    for _, row in f.iterrows():
        frame = session.table("episodes")
        assert frame.at[row["pos"], "_row"] == row["row"] and frame.at[row["pos"], "_file"] == row["file"]
    assert session.counts() == {"error": 2, "warning": 1, "info": 0}


def test_fixing_a_cell_by_typing_removes_its_finding_and_undo_brings_it_back(session: Session) -> None:
    bad = session.findings.query("rule == 'triage-not-before-referral'").iloc[0]
    seen = []
    session.listeners.append(seen.append)
    result = session.edit("episodes", int(bad["pos"]), "triage_date", "10/04/2025", reason="typo")
    assert session.table("episodes").at[bad["pos"], "triage_date"] == "2025-04-10"
    assert list(result.removed["rule"]) == ["triage-not-before-referral"] and result.added.empty
    assert list(result.touched["episodes"]) == [bad["pos"]]
    assert session.counts()["error"] == 1 and seen == [result]
    undo = session.apply([c.inverse() for c in result.changes], reason="undo")
    assert list(undo.added["rule"]) == ["triage-not-before-referral"]
    assert session.table("episodes").at[bad["pos"], "triage_date"] == "2025-03-01"
    assert [step.reason for step in session.steps] == ["typo", "undo"]


def test_typing_a_bad_date_gives_an_invalid_date_finding(session: Session) -> None:
    result = session.edit("episodes", 0, "referral_date", "32/13/2025")
    assert list(result.added["rule"]) == ["invalid-date"]
    assert result.added.iloc[0]["values"] == ("32/13/2025",)


def test_bulk_replace_changes_only_matching_rows_in_one_step(session: Session) -> None:
    session.edit("episodes", 5, "sex", "X")
    assert session.counts()["error"] == 3
    result = session.bulk_replace("episodes", range(len(session.table("episodes"))), "sex", "u", old_text="X")
    assert sorted(c.pos for c in result.changes) == [5, 7]
    assert set(session.table("episodes")["sex"]) == {"M", "F", "U"}
    assert session.counts()["error"] == 1


def test_accepting_a_warning_needs_a_reason_and_lasts_while_values_stay(session: Session) -> None:
    index = session.findings.index[session.findings["rule"] == "triage-within-6-weeks"][0]
    with pytest.raises(ValueError):
        session.accept(index, "  ")
    session.accept(index, "client in hospital")
    row = session.findings.loc[session.findings["rule"] == "triage-within-6-weeks"].iloc[0]
    assert row["accepted"] and row["accept_reason"] == "client in hospital"
    assert session.counts()["warning"] == 0
    session.edit("episodes", 0, "client_ref", "other")        # unrelated edit: still accepted
    assert session.counts()["warning"] == 0
    session.edit("episodes", int(row["pos"]), "triage_date", "2025-07-01")  # values changed: open again
    assert session.counts()["warning"] == 1


def test_no_op_edit_changes_nothing(session: Session) -> None:
    value = session.table("episodes").at[0, "sex"]
    result = session.edit("episodes", 0, "sex", value.lower())
    assert result.changes == [] and session.steps == []


# ----------------------------------------------------------------- with the real services

@pytest.fixture(scope="module")
def partnership(tmp_path_factory) -> list[Path]:
    return synthetic_extracts(tmp_path_factory, "partnership", episodes=300, seed=11)


def test_open_real_extracts_and_fix_a_warning_by_typing(partnership, caplog) -> None:
    from app.session import finding_keys

    session = Session()
    session.open_files(partnership)
    assert set(session.raw.present()) == {"episodes", "modalities", "tops"}
    assert session.counts()["error"] == 0 and (session.findings["pos"] >= 0).all()
    late = session.findings.query("rule == 'triage-within-6-weeks' and table == 'episodes'").iloc[0]
    pos = int(late["pos"])
    referral = dt.date.fromisoformat(session.table("episodes").at[pos, "referral_date"])
    fix = (referral + dt.timedelta(days=10)).strftime("%d/%m/%Y")
    result = session.edit("episodes", pos, "triage_date", fix, reason="date keyed wrongly")
    assert "triage-within-6-weeks" in set(result.removed["rule"])
    assert session.table("episodes").at[pos, "triage_date"] == (referral + dt.timedelta(days=10)).isoformat()
    # the re-check of touched records agrees exactly with validating everything again
    full = Session()
    full.load(session.raw)
    assert set(finding_keys(full.findings)) == set(finding_keys(session.findings))
    assert "re-checking the touched records failed" not in caplog.text   # the partial path was used
    bad = session.edit("episodes", pos, "dob", "31/02/1980")
    assert list(bad.added["rule"]) == ["invalid-date"]
    fixed = session.edit("episodes", pos, "dob", "28/02/1980")
    assert list(fixed.removed["rule"]) == ["invalid-date"]
    full.load(session.raw)
    assert set(finding_keys(full.findings)) == set(finding_keys(session.findings))
    assert "re-checking the touched records failed" not in caplog.text   # the partial path was used
    assert session.findings.index.is_unique and set(session.findings["key"]) == set(session._label_of)
    text = [c for c in session.findings.columns if hasattr(session.findings[c].array, "_pa_array")]
    assert text and all(session.findings[c].array._pa_array.num_chunks == 1 for c in text)  # picks stay cheap
    assert all(session.findings.at[label, "key"] == key for key, label in session._label_of.items())


def test_demo_files_are_made_once(tmp_path, monkeypatch) -> None:
    from app import session as session_module

    monkeypatch.setitem(session_module.DEMO, "episodes", 60)
    first = session_module.demo_files(tmp_path)
    assert len(first) == 3 and all(p.exists() for p in first)
    stamp = [p.stat().st_mtime_ns for p in first]
    assert session_module.demo_files(tmp_path) == first
    assert [p.stat().st_mtime_ns for p in first] == stamp


def test_opening_makes_the_workspace_and_everything_is_in_it_without_saving(partnership, tmp_path) -> None:
    from dataclasses import replace

    from app.workspace import default_folder

    session = Session()
    session.open_files(partnership)
    made = session.workspace.path
    assert made.parent == default_folder() and made.name == "Partnership 2025-26 Q2.trworkspace"
    late = session.findings.query("rule == 'triage-within-6-weeks' and table == 'episodes'")
    fix, keep = int(late.iloc[0]["pos"]), late.index[1]
    session.edit("episodes", fix, "client_ref", "NEW-REF", reason="provider's correction")
    session.accept(keep, "client was in hospital")
    session.set_rules(settings=replace(session.settings, partnership_name="Testshire", triage_target_days=35))
    counts = session.counts()
    copy = session.save_as(tmp_path / "elsewhere" / "testshire.trworkspace")
    session.edit("episodes", fix, "postcode", "ZZ1 1ZZ", reason="after Save As: goes to the copy")
    session.workspace.close()

    again = Session()
    again.open_workspace(copy)
    rows = again.table("episodes")
    assert rows.at[fix, "client_ref"] == "NEW-REF" and rows.at[fix, "postcode"] == "ZZ1 1ZZ"
    assert again.counts() == counts
    assert again.findings["accepted"].sum() == 1
    assert again.settings.partnership_name == "Testshire" and again.settings.triage_target_days == 35
    history = again.workspace.history()
    assert {"provider's correction", "after Save As: goes to the copy"} <= set(history["reason"])
    assert {"accept", "settings"} <= set(history["kind"])
    assert [again.steps[i].description for i in again.restored[0]] == [
        f"Edit client_ref of {rows.at[fix, 'provider_code']}/{rows.at[fix, 'episode_id']}",
        f"Accept triage-within-6-weeks on {session.findings.at[keep, 'record']}",
        f"Edit postcode of {rows.at[fix, 'provider_code']}/{rows.at[fix, 'episode_id']}"]
    again.workspace.close()
    with Workspace.open(made) as original:  # the first file has what was done before Save As
        assert original.tables().episodes.at[fix, "client_ref"] == "NEW-REF"
        assert original.tables().episodes.at[fix, "postcode"] != "ZZ1 1ZZ"


def test_undo_and_redo_go_on_after_reopening(partnership, tmp_path) -> None:
    path = tmp_path / "undo.trworkspace"
    session = Session()
    session.open_files(partnership, workspace_path=path)
    a = session.edit("episodes", 0, "client_ref", "FIRST", reason="one")
    b = session.edit("episodes", 1, "client_ref", "SECOND", reason="two")
    late = session.findings.index[session.findings["severity"] == "warning"][0]
    c = session.accept(late, "fine as it is")
    session.set_acceptance(session.steps[c.step].findings, "undo", accept=False, kind="undo", ref_step=c.step)
    session.apply([ch.inverse() for ch in b.changes], reason="undo", kind="undo", ref_step=b.step)
    session.workspace.close()

    again = Session()
    again.open_workspace(path)
    done, undone = again.restored
    assert [again.steps[i].reason for i in done] == ["one"]
    assert [again.steps[i].kind for i in undone] == ["accept", "edit"]   # the last is redone first
    assert again.table("episodes").at[1, "client_ref"] == b.changes[0].old and not again.findings.at[late, "accepted"]
    redo = again.steps[undone[-1]]
    again.apply(redo.changes, reason="two", kind="redo", ref_step=undone[-1])
    accept = again.steps[undone[0]]
    again.set_acceptance(accept.findings, "fine as it is", accept=True, kind="redo", ref_step=undone[0])
    assert again.table("episodes").at[1, "client_ref"] == "SECOND" and again.findings.at[late, "accepted"]
    assert not again.workspace.can_redo and again.workspace.can_undo
    first = again.steps[done[0]]
    again.apply([ch.inverse() for ch in first.changes], reason="undo", kind="undo", ref_step=done[0])
    assert again.table("episodes").at[0, "client_ref"] == a.changes[0].old
    kinds = again.workspace.history().query("kind != 'settings'")["kind"].tolist()
    assert kinds == ["edit", "edit", "accept", "withdraw", "undo", "redo", "accept", "undo"]
    again.workspace.close()


def test_several_findings_accepted_with_one_reason(session: Session) -> None:
    errors = list(session.findings.index[session.findings["severity"] == "error"])
    session.accept(errors, "checked with the provider")
    assert session.counts()["error"] == 0
    assert set(session.accepted_frame()["reason"]) == {"checked with the provider"}


def test_measures_before_anything_is_open_say_so() -> None:
    from app.errors import InputError

    with pytest.raises(InputError, match="no extracts are open"):
        Session().measures("2025-26 Q1")


# ----------------------------------------------------------------- steps in a workspace

def _bulk(session: Session, n: int):
    frame = session.table("episodes")
    rows = frame.index[frame["sex"] == "M"][:n]
    return rows, session.bulk_replace("episodes", rows, "sex", "U", old_text="M", reason="provider recoded")


def test_a_bulk_replace_is_one_workspace_step_and_one_undo_restores_it(partnership, tmp_path) -> None:
    from app.workspace import Workspace

    session = Session()
    path = tmp_path / "steps.trworkspace"
    session.open_files(partnership, workspace_path=path)
    rows, result = _bulk(session, 25)
    ws = session.workspace
    history = ws.history()
    assert len(history) == 25 and history["batch_id"].nunique() == 1
    assert result.batch_id == history["batch_id"].iat[0] and set(history["step"]) == {"bulk-replace"}
    assert set(history["new"]) == {"U"} and set(history["old"]) == {"M"}
    assert ws.can_undo and not ws.can_redo
    undo = session.apply([c.inverse() for c in reversed(result.changes)], reason="undo", kind="undo",
                         ref_step=result.step)
    history = ws.history()
    undone = history[history["batch_id"] == undo.batch_id]
    assert len(history) == 50 and len(undone) == 25 and set(undone["kind"]) == {"undo"}
    assert set(undone["ref_edit"]) == set(history.loc[history["batch_id"] == result.batch_id, "id"])
    assert not ws.can_undo and ws.can_redo   # the workspace's own stacks agree with the app's
    assert (session.table("episodes").loc[rows, "sex"] == "M").all()
    session.workspace.close()
    with Workspace.open(path) as again:   # what the file says, read afresh
        saved = again.tables().episodes.set_index(["provider_code", "episode_id"])
    mine = session.table("episodes").set_index(["provider_code", "episode_id"])
    assert (saved.loc[mine.index[rows], "sex"] == "M").all() and (saved.loc[mine.index, "sex"] == mine["sex"]).all()


def test_every_step_is_in_the_workspace_as_it_is_made(partnership) -> None:
    session = Session()
    session.open_files(partnership)
    rows, result = _bulk(session, 12)
    session.edit("episodes", int(rows[0]), "client_ref", "NEW-REF", reason="typed")
    history = session.workspace.history()
    assert history.groupby("batch_id").size().tolist() == [12, 1]
    assert list(history.groupby("batch_id")["step"].first()) == ["bulk-replace", "edit"]
    saved = session.workspace.tables().episodes
    assert saved is not session.table("episodes")   # a copy for the caller ...
    assert session.workspace.working().frames["episodes"] is session.table("episodes")   # ... one working copy
    assert (saved["sex"] == session.table("episodes")["sex"]).all()
    assert saved.at[int(rows[0]), "client_ref"] == "NEW-REF"
    session.workspace.close()


def test_positions_are_matched_on_file_row_and_order_among_shared_rows() -> None:
    import pandas as pd

    from app.session.extract_import import position_map

    mine = pd.DataFrame({"_file": ["a.xlsx", "a.xlsx", "a.xlsx", "b.xlsx"], "_row": [2, 2, 3, 2],
                         "top_id": ["T1", "T2", "T1", "T1"]})
    theirs = mine.iloc[[3, 2, 0, 1]].reset_index(drop=True)   # b's rows first, a's shared row kept in order
    found = position_map(mine, theirs)
    assert list(theirs["top_id"].iloc[found]) == list(mine["top_id"]) and list(found) == [2, 3, 1, 0]
    with pytest.raises(LookupError):
        position_map(mine, theirs.iloc[:3])


# ----------------------------------------------------------------- returns

def test_generate_in_a_workspace_uses_its_acceptances_and_keeps_a_snapshot(tmp_path_factory, tmp_path) -> None:
    from app.returns.generate import ReturnRefused

    files = synthetic_extracts(tmp_path_factory, "with-defects", episodes=200, seed=5, defects=0.02)
    session = Session()
    session.open_files(files, workspace_path=tmp_path / "returns.trworkspace")
    assert session.counts()["error"] > 0
    assert session.generate("2025-26 Q2", tmp_path / "out", check_only=True) == []
    with pytest.raises(ReturnRefused) as refused:
        session.generate("2025-26 Q2", tmp_path / "out", draft=False)
    assert "--draft" not in str(refused.value) and f"({session.counts()['error']:,} left)" in str(refused.value)
    assert session.workspace.snapshots().empty
    draft = session.generate("2025-26 Q2", tmp_path / "out", draft=True)
    assert all(p.exists() and "DRAFT" in p.name for p in draft.outputs)
    snaps = session.workspace.snapshots()
    assert list(snaps["period_label"]) == ["2025-26 Q2"]
    assert session.workspace.snapshot("2025-26 Q2") == session.measures("2025-26 Q2").to_json()
    errors = list(session.findings.index[session.findings["severity"] == "error"])
    session.accept(errors, "confirmed with the provider")
    final = session.generate("2025-26 Q2", tmp_path / "out", draft=False)   # the workspace's acceptances count
    assert [p.name for p in final.outputs] == ["national_quarterly_return_2025-26_Q2.xlsx",
                                               "committee_report_2025-26_Q2.docx"]
    assert len(session.workspace.snapshots()) == 2
    accepted, snapshots = session.returns_inputs()
    assert len(accepted) == len(errors) and list(snapshots) == ["2025-26 Q2"]
    session.workspace.close()


def test_checking_a_template_lists_the_tags_that_cannot_be_filled(session: Session, tmp_path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "mine.xlsx"
    book = Workbook()
    book.active["A1"] = "{{ no_such_measure.value }}"
    book.save(path)
    problems = session.generate("2025-26 Q1", tmp_path, templates=[path], check_only=True)
    assert len(problems) == 1 and "no_such_measure" in str(problems[0])


def test_loaded_tables_work_in_a_throw_away_workspace_that_close_deletes(session: Session) -> None:
    ws = session.workspace
    folder = ws.path.parent
    assert folder.is_dir() and session.path is None           # no file of the person's to name
    assert ws.working().frames["episodes"] is session.table("episodes")   # one working copy
    result = session.edit("episodes", 3, "triage_date", "10/04/2025", reason="typo")
    history = session.history()
    assert list(history["reason"]) == ["typo"] and result.batch_id == history["batch_id"].iat[0]
    assert session.providers() == ["N9001", "N9002"]
    session.accept(int(session.findings.index[session.findings["severity"] == "warning"][0]), "known")
    assert len(ws.accepted()) == 1
    session.load(small_raw())                                  # another load: the first workspace goes
    assert not folder.exists() and session.workspace.path.parent.is_dir()
    again = session.workspace.path.parent
    session.close()
    assert not again.exists() and session.workspace is None and session.path is None


def test_a_throw_away_workspace_goes_when_discarded_or_when_the_session_is_collected() -> None:
    import gc

    session = Session(validator=TinyValidator())
    session.load(small_raw())
    folder = session.workspace.path.parent
    session.discard()
    assert not folder.exists() and session.workspace is None
    session.load(small_raw())
    folder = session.workspace.path.parent
    session.edit("episodes", 0, "client_ref", "NEW")
    del session
    gc.collect()
    assert not folder.exists()                # the SQLite file closed first, then the folder deleted


def test_the_parts_work_with_what_they_are_handed_and_no_session() -> None:
    from app.session.checking import Checker
    from app.session.editing import Editor
    from app.session.model import UndoHistory
    from app.session.workspace_io import WorkspaceLink
    from rules.settings import Settings

    link = WorkspaceLink()
    checker = Checker(TinyValidator())
    checker.take(link.load(small_raw(), Settings()))
    seen, history = [], UndoHistory()
    editor = Editor(checker, link, history, seen.append)
    result = editor.edit("episodes", 7, "sex", "F", reason="typo")
    assert list(result.removed["rule"]) == ["invalid-code"] and seen == [result] and not result.full
    assert checker.counts()["error"] == 1 and list(link.history()["reason"]) == ["typo"]
    assert [s.reason for s in history.steps] == ["typo"]
    link.close()
