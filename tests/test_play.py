"""Live play on the real audio path: simpleaudio -> ALSA -> PulseAudio null sink, recorded with parec.

Onsets heard in the recording are compared with the timeline (after aligning the first),
so these tests check what a listener would notice: cues on time, pauses that go quiet
and shift the rest, skips that land on exercise starts, keys in a real terminal.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

import voiceguide
from tests.audio_sink import (
    RATE,
    NullSink,
    clip_onset,
    loud_frames,
    match,
    missing_tools,
    onsets,
    quiet_from,
)
from tests.conftest import ROOT, run_cli
from voiceguide.audio.leveling import Leveled
from voiceguide.audio.sounds import Sounds
from voiceguide.cli.keys import split_keys
from voiceguide.cli.live_panel import Lines, render
from voiceguide.live import output as audio_out
from voiceguide.live.session import Status
from voiceguide.speech.engine import Speech

SHORT = str(ROOT / "tests" / "routines" / "short.yaml")
CHOICES = {"brief": True, "rest": 1.0, "breath": "1:1"}
ARGS = [SHORT, "--brief", "--rest", "1", "--breath", "1:1"]
TOLERANCE = 0.030  # every cue within 30 ms of its planned time
STOP_WITHIN = 0.100  # pause: quiet within 100 ms
SLACK = 0.015  # what the recording's own timing may add to a measured stop


@pytest.fixture(scope="module")
def sink(tmp_path_factory):
    missing = missing_tools()
    if missing:
        pytest.skip(f"no PulseAudio to play into: missing {', '.join(missing)}")
    sink = NullSink(tmp_path_factory.mktemp("pulse")).start()
    saved = {k: os.environ.get(k) for k in sink.env}
    os.environ.update(sink.env)  # for simpleaudio in this process and every CLI run
    yield sink
    sink.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def expected_onsets(events_and_sounds) -> list[tuple[float, float]]:  # noqa: ANN001
    """(onset, end) of each audible event: where its clip passes the loudness threshold, and where it ends."""
    return [(e.start + clip_onset(s), e.end) for e, s in events_and_sounds]


def planned(speech) -> list[tuple[float, float]]:  # noqa: ANN001
    timeline = voiceguide.plan(SHORT, speech=speech, **CHOICES)
    sounds = Leveled(Sounds(speech))  # what the player plays
    return expected_onsets((e, sounds(e)) for e in timeline.events if e.kind in ("speech", "cue"))


@pytest.mark.espeak
@pytest.mark.audio_device
def test_play_command_speaks_every_cue_on_time(sink, speech):
    plan = planned(speech)
    with sink.record("cli") as recording:
        result = run_cli("play", *ARGS, timeout=120)
    assert result.returncode == 0, result.stderr
    found = onsets(recording.samples)
    assert found.size, "nothing was heard"
    shift = found[0] - plan[0][0]
    errors = match([t + shift for t, _ in plan], found)
    worst = max(abs(e) for e in errors)
    assert worst <= TOLERANCE, f"onset errors (ms): {[round(e * 1000) for e in errors]}"
    # Nothing else was heard: every onset falls within a planned sound.
    stray = [t - shift for t in found if not any(a - TOLERANCE <= t - shift <= b for a, b in plan)]
    assert not stray, f"sound where the plan has none, at {stray}"
    lines = result.stdout.splitlines()
    assert any("Exercise 1 of 2: Neck turn] Keep breathing." in line for line in lines)
    assert any("rep 2 of 2] Last one." in line for line in lines)
    assert lines[-1].endswith("finished")


@pytest.mark.espeak
@pytest.mark.audio_device
def test_session_pauses_resumes_and_skips_with_cues_on_time(sink, speech, monkeypatch):
    # Short tapes, so a hand-over from one stream to the next happens mid-session too.
    monkeypatch.setattr(audio_out, "TAPE_CAPACITY", 6.0)
    timeline = voiceguide.plan(SHORT, speech=speech, **CHOICES)
    exercise_starts = [min(e.start for e in timeline.events if e.index == n) for n in (1, 2)]
    heading = next(e for e in timeline.events if e.role == "announce" and e.index == 1)
    hold_said = next(e for e in timeline.events if e.text.startswith("Hold for"))
    with sink.record("controls") as recording:
        session = voiceguide.play(SHORT, wait=False, speech=speech, **CHOICES)

        def until(position: float) -> None:
            while session.position() < position:
                time.sleep(0.005)

        until(heading.start + heading.duration / 2)  # mid-way through "Exercise 1 of 2: Neck turn."
        paused_at = session.pause()
        time.sleep(1.5)
        assert session.state == "paused" and session.position() == paused_at
        assert session.resume() == pytest.approx(paused_at, abs=0.01)
        until(hold_said.start + hold_said.duration / 2)  # during "Hold for eight seconds."
        assert session.next() == pytest.approx(exercise_starts[1], abs=0.01)
        assert session.status().index == 2
        until(exercise_starts[1] + 3.0)
        assert session.previous() == pytest.approx(exercise_starts[1], abs=0.01)  # back to its start
        time.sleep(1.6)  # not quickly: the start of this exercise again
        assert session.previous() == pytest.approx(exercise_starts[1], abs=0.01)
        assert session.previous() == pytest.approx(exercise_starts[0], abs=0.01)  # quickly: the exercise before
        time.sleep(2.5)
        session.quit()
        assert session.wait(1)
    history = session.history
    found = onsets(recording.samples)
    heard = planned(speech)
    first = history[0]
    assert first.action == "play" and first.position == 0
    shift = found[0] - heard[0][0]  # recording time of the session's position 0 while the first stream played

    def recorded(at: float, position: float, onset: float) -> float:
        return shift + (at - first.at) + (onset - position)

    checked = 0
    plays = [(i, m) for i, m in enumerate(history) if m.action == "play"]
    for i, mark in plays:
        ended = next((m for m in history[i + 1 :] if m.action in ("pause", "seek", "quit")), None)
        played = (ended.at - mark.at) if ended else float("inf")
        sought = history[i - 1].position if i and history[i - 1].action == "seek" else mark.position
        due = [t for t, _ in heard if sought <= t < mark.position + played - 0.2]
        errors = match([recorded(mark.at, mark.position, t) for t in due], found)
        assert all(abs(e) <= TOLERANCE for e in errors), f"stream from {mark.position:.2f}: {[round(e * 1000) for e in errors]}"
        checked += len(due)
    assert checked >= 8
    assert any(history[i - 1].action == "play" for i, _ in plays[1:]), "no hand-over from one tape to the next"

    pause = next(m for m in history if m.action == "pause")
    at = recorded(pause.at, pause.position, pause.position)
    assert loud_frames(recording.samples[int((at - 0.3) * RATE) : int(at * RATE)]).any(), "nothing was playing to pause"
    silent = quiet_from(recording.samples, at - 0.01, 1.0)
    assert silent - at <= STOP_WITHIN + SLACK, f"sound went on {1000 * (silent - at):.0f} ms after pause"


@dataclass
class Terminal:
    process: subprocess.Popen
    main: int  # our side of the pty: read the screen, type keys
    before: list  # the terminal's settings when the program started
    after: list | None = None  # and when it had ended


@contextmanager
def in_terminal(*args: str) -> Iterator[Terminal]:
    """`python -m voiceguide ARGS` in a pty of its own; afterwards, the pty's settings are in `after`."""
    main, other = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "LINES": "20", "TERM": "xterm-256color"}

    def own_terminal() -> None:  # a session of its own with the pty as its terminal, so Ctrl-C there reaches it
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    before = termios.tcgetattr(other)
    process = subprocess.Popen(
        [sys.executable, "-m", "voiceguide", *args], stdin=other, stdout=other, stderr=other, cwd=ROOT, env=env,
        preexec_fn=own_terminal,
    )
    terminal = Terminal(process, main, before)
    try:
        yield terminal
    finally:
        if process.poll() is None:
            process.kill()
        terminal.after = termios.tcgetattr(other)
        os.close(main)
        os.close(other)


