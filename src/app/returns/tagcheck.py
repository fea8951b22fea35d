"""Check a template's tags against the context before any filling (spec/returns.md "Tags").

Four kinds of problem are found and named with where they are (sheet and cell, or paragraph):
- ``unknown``: a tag uses a name or an attribute the context does not have
  (``{{ measures.planed_exits.percent }}``), found by walking the jinja2 syntax tree and
  resolving every attribute chain against the real context, loop variables included. Only the
  documented context is there: no jinja2 globals (``range``, ``namespace``...), no methods but the
  harmless few of ``sandbox.SAFE_METHODS``, no filter the sandbox does not offer;
- ``unsafe``: an underscored name or attribute (``''.__class__``), or ``include``/``import``:
  never allowed, whatever the context holds;
- ``curly-quotes``: Word turned ``"`` or ``'`` inside a tag into typographic quotes;
- ``syntax``: a tag jinja2 cannot parse.
Templates are filled in the sandbox of ``app.returns.sandbox`` whatever this check says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, TemplateSyntaxError, nodes

from app.returns.sandbox import LOOP_ATTRIBUTES, SAFE_METHODS, make_env

CURLY = "\u2018\u2019\u201c\u201d"
TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_ANY = object()  # a value whose shape is unknown: every attribute is accepted


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a template, where it is, and the tag."""

    kind: str  # unknown | unsafe | curly-quotes | syntax
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


def curly_tags(text: str) -> list[str]:
    """Tags in ``text`` that contain Word's curly quotes."""
    return [t for t in TAG_RE.findall(text) if any(c in t for c in CURLY)]


def _get(value: Any, name: str | int, documented: frozenset[str]) -> Any:
    """Resolve one attribute or item the way jinja2 would; KeyError when the template may not use it.

    A value of unknown shape (a ``set`` variable, a macro argument, a call's result) takes only
    names the documented context has somewhere, the loop's attributes and the safe methods.
    """
    if value is _ANY:
        if name in documented or name in SAFE_METHODS or name in LOOP_ATTRIBUTES or isinstance(name, int):
            return _ANY
        raise KeyError(name)
    if isinstance(value, Mapping):
        if name in value:
            return value[name]
        if name in SAFE_METHODS:
            return _ANY  # a method such as items()
        raise KeyError(name)
    if isinstance(value, (list, tuple)):
        if isinstance(name, int):
            return value[name] if -len(value) <= name < len(value) else _sample(value)
        raise KeyError(name)
    if value is None or isinstance(value, (str, int, float)):
        if name in SAFE_METHODS:
            return _ANY
        raise KeyError(name)
    if isinstance(name, str) and hasattr(value, name):
        attr = getattr(value, name)
        if name in SAFE_METHODS or not callable(attr):
            return attr if not callable(attr) else _ANY
    raise KeyError(name)


