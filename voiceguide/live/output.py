"""Live sound through simpleaudio, as tapes: one continuous stream per stretch of playing.

simpleaudio opens the device on every play_buffer and then plays the buffer it
was given straight from that memory (it holds a view of our numpy array, it does
not copy it). So rather than one stream per cue, whose start would jitter by the
device open each time, a Tape is one long int16 buffer covering the session from
some position on: cues are mixed into it ahead of the play head while it plays,
so every onset is placed to the sample. Zeroing the buffer ahead of the play
head silences it as soon as the ~100 ms simpleaudio already handed to the
device has played; stop() alone would take up to twice that.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator

import numpy as np

from voiceguide.audio.samples import SAMPLE_RATE, to_float, to_int16
from voiceguide.errors import VoiceguideError

PROBE_SECONDS = 0.02
# Numpy zero-fills big arrays lazily (calloc): only the pages cues are written to
# take memory, so a tape can cover a long stretch of session for little cost.
TAPE_CAPACITY = 30 * 60.0
SEEK_GAP = 0.15  # quiet before the new place after a skip: longer than the device's buffer of the old one
STOP_REACH = 1.0  # seconds past a halt the stream may still play before stop() takes effect (measured 0.17-0.28 s)
TAIL = 0.5  # quiet after the session's last sound, so the device plays it out before the stream ends


class AudioUnavailable(VoiceguideError):
    pass


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Send fd 2 to /dev/null: ALSA prints its errors from C, past Python's sys.stderr."""
    try:
        saved = os.dup(2)
    except OSError:  # no fd 2 at all: nothing to keep quiet
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class Output:
    """The sound device, checked on creation; tracks how long opening it takes."""

    def __init__(self) -> None:
        import simpleaudio

        self._simpleaudio = simpleaudio
        self._lock = threading.Lock()
        silence = np.zeros(int(PROBE_SECONDS * SAMPLE_RATE), dtype=np.int16)
        with quiet_stderr():
            try:
                began = time.monotonic()
                self._probe = simpleaudio.play_buffer(silence, 1, 2, SAMPLE_RATE)  # plays on, unheard
                self.open_latency = time.monotonic() - began
            except Exception as exc:  # simpleaudio raises its own SimpleaudioError, or OSError
                reason = str(exc).split(" -- ")[-1].removeprefix("MSG: ").strip() or type(exc).__name__
                raise AudioUnavailable(
                    f"no audio device to play on ({reason}); 'voiceguide render' writes the session to a file instead"
                ) from None

    def play(self, samples: np.ndarray):  # noqa: ANN201 - simpleaudio.PlayObject
        """Start a stream playing from `samples` (which must stay unmoved while it plays)."""
        with self._lock, quiet_stderr():
            began = time.monotonic()
            stream = self._simpleaudio.play_buffer(samples, 1, 2, SAMPLE_RATE)
            opened = time.monotonic() - began
        # A running estimate, so a stream due at a moment can be started that much early.
        self.open_latency = 0.7 * self.open_latency + 0.3 * opened
        return stream


class Tape:
    """One stream: int16 samples for session positions start .. start + seconds."""

    def __init__(self, start: float, seconds: float, quiet_until: float | None = None) -> None:
        self.start = start
        # Nothing is put before this position: a tape that follows a halted one starts with quiet,
        # so what the device still had of the old one is not heard over the new.
        self.quiet_until = start if quiet_until is None else quiet_until
        self.samples = np.zeros(int(round(seconds * SAMPLE_RATE)), dtype=np.int16)
        self.began: float | None = None  # monotonic time the stream started
        self._stream = None

    @property
    def end(self) -> float:
        return self.start + self.samples.size / SAMPLE_RATE

    def put(self, at: float, sound: np.ndarray, offset: float = 0.0) -> None:
        """Mix `sound` (float32 in [-1, 1]) in at session position `at`, from `offset` seconds into it."""
        first = int(round((at - self.start) * SAMPLE_RATE))
        skip = int(round(offset * SAMPLE_RATE))
        quiet = int(round((self.quiet_until - self.start) * SAMPLE_RATE))
        if first < quiet:
            skip, first = skip + quiet - first, quiet
        sound = sound[skip:]
        stop = min(self.samples.size, first + sound.size)
        if stop <= first:
            return
        self.samples[first:stop] = to_int16(to_float(self.samples[first:stop]) + sound[: stop - first])

    def play(self, output: Output) -> None:
        self._stream = output.play(self.samples)
        self.began = time.monotonic()

    def position(self, now: float) -> float:
        """The session position the stream is at (before it started: its start)."""
        if self.began is None:
            return self.quiet_until
        return min(self.end, max(self.quiet_until, self.start + now - self.began))

    def silence_from(self, position: float) -> None:
        """Zero what the stream can still reach from `position`: it goes quiet once the device's buffer has played.

        Only STOP_REACH is zeroed, not the rest of the tape: the tape is dropped once stopped,
        and zeroing a half-hour tape would take ~0.1 s and fault in all its pages.
        """
        first = max(0, int(round((position - self.start) * SAMPLE_RATE)))
        self.samples[first : first + int(STOP_REACH * SAMPLE_RATE)] = 0

    def stop(self) -> None:
        if self._stream is not None:
            self._stream.stop()


def tape_length(start: float, total: float | None) -> float:
    """How long a tape starting at `start` should be: to the end when it is known, else its capacity."""
    if total is None:
        return TAPE_CAPACITY
    return min(TAPE_CAPACITY, max(total - start, 0.0) + TAIL)