def read_until(main: int, pattern: str, seconds: float, seen: list[str]) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", "".join(seen))  # the screen's text, without its styling
        if re.search(pattern, text):
            return text
        if select.select([main], [], [], 0.05)[0]:
            try:
                seen.append(os.read(main, 65536).decode("utf-8", errors="replace"))
            except OSError:
                break
    raise AssertionError(f"never showed {pattern!r}; screen so far: {''.join(seen)[-1500:]!r}")


@pytest.mark.espeak
@pytest.mark.audio_device
def test_play_in_a_terminal_takes_keys_and_restores_it(sink):
    seen: list[str] = []
    with in_terminal("play", *ARGS) as terminal:
        main = terminal.main
        read_until(main, r"Short test routine", 10, seen)
        seen.clear()
        os.write(main, b"n")  # next: exercise 1
        read_until(main, r"Exercise 1 of 2: Neck turn", 3, seen)
        os.write(main, b"\x1b[C")  # right arrow: exercise 2
        read_until(main, r"Shoulder roll", 3, seen)
        seen.clear()
        os.write(main, b" ")
        read_until(main, r"PAUSED", 3, seen)
        seen.clear()
        os.write(main, b" ")
        read_until(main, r"Short test routine ─", 3, seen)
        os.write(main, b"q")
        assert terminal.process.wait(10) == 0
    assert terminal.after == terminal.before  # the terminal is back as it was: echo and line editing on


