"""A file is read from disk once, its zip opened once, and everything (checks, scans, reader) uses those bytes.

Proved by replacing the file on disk right after it was read: if any scan or the reader went back
to the path, it would see the other content (or none) and the result would change.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from extract_files import EPISODE_HEADER, episode_row, episodes_rows, write_csv, write_xlsx

from app.errors import InputError
from app.extracts import read_extract, sniff, xlsxparts
from app.extracts.csvfile import read_csv_grid


def _read_then_replace(monkeypatch: pytest.MonkeyPatch, reads: list[Path]) -> None:
    """Every whole-file read overwrites the file with junk once it has its bytes."""
    real = sniff.read_whole

    def read_whole(path: Path, **kwargs: object) -> bytes:
        data = real(path, **kwargs)
        reads.append(path)
        path.write_bytes(b"PK\x03\x04 replaced after reading" * 10)
        return data

    monkeypatch.setattr(sniff, "read_whole", read_whole)


def test_a_workbook_is_read_once_and_its_zip_opened_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    merged = [["Quarterly extract"], [], list(EPISODE_HEADER)] + [episode_row(i) for i in range(1, 6)]
    path = write_xlsx(tmp_path / "provider.xlsx", {"episodes": merged},
                      edit=lambda wb: wb["episodes"].merge_cells("A1:D1"))
    expected = read_extract(path).tables["episodes"]
    reads: list[Path] = []
    zips: list[object] = []
    real_init = zipfile.ZipFile.__init__

    def counted(self, *args, **kwargs):
        zips.append(args[0] if args else kwargs.get("file"))
        real_init(self, *args, **kwargs)

    _read_then_replace(monkeypatch, reads)
    monkeypatch.setattr(zipfile.ZipFile, "__init__", counted)
    got = read_extract(path).tables["episodes"]
    assert reads == [path]
    assert len(zips) == 1 and isinstance(zips[0], io.BytesIO)      # over the bytes read, never the path
    assert got.equals(expected)
    assert path.read_bytes().startswith(b"PK\x03\x04 replaced")   # the file on disk did change


def test_a_csv_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_csv(tmp_path / "episodes.csv", episodes_rows(4))
    expected = read_extract(path).tables["episodes"]
    reads: list[Path] = []
    _read_then_replace(monkeypatch, reads)
    got = read_extract(path)
    assert reads == [path]
    assert got.tables["episodes"].equals(expected)
    assert list(got.digests) == [str(path.resolve())]


def test_column_letters_count_from_column_a_when_the_data_starts_further_right(tmp_path: Path) -> None:
    """fastexcel trims empty columns on the left; messages still name the columns Excel shows."""
    pad = [None, None]
    rows = [pad + list(EPISODE_HEADER) + ["Date of referral"]]
    rows += [pad + episode_row(i) + ["2025-04-01"] for i in (1, 2, 3)]
    rows[2][-1] = "2025-04-02"
    path = write_xlsx(tmp_path / "shifted.xlsx", {"episodes": rows})
    with pytest.raises(InputError) as caught:
        read_extract(path)
    letter = xlsxparts.col_letters(len(pad) + EPISODE_HEADER.index("referral_date"))
    assert letter == "L"
    assert f"two columns hold referral_date: {letter} ('referral_date') and P ('Date of referral')" in str(caught.value)
    assert caught.value.row == 3


def test_column_letters_and_indexes_agree_with_excel() -> None:
    for index, letters in ((0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA"), (16383, "XFD")):
        assert xlsxparts.col_letters(index) == letters
        assert xlsxparts.col_index(letters) == xlsxparts.col_index(letters.encode()) == index


def test_sheet_xml_is_streamed_in_pieces_of_whole_rows_whatever_the_prefix() -> None:
    rows = b"".join(b'<x:row r="%d"><x:c r="A%d"><x:v>%d</x:v></x:c></x:row>' % (i, i, i) for i in range(1, 400))
    xml = b'<x:worksheet xmlns:x="main"><x:sheetData>' + rows + b"</x:sheetData></x:worksheet>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("sheet.xml", xml)
    with zipfile.ZipFile(buffer) as zf:
        pieces = list(xlsxparts._row_pieces(zf, "sheet.xml", size=1000))
    assert b"".join(pieces) == xml
    assert len(pieces) > 10
    assert all(p.endswith(b"</x:row>") for p in pieces[:-1])


def test_a_row_a_little_wider_than_the_header_late_in_the_file_is_read(tmp_path: Path) -> None:
    """Past the lines the width is sampled from: pandas refuses, the csv module counts, and it is read again."""
    rows = episodes_rows(80)
    rows[70] = rows[70] + ["", "stray"]
    grid = read_csv_grid(write_csv(tmp_path / "episodes.csv", rows))
    assert grid.frame.shape == (81, len(EPISODE_HEADER) + 2)
    assert grid.frame.iat[70, len(EPISODE_HEADER) + 1] == "stray"
    assert grid.frame.iat[70, 1] == "E0070"
