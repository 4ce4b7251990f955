#!/usr/bin/env bash
# Regenerate the lock files from pyproject.toml: the newest versions its ranges allow, hash-pinned.
#
#   scripts/lock.sh     writes requirements-test.lock (voiceguide + test tools), requirements.lock
#                       (voiceguide alone, at the same versions) and requirements-bench.lock (the bench's
#                       recogniser); then run the tests and commit them all.
#
# uv resolves once for every Python voiceguide supports (markers kept: audioop-lts only on 3.13+),
# which pip-tools cannot; installs need only pip (scripts/setup.sh). setuptools is locked too, so
# the editable install builds with no unpinned download.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in -h|--help) sed -n '2,9s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
UV_VERSION=0.13.9
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
python3 -m pip install -q --disable-pip-version-check --target "$tools" "uv==$UV_VERSION"
uv() { "$tools/bin/uv" pip compile --quiet --universal --python-version 3.10 --generate-hashes --no-header "$@"; }
build=$(sed -n 's/^requires = \["\(.*\)"\]$/\1/p' pyproject.toml)  # the build system's own requirement
echo "$build" | uv pyproject.toml --extra test - -o requirements-test.lock
echo "$build" | uv pyproject.toml - -c requirements-test.lock -o requirements.lock
echo "$build" | uv pyproject.toml --extra test --extra bench - -c requirements-test.lock -o requirements-bench.lock
echo "lock: wrote requirements-test.lock, requirements.lock and requirements-bench.lock"
