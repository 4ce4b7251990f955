"""The true peak of an encoded file as a player decodes it, and dips in the mix that bring it under the limit.

The mix keeps every true peak under -3 dBTP (audio/leveling.py), room for a lossy
encoder's noise, which mostly stays inside it, but not always (scripts/soundcheck.py):
Vorbis at 64 kbps decoded at -0.6 dBTP on the natural voice at 80 wpm, LAME at 64 kbps
at -0.3 on espeak at 300 wpm over a tonal bed. So a lossy file is decoded once written;
wherever it passes FILE_CEILING_DBTP, the mix dips there, smoothly and briefly, and is
encoded again. A few short dips take nothing measurable off the session's loudness.
Decoding a quarter hour of MP3 costs ffmpeg about 0.35 s of one core; measuring it here
runs beside, on the other.
"""

from __future__ import annotations

import contextlib
import queue
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np

from voiceguide import stalls, threads
from voiceguide.audio.loudness import INTERPOLATOR_TAPS, peak_envelope_near
from voiceguide.audio.samples import SAMPLE_RATE
from voiceguide.errors import VoiceguideError

FILE_CEILING_DBTP = -1.0  # the limit a file's true peak keeps, measured on the decoded file
AIM_DBTP = -1.5  # where a dip aims the peak that passed it: the next encoding's noise falls a little differently
HOLD = int(0.015 * SAMPLE_RATE)  # samples a dip stays at its depth either side of the peak: an encoder's block reaches that far
RAMP = int(0.015 * SAMPLE_RATE)  # samples it takes to go down and come back (raised cosine): no click, no pumping
STRETCH = 1 << 20  # samples decoded and measured at a time: memory stays flat whatever the session's length
_CEILING = 10 ** (FILE_CEILING_DBTP / 20)
_AIM = 10 ** (AIM_DBTP / 20)


