#!/usr/bin/env bash
# Set up everything the tests need, then run the whole suite (lint first). "No tests collected"
# is a failure. Qt runs offscreen (tests/conftest.py sets QT_QPA_PLATFORM itself).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check src tests bench
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "test: no tests were collected - that is a failure" >&2
  exit 1
fi
exit "$status"
