"""Check a template's tags against the context before any filling (spec/returns.md "Tags").

Three kinds of problem are found and named with where they are (sheet and cell, or paragraph):
- ``unknown``: a tag uses a name or an attribute the context does not have
  (``{{ measures.planed_exits.percent }}``), found by walking the jinja2 syntax tree and
  resolving every attribute chain against the real context, loop variables included;
- ``curly-quotes``: Word turned ``"`` or ``'`` inside a tag into typographic quotes;
- ``syntax``: a tag jinja2 cannot parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, nodes

CURLY = "\u2018\u2019\u201c\u201d"
TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_ANY = object()  # a value whose shape is unknown: every attribute is accepted


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a template, where it is, and the tag."""

    kind: str  # unknown | curly-quotes | syntax
    where: str  # "Summary!B7" or "paragraph 12"
    tag: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}: {self.tag}"


class RowList(list):
    """A list of rows for a loop, which knows the keys of its rows even when it is empty.

    The tag check binds a loop variable to the first row, or to ``example`` when there is none,
    so a misspelt ``{{ e.reason }}`` is still found in a quarter without exceptions.
    """

    def __init__(self, rows: Any = (), *, example: Mapping[str, Any] | None = None) -> None:
        super().__init__(rows)
        self.example = dict(example) if example is not None else None

    def sample(self) -> Any:
        if self:
            return self[0]
        return self.example if self.example is not None else _ANY


def make_env(*, autoescape: bool = False) -> Environment:
    """The jinja2 environment both fillers use (strict: an unknown name is an error, not a blank)."""
    return Environment(autoescape=autoescape, undefined=StrictUndefined, keep_trailing_newline=True,
                       finalize=_finalize)


def _finalize(value: Any) -> Any:
    """What ``{{ x }}`` prints for nothing: "-" (no figure), as the returns write it, never "None"."""
    return "-" if value is None else value


def curly_tags(text: str) -> list[str]:
    """Tags in ``text`` that contain Word's curly quotes."""
    return [t for t in TAG_RE.findall(text) if any(c in t for c in CURLY)]


def _get(value: Any, name: str | int) -> Any:
    """Resolve one attribute or item the way jinja2 would; KeyError when it is not there."""
    if value is _ANY:
        return _ANY
    if isinstance(value, Mapping):
        if name in value:
            return value[name]
        if isinstance(name, str) and hasattr(value, name):
            return _ANY  # a method such as items()
        raise KeyError(name)
    if isinstance(value, (list, tuple)):
        if isinstance(name, int):
            return value[name] if -len(value) <= name < len(value) else _sample(value)
        if hasattr(value, name):
            return _ANY
        raise KeyError(name)
    if isinstance(name, str) and hasattr(value, name):
        return getattr(value, name)
    if value is None or isinstance(value, (str, int, float)):
        if isinstance(name, str) and hasattr(value, name):
            return _ANY
        raise KeyError(name)
    return _ANY  # an object we cannot see into (e.g. an image)


def _sample(value: Any) -> Any:
    if isinstance(value, RowList):
        return value.sample()
    if isinstance(value, (list, tuple)):
        return value[0] if value else _ANY
    if isinstance(value, Mapping):
        return next(iter(value), _ANY)  # iterating a dict gives its keys
    return _ANY


class _Resolver:
    """Walks a jinja2 syntax tree and collects every attribute chain the context cannot resolve."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        self.context = context
        self.unknown: list[str] = []

    def value(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        """The context value an expression points at (``_ANY`` when unknowable); records unknowns."""
        chain: list[str | int] = []
        cur = node
        while isinstance(cur, (nodes.Getattr, nodes.Getitem)):
            if isinstance(cur, nodes.Getattr):
                chain.append(cur.attr)
            elif isinstance(cur.arg, nodes.Const) and isinstance(cur.arg.value, (str, int)):
                chain.append(cur.arg.value)
            else:
                self.walk(cur.arg, scope)
                chain.append("*")
            cur = cur.node
        chain.reverse()
        if isinstance(cur, nodes.Name):
            if cur.name in scope:
                value = scope[cur.name]
            elif cur.name in self.context:
                value = self.context[cur.name]
            else:
                self.unknown.append(".".join(str(c) for c in [cur.name, *chain]))
                return _ANY
            path = [cur.name]
        else:
            self.walk(cur, scope)
            if not chain:
                return _ANY
            value, path = _ANY, ["(expression)"]
        for name in chain:
            if name == "*":
                value = _sample(value) if isinstance(value, (list, tuple)) else _ANY
                path.append("[...]")
                continue
            try:
                value = _get(value, name)
            except KeyError:
                self.unknown.append(".".join(str(p) for p in [*path, name]))
                return _ANY
            path.append(str(name))
        return value

    def walk(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            if not (isinstance(node, nodes.Name) and node.ctx != "load"):
                self.value(node, scope)
            return
        if isinstance(node, nodes.For):
            sample = _sample(self.value(node.iter, scope))
            inner = dict(scope)
            inner["loop"] = _ANY
            self._bind(node.target, sample, inner)
            if node.test is not None:
                self.walk(node.test, inner)
            for child in node.body:
                self.walk(child, inner)
            for child in node.else_:
                self.walk(child, scope)
            return
        if isinstance(node, (nodes.Assign, nodes.AssignBlock)):
            if isinstance(node, nodes.Assign):
                self.walk(node.node, scope)
            else:
                for child in node.body:
                    self.walk(child, scope)
            self._bind(node.target, _ANY, scope)
            return
        if isinstance(node, nodes.Macro):
            inner = dict(scope)
            for arg in node.args:
                inner[arg.name] = _ANY
            for child in node.body:
                self.walk(child, inner)
            scope[node.name] = _ANY
            return
        for child in node.iter_child_nodes():
            self.walk(child, scope)

    def _bind(self, target: nodes.Node, value: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind(item, _ANY, scope)


def unknown_names(source: str, context: Mapping[str, Any], env: Environment | None = None) -> list[str]:
    """Dotted names ``source`` uses that ``context`` lacks, in order, without repeats.

    Raises ``jinja2.TemplateSyntaxError`` when ``source`` does not parse.
    """
    tree = (env or make_env()).parse(source)
    resolver = _Resolver(context)
    resolver.walk(tree, {})
    return list(dict.fromkeys(resolver.unknown))


def check_source(source: str, where: str, context: Mapping[str, Any],
                 env: Environment | None = None) -> Iterator[Problem]:
    """Problems of one piece of template text (a cell, a paragraph)."""
    for tag in curly_tags(source):
        yield Problem("curly-quotes", where, tag,
                      "Word's curly quotes inside a tag; retype them as straight quotes ' or \"")
    if curly_tags(source):
        return
    try:
        names = unknown_names(source, context, env)
    except TemplateSyntaxError as exc:
        yield Problem("syntax", where, source.strip()[:120], f"the tag cannot be read ({exc.message})")
        return
    for name in names:
        yield Problem("unknown", where, name, "the context has no such value")


def check_template(path: Any, context: Mapping[str, Any]) -> list[Problem]:
    """Every problem of an .xlsx or .docx template, by suffix."""
    import zipfile
    from pathlib import Path

    from app.errors import InputError

    suffix = Path(path).suffix.lower()
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
