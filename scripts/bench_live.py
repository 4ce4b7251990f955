"""Live play benchmark: `voiceguide play` into a PulseAudio null sink, recorded and measured.

    python scripts/bench_live.py

Plays a session of over two minutes in a terminal (a pty, so the live display runs too)
from a cold clip cache, and prints: cue onset error p50 / p99 / max against the plan
(after aligning the first onset), time from the command's start to its first sound
(cold cache, and again warm), the CPU share of the player process while it plays, and
how soon pause() goes quiet. Then the same session again with every core kept busy by a
spinning process (tests.audio_sink.CpuLoad): the dropouts found in its recording (silence
where the plan has sound, or the stream slipping late) and its onset errors.
"""

from __future__ import annotations

import argparse
import fcntl
import math
import os
import resource
import select
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository, for tests.audio_sink

from tests.audio_sink import (
    QUIET_BEFORE_ONSET,
    CpuLoad,
    NullSink,
    clip_onset,
    dropouts,
    match,
    missing_tools,
    onsets,
    quiet_from,
)

ROOT = Path(__file__).resolve().parent.parent
WARM_STARTS = 5  # first sound from a warm cache: a median of this many starts
ONSET_MATCH = 0.02  # seconds: a planned onset counts as found with a found onset this close

ROUTINE = "quick-neck"
CHOICES = {"brief": True, "hold": "low", "reps": "low", "breath": "2:3", "rest": 2.0}
ARGS = [ROUTINE, "--brief", "--hold", "low", "--reps", "low", "--breath", "2:3", "--rest", "2"]


def spawn(args: list[str]) -> tuple[subprocess.Popen, int, float]:
    """`voiceguide ARGS` with a pty as its terminal; returns it, the pty's other end, and when it started."""
    main, other = os.openpty()
    fcntl.ioctl(other, termios.TIOCSWINSZ, b"\x18\x00\x64\x00\x00\x00\x00\x00")  # 24 x 100

    def own_terminal() -> None:
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    began = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "voiceguide", "play", *args],
        stdin=other, stdout=other, stderr=other, cwd=ROOT, preexec_fn=own_terminal,
        env={**os.environ, "TERM": "xterm-256color"},
    )  # fmt: skip
    os.close(other)
    return process, main, began


def drain(main: int, process: subprocess.Popen, until: float | None = None) -> None:
    """Read the display (a pty must be read or the player blocks on it) until the process ends or `until`."""
    while process.poll() is None and (until is None or time.monotonic() < until):
        if select.select([main], [], [], 0.05)[0]:
            try:
                os.read(main, 65536)
            except OSError:  # the player closed its terminal: it is ending
                break
    if until is None:
        process.wait()


def heard(speech) -> list[tuple[float, float]]:
    """(onset, end) in session seconds of every sound the plan plays."""
    import voiceguide
    from voiceguide.audio.leveling import Leveled
    from voiceguide.audio.samples import SAMPLE_RATE
    from voiceguide.audio.sounds import Sounds

    timeline = voiceguide.plan(ROUTINE, speech=speech, **CHOICES)
    sounds = Leveled(Sounds(speech))  # what the player plays
    spans = []
    for event in timeline.events:
        if event.kind in ("speech", "cue"):
            sound = sounds(event)
            spans.append((event.start + clip_onset(sound), event.start + sound.size / SAMPLE_RATE))
    return spans


def detectable(spans: list[tuple[float, float]]) -> list[float]:
    """The planned onsets an onset detector can find: those after at least QUIET_BEFORE_ONSET of the plan's quiet
    (and a margin). A chime straight after a sentence's last word is not one: the detector's nearest onset is the
    sentence's, which once read as that chime "1.65 s late" (it is as far off in the sample-exact rendered file)."""
    kept, last_end = [], -math.inf
    for onset, end in sorted(spans):
        if onset - last_end >= QUIET_BEFORE_ONSET + 0.02:
            kept.append(onset)
        last_end = max(last_end, end)
    return kept


def expected(speech) -> list[float]:
    return [onset for onset, _ in heard(speech)]


def onset_count(spans: list[tuple[float, float]], found: np.ndarray, shift: float) -> tuple[int, int]:
    """Planned onsets a detector can find (detectable) with a found onset within ONSET_MATCH, and found onsets where
    no sound was planned (a word starting inside a sentence is not one: only onsets outside every planned sound count)."""
    matched = sum(bool(found.size) and float(np.min(np.abs(found - (onset + shift)))) <= ONSET_MATCH for onset in detectable(spans))
    stray = sum(not any(onset + shift - ONSET_MATCH <= t <= end + shift for onset, end in spans) for t in found)
    return matched, stray


def session_figures(sink: NullSink) -> tuple[np.ndarray, float, float, float, tuple[int, int, int]]:
    """Onset errors, first sound (s), CPU share, session length (s) and (planned onsets found, planned,
    stray onsets) of one full cold-cache session."""
    with sink.record("session") as recording:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        process, main, began = spawn(ARGS)
        drain(main, process)
        ended = time.monotonic()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        os.close(main)
        time.sleep(0.3)
    if process.returncode != 0:
        raise SystemExit(f"bench_live: voiceguide play exited {process.returncode}")
    from voiceguide.speech.engine import Speech

    spans = heard(Speech(rate=150))
    plan = detectable(spans)
    found = onsets(recording.samples)
    shift = found[0] - plan[0]
    errors = np.abs(match([t + shift for t in plan], found))
    first_sound = recording.began + found[0] - began
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    matched, stray = onset_count(spans, found, shift)
    return errors, first_sound, cpu / (ended - began), ended - began, (matched, len(plan), stray)


