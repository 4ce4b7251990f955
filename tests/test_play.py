"""Live play on the real audio path: pyalsaaudio -> ALSA -> PulseAudio null sink, recorded with parec.

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
import shutil
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest

import voiceguide
from tests.audio_sink import (
    RATE,
    CpuLoad,
    NullSink,
    clip_onset,
    dropouts,
    loud_frames,
    match,
    missing_tools,
    onsets,
    quiet_from,
)
from tests.conftest import HANG_GUARD, ROOT, SHORT, run_cli
from voiceguide.audio.leveling import Leveled
from voiceguide.audio.sounds import Sounds
from voiceguide.cli.keys import apply, split_keys
from voiceguide.cli.live_panel import Lines, big, render_big, render_compact, where
from voiceguide.errors import VoiceguideError
from voiceguide.live.session import Status, exercise_number
from voiceguide.routine import load_routine
from voiceguide.speech.engine import Speech

CHOICES = {"brief": True, "rest": 1.0, "breath": "1:1"}
ARGS = [str(SHORT), "--brief", "--rest", "1", "--breath", "1:1"]
TOLERANCE = 0.030  # every cue within 30 ms of its planned time
STOP_WITHIN = 0.100  # pause: quiet within 100 ms
SLACK = 0.015  # what the recording's own timing may add to a measured stop



def expected_onsets(events_and_sounds) -> list[tuple[float, float]]:
    """(onset, end) of each audible event: where its clip passes the loudness threshold, and where it ends."""
    return [(e.start + clip_onset(s), e.end) for e, s in events_and_sounds]


def planned(speech) -> list[tuple[float, float]]:
    timeline = voiceguide.plan(SHORT, speech=speech, **CHOICES)
    sounds = Leveled(Sounds(speech))  # what the player plays
    return expected_onsets((e, sounds(e)) for e in timeline.events if e.kind in ("speech", "cue"))


@pytest.mark.plays(60)
@pytest.mark.espeak
@pytest.mark.ffmpeg
@pytest.mark.audio_device
def test_play_command_prints_each_cue_and_lays_the_background_under_the_voice(sink, tmp_path):
    """Without a terminal: one line per cue; the same bed as render lays, heard between sentences, 8 dB or more
    lower under them. (Its cues on time: the session on a loaded machine, below.)"""
    tone = tmp_path / "drone.ogg"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=55:duration=6", str(tone)], check=True)
    with sink.record("bed") as recording:
        result = run_cli("play", *ARGS, "--background", str(tone), timeout=HANG_GUARD)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any("Neck turn] Hold for eight seconds." in line for line in lines)
    assert any("rep 2 of 2] Last one." in line for line in lines)
    assert any("[Introduction] Short test routine" in line for line in lines)
    assert any("[Closing] That is the end of the session." in line for line in lines)
    assert lines[-1].endswith("finished")
    assert "ALSA" not in result.stdout + result.stderr
    samples = recording.samples.astype(np.float64) / 32768
    window = int(0.2 * RATE)
    t = np.arange(window) / RATE
    hann = np.hanning(window)

    def tone_db(first: int) -> float:
        piece = samples[first : first + window] * hann
        return 20 * np.log10(abs(np.sum(piece * np.exp(-2j * np.pi * 55 * t))) * 2 / hann.sum() + 1e-9)

    levels = np.array([tone_db(i) for i in range(0, samples.size - window, window // 2)])
    heard = levels[levels > levels.max() - 30]  # the session, not the silence around the recording
    assert heard.size > 20
    assert levels.max() > -60  # the bed is there, live
    assert np.percentile(heard, 95) - np.percentile(heard, 10) >= 8  # and dips under the sentences


@pytest.mark.plays(25)
@pytest.mark.espeak
@pytest.mark.audio_device
def test_session_pauses_resumes_and_skips_with_cues_on_time(sink, speech):
    timeline = voiceguide.plan(SHORT, speech=speech, **CHOICES)
    exercise_starts = [min(e.start for e in timeline.events if e.index == n) for n in (1, 2)]
    heading = next(e for e in timeline.events if e.role == "announce" and e.index == 1)
    hold_said = next(e for e in timeline.events if e.text.startswith("Hold for"))
    with sink.record("controls") as recording:
        session = voiceguide.play(SHORT, wait=False, speech=speech, **CHOICES)

        def until(position: float) -> None:
            while session.position() < position:
                time.sleep(0.005)

        until(heading.start + heading.duration / 2)  # mid-way through "Exercise one of two: Neck turn."
        paused_at = session.pause()
        time.sleep(1.5)
        assert session.state == "paused"
        assert session.position() == paused_at
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
    assert first.action == "play"
    assert first.position == 0
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
def in_terminal(*args: str, env: dict | None = None) -> Iterator[Terminal]:
    """`python -m voiceguide ARGS` in a 100 x 24 pty of its own; afterwards, the pty's settings are in `after`."""
    main, other = pty.openpty()
    fcntl.ioctl(other, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = {**os.environ, **(env or {}), "TERM": "xterm-256color"}

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
@pytest.mark.usefixtures("sink")
def test_play_in_a_terminal_takes_keys_and_restores_it():
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
        read_until(terminal.main, r"EXERCISE ONE OF TWO: NECK TURN\.", 15, seen)  # spoken from 6.5 s to 9 s
        pump(terminal.main, 0.5)
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
    assert result.stderr.count("\n") == 1
    assert "voiceguide render" in result.stderr
    assert "ALSA" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def shown(renderable, width: int = 100) -> str:
    from rich.console import Console

    console = Console(width=width, record=True)
    console.print(renderable)
    return console.export_text()


def test_compact_display_shows_exercise_rep_cue_countdown_next_and_time_left():
    status = Status(
        "playing", 125.0, 600.0, "Lower back", 5, exercise="Cat-cow stretch", index=2, side="left", rep=3, reps=8,
        part="exercise", speaking="Breathe out.", speaking_at=124.0, hold="30 seconds", hold_left=11.2, next_up="3. Bridge",
    )  # fmt: skip
    text = shown(render_compact(status))
    assert "Exercise 2 of 5: Cat-cow stretch, left side, rep 3 of 8" in text
    assert "“Breathe out.”" in text
    assert "Hold 30 seconds: 12 s left" in text
    assert "3. Bridge" in text
    assert "2:05 / 10:00 · 7:55 left" in text
    text = shown(render_compact(Status("paused", 0, None, "Lower back", 5, breath="inhale", breath_left=2.5)))
    assert "PAUSED · space to resume" in text
    assert "Inhale… 3" in text
    assert "0:00 played" in text


def test_big_display_counts_breaths_and_reads_at_40_columns():
    status = Status(
        "paused", 90, 600, "Lower back", 5, clock=100, length=610, part="exercise", exercise="Belly breathing", index=4,
        hold="6 breaths", hold_left=40.0, breath="exhale", breath_left=3.2, breath_number=2, breaths=6,
        speaking="Breathe out slowly.", next_up="5. Child's pose", dropouts=2,
    )  # fmt: skip
    for width in (100, 40):
        text = shown(render_big(status), width)
        lines = text.splitlines()
        assert all(len(line) <= width for line in lines)
        assert big("2/6").splitlines()[0].strip() in text  # the breath count in block digits
        assert "breath 2 of 6 · exhale  4" in text
        assert "PAUSED" in text
        assert "BREATHE OUT SLOWLY." in text
        assert "Next: 5. Child's pose" in text
        assert "audio dropouts: 2" in text
        assert "1:40 / 10:10" in text
        assert "q quit" in text.replace("\n", " ").replace("│", " ")  # the key hint wraps, it is not cut off
    plank = Status("playing", 20, 60, "T", 1, part="exercise", exercise="Plank", index=1, hold="20 seconds", hold_left=27.3)
    held = shown(render_big(plank))
    assert big("28").splitlines()[2] in held
    assert "hold 20 seconds: seconds left" in held


def test_labels_name_the_introduction_and_the_closing():
    assert where(Status("playing", 1, 60, "T", 2, part="intro")) == "Introduction"
    assert where(Status("finished", 60, 60, "T", 2, part="closing", role="")) == "Closing"
    assert where(Status("playing", 9, 60, "T", 2, part="exercise", exercise="Neck", index=1, rep=1, reps=1)) == "Exercise 1 of 2: Neck"


def test_plain_lines_name_each_cue_once_and_each_change_of_state():
    from rich.console import Console

    console = Console(width=200, record=True, force_terminal=False)
    lines = Lines(console)
    cue = Status("playing", 3.0, 40.0, "T", 2, part="exercise", exercise="Neck", index=1, speaking="Turn.", speaking_at=2.5)
    paused = replace(cue, state="paused", position=3.2)
    for status in (cue, cue, paused):
        lines.show(status)
    assert console.export_text().splitlines() == ["0:03 [Exercise 1 of 2: Neck] Turn.", "0:03 paused"]


def test_keys_keep_escape_sequences_whole():
    assert split_keys("n\x1b[Cq \x1b[D") == ["n", "\x1b[C", "q", " ", "\x1b[D"]


@pytest.mark.espeak
@pytest.mark.audio_device
@pytest.mark.usefixtures("sink")
def test_controls_after_quit_return_at_once(tmp_path):
    """'q' then 'n' in one key read must not freeze the player while clips are still being made."""
    cold = Speech(rate=150, cache=tmp_path / "cache")
    session = voiceguide.play(SHORT, wait=False, speech=cold, **CHOICES)
    session.quit()
    steering = threading.Thread(target=lambda: (session.next(), session.previous()), daemon=True)
    steering.start()
    steering.join(3)
    assert not steering.is_alive(), "next()/previous() after quit() hung"
    assert session.state == "stopped"


def planned_sounds(speech, routine: str | Path = SHORT, **choices) -> list[tuple[float, object]]:
    """(start, clip) of every sound the plan has, as the player mixes them."""
    timeline = voiceguide.plan(routine, speech=speech, **(choices or CHOICES))
    sounds = Leveled(Sounds(speech))
    return [(e.start, sounds(e)) for e in timeline.events if e.kind in ("speech", "cue")]


def read_all(main: int, process: subprocess.Popen, seconds: float) -> str:
    """Everything the program shows until it exits (a pty must be read or the program blocks on it)."""
    seen, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        if select.select([main], [], [], 0.05)[0]:
            try:
                seen.append(os.read(main, 65536).decode("utf-8", errors="replace"))
            except OSError:
                break
        elif process.poll() is not None:
            break
    return "".join(seen)


def pump(main: int, seconds: float) -> None:
    """Read (and drop) what the program shows for a while: an unread pty blocks it."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        if select.select([main], [], [], min(left, 0.05))[0]:
            try:
                os.read(main, 65536)
            except OSError:
                return


def test_dropout_finder_finds_a_gap_in_a_sound_and_a_sound_not_heard():
    beep = (0.5 * np.sin(np.arange(int(0.5 * RATE)) * 2 * np.pi * 440 / RATE)).astype(np.float32)
    plan = [(0.2, beep), (1.0, beep)]
    recording = np.zeros(2 * RATE, dtype=np.int16)
    for start, clip in plan:
        recording[int(start * RATE) : int(start * RATE) + clip.size] = (clip * 32767).astype(np.int16)
    assert dropouts(recording, plan, 0.0) == []
    recording[int(1.2 * RATE) : int(1.23 * RATE)] = 0  # 30 ms the server played nothing
    assert [round(t, 2) for t in dropouts(recording, plan, 0.0)] == [pytest.approx(1.2, abs=0.01)]
    assert len(dropouts(recording[: int(0.9 * RATE)], plan, 0.0)) == 1  # the second sound never came
    late = np.concatenate([recording[: int(0.9 * RATE)], np.zeros(int(0.1 * RATE), np.int16), recording[int(0.9 * RATE) :]])
    assert len(dropouts(late, plan, 0.0)) == 2  # the gap, and the stream running 100 ms late after the stall


@pytest.mark.alone  # it loads both cores on purpose: other realtime tests beside it would be its load too
def test_a_session_on_a_fully_loaded_machine_speaks_every_cue_on_time_without_dropouts(sink, speech):
    """Both cores busy and the panel drawing in a terminal, as a user plays: every cue heard within TOLERANCE of
    its planned time, nothing heard where the plan has no sound, no dropouts, no ALSA text on the screen."""
    sounds = planned_sounds(speech)
    plan = planned(speech)
    with CpuLoad() as load, sink.record("loaded") as recording, in_terminal("play", *ARGS) as terminal:
        screen = read_all(terminal.main, terminal.process, 150)
        assert terminal.process.wait(10) == 0, screen[-1500:]
    assert load.cores >= 2
    found = onsets(recording.samples)
    assert found.size, "nothing was heard"
    shift = found[0] - plan[0][0]
    errors = match([t + shift for t, _ in plan], found)
    assert max(abs(e) for e in errors) <= TOLERANCE, f"onset errors (ms): {[round(e * 1000) for e in errors]}"
    # Nothing else was heard: every onset falls within a planned sound.
    stray = [t - shift for t in found if not any(a - TOLERANCE <= t - shift <= b for a, b in plan)]
    assert not stray, f"sound where the plan has none, at {stray}"
    assert dropouts(recording.samples, sounds, shift) == []
    assert "ALSA" not in screen
    assert "underrun" not in screen
    assert "finished" in screen  # the closing line, after the panel's screen is given back


@pytest.mark.skipif(shutil.which("tmux") is None, reason="no tmux to resize a terminal with")
@pytest.mark.usefixtures("sink")
def test_resizing_the_terminal_leaves_exactly_one_panel(tmp_path):
    socket = str(tmp_path / "tmux")
    command = " ".join([sys.executable, "-m", "voiceguide", "play", *ARGS])

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", "-S", socket, *args], capture_output=True, text=True, check=True, cwd=ROOT).stdout

    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    subprocess.run(
        ["tmux", "-S", socket, "-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", "-s", "play", command],
        check=True, cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        tmux("set-option", "-t", "play", "remain-on-exit", "on")
        time.sleep(4)
        for columns in (70, 40, 120, 40):
            tmux("resize-window", "-t", "play", "-x", str(columns), "-y", "40")
            time.sleep(0.8)
            screen = tmux("capture-pane", "-p", "-t", "play")
            lines = screen.splitlines()
            assert sum("╭" in line for line in lines) == 1, screen
            assert sum("╰" in line for line in lines) == 1, screen
            assert screen.count("Short test routine") == 1, screen
            assert all(len(line) <= columns for line in lines), screen
            assert "q quit" in " ".join(line.strip("│ ") for line in lines), screen  # the key hint is whole
            assert "ALSA" not in screen
    finally:
        subprocess.run(["tmux", "-S", socket, "kill-server"], capture_output=True)


def test_start_at_exercise_3_is_what_is_heard_first(sink, speech):
    choices = {"brief": True, "rest": 1.0, "breath": "1:1"}
    timeline = voiceguide.plan("quick-neck", speech=speech, **choices)
    third = min(e.start for e in timeline.events if e.index == 3)
    plan = [(t, c) for t, c in planned_sounds(speech, "quick-neck", **choices) if t >= third]
    expected = [t + clip_onset(c) for t, c in plan if t < third + 12]
    args = ["play", "quick-neck", "--brief", "--rest", "1", "--breath", "1:1", "--start", "3"]
    with sink.record("start") as recording, in_terminal(*args) as terminal:
        read_until(terminal.main, r"Exercise 3 of 3: Resting breath", 15, [])
        pump(terminal.main, 13)
        os.write(terminal.main, b"q")
        assert terminal.process.wait(10) == 0
    found = onsets(recording.samples)
    shift = found[0] - expected[0]
    errors = match([t + shift for t in expected], found)
    assert len(expected) >= 3, [round(e * 1000) for e in errors]
    assert all(abs(e) <= TOLERANCE for e in errors), [round(e * 1000) for e in errors]
    # Exercise 3's sounds, and nothing else: not the introduction, not exercises 1 and 2.
    spans = [(shift + t - TOLERANCE, shift + t + c.size / RATE) for t, c in plan]
    stray = [t for t in found if t < found[0] + 12 and not any(a <= t <= b for a, b in spans)]
    assert not stray, f"sound where exercise 3 has none, at {stray}"


def test_start_takes_a_number_or_a_name_and_refuses_others():
    routine = load_routine("quick-neck")
    assert exercise_number(routine, "3") == 3
    assert exercise_number(routine, "seated cat-cow") == 2
    assert exercise_number(routine, "Rest") == 3  # the one name it begins
    with pytest.raises(VoiceguideError, match="1-3, or a name"):
        exercise_number(routine, "9")
    result = run_cli("play", "quick-neck", "--start", "shoulders")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


@pytest.mark.plays(40)
def test_plus_during_an_8_s_hold_makes_it_18_s(sink, speech):
    choices = CHOICES  # the routine's 8 s hold: '+' pressed 3 s in, before its countdown is handed to the device
    timeline = voiceguide.plan(SHORT, speech=speech, **choices)
    hold = next(e for e in timeline.events if e.kind == "hold")
    chimes = [e for e in timeline.events if e.text == "chime" and e.index == 1]
    before, after = chimes[0], chimes[-1]  # heard as the hold starts, and as it ends
    assert after.start == pytest.approx(hold.end)
    plan = planned_sounds(speech, SHORT, **choices)
    with sink.record("longer") as recording:
        session = voiceguide.play(SHORT, wait=False, speech=speech, **choices)
        while session.position() < hold.start + 3:
            time.sleep(0.01)
        apply(session, "+")
        status = session.status()
        assert status.hold_left == pytest.approx(hold.end - status.position + 10, abs=0.1)
        while not (status := session.status()).resting:  # the rest after exercise 1
            time.sleep(0.02)
        assert status.next_up == "2. Shoulder roll"
        assert status.part == "exercise"
        assert status.index == 1
        session.quit()
    added = next(m for m in session.history if m.action == "extend").position
    assert hold.start + 3 <= added <= hold.end
    found = onsets(recording.samples)
    shift = found[0] - (plan[0][0] + clip_onset(plan[0][1]))
    # Every sound from where the time went in is heard 10 s later than planned; those before, on time.
    due = {t: shift + t + clip_onset(c) + (10 if t >= added else 0) for t, c in plan if t <= after.start}
    heard = {t: float(found[np.argmin(np.abs(found - d))]) for t, d in due.items()}
    errors = [heard[t] - d for t, d in due.items()]
    assert all(abs(e) <= TOLERANCE for e in errors), [(round(t, 2), round(e * 1000)) for t, e in zip(due, errors, strict=True)]
    held = heard[after.start] - heard[before.start]  # chime to chime, as heard
    assert held == pytest.approx(after.start - before.start + 10, abs=TOLERANCE)


@pytest.mark.plays(30)
@pytest.mark.usefixtures("sink")  # the sound server it plays into
def test_plus_once_three_two_one_has_begun_is_ignored_and_the_count_is_not_split(speech):
    timeline = voiceguide.plan(SHORT, speech=speech, **CHOICES)
    hold = next(e for e in timeline.events if e.kind == "hold")
    three = next(e for e in timeline.events if e.role == "countdown" and hold.start <= e.start < hold.end)
    session = voiceguide.play(SHORT, wait=False, speech=speech, **CHOICES)
    try:
        while session.position() < three.start + 0.5:  # "Three." heard
            time.sleep(0.01)
        assert session.stay_longer() is None
        assert session.status().hold_left == pytest.approx(hold.end - session.position(), abs=0.2)
    finally:
        session.quit()
    assert not [m for m in session.history if m.action == "extend"]


@pytest.mark.slow
@pytest.mark.realtime  # a sound server of its own, playing in real time
def test_losing_the_sound_server_mid_play_stops_with_one_line_and_exit_1(tmp_path):
    if missing_tools():
        pytest.skip("no PulseAudio")
    doomed = NullSink(tmp_path / "pulse").start()
    try:
        with in_terminal("play", *ARGS, env=doomed.env) as terminal:
            read_until(terminal.main, r"Exercise 1 of 2: Neck turn", 20, [])
            doomed.kill()
            shown = read_all(terminal.main, terminal.process, 10)
            assert terminal.process.wait(5) == 1
    finally:
        doomed.stop()
    assert terminal.after == terminal.before  # the terminal is restored
    # What stays on the terminal once the panel's screen is given back: one line.
    left = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.split("\x1b[?1049l")[-1]).split("\n")
    left = [line.strip() for line in left if line.strip()]
    assert len(left) == 1, shown[-800:]
    assert left[0].startswith("voiceguide: lost the sound output while playing"), shown[-800:]
    assert "Traceback" not in shown
    assert "ALSA lib" not in shown


def test_the_arrow_keys_move_the_volume_in_steps_within_its_range_and_the_panel_says_so():
    """Up and down: 3 dB a press around the leveled mix, from -30 to +3 dB (the mix's peaks then reach full scale)."""
    from rich.console import Console

    from voiceguide.live.session import VOLUME_RANGE, Score, Timing
    from voiceguide.timeline import Event

    score = Score(Timing())
    tone = (0.25 * np.sin(np.arange(RATE) * 2 * np.pi * 440 / RATE)).astype(np.float32)
    score.add(Event(0.0, 1.0, "cue", "bell", "bell"), tone)
    score.close(1.0)
    plain = score.mix(0, RATE).astype(np.float64)
    score.gain = 10 ** (-6 / 20)
    softer = score.mix(0, RATE).astype(np.float64)
    assert 20 * np.log10(np.abs(softer).max() / np.abs(plain).max()) == pytest.approx(-6.0, abs=0.01)

    class Volume:  # what the keys call: a session's volume methods, without a sound device
        volume = 0.0

        def louder(self) -> None:
            self.volume = min(self.volume + 3, VOLUME_RANGE[1])

        def softer(self) -> None:
            self.volume = max(self.volume - 3, VOLUME_RANGE[0])

    volume = Volume()
    apply(volume, "\x1b[B")  # down arrow
    apply(volume, "\x1b[B")
    assert volume.volume == -6.0
    for _ in range(5):
        apply(volume, "\x1b[A")  # up arrow
    assert volume.volume == VOLUME_RANGE[1] == 3.0
    console = Console(record=True, width=120, color_system=None)
    console.print(render_big(Status("playing", 10.0, 60.0, "Neck", 2, volume=-6.0)))
    shown = console.export_text()
    assert "volume -6 dB" in shown
    assert "↑/↓ volume" in shown


@pytest.mark.espeak
@pytest.mark.audio_device
def test_turning_the_volume_down_is_heard_at_once(sink, speech):
    """Set to -12 dB between the session's two first bells (the same sound): the second is heard 12 dB softer,
    though the device already held it, mixed at the old volume."""
    timeline = voiceguide.plan(SHORT, speech=speech, **CHOICES)
    first, second = [e for e in timeline.events if e.text == "bell"][:2]
    with sink.record("volume") as recording:
        session = voiceguide.play(SHORT, wait=False, speech=speech, **CHOICES)
        while session.position() < first.end + 0.05:
            time.sleep(0.005)
        assert session.set_volume(-12.0) == -12.0
        assert session.status().volume == -12.0
        while session.position() < second.end + 0.1:
            time.sleep(0.01)
        session.quit()
    found = onsets(recording.samples)
    shift = found[0] - first.start

    def peak(event) -> float:
        a, b = round((shift + event.start) * RATE), round((shift + event.end) * RATE)
        return float(np.abs(recording.samples[a:b].astype(np.float64)).max())

    assert 20 * np.log10(peak(second) / peak(first)) == pytest.approx(-12.0, abs=0.5)


@pytest.mark.espeak
@pytest.mark.audio_device
@pytest.mark.usefixtures("sink")
def test_q_pressed_while_play_starts_up_quits_it():
    """A key typed before the display is up is kept, not flushed: 'q' at once quits long before the minute's
    session would end (it was dropped, and the whole session played: with a cold voice, for minutes)."""
    with in_terminal("play", *ARGS) as terminal:
        os.write(terminal.main, b"q")  # before Python has even started voiceguide
        began = time.monotonic()
        read_all(terminal.main, terminal.process, 40)
        assert terminal.process.wait(5) == 0
        assert time.monotonic() - began < 20