def overshoots(path: Path, ffmpeg: str, target: Path, stop: threading.Event | None = None) -> list[tuple[int, float]]:
    """(sample, true peak) of each place where the file at path (to become target), decoded, passes FILE_CEILING_DBTP:
    the loudest point of each run of samples over it. Empty if it never does. `stop` set: ends early, with nothing."""
    decoding = subprocess.Popen(
        [ffmpeg, "-nostdin", "-v", "error", "-i", str(path), "-f", "f32le", "-ac", "1", "-ar", str(SAMPLE_RATE), "pipe:1"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    assert decoding.stdout is not None
    try:
        watchdog = stalls.Watchdog(decoding, "ffmpeg")
        try:
            stretches: queue.Queue[bytes] = queue.Queue(maxsize=2)  # read ahead: ffmpeg decodes on one core, we measure
            reader = threads.start(_read, "voiceguide-peaks-read", decoding.stdout, stretches)
            try:
                found = _measured(stretches, watchdog, stop)
                stopped = stop is not None and stop.is_set()  # else its output ended: it has exited, or is exiting
                with watchdog.waiting():
                    failed = not stopped and decoding.wait() != 0  # one that died part way measured part of the file
            finally:
                decoding.kill()  # done, or stopped part way by an error or Ctrl-C
                decoding.wait()
                _drain(reader, stretches)
        finally:
            watchdog.close()
    finally:
        decoding.stdout.close()
    if watchdog.stalled:
        raise VoiceguideError(f"{target} was not replaced: measuring its peaks, {stalls.stopped('ffmpeg')}")
    if failed:
        raise VoiceguideError(f"{target} was not replaced: the written file does not decode to its end")
    return found


def _measured(stretches: queue.Queue[bytes], watchdog: stalls.Watchdog, stop: threading.Event | None) -> list[tuple[int, float]]:
    """overshoots() of the decoded stretches, until b"" (or `stop`)."""
    measure = Overshoots()
    while not (stop and stop.is_set()):
        with watchdog.waiting():
            data = stretches.get()
        if not data:
            break
        measure.feed(np.frombuffer(data[: len(data) // 4 * 4], dtype="<f4"))
    return measure.finish()


class Overshoots:
    """The places over FILE_CEILING_DBTP in a signal given a stretch at a time: each stretch's last samples are
    measured with the next one, as the interpolator looks that far ahead (and as far back)."""

    def __init__(self) -> None:
        self.found: list[tuple[int, float]] = []
        self.held = np.zeros(0, dtype=np.float32)  # samples seen, not yet measured (and the ones before them)
        self.measured = 0  # the session's sample self.held's first not-yet-measured sample is
        self.back = 0  # how many of self.held's first samples are already measured (kept to look back over)

    def feed(self, samples: np.ndarray) -> None:
        both = np.concatenate((self.held, samples))
        ahead = INTERPOLATOR_TAPS  # the last samples wait for the next stretch
        if both.size - self.back <= ahead:
            self.held = both
            return
        envelope = peak_envelope_near(both, _CEILING / 2)[self.back : both.size - ahead]
        self._note(envelope)
        self.back = min(ahead, both.size - ahead)  # measured samples kept to look back over
        self.held = both[both.size - ahead - self.back :]

    def finish(self) -> list[tuple[int, float]]:
        if self.held.size > self.back:
            self._note(peak_envelope_near(self.held, _CEILING / 2)[self.back :])  # the end: silence after it
            self.held = self.held[:0]
        return self.found

    def _note(self, envelope: np.ndarray) -> None:
        self.found += _loudest_of_each_run(envelope, self.measured)
        self.measured += envelope.size


def overshoots_in(parts: list[tuple[Path, int]], ffmpeg: str, target: Path) -> list[tuple[int, float]]:
    """overshoots() of a session encoded in parts, each (file, the session's sample it starts at), measured at once:
    the first here, the others on threads of our own (which leave Ctrl-C to this one, and stop when it does)."""
    stop = threading.Event()
    results: dict[int, list[tuple[int, float]] | BaseException] = {}

    def measure(k: int) -> None:
        try:
            results[k] = [(at + parts[k][1], level) for at, level in overshoots(parts[k][0], ffmpeg, target, stop)]
        except BaseException as exc:  # noqa: BLE001 - raised on the calling thread below
            results[k] = exc

    others = [threads.start(measure, "voiceguide-peaks", k) for k in range(1, len(parts))]
    try:
        measure(0)
        for other in others:
            while other.is_alive():
                other.join(0.25)  # in steps, so Ctrl-C lands
    except BaseException:
        stop.set()  # the others end within a stretch (their decoders are killed): left behind as daemons
        raise
    for k in range(len(parts)):
        if isinstance(results[k], BaseException):
            raise results[k]  # type: ignore[misc]
    return sorted(found for k in range(len(parts)) for found in results[k])  # type: ignore[union-attr]


def _read(stdout: IO[bytes], stretches: queue.Queue[bytes]) -> None:
    """The decoder's output, a stretch at a time, then b"" (also when it ends early: killed, or its pipe closed)."""
    try:
        while data := stdout.read(4 * STRETCH):
            stretches.put(data)
    except (OSError, ValueError):  # the pipe closed under us
        pass
    finally:
        with contextlib.suppress(queue.Full):
            stretches.put(b"", timeout=1.0)


def _drain(reader: threading.Thread, stretches: queue.Queue[bytes], wait: float = 2.0) -> None:
    """Let the reader end (its decoder is gone: it reads to the pipe's end), taking what it still puts; bounded."""
    deadline = time.monotonic() + wait
    while reader.is_alive() and time.monotonic() < deadline:
        with contextlib.suppress(queue.Empty):
            stretches.get(timeout=0.05)


def _loudest_of_each_run(envelope: np.ndarray, offset: int) -> list[tuple[int, float]]:
    over = np.flatnonzero(envelope > _CEILING)
    if over.size == 0:
        return []
    runs = np.split(over, np.flatnonzero(np.diff(over) > 1) + 1)
    return [(offset + int(run[np.argmax(envelope[run])]), float(envelope[run].max())) for run in runs]


@dataclass
class Dips:
    """Where the mix turns down, and by how much: a gain per peak that passed, kept across encodings (each one
    deepens a dip that was not enough)."""

    gains: dict[int, float] = field(default_factory=dict)  # the peak's sample -> the gain at it

    def __bool__(self) -> bool:
        return bool(self.gains)

    def add(self, found: list[tuple[int, float]]) -> None:
        before = Dips(dict(self.gains))  # what the measured encoding was dipped by: each new dip is set against it alone
        for at, level in found:  # deepen by what is still over
            now = float(before.apply(np.ones(1, dtype=np.float32), at)[0])
            self.gains[at] = min(self.gains.get(at, 1.0), now * _AIM / level)

    def apply(self, chunk: np.ndarray, position: int) -> np.ndarray:
        """The chunk (samples from `position` on) with the dips that reach into it."""
        if not self.gains:
            return chunk
        reach = HOLD + RAMP
        near = [(at, g) for at, g in self.gains.items() if at + reach >= position and at - reach < position + chunk.size]
        if not near:
            return chunk
        gain = np.ones(chunk.size, dtype=np.float32)
        for at, depth in near:
            first = at - reach
            shape = _dip(depth)
            lo, hi = max(first, position), min(first + shape.size, position + chunk.size)
            np.minimum(gain[lo - position : hi - position], shape[lo - first : hi - first], out=gain[lo - position : hi - position])
        return chunk * gain


def _dip(depth: float) -> np.ndarray:
    """A dip to `depth`: down over RAMP, held 2 HOLD + 1 samples around the peak, back up over RAMP."""
    down = (1 - (1 - depth) * (0.5 - 0.5 * np.cos(np.linspace(0, np.pi, RAMP + 2)[1:-1]))).astype(np.float32)
    return np.concatenate((down, np.full(2 * HOLD + 1, depth, dtype=np.float32), down[::-1]))
