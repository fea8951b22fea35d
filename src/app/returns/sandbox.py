"""The jinja2 environment templates are filled in: a sandbox with a bounded amount of work.

Templates are edited and shared between partnerships, so a template is code from outside. It runs
in jinja2's ``ImmutableSandboxedEnvironment`` (no underscored attribute, no call that changes a
list or dict), with these additions:

- **No globals** (``range``, ``namespace``, ``lipsum``...): the tag check refuses any name that is
  not in the documented context, and the filler offers nothing more.
- **Methods**: only the few harmless ones in ``SAFE_METHODS`` (``items()``, ``upper()``...); not
  ``format``, ``ljust``, ``replace`` and the like, which can build strings of any size.
- **Bounded work**: every ``for`` loop step counts against ``Limits.loop_steps`` for the whole
  template, the fill stops after ``Limits.seconds``, and no value or output may be longer than
  ``Limits.output_chars`` (``'A' * 2**33``, ``9 ** 999999999``, ``'%999999999d' % 1`` and the width
  filters are refused before they are worked out).

Going over a limit raises ``TemplateLimit`` (a ``SecurityError``) naming the limit; the fillers turn
it into an ``InputError`` naming the cell, or the loop and paragraph.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.filters import do_center, do_format, do_indent, do_replace
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

#: Methods a template may call: none of them can make a value much bigger than its input.
SAFE_METHODS = frozenset({
    "items", "keys", "values", "get",                                     # dict
    "upper", "lower", "title", "capitalize", "strip", "lstrip", "rstrip",
    "startswith", "endswith", "isdigit", "split",                        # str
    "year", "month", "day", "isoformat",                                  # dates
})
#: What ``loop`` offers inside a ``for`` loop.
LOOP_ATTRIBUTES = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length",
                             "depth", "depth0", "previtem", "nextitem", "cycle", "changed"})

_BIG_WIDTH = re.compile(r"%[-#0 +]*(\*|\d{6,})|%[-#0 +]*\d*\.(\*|\d{6,})")
_LOOP_FILTER = "loop_steps"
MAX_NUMBER_BITS = 4096
#: Filters that can make huge output from small input in ways not worth bounding one by one.
_DROPPED_FILTERS = ("slice", "tojson", "wordcount", "random", "xmlattr", "urlize")


@dataclass(frozen=True)
class Limits:
    """The most work one template may do (a generous multiple of what a real return needs)."""

    loop_steps: int = 1_000_000      # all the template's loop steps together
    seconds: float = 60.0            # the whole template
    output_chars: int = 50_000_000   # any one value, and the whole output


class TemplateLimit(SecurityError):
    """A template asked for more work than a return needs."""


class _Budget:
    """The work a template has done so far."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.steps = 0
        self.deadline = time.monotonic() + limits.seconds

    def step(self, what: str) -> None:
        """One more loop step (``what``: "the loop 'for p in by.provider'") or call."""
        self.steps += 1
        if self.steps > self.limits.loop_steps:
            raise TemplateLimit(f"{what} went over {self.limits.loop_steps:,} steps in all, far more than a "
                                "return needs (loops inside loops?)")
        if not self.steps & 0x3FF:
            self.check_time(what)

    def check_time(self, what: str = "") -> None:
        if time.monotonic() > self.deadline:
            where = f" (in {what})" if what else ""
            raise TemplateLimit(f"filling the template took over {self.limits.seconds:g} seconds{where}, far "
                                "longer than a return needs")

    def size(self, n: int, what: str = "a value") -> None:
        if n > self.limits.output_chars:
            raise TemplateLimit(f"{what} would be {n:,} characters long, more than "
                                f"{self.limits.output_chars:,}, far more than a return needs")


def _number(bits: int) -> None:
    if bits > MAX_NUMBER_BITS:
        raise TemplateLimit(f"a number of about {bits * 0.30103:,.0f} digits, far more than a return needs")


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else None


