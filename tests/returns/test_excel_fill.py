"""The Excel filler: native values, text never a formula, row loops that move what is below."""

from __future__ import annotations

import datetime as dt
import zipfile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from app.returns.excel_fill import check_xlsx, fill_xlsx, find_loops, unkeepable_parts
from app.returns.tagcheck import RowList

CONTEXT = {
    "period": {"label": "2025-26 Q1", "start": dt.date(2025, 4, 1)},
    "measures": {"planned_exits": {"percent": 41.5, "numerator": 83, "denominator": 200}},
    "none_value": None,
    "by": {"provider": RowList([
        {"code": "N9001", "name": "=HYPERLINK(\"x\")", "n": 3},
        {"code": "N9002", "name": "Beta & <Co>", "n": 5},
        {"code": "N9003", "name": "Gamma", "n": 7},
    ], example={"code": "", "name": "", "n": 0})},
    "empty": RowList([], example={"code": ""}),
}


def _template(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    ws["A1"] = "Return for {{ period.label }}"
    ws["B2"] = "{{ measures.planned_exits.percent }}"
    ws["B2"].number_format = '0.0"%"'
    ws["C2"] = "{{ period.start }}"
    ws["C2"].number_format = "dd/mm/yyyy"
    ws["D2"] = "{{ none_value }}"
    ws["A4"] = "Provider"
    ws["A5"] = "{% for p in by.provider %}{{ p.code }}"
    ws["B5"] = "{{ p.name }}"
    ws["C5"] = "{{ p.n }}"
    ws["D5"] = "=C5*2"
    ws["C5"].font = Font(bold=True)
    ws["A6"] = "Total"
    ws["C6"] = "=SUM(C5:C5)"
    ws.merge_cells("A8:C8")
    ws["A8"] = "Footnote below the loop"
    ws.row_dimensions[8].height = 30
    ws.print_area = "A1:D8"
    ws["A10"] = "{% for e in empty %}{{ e.code }}"
    ws["A11"] = "After the empty loop"
    other = wb.create_sheet("Other")
    other["A1"] = "kept"
    other.column_dimensions["A"].width = 33
    wb.save(path)


def test_fill_values_loops_and_layout(tmp_path):
    template = tmp_path / "t.xlsx"
    _template(template)
    before = template.read_bytes()
    out = tmp_path / "out.xlsx"
    warnings = fill_xlsx(template, out, CONTEXT, draft=True)
    assert warnings == []
    assert template.read_bytes() == before
    wb = load_workbook(out)
    ws = wb["Summary"]
    assert ws["A1"].value == "Return for 2025-26 Q1"
    assert ws["B2"].value == 41.5 and ws["B2"].number_format == '0.0"%"'
    assert ws["C2"].value.date() == dt.date(2025, 4, 1) and ws["C2"].number_format == "dd/mm/yyyy"
    assert ws["D2"].value == "-"
    assert [ws.cell(r, 1).value for r in (5, 6, 7)] == ["N9001", "N9002", "N9003"]
    assert ws["B5"].value == '=HYPERLINK("x")' and ws["B5"].data_type == "s"
    assert ws["B6"].value == "Beta & <Co>"
    assert [ws.cell(r, 3).value for r in (5, 6, 7)] == [3, 5, 7]
    assert all(ws.cell(r, 3).font.b for r in (5, 6, 7))
    assert [ws.cell(r, 4).value for r in (5, 6, 7)] == ["=C5*2", "=C6*2", "=C7*2"]
    assert ws["A8"].value == "Total" and ws["C8"].value == "=SUM(C5:C7)"
    assert "A10:C10" in {m.coord for m in ws.merged_cells.ranges}
    assert ws["A10"].value == "Footnote below the loop" and ws.row_dimensions[10].height == 30
    assert ws.print_area == "'Summary'!$A$1:$D$10"
    # the empty loop's row is removed and the row below moves up
    assert ws["A12"].value == "After the empty loop"
    assert ws.oddHeader.center.text == "DRAFT"
    assert wb["Other"]["A1"].value == "kept" and wb["Other"].column_dimensions["A"].width == 33
    assert wb.calculation.fullCalcOnLoad
    with zipfile.ZipFile(out) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>HYPERLINK" not in sheet


def test_loop_convention_multi_row_block(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "{% for p in by.provider %}{{ p.code }}"
    ws["A2"] = "{{ p.n }}{% endfor %}"
    ws["A3"] = "end"
    assert [(lp.start, lp.end, lp.target) for lp in find_loops(ws)] == [(1, 2, "p")]
    path = tmp_path / "t.xlsx"
    wb.save(path)
    out = tmp_path / "o.xlsx"
    fill_xlsx(path, out, CONTEXT, draft=False)
    got = [c.value for c in load_workbook(out).active["A"]]
    assert got == ["N9001", 3, "N9002", 5, "N9003", 7, "end"]


def test_check_names_unknown_tags_with_cells(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"] = "{{ measures.planed_exits.percent }}"
    ws["B1"] = "{{ measures.planned_exits.percent }}"
    ws["A3"] = "{% for p in by.provider %}{{ p.code }}"
    ws["B3"] = "{{ p.nmae }}"
    ws["A5"] = "{% for e in empty %}{{ e.reason }}"
    ws["A6"] = "{{ nope }}"
    ws["A7"] = "{{ period.label | upper }} {{ \u201cx\u201d }}"
    path = tmp_path / "t.xlsx"
    wb.save(path)
    problems = check_xlsx(path, CONTEXT)
    got = {(p.kind, p.where, p.tag) for p in problems}
    assert ("unknown", "S!A1", "measures.planed_exits") in got
    assert ("unknown", "S!B3", "p.nmae") in got
    assert ("unknown", "S!A5", "e.reason") in got
    assert ("unknown", "S!A6", "nope") in got
    assert any(p.kind == "curly-quotes" and p.where == "S!A7" for p in problems)
    assert not any(p.where in ("S!B1", "S!A3") for p in problems)


def test_unkeepable_parts_found(tmp_path):
    from openpyxl.chart import BarChart, Reference

    wb = Workbook()
    ws = wb.active
    for i in range(1, 4):
        ws.append([i])
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=3))
    ws.add_chart(chart, "C1")
    path = tmp_path / "c.xlsx"
    wb.save(path)
    assert any("charts" in w for w in unkeepable_parts(path))


def test_x14_extensions_found(tmp_path):
    wb = Workbook()
    path = tmp_path / "x.xlsx"
    wb.save(path)
    patched = tmp_path / "x14.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", b'<extLst><ext uri="{CCE6A557}" '
                                    b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
                                    b"<x14:dataValidations count=\"0\"/></ext></extLst></worksheet>")
            dst.writestr(item, data)
    found = unkeepable_parts(patched)
    assert len(found) == 1 and "drop-down" in found[0]
    assert unkeepable_parts(path) == []


