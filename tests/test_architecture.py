"""The layers of ARCHITECTURE.md hold: the core and the services import no Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def _modules(package: str, *, skip: str | None = None) -> list[str]:
    names = []
    for path in sorted((SRC / package).rglob("*.py")):
        rel = path.relative_to(SRC).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__main__" or (skip and rel.as_posix().startswith(skip)):
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def _imports_qt(modules: list[str]) -> list[str]:
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return eval(out.stdout.strip())  # a printed list of module names


def test_rules_imports_no_qt() -> None:
    modules = _modules("rules")
    assert "rules.columns" in modules
    assert _imports_qt(modules) == []


def test_app_services_import_no_qt() -> None:
    modules = _modules("app", skip="app/ui")
    assert "app.cli" in modules
    assert _imports_qt(modules) == []


def test_the_check_itself_sees_qt() -> None:
    """The probe is real: importing a Qt module is seen."""
    assert "PySide6.QtCore" in _imports_qt(["PySide6.QtCore"])


# ----------------------------------------------------------------- import contracts, read from the source

def _imports_of(path: Path, modules: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """Every module a file imports, at the top or inside a function (relative imports resolved).

    ``from package import module`` is an arrow to the module only (not to the package's face) when
    ``modules`` names it as one.
    """
    import ast

    package = ".".join(path.relative_to(SRC).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return found


def _graph() -> dict[str, set[str]]:
    """Module -> the project's modules it imports."""
    files = {".".join(p.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__"): p
             for p in SRC.rglob("*.py") if p.parts[-2] != "egg-info"}
    return {m: {i for i in _imports_of(p, set(files)) if i in files} for m, p in files.items()}


def _offenders(graph: dict[str, set[str]], importer, imported) -> list[str]:
    return sorted(f"{m} -> {i}" for m, targets in graph.items() if importer(m) for i in targets if imported(i))


def test_the_layers_point_down_only() -> None:
    graph = _graph()
    assert "app.session.state" in graph and "rules.engine.run" in graph
    assert _offenders(graph, lambda m: m.startswith("rules"), lambda i: i.startswith("app")) == []
    services = lambda m: m.startswith("app") and not m.startswith(("app.ui", "app.cli", "app.__main__"))  # noqa: E731
    assert _offenders(graph, services, lambda i: i.startswith(("app.ui", "app.cli"))) == [
        "app.selftest -> app.ui.selftest_windows"]   # the self-test checks the windows too (imported when asked)
    assert _offenders(graph, lambda m: not m.startswith(("app.ui", "app.cli.gui", "app.selftest")),
                      lambda i: i.startswith("app.ui")) == []


def test_qt_is_imported_only_in_app_ui() -> None:
    qt = [f"{m}: {sorted(i for i in _imports_of(p) if i.split('.')[0] in ('PySide6', 'shiboken6'))}"
          for m, p in ((".".join(p.relative_to(SRC).with_suffix("").parts), p) for p in SRC.rglob("*.py"))
          if not m.startswith("app.ui") and any(i.split(".")[0] in ("PySide6", "shiboken6") for i in _imports_of(p))]
    assert qt == []


def test_the_contract_check_sees_an_offender() -> None:
    graph = {"rules.a": {"app.b"}, "app.b": set()}
    assert _offenders(graph, lambda m: m.startswith("rules"), lambda i: i.startswith("app")) == ["rules.a -> app.b"]


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, round and round (Tarjan's strongly connected parts)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part = []
            while True:
                top = stack.pop()
                part.append(top)
                if top == node:
                    break
            if len(part) > 1:
                out.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(out)


def test_no_import_circles() -> None:
    assert _circles(_graph()) == []


def test_the_circle_check_sees_a_circle() -> None:
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
