"""Check a template file of either kind: what the file is first (``package``), then its tags
(``excel_fill.check_xlsx`` or ``word_fill.check_docx``, which use ``tagcheck``)."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.errors import InputError
from app.returns.package import check_template_package
from app.returns.tagcheck import Problem


def check_template(path: Any, context: Mapping[str, Any]) -> list[Problem]:
    """Every problem of an .xlsx or .docx template, by suffix."""
    suffix = Path(path).suffix.lower()
    check_template_package(path)  # damaged, misnamed or hostile files: one line, before any parser
    try:
        if suffix in (".xlsx", ".xlsm"):
            from app.returns.excel_fill import check_xlsx

            return check_xlsx(path, context)
        if suffix == ".docx":
            from docx.opc.exceptions import PackageNotFoundError

            from app.returns.word_fill import check_docx

            try:
                return check_docx(path, context)
            except PackageNotFoundError:
                raise zipfile.BadZipFile("not a Word document") from None
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise InputError(f"the template cannot be read as {suffix} ({exc})", file=str(path)) from None
    raise InputError("a template must be an .xlsx workbook or a .docx document", file=str(path))