def test_conditional_formats_and_validations_follow_the_loop(tmp_path):
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws["A1"] = "Header"
    ws["A2"] = "{% for p in by.provider %}{{ p.code }}"
    ws["B2"] = "{{ p.n }}"
    ws["A4"] = "below"
    red = PatternFill("solid", fgColor="FFC7CE")
    ws.conditional_formatting.add("B2", CellIsRule(operator="lessThan", formula=["5"], fill=red))
    ws.conditional_formatting.add("A4", CellIsRule(operator="equal", formula=['"below"'], fill=red))
    dv = DataValidation(type="list", formula1='"Yes,No"')
    dv.add("C2")
    ws.add_data_validation(dv)
    path = tmp_path / "cf.xlsx"
    wb.save(path)
    out = tmp_path / "out.xlsx"
    fill_xlsx(path, out, CONTEXT, draft=False)
    filled = load_workbook(out).active
    refs = sorted(str(cf.sqref) for cf in filled.conditional_formatting)
    assert refs == ["A6", "B2:B4"]
    assert [str(v.sqref) for v in filled.data_validations.dataValidation] == ["C2:C4"]
    assert filled["A6"].value == "below"


def test_a_tag_failing_on_the_data_names_its_cell(tmp_path):
    import pytest

    from app.errors import InputError

    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    ws["C3"] = "{{ measures.planned_exits.percent / 0 }}"
    path = tmp_path / "t.xlsx"
    wb.save(path)
    with pytest.raises(InputError, match="S!C3"):
        fill_xlsx(path, tmp_path / "o.xlsx", CONTEXT, draft=False)


def test_wrapped_loop_rows_get_their_height(tmp_path):
    from openpyxl.styles import Alignment

    wb = Workbook()
    ws = wb.active
    ws.column_dimensions["B"].width = 20
    ws["A1"] = "{% for p in rows %}{{ p.id }}"
    ws["B1"] = "{{ p.text }}"
    ws["B1"].alignment = Alignment(wrap_text=True)
    path = tmp_path / "w.xlsx"
    wb.save(path)
    out = tmp_path / "o.xlsx"
    fill_xlsx(path, out, {"rows": [{"id": 1, "text": "short"}, {"id": 2, "text": "a long definition " * 8}]},
              draft=False)
    filled = load_workbook(out).active
    assert filled.row_dimensions[1].height is None
    assert filled.row_dimensions[2].height >= 4 * 13