def warm_first_sound(sink: NullSink) -> float:
    with sink.record("warm") as recording:
        process, main, began = spawn(ARGS)
        drain(main, process, until=time.monotonic() + 3.0)
        os.write(main, b"q")
        drain(main, process)
        os.close(main)
    return recording.began + onsets(recording.samples)[0] - began


def loaded_figures(sink: NullSink) -> tuple[list[float], np.ndarray, int]:
    """Dropouts (recording times) and onset errors of one warm-cache session with every core busy."""
    import voiceguide
    from voiceguide.audio.leveling import Leveled
    from voiceguide.audio.samples import SAMPLE_RATE
    from voiceguide.audio.sounds import Sounds
    from voiceguide.speech.engine import Speech

    speech = Speech(rate=150)
    sounds = Leveled(Sounds(speech))
    timeline = voiceguide.plan(ROUTINE, speech=speech, **CHOICES)
    planned = [(e.start, sounds(e)) for e in timeline.events if e.kind in ("speech", "cue")]
    with CpuLoad() as load, sink.record("loaded") as recording:
        process, main, _ = spawn(ARGS)
        drain(main, process)
        os.close(main)
        time.sleep(0.3)
    if process.returncode != 0:
        raise SystemExit(f"bench_live: voiceguide play under load exited {process.returncode}")
    found = onsets(recording.samples)
    plan = detectable([(start + clip_onset(sound), start + sound.size / SAMPLE_RATE) for start, sound in planned])
    shift = found[0] - plan[0]
    return dropouts(recording.samples, planned, shift), np.abs(match([t + shift for t in plan], found)), load.cores


def pause_latencies(sink: NullSink, count: int = 6) -> np.ndarray:
    """Seconds from pause() to quiet, pausing in the middle of the first cues of a second or more."""
    import voiceguide
    from voiceguide.speech.engine import Speech

    speech = Speech(rate=150)
    timeline = voiceguide.plan(ROUTINE, speech=speech, **CHOICES)
    middles = [e.start + e.duration / 2 for e in timeline.speech() if e.duration >= 1.0][:count]
    with sink.record("pauses") as recording:
        session = voiceguide.play(ROUTINE, wait=False, speech=speech, **CHOICES)
        for middle in middles:
            while session.position() < middle:
                time.sleep(0.002)
            session.pause()
            time.sleep(0.6)
            session.resume()
        session.quit()
        time.sleep(0.3)
    found = onsets(recording.samples)
    first = session.history[0]
    shift = found[0] - expected(speech)[0]  # recording time of position 0 in the first stream
    latencies, stream = [], first
    for mark in session.history:
        if mark.action == "play":
            stream = mark
        elif mark.action == "pause":
            at = shift + (stream.at - first.at) + (mark.position - stream.position)
            latencies.append(quiet_from(recording.samples, at - 0.01, 0.4) - at)
    return np.array(latencies)


def ms(errors: np.ndarray) -> str:
    p50, p99 = np.percentile(errors, [50, 99]) * 1000
    return f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {errors.max() * 1000:.1f} ms over {errors.size} cues"


def run() -> None:
    missing = missing_tools()
    if missing:
        print(f"live play: skipped, missing {', '.join(missing)}")
        return
    with tempfile.TemporaryDirectory(prefix="voiceguide-bench-live-") as scratch:
        os.environ["XDG_CACHE_HOME"] = str(Path(scratch) / "cache")  # cold: the first run synthesizes every clip
        sink = NullSink(Path(scratch) / "pulse").start()
        os.environ.update(sink.env)
        try:
            errors, first_sound, cpu, seconds, (found, planned, stray) = session_figures(sink)
            warm = np.array([warm_first_sound(sink) for _ in range(WARM_STARTS)])
            pauses = pause_latencies(sink)
            lost, loaded, cores = loaded_figures(sink)
        finally:
            sink.stop()
    print(f"live play: {ROUTINE} {' '.join(ARGS[1:])}, {seconds / 60:.1f} min, in a pty, into a PulseAudio null sink")
    verdict = "all found, none stray" if found == planned and stray == 0 else "MISMATCH"
    print(f"  onsets             {found} of {planned} planned found within {ONSET_MATCH * 1000:.0f} ms, "
          f"{stray} where none was planned ({verdict})")
    print(f"  onset error        {ms(errors)}")
    print(
        f"  first sound        {first_sound:.2f} s after the command started (cold clip cache); warm, over "
        f"{WARM_STARTS} starts: min {warm.min():.2f} s, median {np.median(warm):.2f} s, max {warm.max():.2f} s"
    )
    print(
        f"  pause to quiet     median {np.median(pauses) * 1000:.0f} ms, "
        f"max {pauses.max() * 1000:.0f} ms over {pauses.size} pauses mid-cue"
    )
    print(f"  CPU share          {cpu * 100:.1f}% of one core, averaged over the whole session")
    print(f"  under full load    {len(lost)} dropouts in the recording with {cores} cores kept busy; onset error {ms(loaded)}")


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    run()
