#!/usr/bin/env bash
# Set up, then run the main job: the desktop app on the bundled demo partnership. With no display
# it says so and runs the headless demo instead (synthetic extracts -> validation -> both returns).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && .venv/bin/treatment-returns --help | grep -q ' gui '; then
  exec .venv/bin/treatment-returns gui --demo
fi
echo "No display found: running the headless demo instead (treatment-returns demo --out ./demo-output)."
exec .venv/bin/treatment-returns demo --out ./demo-output
