#!/usr/bin/env bash
# Build the Linux desktop bundle (one folder) with PyInstaller: DIST/treatment-returns/treatment-returns.
# Installs the pinned PyInstaller into .venv when missing. Usage, from anywhere:
#   bash packaging/build.sh [--dist DIR] [--work DIR]     (default packaging/dist and packaging/build)
# Then: DIST/treatment-returns/treatment-returns --selftest
set -euo pipefail
cd "$(dirname "$0")/.."

PYINSTALLER_VERSION=6.22.3
python=${PYTHON:-.venv/bin/python}
dist=packaging/dist
work=packaging/build
while [ $# -gt 0 ]; do
  case "$1" in
    --dist) dist=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "build: unknown argument $1 (usage: build.sh [--dist DIR] [--work DIR])" >&2; exit 2 ;;
  esac
done

if [ ! -x "$python" ]; then
  echo "build: $python not found: run 'bash scripts/setup.sh' first" >&2
  exit 2
fi
if ! "$python" -c "import sys, PyInstaller; sys.exit(PyInstaller.__version__ != '$PYINSTALLER_VERSION')" 2>/dev/null; then
  echo "build: installing pyinstaller==$PYINSTALLER_VERSION into the virtual environment"
  "$python" -m pip install -q "pyinstaller==$PYINSTALLER_VERSION"
fi
if ! command -v objdump >/dev/null; then
  echo "build: objdump not found; PyInstaller needs it on Linux: apt-get install binutils" >&2
  exit 2
fi

rm -rf "$work"  # a clean analysis every time: no stale module lists
SECONDS=0
if ! "$python" -m PyInstaller --noconfirm --log-level "${LOG_LEVEL:-WARN}" --distpath "$dist" --workpath "$work" \
     packaging/treatment_returns.spec; then
  echo "build: PyInstaller failed. With Debian's own python3, install its shared library first:" >&2
  echo "       apt-get install libpython3.11 binutils" >&2
  exit 1
fi
took=$SECONDS
bundle="$dist/treatment-returns"
size=$(du -sm "$bundle" | cut -f1)
files=$(find "$bundle" -type f | wc -l)
echo "build: $bundle ($size MB, $files files) in $took s"
