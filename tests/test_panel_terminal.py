"""The live panel as a person sees it in a real terminal (tmux): at 120×40 and at 40×15, during a hold, a breath
phase, a pause and a rest, it shows the right labels and nothing cut off.

`voiceguide play` runs in a tmux window of each size, playing into the test's null sink; the screen is read
(`capture-pane`) until it shows the moment wanted, then checked: one whole box inside the window, the title, the
instruction in force, "Next:" only in the rest (not in a pause, not in a hold), PAUSED only once space was pressed.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT

ROUTINE = """\
title: Panel check
settings:
  rest: 5
  breath: "4:4"
exercises:
  - name: Stand still
    steps:
      - say: Stand tall and let your arms hang.
      - hold: 8 seconds
  - name: Easy breathing
    steps:
      - say: Breathe slowly through your nose.
      - breathe: 4 cycles
"""
TITLE = "Panel check"
WAIT = 90.0  # hang guard: the whole session lasts under a minute



class Window:
    def __init__(self, socket: str, columns: int, rows: int) -> None:
        self.socket, self.columns, self.rows = socket, columns, rows

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-S", self.socket, *args], capture_output=True, text=True, check=True, cwd=ROOT).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "play")

    def until(self, wanted: Callable[[str], bool], what: str) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            screen = self.screen()
            if wanted(screen):
                return screen
            time.sleep(0.15)
        raise AssertionError(f"{self.columns}×{self.rows}: no {what} on screen:\n{self.screen()}")

    def key(self, key: str) -> None:
        self.tmux("send-keys", "-t", "play", key)


@contextmanager
def playing(tmp_path: Path, columns: int, rows: int) -> Iterator[Window]:
    routine = tmp_path / "panel.yaml"
    routine.write_text(ROUTINE, encoding="utf-8")
    window = Window(str(tmp_path / f"tmux-{columns}"), columns, rows)
    command = " ".join([sys.executable, "-m", "voiceguide", "play", str(routine), "--brief", "--lead-in", "0", "--rate", "200"])
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    subprocess.run(
        ["tmux", "-S", window.socket, "-f", "/dev/null", "new-session", "-d", "-x", str(columns), "-y", str(rows), "-s", "play", command],
        check=True, cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        window.tmux("set-option", "-t", "play", "remain-on-exit", "on")
        yield window
    finally:
        subprocess.run(["tmux", "-S", window.socket, "kill-server"], capture_output=True)


def whole(window: Window, screen: str, moment: str) -> str:
    """The screen holds one whole panel, nothing past its edges; returns its words on one line."""
    lines = [line.rstrip() for line in screen.splitlines()]
    where = f"{window.columns}×{window.rows}, {moment}:\n{screen}"
    assert sum("╭" in line for line in lines) == 1, where
    assert sum("╰" in line for line in lines) == 1, where  # the bottom border is on screen: nothing cut below
    assert all(len(line) <= window.columns for line in lines), where
    assert TITLE in screen, where
    return " ".join(line.strip("│ ") for line in lines)


@pytest.mark.plays(45)
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="no tmux to size a terminal with")
@pytest.mark.usefixtures("sink")
@pytest.mark.parametrize(("columns", "rows"), [(120, 40), (40, 15)])
def test_the_panel_shows_hold_breath_pause_and_rest_whole(tmp_path, columns, rows):
    with playing(tmp_path, columns, rows) as window:
        held = window.until(lambda s: "seconds left" in s or "s left" in s, "hold countdown")
        text = whole(window, held, "a hold")
        assert "Stand tall and let your arms hang." in text, held  # the instruction stays through the hold
        assert "Next" not in text, held
        assert "PAUSED" not in text, held
        if rows >= 40:
            assert sum("█" in line for line in held.splitlines()) >= 7, held  # digits at least seven rows high

        rest = window.until(lambda s: "Rest" in s and "Next" in s and "Easy breathing" in s, "rest with what is next")
        text = whole(window, rest, "the rest")
        assert "Rest" in text, rest
        assert "PAUSED" not in text, rest

        breath = window.until(lambda s: "inhale" in s.lower() or "exhale" in s.lower(), "breath phase")
        text = whole(window, breath, "a breath phase")
        assert "Breathe slowly through your nose." in text, breath
        assert "Next" not in text, breath

        window.key("Space")
        paused = window.until(lambda s: "PAUSED" in s, "PAUSED after space")
        text = whole(window, paused, "a pause")
        assert "Breathe slowly through your nose." in text, paused
        assert "Next" not in text, paused
        assert " Rest" not in text, paused  # a pause is the user's, not a rest
        window.key("q")


def test_piped_lines_are_one_unwrapped_line_per_cue():
    """`play | cat`: a cue longer than 80 columns stays on its one line."""
    from rich.console import Console

    from voiceguide.cli.live_panel import Lines
    from voiceguide.live.session import Status

    console = Console(width=80, record=True, force_terminal=False)
    said = "Let your legs roll slowly to the left, towards the floor, until you feel a stretch, and breathe."
    cue = Status("playing", 40.0, 600.0, "Lower back", 5, part="exercise", exercise="Supine twist", index=1)
    cue = dataclasses.replace(cue, speaking=said, speaking_at=39.9)
    Lines(console).show(cue)
    assert console.export_text().splitlines() == [f"0:40 [Exercise 1 of 5: Supine twist] {said}"]