def _loop_label(node: nodes.For) -> str:
    """``for p in by.provider`` as written (simple names and attribute chains only)."""

    def text(n: nodes.Node) -> str:
        if isinstance(n, nodes.Name):
            return n.name
        if isinstance(n, nodes.Getattr):
            return f"{text(n.node)}.{n.attr}"
        if isinstance(n, nodes.Tuple):
            return ", ".join(text(i) for i in n.items)
        return "(...)"

    return f"the loop 'for {text(node.target)} in {text(node.iter)}'"


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """The environment every template is checked and filled with (one per template fill)."""

    intercepted_binops = frozenset({"*", "**", "%", "+", "//"})

    def __init__(self, *, autoescape: bool = False, limits: Limits | None = None) -> None:
        super().__init__(autoescape=autoescape, undefined=StrictUndefined, keep_trailing_newline=True,
                         finalize=self._finalize)
        self.globals.clear()
        self.budget = _Budget(limits or Limits())
        for name in _DROPPED_FILTERS:
            self.filters.pop(name, None)
        self.filters[_LOOP_FILTER] = self._loop_steps
        self.filters["center"] = self._sized(do_center, "width")
        self.filters["indent"] = self._sized(do_indent, "width")
        self.filters["format"] = self._format
        self.filters["replace"] = self._replace
        self.concat = self._concat  # type: ignore[assignment]

    # -- bounded loops: every For's iterable passes through ``_loop_steps`` ----------------------
    def compile(self, source: Any, name: str | None = None, filename: str | None = None,
                raw: bool = False, defer_init: bool = False) -> Any:
        tree = self.parse(source, name, filename) if isinstance(source, str) else source
        for loop in tree.find_all(nodes.For):
            if not (isinstance(loop.iter, nodes.Filter) and loop.iter.name == _LOOP_FILTER):
                loop.iter = nodes.Filter(loop.iter, _LOOP_FILTER, [nodes.Const(_loop_label(loop))], [],
                                         None, None, lineno=loop.lineno)
        return super().compile(tree, name, filename, raw, defer_init)

    def _loop_steps(self, iterable: Iterable[Any], label: str) -> Iterator[Any]:
        self.budget.check_time(label)
        for item in iterable:
            self.budget.step(label)
            yield item

    # -- sizes ---------------------------------------------------------------------------------
    def _finalize(self, value: Any) -> Any:
        """What ``{{ x }}`` prints: "-" for nothing (no figure), as the returns write it, never "None"."""
        if value is None:
            return "-"
        n = _length(value)
        if n is not None:
            self.budget.size(n)
        return value

    def _concat(self, parts: Iterable[str]) -> str:
        out, total = [], 0
        for part in parts:
            total += len(part)
            self.budget.size(total, "the filled text")
            out.append(part)
        self.budget.check_time()
        return "".join(out)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.budget.check_time()
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if _length(seq) is not None and isinstance(n, int):
                    self.budget.size(len(seq) * max(n, 0))
            if isinstance(left, int) and isinstance(right, int):
                _number(left.bit_length() + right.bit_length())
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
            _number(max(left.bit_length(), 1) * right)
        elif operator == "%" and isinstance(left, str) and _BIG_WIDTH.search(left):
            raise TemplateLimit(f"the format {left[:40]!r} asks for a huge or variable width")
        elif operator == "+" and _length(left) is not None and _length(right) is not None:
            self.budget.size(len(left) + len(right))
        return super().call_binop(context, operator, left, right)

    def _sized(self, flt: Any, arg: str) -> Any:
        def sized(value: Any, *args: Any, **kwargs: Any) -> Any:
            width = kwargs.get(arg, args[0] if args else 0)
            if isinstance(width, int):
                self.budget.size(width * (str(value).count("\n") + 1) + len(str(value)))
            return flt(value, *args, **kwargs)

        return sized

    def _format(self, value: Any, *args: Any, **kwargs: Any) -> str:
        if isinstance(value, str) and _BIG_WIDTH.search(value):
            raise TemplateLimit(f"the format {value[:40]!r} asks for a huge or variable width")
        return do_format(value, *args, **kwargs)

    def _replace(self, eval_ctx: Any, s: Any, old: Any, new: Any, count: int | None = None) -> Any:
        text = str(s)
        self.budget.size(len(text) + text.count(str(old)) * len(str(new)))
        return do_replace(eval_ctx, s, old, new, count)

    _replace.jinja_pass_arg = do_replace.jinja_pass_arg  # type: ignore[attr-defined]

    # -- attributes and calls ----------------------------------------------------------------
    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, LoopContext):
            return attr in LOOP_ATTRIBUTES
        return not callable(value) or attr in SAFE_METHODS

    def wrap_str_format(self, value: Any) -> None:
        return None  # str.format is not a safe method here: is_safe_attribute refuses it

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        __self.budget.step("the template's calls")
        return super().call(__context, __obj, *args, **kwargs)


def make_env(*, autoescape: bool = False, limits: Limits | None = None) -> TemplateSandbox:
    """A fresh sandbox for one template (its work budget starts now)."""
    return TemplateSandbox(autoescape=autoescape, limits=limits)
