"""Say what a spreadsheet file really is before any parser sees it, and refuse what cannot be read.

Providers send files with the wrong name, with a password, damaged in an e-mail, or (once in a
while) crafted. Each case gets one sentence saying what to do, never a parser's traceback:

- an OLE2 compound file (its streams listed by olefile) holding ``EncryptedPackage`` is a
  password-protected workbook;
  any other OLE2 file named .xlsx is an old Excel 97-2003 (or other Office) file;
- a web page or text file named .xls is what many systems "export to Excel";
- a zip must hold ``xl/workbook.xml``, and its members' declared sizes must be sane: a member that
  expands far beyond any real sheet (a "zip bomb") is refused before a byte of it is inflated.

The file is read once (``read_whole``) and its zip opened once over those bytes (``open_zip``): every
scan, the reader and the workspace's hash then see the same content.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from app.errors import InputError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_STREAMS = ("EncryptedPackage", "Workbook", "Book", "WordDocument", "PowerPoint Document")
XLSX_SUFFIXES = (".xlsx", ".xlsm")

#: Sheet XML compresses about 10:1; a member this large that compresses better than MAX_RATIO is refused.
BIG_MEMBER = 32 << 20
MAX_RATIO = 200
#: No real extract's parts add up to this much uncompressed.
MAX_TOTAL = 4 << 30

PASSWORD = ("the workbook is password-protected (encrypted), so it cannot be read; remove the password "
            "in Excel (File > Info > Protect Workbook > Encrypt with Password, clear it) and save again")


def head_of(path: Path, size: int, *, what: str = "file") -> bytes:
    """The first ``size`` bytes of a file; an InputError naming it when it cannot be read or is empty."""
    try:
        with path.open("rb") as fh:
            head = fh.read(size)
    except OSError as exc:
        raise InputError(f"cannot open the {what} ({exc.strerror or exc})", file=path.name) from None
    if not head:
        raise InputError(f"the {what} is empty (0 bytes)", file=path.name)
    return head


def read_whole(path: Path, *, limit: int | None = None) -> bytes:
    """The file's bytes, read once: the checks, the reader and the workspace's hash all use these.

    A file replaced while it is being opened then cannot give its checks one content, its reader
    another, and the workspace the hash of a third. ``limit``: refuse a bigger file unread.
    """
    try:
        if limit is not None and (size := path.stat().st_size) > limit:
            raise InputError(f"refused: the file is {size / 2**30:.1f} GB, more than any real extract",
                             file=path.name)
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot open the file ({exc.strerror or exc})", file=path.name) from None


def check_spreadsheet(path: Path, data: bytes | None = None) -> zipfile.ZipFile | None:
    """Raise an InputError saying what the file is when it is not a workbook this program can read.

    ``data``: the file's bytes when already read. Gives back the workbook's zip, opened over those
    bytes (None for a file that is not a zip, such as an old .xls), for every later scan and read.
    """
    name = path.name
    if data is None:
        data = read_whole(path, limit=MAX_TOTAL)
    head = data[:512]
    suffix = path.suffix.lower()
    if name.startswith("~$"):
        raise InputError(f"this is the lock file Excel keeps while a workbook is open, not the workbook; open "
                         f"{name[2:]!r} itself", file=name)
    if not head:
        raise InputError("the file is empty (0 bytes)", file=name)
    if head.startswith(OLE_MAGIC):
        streams = _ole_streams(data)
        if streams is None:
            if suffix in XLSX_SUFFIXES:
                raise InputError("not a valid .xlsx workbook: the file is damaged (an Office compound file that "
                                 "cannot be read); ask for it to be sent again", file=name)
            return None   # calamine says the old .xls cannot be read
        if "EncryptedPackage" in streams:
            raise InputError(PASSWORD, file=name)
        if suffix in XLSX_SUFFIXES:
            if streams & {"Workbook", "Book", "WordDocument", "PowerPoint Document"}:
                raise InputError("this is an old-format Excel 97-2003 (.xls) or other Office file with an .xlsx "
                                 "name; open it in Excel and save it as an Excel Workbook (.xlsx)", file=name)
            # An .xlsx that is a compound file of no other known kind: Office's encrypted form.
            raise InputError(PASSWORD, file=name)
        return None
    if head.startswith(b"PK"):
        return open_zip(data, name)
    if suffix in XLSX_SUFFIXES:
        if _looks_like_text(head):
            raise InputError("not a valid .xlsx workbook: it is really a text file (such as CSV) with an .xlsx "
                             "name; rename it to .csv and open that", file=name)
        raise InputError("not a valid .xlsx workbook (the file is damaged or another format)", file=name)
    if suffix == ".xls" and _looks_like_text(head):
        raise InputError("this .xls file is really a web page or text export, not an Excel workbook; open it "
                         "in Excel and save it as an Excel Workbook (.xlsx), or export CSV instead", file=name)
    return None


def _looks_like_text(head: bytes) -> bool:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return stripped.startswith((b"<", b"\xff\xfe", b"\xfe\xff")) or (bool(stripped) and b"\0" not in stripped)


def ole_stream_names(source: Path | bytes) -> set[str]:
    """The names of the streams at the top of an OLE2 compound file (empty when it cannot be parsed).

    ``EncryptedPackage`` is a password-protected workbook, ``Workbook`` or ``Book`` an old .xls.
    """
    return _ole_streams(source) or set()


def _ole_streams(source: Path | bytes) -> set[str] | None:
    """``ole_stream_names``, or None when olefile cannot parse the compound file (it is damaged)."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(source) if isinstance(source, bytes) else str(source)) as ole:
            return {entry[0] for entry in ole.listdir(streams=True, storages=False) if len(entry) == 1}
    except Exception:  # noqa: BLE001 - any failure to parse it means the same: damaged
        return None


def open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """The workbook's zip over its bytes when it is an Excel workbook of sane size, or an InputError
    (before anything is inflated)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"not a valid .xlsx workbook: the file is damaged or cut short ({exc}); ask for it "
                         "to be sent again", file=name) from None
    members = {i.filename for i in infos}
    if "EncryptedPackage" in members:
        raise InputError(PASSWORD, file=name)
    if "xl/workbook.xml" not in members:
        kind = "an OpenDocument spreadsheet" if "content.xml" in members else "a zip archive"
        raise InputError(f"this is {kind}, not an Excel workbook (it has no xl/workbook.xml); "
                         "save it from Excel as an Excel Workbook (.xlsx)", file=name)
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL:
        raise InputError(f"refused: the workbook would expand to {total / 2**30:.1f} GB, more than any real "
                         "extract", file=name)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > BIG_MEMBER and ratio > MAX_RATIO:
            raise InputError(f"refused: part {info.filename} would expand from {info.compress_size / 2**20:.1f} MB "
                             f"to {info.file_size / 2**20:.0f} MB ({ratio:.0f}:1), which no real sheet does "
                             "(a damaged or malicious 'zip bomb'); ask for the extract to be sent again",
                             file=name)
    return zf
