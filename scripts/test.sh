#!/usr/bin/env bash
# Run voiceguide's checks as CI does: ruff, the layers, the types, then the two test tiers.
#
#   scripts/test.sh    ruff; lint-imports (docs/architecture.md's layers); mypy; the fast tier
#                      (pytest -q, on every core); then the slow tier (pytest -q -m slow -n 0: live
#                      play in real time, the browser, long fault tests, one at a time)
#
# The slow tier runs after the fast one, not beside it: its real-time tests measure onsets in a
# recording, and a machine busy with the fast tier's renders makes their hang guards the verdict.
# The exit status is non-zero if any check failed; the last line counts both tiers.
set -uo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in -h|--help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
python=.venv/bin/python
.venv/bin/ruff check . || exit 1
.venv/bin/lint-imports --no-cache >/dev/null || { .venv/bin/lint-imports --no-cache; exit 1; }  # quiet when the layers hold
.venv/bin/mypy || exit 1
fast_log=$(mktemp)
slow_log=$(mktemp)
trap 'rm -f "$fast_log" "$slow_log"' EXIT
# Each tier has a bound far above its time on a busy machine (about 1.5 and 6 minutes): a hang the
# per-test timeout cannot interrupt still ends the tier, with pytest's summary of what ran.
timeout --signal=INT --kill-after=60 1500 "$python" -m pytest -q 2>&1 | tee "$fast_log"
fast_status=${PIPESTATUS[0]}
timeout --signal=INT --kill-after=60 2400 "$python" -m pytest -q -m slow -n 0 2>&1 | tee "$slow_log"
slow_status=${PIPESTATUS[0]}
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
