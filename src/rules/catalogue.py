"""The rule catalogue: rules as data, loaded from TOML, validated, merged with a user's file, saved.

The default catalogue ships as ``rules/catalogue.toml``. A user catalogue may change a rule's
``severity``, ``enabled`` state, ``title``, ``message`` and any parameter (``max_days = 50`` sets
it in every check of the rule that has it), or add rules of existing kinds. A file naming an
unknown kind, table or column, missing a parameter or giving a bad severity is refused with a
``CatalogueError`` naming the file, the rule id and the reason.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import string
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from rules.columns import TABLES, column_names
from rules.findings import CATEGORIES, SEVERITIES
from rules.kinds import KINDS, Check
from rules.kinds.base import Param
from rules.kinds.custom import CHECKS
from rules.settings import Settings

RULE_KEYS = ("id", "title", "category", "severity", "enabled", "description")
CHECK_KEYS = ("kind", "table", "message")
DEFAULT_FILE = "catalogue.toml"


class CatalogueError(ValueError):
    """A catalogue file that cannot be used: names the file, the rule id, the reason, the line."""

    def __init__(self, reason: str, *, file: str = "", rule: str = "", line: int | None = None) -> None:
        self.reason, self.file, self.rule, self.line = reason, file, rule, line
        where = [w for w in (file, f"line {line}" if line else "", f"rule {rule!r}" if rule else "") if w]
        super().__init__(f"{', '.join(where)}: {reason}" if where else reason)


@dataclass(frozen=True)
class Rule:
    """One rule: a stable id, how bad, and one or more checks (kind + table + parameters)."""

    id: str
    title: str
    category: str
    severity: str
    checks: tuple[Check, ...]
    enabled: bool = True
    description: str = ""

    @property
    def tables(self) -> tuple[str, ...]:
        """Tables the rule reports on, in TABLES order."""
        return tuple(t for t in TABLES if any(c.table == t for c in self.checks))


@dataclass(frozen=True)
class Catalogue:
    """An ordered set of rules; immutable (``with_rule`` gives a changed copy)."""

    rules: tuple[Rule, ...]
    source: str = field(default="", compare=False)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def ids(self) -> list[str]:
        return [r.id for r in self.rules]

    def get(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def with_rule(self, rule: Rule) -> Catalogue:
        """A copy with ``rule`` replacing the rule of the same id (or added at the end)."""
        rules = [rule if r.id == rule.id else r for r in self.rules]
        if rule.id not in self.ids():
            rules.append(rule)
        return replace(self, rules=tuple(rules))

    def changed(self, rule_id: str, **changes: Any) -> Catalogue:
        """A copy with one rule's severity/enabled/title changed, or parameters set (``max_days=50``)."""
        rule = self.get(rule_id)
        meta = {k: v for k, v in changes.items() if k in RULE_KEYS}
        params = {k: v for k, v in changes.items() if k not in RULE_KEYS}
        new = _apply_override(replace(rule, **meta), params, file=self.source)
        _validate_rule(new, file=self.source, text="")
        return self.with_rule(replace(new, checks=tuple(resolved(c) for c in new.checks)))


# ----------------------------------------------------------------------------------- loading

@functools.cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped with the package (spec/rules.md "Default catalogue"); immutable, read once."""
    text = resources.files("rules").joinpath(DEFAULT_FILE).read_text(encoding="utf-8")
    return parse(text, source=DEFAULT_FILE)


def load(path: str | Path, *, base: Catalogue | None = None) -> Catalogue:
    """A user catalogue merged over ``base`` (default: the shipped catalogue)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"cannot read the file ({exc.__class__.__name__})", file=path.name) from None
    return parse(text, source=path.name, base=default_catalogue() if base is None else base)