@pytest.mark.espeak
@pytest.mark.audio_device
def test_ctrl_c_stops_the_sound_at_once_and_exits_130(sink):
    seen: list[str] = []
    with sink.record("interrupt") as recording, in_terminal("play", *ARGS) as terminal:
        read_until(terminal.main, r"Exercise one of two: Neck turn\.”", 15, seen)  # spoken from 1.9 s to 5.6 s
        time.sleep(0.5)
        interrupted = time.monotonic()
        os.write(terminal.main, b"\x03")
        assert terminal.process.wait(10) == 130
        time.sleep(1.2)  # record the quiet after it
    assert terminal.after == terminal.before
    at = interrupted - recording.began
    assert loud_frames(recording.samples[int((at - 0.3) * RATE) : int(at * RATE)]).any(), "nothing was playing"
    silent = quiet_from(recording.samples, at - 0.01, 1.0)
    # Ctrl-C also has to reach the process through the terminal and Python's signal handling.
    assert silent - at <= STOP_WITHIN + 0.05, f"sound went on {1000 * (silent - at):.0f} ms after Ctrl-C"


@pytest.mark.espeak
def test_no_audio_device_is_one_line_and_exit_2(tmp_path):
    config = tmp_path / "asound.conf"
    config.write_text("</usr/share/alsa/alsa.conf>\npcm.!default { type hw; card 7 }\nctl.!default { type hw; card 7 }\n")
    result = run_cli(
        "play", *ARGS, env={"ALSA_CONFIG_PATH": str(config), "PULSE_SERVER": str(tmp_path / "no-such-server")}
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "voiceguide render" in result.stderr
    assert "ALSA" not in result.stderr + result.stdout and "Traceback" not in result.stderr


def test_display_shows_exercise_rep_cue_countdown_and_time_left():
    status = Status(
        "playing", 125.0, 600.0, "Lower back", 5, exercise="Cat-cow stretch", index=2, side="left", rep=3, reps=8,
        speaking="Breathe out.", speaking_at=124.0, hold="30 seconds", hold_left=11.2,
    )  # fmt: skip
    from rich.console import Console

    console = Console(width=100, record=True)
    console.print(render(status))
    text = console.export_text()
    assert "Exercise 2 of 5: Cat-cow stretch, left side, rep 3 of 8" in text
    assert "“Breathe out.”" in text and "Hold 30 seconds: 12 s left" in text
    assert "2:05 / 10:00 · 7:55 left" in text
    console.print(render(Status("paused", 0, None, "Lower back", 5, breath="inhale", breath_left=2.5)))
    text = console.export_text()
    assert "PAUSED" in text and "Inhale… 3" in text and "0:00 played" in text
    console.print(render(Status("playing", 9, 60, "T", 1, hold="6 breaths", hold_left=50.5, breath="exhale", breath_left=0.4)))
    assert "Exhale… 1   ·   Hold 6 breaths: 51 s left" in console.export_text()


def test_plain_lines_name_each_cue_once_and_each_change_of_state():
    from rich.console import Console

    console = Console(width=200, record=True, force_terminal=False)
    lines = Lines(console)
    cue = Status("playing", 3.0, 40.0, "T", 2, exercise="Neck", index=1, speaking="Turn.", speaking_at=2.5)
    for status in (cue, cue, Status("paused", 3.2, 40.0, "T", 2, exercise="Neck", index=1, speaking="Turn.", speaking_at=2.5)):
        lines.show(status)
    assert console.export_text().splitlines() == ["0:03 [Exercise 1 of 2: Neck] Turn.", "0:03 paused"]


def test_keys_keep_escape_sequences_whole():
    assert split_keys("n\x1b[Cq \x1b[D") == ["n", "\x1b[C", "q", " ", "\x1b[D"]


@pytest.mark.espeak
@pytest.mark.audio_device
def test_controls_after_quit_return_at_once(sink, tmp_path):
    """'q' then 'n' in one key read must not freeze the player while clips are still being made."""
    cold = Speech(rate=150, cache=tmp_path / "cache")
    session = voiceguide.play(SHORT, wait=False, speech=cold, **CHOICES)
    session.quit()
    steering = threading.Thread(target=lambda: (session.next(), session.previous()), daemon=True)
    steering.start()
    steering.join(3)
    assert not steering.is_alive(), "next()/previous() after quit() hung"
    assert session.state == "stopped"
