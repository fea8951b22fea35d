"""Fill a .docx template with docxtpl (``{%tr %}`` row loops, autoescape) and insert the charts.

The tag check walks the whole template (body, headers, footers) as docxtpl will render it and
names each problem with the number and text of the paragraph it is in.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from docx import Document
from docx.opc.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError, TemplateSyntaxError

from app.errors import InputError
from app.returns import charts
from app.returns.package import check_template_package
from app.returns.sandbox import Limits, TemplateLimit
from app.returns.tagcheck import CURLY, Problem, curly_tags, make_env, resolve

_STRAIGHT = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def paragraphs(path: Path | str) -> Iterator[tuple[str, str]]:
    """(where, text) of every paragraph: body (tables included), headers and footers, then the
    document properties."""
    doc = Document(str(path))
    n = 0
    for p in doc.element.body.iter(qn("w:p")):
        n += 1
        yield f"paragraph {n}", "".join(t.text or "" for t in p.iter(qn("w:t")))
    for i, section in enumerate(doc.sections, start=1):
        for kind, part in (("header", section.header), ("footer", section.footer)):
            for j, p in enumerate(part.paragraphs, start=1):
                yield f"section {i} {kind} paragraph {j}", p.text
    yield from _properties(doc)


def _template_source(path: Path | str) -> str:
    """Everything docxtpl renders: body, headers, footers and footnotes after ``patch_xml``, and the
    document properties (title, subject, author, comments...)."""
    tpl = DocxTemplate(str(path))
    doc = Document(str(path))
    xml = tpl.patch_xml(tpl.xml_to_string(doc._element.body))
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for rel in doc.part.rels.values():
            if rel.reltype == uri and rel.target_part.blob:
                xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    for part in doc.part.package.parts:
        if part.content_type.endswith(".footnotes+xml"):
            xml += tpl.patch_xml(part.blob.decode("utf-8", "replace"))
    return xml + "".join(text for _, text in _properties(doc))


def _properties(doc: Any) -> Iterator[tuple[str, str]]:
    """(where, text) of the document properties docxtpl fills."""
    props = doc.core_properties
    for name in ("author", "comments", "identifier", "language", "subject", "title"):
        text = getattr(props, name) or ""
        if text:
            yield f"document property {name!r}", text


def _locate(name: str, paras: list[tuple[str, str]]) -> tuple[str, str]:
    parts = name.split(".")
    pattern = re.compile(r"\b" + r"\s*\.\s*".join(re.escape(p) for p in parts if p != "[...]"))
    for where, text in paras:
        if pattern.search(text):
            return where, text.strip()
    last = parts[-1]
    for where, text in paras:
        if last in text:
            return where, text.strip()
    return "document", ""


def _find_bad_tag(paras: list[tuple[str, str]], env: Any) -> tuple[str, str]:
    """The first paragraph with a ``{{ }}`` tag that does not parse on its own, or a lone ``{%``/``{{``."""
    for where, text in paras:
        text = text.translate(_STRAIGHT)
        for tag in re.findall(r"\{\{.*?\}\}", text):
            try:
                env.parse(tag)
            except TemplateSyntaxError:
                return f"{where} ({text.strip()[:60]})", tag
        if text.count("{{") != text.count("}}") or text.count("{%") != text.count("%}"):
            return f"{where} ({text.strip()[:60]})", text.strip()[:60]
    return "document", ""


def check_docx(path: Path | str, context: Mapping[str, Any]) -> list[Problem]:
    """Unknown tags, curly quotes and syntax errors, each with its paragraph."""
    paras = list(paragraphs(path))
    problems: list[Problem] = []
    for where, text in paras:
        for tag in curly_tags(text):
            problems.append(Problem("curly-quotes", f"{where} ({text.strip()[:60]})", tag,
                                    "Word's curly quotes inside a tag; retype them as straight quotes"))
    source = _template_source(path).translate(_STRAIGHT)
    env = make_env()
    try:
        tree = env.parse(source)
    except TemplateSyntaxError as exc:
        where, tag = _find_bad_tag(paras, env)
        problems.append(Problem("syntax", where, tag, f"a tag cannot be read ({exc.message})"))
        return problems
    for kind, name, message in resolve(tree, context, env):
        where, text = _locate(name.lstrip("|").removeprefix("is ").strip(), paras)
        problems.append(Problem(kind, f"{where} ({text[:60]})" if text else where, name, message))
    return problems


def _images(tpl: DocxTemplate, context: Mapping[str, Any]) -> dict[str, Any]:
    """The charts of the report as docxtpl images."""
    headline = context["measures"]["planned_exits"]
    trend = charts.trend_chart(context["trend"])
    by_provider = charts.provider_chart(context["by"]["provider"], "planned_exits", headline.get("target"))
    return {"trend": InlineImage(tpl, io.BytesIO(trend), width=Cm(15.5)),
            "planned_exits_by_provider": InlineImage(tpl, io.BytesIO(by_provider), width=Cm(15.5))}


def fill_docx(template: Path | str, out: Path, context: Mapping[str, Any], *,
              limits: Limits | None = None) -> list[str]:
    """Render a copy of ``template`` into ``out`` in the sandbox; returns warnings (none so far)."""
    check_template_package(template)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "template.docx"
        shutil.copyfile(template, copy)  # never open the user's template for writing
        tpl = DocxTemplate(str(copy))
        ctx = dict(context)
        ctx["charts"] = _images(tpl, context)
        try:
            tpl.render(ctx, jinja_env=make_env(autoescape=True, limits=limits), autoescape=True)
        except TemplateLimit as exc:
            where = _loop_paragraph(str(exc), template)
            raise InputError(f"refused: {where}{exc}", file=Path(template).name) from None
        except (TemplateError, TypeError, ValueError, ArithmeticError, RecursionError, MemoryError) as exc:
            raise InputError(f"the template cannot be filled ({_short(exc)})", file=Path(template).name) from None
        tpl.save(str(out))
    return []


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def _loop_paragraph(message: str, template: Path | str) -> str:
    """"paragraph 12 ({%p for ...): " for a message naming a loop, else nothing."""
    m = re.search(r"the loop 'for (.+?) in (.+?)'", message)
    if not m:
        return ""
    target, iterable = m.group(1).replace(" ", ""), m.group(2)
    wanted = f"for {target} in " + ("" if "(...)" in iterable else iterable)
    for where, text in paragraphs(template):
        flat = re.sub(r"\s*,\s*", ",", " ".join(text.translate(_STRAIGHT).split()))
        if wanted in flat:
            return f"{where} ({text.strip()[:60]}): "
    return ""


__all__ = ["CURLY", "check_docx", "fill_docx", "paragraphs"]
