#!/usr/bin/env bash
# Run voiceguide's checks as CI does: ruff and the layers, then both test tiers side by side.
#
#   scripts/test.sh          ruff, lint-imports (docs/architecture.md's layers); the fast tier (pytest -q)
#                            and the slow tier (pytest -q -m slow -n 0) at once
#
# The slow tier mostly waits on real time (sessions played into a private sound server, a browser),
# the fast one computes, so together they take about as long as the slow one alone; the slow tier's
# timing bounds are meant to hold on a busy machine. Each tier's output is shown whole, one after
# the other; the exit status is non-zero if either failed. To run one tier: .venv/bin/python -m pytest
# -q (fast) or -q -m slow -n 0.
set -uo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in -h|--help) sed -n '2,11s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
python=.venv/bin/python
.venv/bin/ruff check . || exit 1
.venv/bin/lint-imports --no-cache >/dev/null || { .venv/bin/lint-imports --no-cache; exit 1; }  # quiet when the layers hold
slow_log=$(mktemp)
fast_log=$(mktemp)
trap 'rm -f "$slow_log" "$fast_log"' EXIT
"$python" -m pytest -q -m slow -n 0 >"$slow_log" 2>&1 &
slow=$!
"$python" -m pytest -q 2>&1 | tee "$fast_log"
fast_status=${PIPESTATUS[0]}
wait "$slow"
slow_status=$?
echo "--- slow tier (pytest -q -m slow -n 0) ---"
cat "$slow_log"
count() {  # the number before "$1" in a pytest log's closing line, or 0
  local n
  n=$(tail -n 1 "$2" | grep -Eo "[0-9]+ $1" | cut -d' ' -f1)
  echo "${n:-0}"
}
passed=$(( $(count passed "$fast_log") + $(count passed "$slow_log") ))
failed=$(( $(count failed "$fast_log") + $(count failed "$slow_log") + $(count error "$fast_log") + $(count error "$slow_log") ))
echo "both tiers: $passed passed, $failed failed"
# pytest's exit code 5 is "no tests collected": a tier that ran nothing has failed too.
[ "$fast_status" -eq 0 ] && [ "$slow_status" -eq 0 ]
