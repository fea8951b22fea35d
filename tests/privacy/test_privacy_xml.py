"""XML from providers' files is parsed safely: openpyxl through defusedxml, our own reads too."""

from __future__ import annotations

import openpyxl.xml


def test_openpyxl_parses_xml_through_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML is True
