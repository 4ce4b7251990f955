#!/usr/bin/env bash
# Run voiceguide's checks as CI does: ruff, the layers, the types, then the two test tiers.
#
#   scripts/test.sh    ruff; lint-imports (docs/architecture.md's layers); mypy; the fast tier
#                      (pytest -q, on every core); then the slow tier: its long fault, property,
#                      browser and whole-session tests on every core, then its realtime ones (live
#                      play into the sound server, recorded) six at a time, then the one that
#                      loads the machine on purpose, by itself
#
# Realtime tests run after everything else: they measure onsets in a recording, and a machine
# busy with renders makes their hang guards the verdict.
# The exit status is non-zero if any check failed; the last line counts every run.
set -uo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in -h|--help) sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
python=.venv/bin/python
.venv/bin/ruff check . || exit 1
.venv/bin/lint-imports --no-cache >/dev/null || { .venv/bin/lint-imports --no-cache; exit 1; }  # quiet when the layers hold
.venv/bin/mypy || exit 1
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
status=0
tier() {  # tier NAME BOUND PYTEST-ARGS...: one pytest run, logged; a failure is remembered, the next runs anyway
  local name=$1 bound=$2
  shift 2
  # A bound far above the run's time on a busy machine: a hang the per-test timeout cannot
  # interrupt still ends the run, with pytest's summary of what ran.
  timeout --signal=INT --kill-after=60 "$bound" "$python" -m pytest -q "$@" 2>&1 | tee "$logs/$name"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1  # pytest's 5, "no tests collected", counts as failed too
}
tier fast 1500
tier slow 1500 -m "slow and not realtime"
# Realtime tests mostly wait for the sound to play (a fifth of a core each), each module into its own sound
# server: six at once.
tier realtime 1500 -m "slow and realtime and not alone" -n 6 --dist load
tier alone 600 -m "alone" -n 0
count() {  # the number before "$1" in a pytest log's closing line, or 0
  local n
  n=$(tail -n 1 "$2" | grep -Eo "[0-9]+ $1" | cut -d' ' -f1)
  echo "${n:-0}"
}
passed=0
failed=0
for log in "$logs"/fast "$logs"/slow "$logs"/realtime "$logs"/alone; do
  passed=$(( passed + $(count passed "$log") ))
  failed=$(( failed + $(count failed "$log") + $(count error "$log") ))
done
echo "both tiers: $passed passed, $failed failed"
exit "$status"
