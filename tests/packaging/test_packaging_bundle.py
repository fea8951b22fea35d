"""Build the Linux desktop bundle with PyInstaller from scratch and run its ``--selftest``.

Runs only with ``PACKAGING=1`` (``.ci/run`` sets it): the build takes about a minute and a half
on the project's 2-core machine. Prints the build time and the bundle size (packaging/README.md).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import __version__
from app.session import DEMO

ROOT = Path(__file__).resolve().parents[2]
NAME = "treatment-returns"

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("PACKAGING") != "1",
                       reason="builds the PyInstaller bundle (about 90 s): set PACKAGING=1 to run"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="packaging/build.sh builds the Linux bundle"),
]


def report(config: pytest.Config, text: str) -> None:
    """Print past pytest's output capture, so the figures show in every run's log."""
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is None:  # pytest -p no:capture
        print(f"\npackaging: {text}", flush=True)
        return
    with capture.global_and_fixture_disabled():
        print(f"\npackaging: {text}", flush=True)


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and number of files under ``folder`` (symbolic links not followed)."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def bundle_env(home: Path) -> dict[str, str]:
    """Nothing of the source tree on the path, Qt offscreen, a private home."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_DATA_HOME=str(home / "data"))
    return env


def run_bundle(exe: Path, *args: str, home: Path, timeout: int = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout, cwd=home,
                          env=bundle_env(home))


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Path:
    """The bundle folder, built by packaging/build.sh into a fresh folder (no earlier build reused)."""
    out = tmp_path_factory.mktemp("bundle")
    started = time.perf_counter()
    build = subprocess.run(["bash", str(ROOT / "packaging" / "build.sh"), "--dist", str(out / "dist"),
                            "--work", str(out / "work")], capture_output=True, text=True, timeout=900,
                           env={**os.environ, "PYTHON": sys.executable})
    seconds = time.perf_counter() - started
    assert build.returncode == 0, f"build failed:\n{build.stdout[-4000:]}\n{build.stderr[-8000:]}"
    folder = out / "dist" / NAME
    size, files = folder_size(folder)
    report(pytestconfig, f"built {folder} in {seconds:.0f} s: {size / 2**20:.0f} MiB in {files} files "
                         f"(PyInstaller, one folder, Python {sys.version.split()[0]})")
    return folder


def test_the_bundle_carries_its_data_files(bundle: Path) -> None:
    internal = bundle / "_internal"
    for name in ("templates/national_quarterly_return.xlsx", "templates/committee_report.docx",
                 "rules/catalogue.toml", "icons/treatment_returns.png"):
        assert (internal / name).is_file(), f"{name} missing from the bundle"
    assert not (internal / "polars").exists() and not (internal / "tkinter").exists()
    assert not list(internal.glob("PySide6/Qt/lib/libQt6Quick*")), "unused Qt Quick libraries bundled"
    assert not list(internal.glob("pyarrow/*flight*")), "pyarrow's Flight libraries bundled"


def test_the_built_app_passes_its_selftest(bundle: Path, tmp_path: Path, pytestconfig: pytest.Config) -> None:
    started = time.perf_counter()
    result = run_bundle(bundle / NAME, "--selftest", home=tmp_path)
    report(pytestconfig, f"--selftest of the bundle took {time.perf_counter() - started:.1f} s")
    assert result.returncode == 0, f"selftest failed:\n{result.stdout}\n{result.stderr[-6000:]}"
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("selftest: passed")
    assert any(line.startswith("selftest: ok   main window offscreen") for line in lines)
    # the templates were found inside the bundle, not in the source tree
    assert str((bundle / "_internal" / "templates").resolve()) in result.stdout
    assert not (tmp_path / "config" / "Treatment Returns").exists(), "the selftest wrote the user's settings"


def test_the_built_command_line_answers(bundle: Path, tmp_path: Path) -> None:
    version = run_bundle(bundle / NAME, "--version", home=tmp_path, timeout=60)
    assert version.returncode == 0 and version.stdout.strip() == f"{NAME} {__version__}"
    synth = run_bundle(bundle / NAME, "synth", "--out", str(tmp_path / "x"), "--providers", "1",
                       "--episodes", "30", "--seed", "3", "--as-at", "2025-10-15", home=tmp_path, timeout=60)
    assert synth.returncode == 0, synth.stderr
    assert (tmp_path / "x" / "N9001_extract.xlsx").is_file()


def test_a_broken_bundle_fails_its_selftest_clearly(bundle: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(bundle, broken, symlinks=True)
    (broken / "_internal" / "templates" / "committee_report.docx").unlink()
    result = run_bundle(broken / NAME, "--selftest", "--no-gui", home=tmp_path, timeout=120)
    assert result.returncode == 1
    assert "selftest: FAILED at 'resources': check failed: template(s) not found" in result.stdout
    assert "committee_report.docx" in result.stdout


def test_the_desktop_app_starts_and_opens_the_demo_on_first_start(bundle: Path, tmp_path: Path) -> None:
    """The real start (no arguments): the window stays up and the demo partnership is generated."""
    log = tmp_path / "stderr.txt"
    with log.open("w") as err:
        app = subprocess.Popen([str(bundle / NAME)], cwd=tmp_path, env=bundle_env(tmp_path),
                               stdout=subprocess.DEVNULL, stderr=err)
        try:
            manifest = tmp_path / "cache" / "treatment-returns" / "demo" / "manifest.json"  # platformdirs
            deadline = time.monotonic() + 90
            while not manifest.exists() and app.poll() is None and time.monotonic() < deadline:
                time.sleep(0.5)
            time.sleep(3)  # the demo is opened after it is written
            running = app.poll() is None
        finally:
            app.terminate()
            app.wait(timeout=30)
    errors = log.read_text()
    assert running, f"the app exited with {app.returncode}:\n{errors[-4000:]}"
    assert manifest.exists(), "the demo partnership was not generated on first start"
    assert len(list(manifest.parent.glob("*.xlsx"))) == DEMO["providers"]
    assert "Traceback" not in errors, errors[-4000:]
