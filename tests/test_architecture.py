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