def documented_names(context: Mapping[str, Any]) -> frozenset[str]:
    """Every key anywhere in the context (rows of loops included, from their first row or example)."""
    found: set[str] = set()
    todo: list[Any] = [context]
    seen = 0
    while todo and seen < 100_000:
        value = todo.pop()
        seen += 1
        if isinstance(value, Mapping):
            found.update(k for k in value if isinstance(k, str))
            todo.extend(value.values())
        elif isinstance(value, (list, tuple)):
            sample = _sample(value)
            if sample is not _ANY:
                todo.append(sample)
    return frozenset(found)


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

    def __init__(self, context: Mapping[str, Any], env: Environment | None = None) -> None:
        self.context = context
        self.env = env or make_env()
        self.documented = documented_names(context)
        self.unknown: list[str] = []
        #: (tag, message) of what is never allowed, whatever the context holds
        self.unsafe: list[tuple[str, str]] = []

    def _refuse(self, tag: str, message: str) -> None:
        self.unsafe.append((tag, message))

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
        bad = [c for c in chain if isinstance(c, str) and c.startswith("_")]
        if bad or (isinstance(cur, nodes.Name) and cur.name.startswith("_")):
            self._refuse((bad or [getattr(cur, "name", "")])[0], "names starting with _ are never allowed in a "
                         "template (a template must not reach into the program)")
            return _ANY
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
                value = _get(value, name, self.documented)
            except KeyError:
                self.unknown.append(".".join(str(p) for p in [*path, name]))
                return _ANY
            path.append(str(name))
        return value

    def walk(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            self._refuse(type(node).__name__.lower(), "a template cannot include or import other files")
            return
        if isinstance(node, nodes.Filter) and node.name not in self.env.filters:
            self.unknown.append(f"| {node.name}")
        if isinstance(node, nodes.Test) and node.name not in self.env.tests:
            self.unknown.append(f"is {node.name}")
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
            value = _ANY
            if isinstance(node, nodes.Assign):
                if isinstance(node.node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
                    value = self.value(node.node, scope)   # {% set m = measures.top_start %}: m.percent is known
                else:
                    self.walk(node.node, scope)
            else:
                for child in node.body:
                    self.walk(child, scope)
            if isinstance(node.target, nodes.NSRef):
                self._refuse(f"{node.target.name}.{node.target.attr}", "a template cannot change values")
                return
            self._bind(node.target, value, scope)
            return
        if isinstance(node, nodes.Macro):
            scope[node.name] = _ANY  # a macro may call itself
            inner = dict(scope)
            for arg in node.args:
                if arg.name.startswith("_"):
                    self._refuse(arg.name, "names starting with _ are never allowed in a template")
                inner[arg.name] = _ANY
            for child in node.body:
                self.walk(child, inner)
            scope[node.name] = _ANY
            return
        for child in node.iter_child_nodes():
            self.walk(child, scope)

    def _bind(self, target: nodes.Node, value: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name) and target.name.startswith("_"):
            self._refuse(target.name, "names starting with _ are never allowed in a template")
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind(item, _ANY, scope)


def unknown_names(source: str, context: Mapping[str, Any], env: Environment | None = None) -> list[str]:
    """Dotted names ``source`` uses that ``context`` lacks, in order, without repeats.

    Raises ``jinja2.TemplateSyntaxError`` when ``source`` does not parse.
    """
    env = env or make_env()
    resolver = _Resolver(context, env)
    resolver.walk(env.parse(source), {})
    return list(dict.fromkeys([*(tag for tag, _ in resolver.unsafe), *resolver.unknown]))


def resolve(source_or_tree: str | nodes.Template, context: Mapping[str, Any],
            env: Environment | None = None) -> list[tuple[str, str, str]]:
    """(kind, tag, message) of every name, attribute, filter or statement ``source`` may not use."""
    env = env or make_env()
    tree = env.parse(source_or_tree) if isinstance(source_or_tree, str) else source_or_tree
    resolver = _Resolver(context, env)
    resolver.walk(tree, {})
    out = [("unsafe", tag, message) for tag, message in dict.fromkeys(resolver.unsafe)]
    out += [("unknown", name, "the context has no such value" if not name.startswith(("|", "is "))
             else "no such filter or test in a template") for name in dict.fromkeys(resolver.unknown)]
    return out


def check_source(source: str, where: str, context: Mapping[str, Any],
                 env: Environment | None = None) -> Iterator[Problem]:
    """Problems of one piece of template text (a cell, a paragraph)."""
    for tag in curly_tags(source):
        yield Problem("curly-quotes", where, tag,
                      "Word's curly quotes inside a tag; retype them as straight quotes ' or \"")
    if curly_tags(source):
        return
    try:
        found = resolve(source, context, env)
    except TemplateSyntaxError as exc:
        yield Problem("syntax", where, source.strip()[:120], f"the tag cannot be read ({exc.message})")
        return
    for kind, tag, message in found:
        yield Problem(kind, where, tag, message)
