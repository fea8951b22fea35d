#!/usr/bin/env bash
# Set up everything the tests need, then run the whole suite (lint first). "No tests collected"
# is a failure. Qt runs offscreen (tests/conftest.py sets QT_QPA_PLATFORM itself).
#
# With no arguments the soak test (minutes of one core: thousands of edits, undone and redone)
# runs in its own process beside the rest of the suite, and the last line adds both up.
# With arguments, pytest runs just what they name.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check src tests bench

if [ "$#" -gt 0 ]; then
  set +e
  .venv/bin/python -m pytest "$@"
  status=$?
  set -e
  if [ "$status" -eq 5 ]; then
    echo "test: no tests were collected - that is a failure" >&2
    exit 1
  fi
  exit "$status"
fi

results=$(mktemp -d)
soak=tests/ui/test_soak.py
set +e
.venv/bin/python -m pytest "$soak" -p no:cacheprovider --junitxml="$results/soak.xml" > "$results/soak.log" 2>&1 &
soak_pid=$!
.venv/bin/python -m pytest --ignore="$soak" --junitxml="$results/main.xml"
main_status=$?
wait "$soak_pid"
soak_status=$?
set -e
echo
echo "---- the soak test, run beside the suite ($soak) ----"
tail -n 15 "$results/soak.log"
.venv/bin/python - "$results/main.xml" "$results/soak.xml" <<'EOF'
import sys
import xml.etree.ElementTree as ET

total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        total["errors"] += 1  # a run that wrote no report failed
        continue
    for suite in root.iter("testsuite"):
        for key in total:
            total[key] += int(suite.get(key, 0))
failed = total["failures"] + total["errors"]
passed = total["tests"] - failed - total["skipped"]
print(f"tests: {passed} passed, {failed} failed, {total['skipped']} skipped")
EOF
if [ "$main_status" -eq 5 ]; then
  echo "test: no tests were collected - that is a failure" >&2
  exit 1
fi
[ "$main_status" -eq 0 ] && [ "$soak_status" -eq 0 ]
