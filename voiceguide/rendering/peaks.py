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
from concurrent.futures import ThreadPoolExecutor
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


def overshoots(path: Path, ffmpeg: str, target: Path) -> list[tuple[int, float]]:
    """(sample, true peak) of each place where the file at path (to become target), decoded, passes FILE_CEILING_DBTP:
    the loudest point of each run of samples over it. Empty if it never does."""
    decoding = subprocess.Popen(
        [ffmpeg, "-nostdin", "-v", "error", "-i", str(path), "-f", "f32le", "-ac", "1", "-ar", str(SAMPLE_RATE), "pipe:1"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    assert decoding.stdout is not None
    watchdog = stalls.Watchdog(decoding, "ffmpeg")
    stretches: queue.Queue[bytes] = queue.Queue(maxsize=2)  # read ahead: ffmpeg decodes on one core while we measure
    reader = threads.start(_read, "voiceguide-peaks-read", decoding.stdout, stretches)
    found: list[tuple[int, float]] = []
    reach = INTERPOLATOR_TAPS
    before = np.zeros(0, dtype=np.float32)  # the end of the stretch before: the interpolator looks back over it
    position = 0  # the sample `before` ends at
    try:
        while True:
            with watchdog.waiting():
                data = stretches.get()
            if not data:
                break
            samples = np.concatenate((before, np.frombuffer(data[: len(data) // 4 * 4], dtype="<f4")))
            envelope = peak_envelope_near(samples, _CEILING / 2)[before.size :]
            found += _loudest_of_each_run(envelope, position)
            position += envelope.size
            before = samples[-reach:]
    finally:
        decoding.kill()  # done reading, or stopped part way by an error or Ctrl-C
        decoding.wait()
        while reader.is_alive():  # it ends at the pipe's end; take what it still puts
            with contextlib.suppress(queue.Empty):
                stretches.get(timeout=0.05)
        decoding.stdout.close()
        watchdog.close()
    if watchdog.stalled:
        raise VoiceguideError(f"{target} was not replaced: measuring its peaks, {stalls.stopped('ffmpeg')}")
    return found


def overshoots_in(parts: list[tuple[Path, int]], ffmpeg: str, target: Path) -> list[tuple[int, float]]:
    """overshoots() of a session encoded in parts, each (file, the session's sample it starts at), measured at once."""
    def measured(part: tuple[Path, int]) -> list[tuple[int, float]]:
        return [(at + part[1], level) for at, level in overshoots(part[0], ffmpeg, target)]

    if len(parts) == 1:
        return measured(parts[0])
    with ThreadPoolExecutor(len(parts), thread_name_prefix="voiceguide-peaks") as pool:
        return sorted(found for part in pool.map(measured, parts) for found in part)


def _read(stdout: IO[bytes], stretches: queue.Queue[bytes]) -> None:
    """The decoder's output, a stretch at a time, then b"" (also when it ends early: killed, or its pipe closed)."""
    try:
        while data := stdout.read(4 * STRETCH):
            stretches.put(data)
    except (OSError, ValueError):  # the pipe closed under us: overshoots() stopped reading
        pass
    finally:
        with contextlib.suppress(queue.Full):
            stretches.put(b"", timeout=1.0)


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
        for at, level in found:  # measured through the dips so far: deepen by what is still over
            now = float(self.apply(np.ones(1, dtype=np.float32), at)[0])
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
