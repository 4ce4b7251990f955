#!/usr/bin/env bash
# Set up voiceguide on a Debian/Ubuntu machine: system packages (where it can), then the
# package in .venv. `scripts/setup.sh --test` also installs the test tools (and Debian's
# chromium + chromium-driver, which the session page tests drive headless; nothing downloads a browser).
# Says plainly what it could not do; exits non-zero only if the Python install fails.
set -u
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--test" ] && extras="[test]"

packages=(espeak-ng ffmpeg libasound2-dev pulseaudio pulseaudio-utils libasound2-plugins tmux gcc python3-dev python3-venv)
[ -n "$extras" ] && packages+=(chromium chromium-driver)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
problems=()
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    problems+=("no apt-get here: install ${missing[*]} with your system's package manager")
  else
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Installing system packages: ${missing[*]}"
    if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
      problems+=("could not apt-get install ${missing[*]} (speech needs espeak-ng, MP3 needs ffmpeg, live play needs libasound2-dev to build pyalsaaudio, the page tests chromium)")
    fi
  fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv || { echo "setup: could not create .venv with $python (install python3-venv)" >&2; exit 1; }
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if ! .venv/bin/python -m pip install -q -e ".$extras"; then
  echo "setup: pip could not install voiceguide into .venv" >&2
  exit 1
fi

if [ ${#problems[@]} -gt 0 ]; then
  printf 'setup: %s\n' "${problems[@]}" >&2
fi
echo "setup: ready: .venv/bin/voiceguide (to type just 'voiceguide': export PATH=\"\$PWD/.venv/bin:\$PATH\")"
