"""Bad input is an InputError naming where, never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from extract_files import episodes_rows, write_xlsx

from app.errors import InputError
from app.extracts import open_extracts, read_extract


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as err:
        open_extracts([path])
    return err.value


def test_zero_byte_workbook_and_csv(tmp_path: Path) -> None:
    for name in ("empty.xlsx", "empty.csv"):
        (tmp_path / name).write_bytes(b"")
        err = _error(tmp_path / name)
        assert err.file == name and "empty" in str(err)


def test_corrupt_workbook(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", {"episodes": episodes_rows(50)})
    data = good.read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    err = _error(tmp_path / "cut.xlsx")
    assert err.file == "cut.xlsx" and "workbook" in str(err)
    (tmp_path / "text.xlsx").write_text("provider_code,episode_id\n")
    assert "not a valid .xlsx" in str(_error(tmp_path / "text.xlsx"))


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "zip.xlsx", "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert _error(tmp_path / "zip.xlsx").file == "zip.xlsx"


def test_a_compound_file_olefile_cannot_parse_is_damaged_not_encrypted(tmp_path: Path) -> None:
    # An encrypted .xlsx is an OLE2 compound file whose directory olefile lists (tests/badinput's
    # password.xlsx); one that cannot be parsed at all is not known to be encrypted.
    (tmp_path / "secret.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    err = str(_error(tmp_path / "secret.xlsx"))
    assert "the file is damaged" in err and "password" not in err


def test_sheet_named_episodes_without_a_header(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "nohead.xlsx", {"episodes": [["a", "b"], ["1", "2"]]})
    err = _error(path)
    assert (err.file, err.sheet) == ("nohead.xlsx", "episodes") and "no header row" in str(err)


def test_workbook_with_wrong_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "wrong.xlsx", {"Summary": [["Total", 3]], "Chart data": [["x", "y"]]})
    assert "no sheet holds extract data" in str(_error(path))


def test_undecodable_csv(tmp_path: Path) -> None:
    (tmp_path / "episodes.csv").write_bytes(b"provider_code,episode_id\n\x81\x8d\x8f,\x90\x9d\n")
    err = _error(tmp_path / "episodes.csv")
    assert err.file == "episodes.csv" and "decode" in str(err)


def test_unknown_file_type_and_missing_path(tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_bytes(b"PK")
    assert "not a file type" in str(_error(tmp_path / "notes.docx"))
    with pytest.raises(InputError, match="no such file"):
        read_extract(tmp_path / "absent.xlsx")


def test_no_paths() -> None:
    with pytest.raises(InputError):
        open_extracts([])


def test_csv_without_a_header(tmp_path: Path) -> None:
    (tmp_path / "export.csv").write_text("a,b,c\n1,2,3\n")
    err = _error(tmp_path / "export.csv")
    assert err.file == "export.csv" and "no header row" in str(err)
