"""`audit --workspace FILE`: the audit trail of a saved workspace, read back cell by cell.

The workspace holds real extract files with edits made through ``app.workspace``: single edits,
identifying values, a bulk replace and two undos. Every edit the workspace returned must be in
the trail the command writes (.xlsx, .csv, or CSV on stdout), with its record, field, old and new
value, reason and time; identifying values only with ``--identifiers``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from app.cli import COMMANDS, main
from app.extracts import read_extract
from app.synth import generate, write
from app.workspace import Workspace
from rules.tables import Tables

AS_AT = dt.date(2026, 1, 15)
IDENTIFYING = {"client_ref", "first_initial", "surname_initial", "dob", "postcode"}
WITHHELD = "(withheld)"
#: The audit trail's columns this test reads (the export has more).
CHECKED = ("kind", "record", "row_key", "field", "old", "new", "reason", "time")


class Built:
    """The workspace, every edit it returned (in order), and the identifying values it holds."""

    def __init__(self, path: Path, edits: list, secrets: set[str], accepted_dob: str) -> None:
        self.path = path
        self.edits = edits
        self.secrets = secrets
        self.accepted_dob = accepted_dob


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("audit")
    paths = write(generate(providers=2, episodes=120, seed=5, defects=0.0, as_at=AS_AT), folder / "extracts")
    path = folder / "partnership.trworkspace"
    edits = []
    with Workspace.create(path, partnership="Testshire", year="2025-26") as ws:
        for extract_path in paths:
            raw = read_extract(extract_path)
            tables = Tables(**{name: raw.tables.get(name) for name in ("episodes", "modalities", "tops")},
                            as_at=raw.as_at, files=raw.files)
            ws.import_source(tables, file_path=extract_path, profile=None)
        episodes = ws.tables().episodes
        secrets = {str(episodes.at[i, f]) for i in (1, 2, 3) for f in ("client_ref", "postcode", "dob")}
        edits.append(ws.edit("episodes", 0, "discharge_reason", "TCDF" if episodes.at[0, "discharge_reason"] != "TCDF"
                             else "TCOU", reason="provider confirmed completion"))
        edits.append(ws.edit("episodes", 1, "postcode", "ZZ99 9ZZ", reason="moved house"))
        edits.append(ws.edit("episodes", 2, "client_ref", "CR-SECRET-42", reason="provider's new reference"))
        edits.append(ws.edit("modalities", 0, "modality_end_date", "2025-12-01", reason="end date from the key worker"))
        males = episodes.index[episodes["sex"] == "M"][:4].tolist()
        bulk = ws.bulk_replace("episodes", "sex", {"M": "U"}, rows=males, reason="provider recoded, \"sex\"\nline 2")
        assert len(bulk.edits) == len(males) > 1
        edits += bulk.edits
        edits += ws.undo().edits                       # undoes the bulk replace: four undo edits
        edits.append(ws.edit("episodes", 3, "dob", "1901-02-03", reason="typo in the year"))
        edits += ws.undo().edits                       # undoes an identifying value: still withheld
        dob = str(episodes.at[4, "dob"])
        ws.accept({"rule": "dob-implausible", "severity": "warning", "table": "episodes",
                   "record": f"{episodes.at[4, 'provider_code']}/{episodes.at[4, 'episode_id']}",
                   "provider": episodes.at[4, "provider_code"], "file": episodes.at[4, "_file"],
                   "row": int(episodes.at[4, "_row"]), "fields": ("dob",), "values": (dob,),
                   "message": f"Date of birth {dob} gives an age over 100"}, "confirmed with the provider")
    secrets |= {"ZZ99 9ZZ", "CR-SECRET-42", "1901-02-03", dob}
    assert len(edits) == 4 + 4 + 4 + 1 + 1
    return Built(path, edits, {s for s in secrets if s and s != "None"}, dob)


# ----------------------------------------------------------------------- reading back

def read_csv_text(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def read_csv_file(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def read_xlsx(path: Path) -> dict[str, list[dict[str, object]]]:
    wb = load_workbook(path)
    sheets = {}
    for sheet in wb.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        sheets[sheet.title] = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    return sheets


def text(value: object) -> str:
    """A cell as CSV has it: blank as "", numbers as their digits."""
    return "" if value is None else str(value)


def number(value: object) -> int | None:
    """An id cell as a number (blank: None), however the export wrote it."""
    return None if text(value) == "" else int(float(text(value)))


def expected(edit, identifiers: bool) -> dict[str, str]:
    from app.workspace.trail import readable

    def shown(value):
        if value is None:
            return ""
        return value if identifiers or edit.field not in IDENTIFYING else WITHHELD

    read = readable(pd.DataFrame([{"field": edit.field, "old": edit.old_value, "new": edit.new_value,
                                   "time": edit.time}])).iloc[0]     # as people read it: dd/mm/yyyy (hh:mm)
    return {"kind": edit.kind, "record": edit.record, "row_key": edit.row_key, "field": edit.field,
            "old": shown(read["old"]), "new": shown(read["new"]), "reason": edit.reason, "time": read["time"]}


def check_every_edit(rows: list[dict], built: Built, identifiers: bool) -> None:
    """Each edit the workspace made is one row of the trail, cell by cell."""
    by_key: dict[tuple[str, str, str], list[dict]] = {}
    for row in rows:
        by_key.setdefault((number(row["batch_id"]), text(row["row_key"]), text(row["field"])), []).append(row)
    for edit in built.edits:
        found = by_key.get((edit.batch_id, edit.row_key, edit.field), [])
        assert len(found) == 1, f"edit {edit.id} ({edit.field} of {edit.record}) is listed {len(found)} times"
        assert {c: text(found[0][c]) for c in CHECKED} == expected(edit, identifiers), f"edit {edit.id}"
        assert number(found[0]["id"]) == edit.id
    assert sum(len(v) for k, v in by_key.items() if k[0] in {e.batch_id for e in built.edits}) == len(built.edits)


def check_no_secret(cells: list[str], built: Built) -> None:
    from app.words import day_first

    for secret in built.secrets | {day_first(s) for s in built.secrets}:   # in either date style
        assert not [c for c in cells if secret in c], f"{secret!r} is in the trail"


def all_cells(sheets: dict[str, list[dict]]) -> list[str]:
    return [text(v) for rows in sheets.values() for row in rows for v in row.values()]


# ----------------------------------------------------------------------- the trail

def test_audit_is_listed_after_generate() -> None:
    assert COMMANDS.index("audit") == COMMANDS.index("generate") + 1


@pytest.mark.parametrize("identifiers", [False, True], ids=["withheld", "identifiers"])
def test_xlsx_lists_every_edit(built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               identifiers: bool) -> None:
    out = tmp_path / "trail.xlsx"
    code = main(["audit", "--workspace", str(built.path), "--out", str(out), *(["--identifiers"] * identifiers)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert printed.out.strip() == str(out)
    sheets = read_xlsx(out)
    assert {"edits", "sources", "accepted"} <= set(sheets)
    check_every_edit(sheets["edits"], built, identifiers)
    assert len(sheets["sources"]) == 2
    [accepted] = sheets["accepted"]
    assert accepted["reason"] == "confirmed with the provider"
    if identifiers:
        assert accepted["values"] == built.accepted_dob and built.accepted_dob in accepted["message"]
        assert {"ZZ99 9ZZ", "CR-SECRET-42", "03/02/1901"} <= set(all_cells(sheets))   # a date as people read it
    else:
        assert accepted["values"] == WITHHELD and built.accepted_dob not in accepted["message"]
        check_no_secret(all_cells(sheets), built)


@pytest.mark.parametrize("identifiers", [False, True], ids=["withheld", "identifiers"])
def test_csv_and_stdout_list_every_edit_as_the_app_writes_it(built: Built, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str],
                                                             identifiers: bool) -> None:
    flag = ["--identifiers"] * identifiers
    out = tmp_path / "trail.csv"
    assert main(["audit", "--workspace", str(built.path), "--out", str(out), *flag]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    rows = read_csv_file(out)
    check_every_edit(rows, built, identifiers)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")   # the .csv Excel opens: UTF-8 with BOM

    assert main(["audit", "--workspace", str(built.path), *flag]) == 0
    printed = capsys.readouterr()
    assert printed.err == "" and not printed.out.startswith("\ufeff")
    assert read_csv_text(printed.out) == rows             # stdout: the same rows and columns

    with Workspace.open(built.path) as ws:                # what File > Export audit trail writes
        app_rows = read_csv_file(ws.export_audit(tmp_path / "app.csv", identifiers=identifiers))
        xlsx = read_xlsx(ws.export_audit(tmp_path / "app.xlsx", identifiers=identifiers))["edits"]
    assert rows == app_rows
    assert [{k: text(v) for k, v in r.items()} for r in xlsx] == rows   # .xlsx and .csv agree cell by cell
    if not identifiers:
        check_no_secret([v for r in rows for v in r.values()], built)


def test_a_real_process_prints_the_trail(built: Built, tmp_path: Path) -> None:
    out = tmp_path / "trail.csv"
    assert main(["audit", "--workspace", str(built.path), "--out", str(out)]) == 0
    done = subprocess.run([sys.executable, "-m", "app", "audit", "--workspace", str(built.path)],
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""
    printed = done.stdout.decode("utf-8")
    assert not printed.startswith("\ufeff")
    rows = read_csv_text(printed)
    check_every_edit(rows, built, identifiers=False)
    assert rows == read_csv_file(out)
    check_no_secret([v for r in rows for v in r.values()], built)


def test_a_workspace_without_edits_prints_the_header_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new.trworkspace"
    Workspace.create(path, partnership="Empty", year="2025-26").close()
    assert main(["audit", "--workspace", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and {"record", "field", "old", "new", "reason", "time"} <= set(lines[0].split(","))
    assert main(["audit", "--workspace", str(path), "--out", str(tmp_path / "t.xlsx")]) == 0
    assert read_xlsx(tmp_path / "t.xlsx")["edits"] == []


# ----------------------------------------------------------------------- refused, in one line

def refused(capsys: pytest.CaptureFixture[str], argv: list[str], named: Path, says: str) -> None:
    code = main(["audit", *argv])
    printed = capsys.readouterr()
    assert code == 2
    assert printed.out == ""
    lines = printed.err.strip().splitlines()
    assert len(lines) == 1, printed.err
    assert lines[0].startswith(f"treatment-returns: {named}: ") and says in lines[0], lines[0]


@pytest.mark.parametrize("case", ["missing", "folder", "text", "xlsx", "other-sqlite", "empty"])
def test_a_file_that_is_not_a_workspace_is_refused(case: str, built: Built, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "given.trworkspace"
    says = "not a Treatment Returns workspace"
    if case == "missing":
        says = "no such workspace file"
    elif case == "folder":
        path.mkdir()
        says = "a folder"
    elif case == "text":
        path.write_text("episode_id,dob\nE1,1980-01-01\n")
    elif case == "xlsx":
        path = tmp_path / "given.xlsx"
        pd.DataFrame({"a": [1]}).to_excel(path)
    elif case == "other-sqlite":
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE t (x)")
        conn.close()
    elif case == "empty":
        path.touch()
        says = "an empty file"
    before = path.read_bytes() if path.is_file() else None
    out = tmp_path / "trail.xlsx"
    refused(capsys, ["--workspace", str(path), "--out", str(out)], path, says)
    assert not out.exists()
    if before is not None:
        assert path.read_bytes() == before   # left as it was (an empty file is not made a workspace)


def test_another_programs_sqlite_file_is_left_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    before = path.read_bytes()
    refused(capsys, ["--workspace", str(path)], path, "not a Treatment Returns workspace")
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", ["trail.txt", "trail.xlsm", "trail", "trail.csv.bak"])
def test_an_out_file_that_is_not_xlsx_or_csv_is_refused(name: str, built: Built, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / name
    refused(capsys, ["--workspace", str(built.path), "--out", str(out)], out, "must end in .xlsx or .csv")
    assert list(tmp_path.iterdir()) == []


def test_an_out_folder_or_the_workspace_itself_is_refused(built: Built, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "trail.csv"
    folder.mkdir()
    refused(capsys, ["--workspace", str(built.path), "--out", str(folder)], folder, "a folder")
    copy = tmp_path / "workspace.csv"
    copy.write_bytes(built.path.read_bytes())
    refused(capsys, ["--workspace", str(copy), "--out", str(copy)], copy, "the workspace itself")
    assert copy.read_bytes() == built.path.read_bytes()


def test_a_workspace_open_in_the_app_is_refused(built: Built, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom app.workspace import Workspace\n"
         f"ws = Workspace.open({str(built.path)!r})\nprint('open', flush=True)\ntime.sleep(60)\n"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        out = tmp_path / "trail.csv"
        refused(capsys, ["--workspace", str(built.path), "--out", str(out)], built.path, "open in another window")
        assert not out.exists()
    finally:
        holder.kill()
        holder.wait()


def test_no_workspace_given_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["audit"])
    assert exit_.value.code == 2
    assert "--workspace" in capsys.readouterr().err


def test_a_step_description_does_not_give_away_a_withheld_value(built: Built, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "copy.trworkspace"
    path.write_bytes(built.path.read_bytes())
    with Workspace.open(path) as ws:
        postcode = str(ws.tables().episodes.at[5, "postcode"])
        ws.bulk_replace("episodes", "postcode", {postcode: "ZZ98 8ZZ"}, rows=[5], reason="moved house")
    assert main(["audit", "--workspace", str(path)]) == 0
    printed = capsys.readouterr().out
    assert postcode not in printed and "ZZ98 8ZZ" not in printed
