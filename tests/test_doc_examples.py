"""Every command the README and docs/ show runs verbatim, as a user would type it after set-up (issue 28).

Each page's commands run in order, in a folder of their own (one command's output is the next one's
input: `import ... -o back.yaml`, then `check back.yaml`), with voiceguide on PATH as the README says
and the repository's `tests/` beside them. A command that runs until stopped (live play, the voice
sample, `serve`) must start cleanly and is then stopped with Ctrl-C.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.audio_sink import missing_tools, playing_into_sink
from tests.conftest import HANG_GUARD, ROOT, SHORT

pytestmark = [pytest.mark.slow, pytest.mark.espeak, pytest.mark.ffmpeg]

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Commands a user types at a shell prompt: indented four spaces in a page, voiceguide's own or piped into it.
COMMAND = re.compile(r"^ {4}((?:\.venv/bin/)?voiceguide [^\n]*|cat [^\n]*\| *voiceguide [^\n]*)$", re.M)
SET_UP = ("scripts/setup.sh",)  # installs; run by CI itself
SYNOPSIS = re.compile(r"\[[A-Z-]+\]")  # `voiceguide render [ROUTINE] [-o FILE] ...`: a usage line, not a command
UNTIL_STOPPED = re.compile(r"^(?:\.venv/bin/)?voiceguide (play|serve)\b|--sample (?!.* -o )")
STARTED = 4.0  # seconds a command that runs until stopped must run without failing before Ctrl-C: past start-up


def commands(page: Path) -> list[str]:
    found = []
    for line in COMMAND.findall(page.read_text(encoding="utf-8")):
        command = re.sub(r"\s+#.*$", "", line).strip()  # a trailing comment explains, it is not typed
        if not SYNOPSIS.search(command) and not command.startswith(SET_UP):
            found.append(command)
    return found


def yaml_block(page: Path, first_key: str) -> str:
    match = re.search(rf"```yaml\n({first_key}: .*?)```", page.read_text(encoding="utf-8"), re.S)
    assert match, f"{page.name} has no YAML block starting with {first_key}:"
    return match.group(1)


def folder_for(page: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A user's folder for the page's commands: the files they name, and voiceguide on PATH."""
    home = tmp_path / "home"
    (home / "my-sounds").mkdir(parents=True)
    for cue in (ROOT / "audio_cues").glob("*.wav"):
        shutil.copy(cue, home / "my-sounds" / cue.name)
    work = tmp_path / "work"
    work.mkdir()
    (work / "tests").symlink_to(ROOT / "tests")
    (work / ".venv").symlink_to(Path(sys.executable).parent.parent)  # the README's `.venv/bin/voiceguide`
    shutil.copy(SHORT, work / "my-routine.yaml")
    if page.name == "programmes.md":
        (work / "back.yaml").write_text(yaml_block(page, "program"), encoding="utf-8")
    env = {
        **os.environ, "HOME": str(home), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    env.pop("XDG_CONFIG_HOME", None)  # the user's own ~/.config, empty in this home
    return work, env


def run_until_stopped(command: str, work: Path, env: dict[str, str]) -> None:
    process = subprocess.Popen(
        ["bash", "-c", f"exec {command}"], cwd=work, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        process.wait(STARTED)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=HANG_GUARD)
        assert "Traceback" not in err, f"{command}: {err}"
        assert process.returncode in (0, 130), f"{command}: exit {process.returncode}: {err}"
        return
    _, err = process.communicate()
    assert process.returncode == 0, f"{command} stopped by itself with exit {process.returncode}: {err}"


def run_page(page: Path, tmp_path: Path) -> list[str]:
    work, env = folder_for(page, tmp_path)
    ran = []
    for command in commands(page):
        if UNTIL_STOPPED.search(command):
            run_until_stopped(command, work, env)
        else:
            began = time.monotonic()
            result = subprocess.run(
                ["bash", "-c", f"set -o pipefail; {command}"], cwd=work, env=env, stdin=subprocess.DEVNULL,
                capture_output=True, text=True, timeout=HANG_GUARD,
            )  # fmt: skip
            assert result.returncode == 0, f"{page.name}: {command} (after {time.monotonic() - began:.1f} s): {result.stderr}"
        ran.append(command)
    return ran


@pytest.mark.parametrize("page", [p for p in PAGES if commands(p) and not any(UNTIL_STOPPED.search(c) for c in commands(p))],
                         ids=lambda p: p.name)
def test_the_commands_of_a_page_run_as_written(page, tmp_path):
    assert run_page(page, tmp_path) == commands(page)


@pytest.mark.audio_device  # a sound server of the test's own, so these may run beside others: they time nothing
@pytest.mark.parametrize("page", [p for p in PAGES if any(UNTIL_STOPPED.search(c) for c in commands(p))], ids=lambda p: p.name)
def test_the_commands_of_a_page_with_live_play_run_as_written(page, tmp_path, tmp_path_factory):
    missing = missing_tools()
    if missing:
        pytest.skip(f"no PulseAudio to play into: missing {', '.join(missing)}")
    with playing_into_sink(tmp_path_factory.mktemp("pulse")):
        assert run_page(page, tmp_path) == commands(page)


def test_the_pages_show_commands_to_run():
    """The harness finds what the pages show: the README's plan, the import page's pipe, live play's keys."""
    assert "voiceguide plan" in [c.removeprefix(".venv/bin/") for c in commands(ROOT / "README.md")]
    assert any(c.startswith("cat ") for c in commands(ROOT / "docs" / "import.md"))
    assert sum(c.startswith("voiceguide play") for c in commands(ROOT / "docs" / "playing.md")) >= 3
