"""The tag resolver: attribute chains against the context, loop variables, empty loops, formulas."""

from __future__ import annotations

from app.returns.tagcheck import RowList, unknown_names
from app.returns.xlsx_rows import shift_formula

CTX = {"measures": {"top_start": {"percent": 94.1, "title": "TOPs - starts"}},
       "rows": RowList([], example={"rule": "", "reason": ""}), "items": [{"a": 1}], "n": 3}


def test_known_and_unknown_chains():
    assert unknown_names("{{ measures.top_start.percent }} {{ measures['top_start'].title }}", CTX) == []
    assert unknown_names("{{ measures.top_stat.percent }}", CTX) == ["measures.top_stat"]
    assert unknown_names("{{ measures.top_start.percnt | round }}", CTX) == ["measures.top_start.percnt"]
    assert unknown_names("{% if n > 2 %}{{ nope }}{% endif %}", CTX) == ["nope"]


def test_loops_set_and_methods():
    assert unknown_names("{% for r in rows %}{{ r.rule }} {{ r.reson }}{% endfor %}", CTX) == ["r.reson"]
    assert unknown_names("{% for i in items %}{{ i.a }}{{ loop.index }}{% endfor %}", CTX) == []
    assert unknown_names("{% for k, v in measures.items() %}{{ v.percent }}{% endfor %}", CTX) == []
    assert unknown_names("{% set x = n * 2 %}{{ x }}", CTX) == []
    assert unknown_names("{% set m = measures.top_start %}{{ m.percent }} {{ m.percnt }}", CTX) == ["m.percnt"]
    assert unknown_names("{{ measures.top_start.title.upper() }}", CTX) == []


def test_only_the_documented_context_and_never_underscores():
    # a value of unknown shape takes only names the context has somewhere
    assert unknown_names("{% for k, v in measures.items() %}{{ v.anything }}{% endfor %}", CTX) == ["v.anything"]
    # methods that can build a string of any size, and jinja2's globals, are not in the context
    assert unknown_names("{{ measures.top_start.title.ljust(99) }}", CTX) == ["measures.top_start.title.ljust"]
    assert unknown_names("{{ range(9) }}{{ namespace() }}{{ lipsum() }}{{ self }}", CTX) == [
        "range", "namespace", "lipsum", "self"]
    assert unknown_names("{{ 'x'.format(1) }}", CTX) == ["(expression).format"]
    assert unknown_names("{{ n | tojson }}{{ n is nosuch }}", CTX) == ["| tojson", "is nosuch"]
    # underscored names never, whatever they are attached to
    assert unknown_names("{{ ''.__class__.__mro__ }}", CTX) == ["__class__"]
    assert unknown_names("{{ measures['__len__'] }}{% set _x = 1 %}", CTX) == ["__len__", "_x"]
    assert unknown_names("{% include 'other.xml' %}", CTX) == ["include"]


def test_formulas_move_like_excel():
    kw = {"block_start": 5, "block_end": 5, "delta": 2}
    assert shift_formula("=SUM(C5:C5)", "S", **kw) == "=SUM(C5:C7)"
    assert shift_formula("=C9+$D$10", "S", **kw) == "=C11+$D$12"
    assert shift_formula("=C4+C5", "S", **kw) == "=C4+C5"
    assert shift_formula("=Other!C9+'S'!C9", "S", **kw) == "=Other!C9+'S'!C11"
    assert shift_formula("=SUM(C5:C5)", "S", grow=False, **kw) == "=SUM(C5:C5)"
