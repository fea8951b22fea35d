"""The validation report as ONE self-contained HTML file a manager can email to a provider.

Inline CSS, no scripts, no external resources; rendered by jinja2 with autoescape so text from the
extracts can never become markup. Records are named only by provider and episode id: identifying
values are withheld (``app.reports.redact``).
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from app.atomic import write_text
from app.reports.redact import redact
from app.reports.summary import row_counts_text, rule_lines
from rules.engine import Report

TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{{ title }} - as at {{ as_at }}</title>
<style>
body{font-family:Segoe UI,Arial,sans-serif;font-size:14px;color:#222;margin:24px;max-width:1200px}
h1{font-size:22px;margin-bottom:4px} h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:8px 0 16px} th,td{border:1px solid #bbb;padding:3px 8px;
text-align:left;vertical-align:top} th{background:#eee} td.n{text-align:right}
.error{color:#a00;font-weight:bold} .warning{color:#8a5a00;font-weight:bold} .info{color:#555}
.meta{color:#555} .note{color:#555;font-size:12px}
</style></head><body>
<h1>{{ title }}</h1>
<p class="meta">As at {{ as_at }} &middot; {{ files|length }} file{{ "s" if files|length != 1 }}:
{{ files|join(", ") }}{% if rows %} &middot; {{ rows }}{% endif %}</p>
<p><span class="error">{{ errors }} error{{ "s" if errors != 1 }}</span>,
<span class="warning">{{ warnings }} warning{{ "s" if warnings != 1 }}</span>.</p>
<h2>Summary by rule</h2>
<table><tr><th>Rule</th><th>Id</th><th>Severity</th><th>Category</th><th>Findings</th></tr>
{% for line in lines %}<tr><td>{{ line.title }}</td><td>{{ line.rule }}</td>
<td class="{{ line.severity }}">{{ line.severity }}</td><td>{{ line.category }}</td>
<td class="n">{% if line.status == "ran" %}{{ "{:,}".format(line.count) }}{% else %}{{ line.status }}{% endif %}</td></tr>
{% endfor %}</table>
{% for group in groups %}
<h2 id="{{ group.rule }}">{{ group.title }} <span class="{{ group.severity }}">({{ group.severity }},
{{ "{:,}".format(group.rows|length) }})</span></h2>
<table><tr><th>File</th><th>Table</th><th>Row</th><th>Record</th><th>Fields</th><th>Values</th><th>Message</th></tr>
{% for f in group.rows %}<tr><td>{{ f["file"] }}</td><td>{{ f["table"] }}</td><td class="n">{{ f["row"] }}</td>
<td>{{ f["record"] }}</td><td>{{ f["fields"] }}</td><td>{{ f["values"] }}</td><td>{{ f["message"] }}</td></tr>
{% endfor %}</table>
{% endfor %}
<p class="note">Records are named by provider code and episode id only; client identifiers are withheld.
Rows are the row numbers in the provider's own file. Produced by Treatment Returns.</p>
</body></html>
"""

#: A finding row is a dict read by subscript in the template: ``f.values`` would be the dict's method.
_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=False)
_TEMPLATE = _ENV.from_string(TEMPLATE)


BLANK = "(blank)"


def _joined(items: object) -> str:
    """A finding's fields or values as one cell, ``a, b``; a blank value reads ``(blank)``, so that
    ``2025-03-13, (blank)`` says which of the two fields is missing."""
    if items is None or isinstance(items, str):
        return items or ""
    return ", ".join(BLANK if v is None or v != v or str(v) == "" else str(v) for v in items)  # type: ignore[attr-defined]


def render_html(report: Report, *, title: str = "Validation report", files: list[str] | None = None,
                row_counts: dict[str, int] | None = None, identifiers: bool = False) -> str:
    """The report as HTML text; identifying values withheld unless ``identifiers`` is asked for."""
    f = report.findings if identifiers else redact(report.findings)
    titles = {ln.rule: ln.title for ln in rule_lines(report)}
    severity = dict(zip(f["rule"], f["severity"], strict=True))
    groups = []
    for rule, part in f.groupby("rule", sort=False):
        rows = [{"file": r.file, "table": r.table, "row": "" if str(r.row) == "<NA>" else int(r.row),
                 "record": r.record, "fields": _joined(r.fields), "values": _joined(r.values),
                 "message": r.message} for r in part.itertuples(index=False)]
        groups.append({"rule": rule, "title": titles.get(rule, rule), "severity": severity[rule], "rows": rows})
    order = {ln.rule: i for i, ln in enumerate(rule_lines(report))}
    groups.sort(key=lambda g: order.get(g["rule"], len(order)))
    return _TEMPLATE.render(
        title=title, as_at=report.as_at.isoformat(), files=files if files is not None else report.files,
        rows=row_counts_text(row_counts if row_counts is not None else report.row_counts),
        errors=report.errors, warnings=report.warnings, lines=rule_lines(report), groups=groups)


def write_html(path: Path, report: Report, **kwargs: object) -> None:
    write_text(Path(path), render_html(report, **kwargs))  # type: ignore[arg-type]
