#!/usr/bin/env bash
# Set up Treatment Returns on Debian 12 (as root, or with sudo): the Debian packages Qt needs,
# a virtual environment in .venv, and the package itself. Safe to run again: it installs only
# what is missing. Usage: scripts/setup.sh [--test]   (--test adds what the test suite needs)
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--test" ] && want_tests=1

# Qt's offscreen platform, a real window (xcb) and a virtual screen, and fonts (without a font
# Qt draws every glyph as an empty box and says nothing).
packages=(libgl1 libegl1 libfontconfig1 libfreetype6 libxkbcommon0 libdbus-1-3 libglib2.0-0 libx11-6
          fonts-dejavu-core
          libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
          libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 xvfb xauth)
if [ "$want_tests" = 1 ]; then
  # Rendering the generated returns to PDF in the tests, with metric-compatible fonts;
  # binutils for PyInstaller's bundle test.
  packages+=(libreoffice-calc libreoffice-writer poppler-utils
             fonts-crosextra-carlito fonts-crosextra-caladea fonts-liberation2 binutils libpython3.11)
fi
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  packages+=(python3-venv)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The virtual environment, reinstalled only when pyproject.toml has changed.
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
extras="."
[ "$want_tests" = 1 ] && extras=".[dev]"
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-$want_tests"
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e "$extras"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
echo "setup: ready (.venv/bin/treatment-returns)"
