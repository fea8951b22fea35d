"""Say what a template file really is before python-docx, docxtpl or openpyxl parse it.

A template from an e-mail may be damaged, misnamed or crafted. Each case gets one line naming the
file, never a parser's traceback: not a zip (or an old binary Office file), the other kind of Office
file under the wrong suffix (an .xlsx renamed .docx), a zip bomb (refused from the declared sizes,
as for extracts), and any XML part that declares a DTD or entities (billion laughs and external
entities; Word and Excel never write them) or is not well-formed. Every XML part is parsed once with
defusedxml, which refuses DTDs and entities before expanding anything.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from app.errors import InputError
from app.extracts import sniff

#: The part each kind of template must have, and what it is called.
KINDS = {".docx": ("word/document.xml", "a Word document (.docx)"),
         ".xlsx": ("xl/workbook.xml", "an Excel workbook (.xlsx)"),
         ".xlsm": ("xl/workbook.xml", "an Excel workbook (.xlsm)")}
_OTHERS = {"word/document.xml": "a Word document (.docx)", "xl/workbook.xml": "an Excel workbook (.xlsx)",
           "ppt/presentation.xml": "a PowerPoint presentation (.pptx)", "content.xml": "an OpenDocument file"}
#: No real template comes near this (the default ones are under 100 KB).
MAX_TEMPLATE_BYTES = 256 << 20


def check_template_package(path: Path | str) -> None:
    """Raise an InputError with one line when ``path`` is not a sound template of the kind its suffix says."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    path = Path(path)
    name, suffix = path.name, path.suffix.lower()
    if suffix not in KINDS:
        raise InputError("a template must be an .xlsx workbook or a .docx document", file=name)
    required, kind = KINDS[suffix]
    head = sniff.head_of(path, 8, what="template")
    if head.startswith(sniff.OLE_MAGIC):
        if "EncryptedPackage" in sniff.ole_stream_names(path):
            raise InputError("the template is password-protected; remove the password and save it again",
                             file=name)
        raise InputError(f"this is an old-format (97-2003) Office file, not {kind}; open it and save it as "
                         f"{kind}", file=name)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            members = {i.filename for i in infos}
            if required not in members:
                other = next((label for part, label in _OTHERS.items() if part in members), "a zip archive")
                raise InputError(f"this is {other} with a {suffix} name, not {kind}; give the template its "
                                 "right name or choose the right file", file=name)
            _check_sizes(infos, name)
            for info in infos:
                if not info.filename.endswith((".xml", ".rels")):
                    continue
                try:
                    fromstring(zf.read(info), forbid_dtd=True)
                except DefusedXmlException:
                    raise InputError(f"refused: part {info.filename} declares a DTD or entities, which Word and "
                                     "Excel never write and which are used to attack programs; save the template "
                                     "again from Word or Excel", file=name) from None
                except ParseError as exc:
                    raise InputError(f"the template is damaged: part {info.filename} is not well-formed XML "
                                     f"({exc})", file=name) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise InputError(f"not {kind}: the file is damaged or another format ({exc})", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot read the template ({exc.strerror or exc})", file=name) from None


def _check_sizes(infos: list[zipfile.ZipInfo], name: str) -> None:
    total = sum(i.file_size for i in infos)
    if total > MAX_TEMPLATE_BYTES:
        raise InputError(f"refused: the template would expand to {total / 2**20:,.0f} MB, far more than any "
                         "real template", file=name)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > sniff.BIG_MEMBER and ratio > sniff.MAX_RATIO:
            raise InputError(f"refused: part {info.filename} would expand {ratio:.0f}:1 to "
                             f"{info.file_size / 2**20:.0f} MB (a damaged or malicious 'zip bomb')", file=name)