def parse(text: str, *, source: str = "<catalogue>", base: Catalogue | None = None) -> Catalogue:
    """Parse TOML text; with ``base``, entries override or add to its rules."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise CatalogueError(f"not valid TOML: {exc}", file=source,
                             line=int(match.group(1)) if match else None) from None
    entries = data.get("rule", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise CatalogueError("rules must be [[rule]] tables", file=source)
    unknown = sorted(set(data) - {"rule", "version"})
    if unknown:
        raise CatalogueError(f"unknown top-level key(s): {', '.join(unknown)}", file=source)
    rules: dict[str, Rule] = {r.id: r for r in base.rules} if base else {}
    seen: set[str] = set()
    for entry in entries:
        rule_id = entry.get("id")
        if not isinstance(rule_id, str) or not rule_id:
            raise CatalogueError("a rule has no id", file=source, line=_line_of(text, entry))
        line = _line_of(text, entry)
        if rule_id in seen:
            raise CatalogueError("the rule id appears twice", file=source, rule=rule_id, line=line)
        seen.add(rule_id)
        try:
            if rule_id in rules and base is not None:
                rule = _override(rules[rule_id], entry, source)
            else:
                rule = _build(entry, source)
            _validate_rule(rule, file=source, text=text)
            rule = replace(rule, checks=tuple(resolved(c) for c in rule.checks))
        except CatalogueError as exc:
            raise CatalogueError(exc.reason, file=source, rule=rule_id, line=line) from None
        rules[rule_id] = rule
    return Catalogue(tuple(rules.values()), source=source)


def _line_of(text: str, entry: Mapping[str, Any]) -> int | None:
    rule_id = entry.get("id")
    if not text or not isinstance(rule_id, str):
        return None
    match = re.search(r'^\s*id\s*=\s*["\']' + re.escape(rule_id) + r'["\']', text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _split_check(entry: Mapping[str, Any], default_message: str = "") -> Check:
    params = {k: v for k, v in entry.items() if k not in CHECK_KEYS and k not in RULE_KEYS}
    kind, table = entry.get("kind"), entry.get("table")
    if not isinstance(kind, str):
        raise CatalogueError("a check has no kind")
    if not isinstance(table, str):
        raise CatalogueError("a check has no table")
    return Check(kind, table, params, str(entry.get("message", default_message)))


def _build(entry: Mapping[str, Any], source: str) -> Rule:
    """A new rule: either ``kind``/``table``/parameters on the rule, or ``[[rule.check]]`` tables."""
    for key in ("category", "severity"):
        if key not in entry:
            raise CatalogueError(f"missing {key!r}")
    message = str(entry.get("message", ""))
    if "check" in entry:
        raw = entry["check"]
        if not isinstance(raw, list) or not raw:
            raise CatalogueError("'check' must be one or more [[rule.check]] tables")
        extra = sorted(set(entry) - set(RULE_KEYS) - {"check", "message"})
        if extra:
            raise CatalogueError(f"parameter(s) {', '.join(extra)} belong inside a [[rule.check]]")
        checks = tuple(_split_check(c, message) for c in raw)
    else:
        checks = (_split_check(entry),)
    return Rule(id=entry["id"], title=str(entry.get("title", entry["id"])), category=entry["category"],
                severity=entry["severity"], checks=checks, enabled=entry.get("enabled", True),
                description=str(entry.get("description", "")))


def _override(rule: Rule, entry: Mapping[str, Any], source: str) -> Rule:
    """A user entry for a known rule: change metadata, replace checks, or set parameters."""
    meta = {k: entry[k] for k in RULE_KEYS if k in entry and k != "id"}
    rule = replace(rule, **meta)
    if "check" in entry or "kind" in entry:
        return _build({**_rule_meta(rule), **entry}, source)
    params = {k: v for k, v in entry.items() if k not in RULE_KEYS}
    return _apply_override(rule, params, file=source)


def _rule_meta(rule: Rule) -> dict[str, Any]:
    return {"id": rule.id, "title": rule.title, "category": rule.category, "severity": rule.severity,
            "enabled": rule.enabled, "description": rule.description}


def _apply_override(rule: Rule, params: Mapping[str, Any], *, file: str) -> Rule:
    message = params.get("message")
    params = {k: v for k, v in params.items() if k != "message"}
    if message is not None and len(rule.checks) != 1:
        raise CatalogueError("'message' can be set only on a rule with one check (use [[rule.check]])")
    for name in params:
        if not any(name in _param_specs(c) for c in rule.checks):
            raise CatalogueError(f"unknown parameter {name!r} for this rule")
    checks = tuple(
        Check(c.kind, c.table, {**c.params, **{k: v for k, v in params.items() if k in _param_specs(c)}},
              str(message) if message is not None else c.message)
        for c in rule.checks)
    return replace(rule, checks=checks)


# ----------------------------------------------------------------------------------- validation

def _param_specs(check: Check) -> dict[str, Param]:
    kind = KINDS.get(check.kind)
    if kind is None:
        return {}
    specs = {p.name: p for p in kind.params}
    if check.kind == "custom" and check.params.get("function") in CHECKS:
        specs.update({p.name: p for p in CHECKS[check.params["function"]].params})
    return specs


def _validate_rule(rule: Rule, *, file: str, text: str) -> None:
    if rule.severity not in SEVERITIES:
        raise CatalogueError(f"severity {rule.severity!r} is not one of {', '.join(SEVERITIES)}")
    if rule.category not in CATEGORIES:
        raise CatalogueError(f"category {rule.category!r} is not one of {', '.join(CATEGORIES)}")
    if not isinstance(rule.enabled, bool):
        raise CatalogueError("'enabled' must be true or false")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.id):
        raise CatalogueError("a rule id is kebab-case: lower-case words joined by '-'")
    for check in rule.checks:
        _validate_check(check)


def _validate_check(check: Check) -> None:
    kind = KINDS.get(check.kind)
    if kind is None:
        raise CatalogueError(f"unknown kind {check.kind!r} (known: {', '.join(sorted(KINDS))})")
    if check.table not in TABLES:
        raise CatalogueError(f"unknown table {check.table!r} (known: {', '.join(TABLES)})")
    if check.kind == "custom":
        name = check.params.get("function")
        if name not in CHECKS:
            raise CatalogueError(f"unknown custom check {name!r} (known: {', '.join(sorted(CHECKS))})")
        if CHECKS[name].table != check.table:
            raise CatalogueError(f"custom check {name!r} reports on {CHECKS[name].table}, not {check.table}")
    specs = _param_specs(check)
    for name in check.params:
        if name not in specs:
            raise CatalogueError(f"unknown parameter {name!r} for kind {check.kind!r}")
    for spec in specs.values():
        if spec.name not in check.params:
            if spec.required:
                raise CatalogueError(f"missing parameter {spec.name!r} for kind {check.kind!r}")
            continue
        _validate_param(check, spec, check.params[spec.name])
    evidence = set(kind.evidence) | set(column_names(check.table))
    if check.kind == "custom":
        evidence |= set(CHECKS[check.params["function"]].evidence)
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(check.message) if f}
    except ValueError as exc:
        raise CatalogueError(f"bad message template: {exc}") from None
    bad = sorted(names - evidence)
    if bad:
        raise CatalogueError(f"message names unknown field(s) {', '.join(bad)} "
                             f"(available: {', '.join(sorted(evidence))})")


def _validate_param(check: Check, spec: Param, value: Any) -> None:
    columns = set(column_names(check.table))
    where = f"parameter {spec.name!r}"

    def need_columns(names: Iterable[Any], table: str) -> None:
        known = set(column_names(table))
        for n in names:
            if not isinstance(n, str) or n not in known:
                raise CatalogueError(f"{where}: unknown column {n!r} in {table}")

    if spec.type == "column":
        need_columns([value], check.table)
    elif spec.type in ("columns", "column-list", "parent-column-list"):
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not names:
            raise CatalogueError(f"{where} must be a column name or a list of them")
        parent = check.params.get("parent", check.table) if spec.type == "parent-column-list" else check.table
        need_columns(names, parent)
    elif spec.type == "table":
        if value not in TABLES:
            raise CatalogueError(f"{where}: unknown table {value!r}")
    elif spec.type == "days":
        if isinstance(value, str):
            name = value.removeprefix("settings.")
            default = getattr(Settings(), name, None) if value.startswith("settings.") else None
            if not isinstance(default, int) or isinstance(default, bool):
                raise CatalogueError(f"{where}: {value!r} is not a number or a numeric setting")
        elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise CatalogueError(f"{where} must be a whole number of days or 'settings.<name>'")
    elif spec.type == "bound":
        if value not in columns:
            try:
                dt.date.fromisoformat(str(value))
            except ValueError:
                raise CatalogueError(f"{where}: {value!r} is neither a column nor a YYYY-MM-DD date") from None
    elif spec.type == "choice" and spec.choices and value not in spec.choices:
        raise CatalogueError(f"{where}: {value!r} is not one of {', '.join(spec.choices)}")
    elif spec.type == "strs" and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
        raise CatalogueError(f"{where} must be a list of text values")
    elif spec.type == "bool" and not isinstance(value, bool):
        raise CatalogueError(f"{where} must be true or false")


def resolved(check: Check) -> Check:
    """The check with list-valued column parameters normalised to lists."""
    specs = _param_specs(check)
    params = dict(check.params)
    for name, spec in specs.items():
        if spec.type in ("column-list", "parent-column-list") and isinstance(params.get(name), str):
            params[name] = [params[name]]
    return replace(check, params=params)


# ----------------------------------------------------------------------------------- saving

def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def to_toml(catalogue: Catalogue) -> str:
    """The catalogue as TOML text that ``parse`` reads back to an equal catalogue."""
    out = ["# Treatment Returns rule catalogue (spec/rules.md). One [[rule]] per rule.", "version = 1", ""]
    for rule in catalogue.rules:
        out.append("[[rule]]")
        for key, value in _rule_meta(rule).items():
            if key == "description" and not value:
                continue
            out.append(f"{key} = {_toml_value(value)}")
        for check in rule.checks:
            out.append("")
            out.append("  [[rule.check]]")
            out.append(f"  kind = {_toml_value(check.kind)}")
            out.append(f"  table = {_toml_value(check.table)}")
            for key, value in check.params.items():
                out.append(f"  {key} = {_toml_value(value)}")
            out.append(f"  message = {_toml_value(check.message)}")
        out.append("")
    return "\n".join(out)


def save(catalogue: Catalogue, path: str | Path) -> None:
    """Write the whole catalogue to ``path`` as TOML (written to a temporary file, then renamed)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(to_toml(catalogue), encoding="utf-8")
    tmp.replace(path)
