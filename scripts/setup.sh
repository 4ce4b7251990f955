#!/usr/bin/env bash
# Set up voiceguide on a Debian/Ubuntu machine, in .venv, from the lock file.
#
#   scripts/setup.sh          what rendering and live play need: espeak-ng, ffmpeg, the Piper voice
#   scripts/setup.sh --test   and what the tests need: a PulseAudio sound server, tmux, Debian's chromium
#
# Python packages come from requirements.lock (requirements-test.lock with --test), hash-pinned,
# so a fresh machine gets exactly the versions the tests passed with. Exits non-zero naming the
# piece that is missing when something required could not be installed.
set -u
cd "$(dirname "$0")/.."

case "${1:-}" in
  "") mode=main ;;
  --test) mode=test ;;
  -h|--help) sed -n '2,9s/^# \{0,1\}//p' "$0"; exit 0 ;;
  *) echo "setup: unknown option '$1' (scripts/setup.sh [--test])" >&2; exit 2 ;;
esac

# Debian package -> the command that shows it is there (for the final check).
declare -A needs=([espeak-ng]=espeak-ng [ffmpeg]=ffmpeg [libasound2-dev]="" [gcc]=gcc [python3-dev]="" [python3-venv]="")
if [ "$mode" = test ]; then
  needs+=([pulseaudio]=pulseaudio [pulseaudio-utils]=parec [libasound2-plugins]="" [tmux]=tmux [chromium]=chromium
          [chromium-driver]=chromedriver)
fi

missing=()
for p in "${!needs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "setup: no apt-get here: install ${missing[*]} with your system's package manager" >&2
  else
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "setup: installing ${missing[*]} (waits up to 5 minutes if another apt is running)"
    wait_lock=(-o DPkg::Lock::Timeout=300)
    log=$(mktemp)
    if ! { $sudo apt-get "${wait_lock[@]}" update -qq && DEBIAN_FRONTEND=noninteractive \
           $sudo apt-get "${wait_lock[@]}" install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
      echo "setup: apt-get could not install everything; its last lines:" >&2
      tail -n 5 "$log" >&2
    fi
    rm -f "$log"
  fi
fi
for p in "${!needs[@]}"; do
  command=${needs[$p]}
  if [ -n "$command" ] && ! command -v "$command" >/dev/null; then
    echo "setup: missing $command: install the Debian package $p (sudo apt-get install $p), then run this again" >&2
    exit 1
  fi
done

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv || { echo "setup: could not create .venv with $python: install python3-venv" >&2; exit 1; }
fi
lock=requirements.lock
[ "$mode" = test ] && lock=requirements-test.lock
echo "setup: installing voiceguide and its Python packages from $lock into .venv"
# --no-deps and --no-build-isolation: the lock holds everything, setuptools included, so nothing unpinned is fetched.
# pip's output is kept for when it fails (an editable build prints pages of setuptools notices when it works).
log=$(mktemp)
if ! { .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r "$lock" &&
       .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .; } >"$log" 2>&1; then
  grep -v "is ignored: it is neither" "$log" | tail -n 15 >&2
  echo "setup: pip could not install voiceguide into .venv (above: pip's last lines)" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
# An editable install compiles nothing: compile voiceguide's modules now, as pip does an installed package's, so no
# command pays for it (nor every command, where PYTHONDONTWRITEBYTECODE is set): about 0.07 s of each start.
.venv/bin/python -m compileall -q voiceguide >/dev/null
echo "setup: ready: .venv/bin/voiceguide (to type just 'voiceguide': export PATH=\"\$PWD/.venv/bin:\$PATH\")"
