"""The PyInstaller spec and the installer script, checked without building (fast, every run).

The spec is executed with stand-ins for PyInstaller's build classes, so what it would hand to
PyInstaller (data files, excluded modules, executables) can be compared with what the app loads.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from app import __version__

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "treatment_returns.spec"
ISS = PACKAGING / "installer" / "treatment_returns.iss"

#: Excluded modules that libraries import inside ``try: ... except ImportError`` and do without:
#: pandera's data synthesis strategies (hypothesis), pyarrow.fs's cloud file systems.
OPTIONAL = ("hypothesis", "pyarrow._s3fs", "pyarrow._gcsfs", "pyarrow._azurefs", "pyarrow._hdfs")


class Recorder:
    """Stands in for Analysis, PYZ, EXE, COLLECT, BUNDLE: keeps its arguments."""

    made: list[Recorder] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs = args, kwargs
        self.binaries: list[tuple[str, str, str]] = []
        self.datas = [(Path(src).name if dest == "." else f"{dest}/{Path(src).name}", src, "DATA")
                      for src, dest in kwargs.get("datas", [])]
        self.pure = self.scripts = []
        Recorder.made.append(self)


def run_spec(platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Recorder]]:
    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setattr(sys, "platform", platform)
    Recorder.made = []
    kinds = {}
    for kind in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE"):
        kinds[kind] = type(kind, (Recorder,), {})
    namespace = {"SPECPATH": str(PACKAGING), "DISTPATH": str(tmp_path), "workpath": str(tmp_path / "w"),
                 "__name__": "spec", **kinds}
    if platform == "win32":  # the version resource classes exist on every platform
        versioninfo = types.ModuleType("PyInstaller.utils.win32.versioninfo")
        for cls in ("FixedFileInfo", "StringFileInfo", "StringStruct", "StringTable", "VarFileInfo", "VarStruct",
                    "VSVersionInfo"):
            setattr(versioninfo, cls, lambda *a, _cls=cls, **k: (_cls, a, k))
        monkeypatch.setitem(sys.modules, "PyInstaller.utils.win32", types.ModuleType("PyInstaller.utils.win32"))
        monkeypatch.setitem(sys.modules, "PyInstaller.utils.win32.versioninfo", versioninfo)
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    return {kind: [r for r in Recorder.made if type(r).__name__ == kind] for kind in kinds}


def test_the_spec_bundles_the_templates_catalogue_and_icon(tmp_path, monkeypatch) -> None:
    made = run_spec("linux", tmp_path, monkeypatch)
    analysis = made["Analysis"][0]
    datas = {dest for dest, _, _ in analysis.datas}
    assert {"templates/national_quarterly_return.xlsx", "templates/committee_report.docx",
            "rules/catalogue.toml", "icons/treatment_returns.png"} <= datas
    assert all(Path(src).is_file() for _, src, _ in analysis.datas)
    hidden = set(analysis.kwargs["hiddenimports"])
    assert {"app", "app.cli.demo", "app.cli.selftest", "app.ui.dashboard", "rules.kinds", "rules.catalogue"} <= hidden
    assert all(importlib.util.find_spec(name) is not None for name in hidden)
    assert Path(analysis.args[0][0]) == PACKAGING / "entry.py"
    assert [e.kwargs["name"] for e in made["EXE"]] == ["treatment-returns"]
    assert made["COLLECT"][0].kwargs["name"] == "treatment-returns" and not made["BUNDLE"]


def test_windows_gets_a_windowed_and_a_console_program_with_the_package_version(tmp_path, monkeypatch) -> None:
    made = run_spec("win32", tmp_path, monkeypatch)
    exes = {e.kwargs["name"]: e.kwargs for e in made["EXE"]}
    assert exes["TreatmentReturns"]["console"] is False and exes["treatment-returns"]["console"] is True
    assert all(Path(e["icon"]).is_file() and e["icon"].endswith(".ico") for e in exes.values())
    version = exes["TreatmentReturns"]["version"]
    assert f"'FileVersion', '{__version__}'" in repr(version)
    assert (tmp_path / "version.iss").read_text(encoding="utf-8") == f'#define AppVersion "{__version__}"\n'
    mac = run_spec("darwin", tmp_path, monkeypatch)
    assert mac["BUNDLE"][0].kwargs["version"] == __version__ and mac["BUNDLE"][0].kwargs["icon"].endswith(".icns")


def test_the_spec_drops_unused_pyarrow_parts_but_not_what_the_app_loads() -> None:
    sample = [(n, n, "BINARY") for n in ("pyarrow/libarrow_flight.so.2600", "pyarrow/libarrow_s3.so.2600",
                                         "pyarrow/libarrow.so.2600", "pyarrow/libparquet.so.2600",
                                         "pyarrow/libarrow_python.so.2600", "pyarrow/libarrow_python.so",
                                         "pyarrow\\arrow_flight.dll", "pyarrow/include/arrow/api.h",
                                         "PySide6/Qt/translations/qt_de.qm", "PySide6/Qt/lib/libQt6Core.so.6")]
    spec_globals: dict[str, Any] = {"re": re}
    source = SPEC.read_text(encoding="utf-8")
    exec(source[source.index("DROP = "):source.index("a = Analysis(")], spec_globals)
    kept = [dest for dest, _, _ in spec_globals["keep"](sample)]
    assert kept == ["pyarrow/libarrow.so.2600", "pyarrow/libparquet.so.2600", "pyarrow/libarrow_python.so.2600",
                    "PySide6/Qt/lib/libQt6Core.so.6"]


@pytest.mark.slow
def test_no_excluded_module_is_loaded_by_the_selftest(tmp_path, monkeypatch) -> None:
    """The whole selftest (main window offscreen too) from the source tree, through the bundle's entry
    point, in its own process: nothing the spec excludes may be imported, or the bundle breaks."""
    excludes = run_spec("linux", tmp_path, monkeypatch)["Analysis"][0].kwargs["excludes"]
    monkeypatch.undo()
    modules = tmp_path / "modules.json"
    script = (f"import json, runpy, sys\nentry = runpy.run_path({str(PACKAGING / 'entry.py')!r}, run_name='entry')\n"
              f"code = entry['main'](['--selftest'])\n"
              f"json.dump(sorted(sys.modules), open({str(modules)!r}, 'w'))\nsys.exit(code)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                            cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                                               "XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr[-4000:]}"
    assert "platform offscreen" in result.stdout
    loaded = json.loads(modules.read_text())
    assert "PySide6.QtWidgets" in loaded and "pyarrow.parquet" in loaded
    required = [x for x in excludes if x not in OPTIONAL]
    bad = sorted(m for m in loaded for x in required if m == x or m.startswith(x + "."))
    assert not bad, f"the spec excludes modules the app loads: {bad}"
    assert not (tmp_path / "config" / "Treatment Returns").exists(), "the selftest wrote the user's settings"


def test_the_installer_script_points_at_the_bundle_the_spec_makes() -> None:
    text = ISS.read_text(encoding="utf-8")
    defines = dict(re.findall(r'^#define (\w+) "([^"]*)"', text, re.M))
    bundle = (ISS.parent / defines["BundleDir"].replace("\\", "/")).resolve()
    assert bundle == (PACKAGING / "dist" / "treatment-returns").resolve()  # build.sh's default --dist
    assert defines["GuiExe"] == "TreatmentReturns.exe"
    icon = re.search(r"^SetupIconFile=(.+)$", text, re.M).group(1)
    assert (ISS.parent / icon.replace("\\", "/")).is_file()
    assert "PrivilegesRequired=lowest" in text  # no administrator needed on a locked-down laptop
    assert re.search(r"^AppId=\{\{[0-9A-F-]{36}\}$", text, re.M)
    assert "dist/" in (PACKAGING / ".gitignore").read_text() and "build/" in (PACKAGING / ".gitignore").read_text()
