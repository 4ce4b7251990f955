"""Live sound through ALSA (pyalsaaudio): one device, fed by one thread that mixes the session as it goes.

The feeding thread owns the device. It asks its `source` for the next few
milliseconds of sound at its write head and writes them, keeping the device's
buffer (PERIOD x PERIODS, far more than any scheduling hiccup on a busy machine)
full, but never past what the session has compiled; a pause or a skip drops what is buffered at once, so a large buffer does
not make stopping slow. The heard position is the write head less what the
device still holds, re-read after every write.

ALSA reports its own problems by printing from C. A handler installed for the
whole process (snd_lib_error_set_handler) keeps them off the terminal.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import functools
import threading
import time
from collections.abc import Callable

import numpy as np

from voiceguide import threads
from voiceguide.audio.samples import SAMPLE_RATE
from voiceguide.errors import VoiceguideError

PERIOD = 512  # frames the device wakes the feeder for (~23 ms): how soon a halt drops the buffer
# Periods in the buffer: ~1.5 s ahead. With both cores busy, writes into Pulse stalled for up to
# 0.4 s (the server starved, not this process); a 0.37 s buffer ran dry there, this one did not.
PERIODS = 64

PREFILL = 16 * PERIOD  # frames of the first write of a stream (~0.37 s)
WAIT_FOR_SOURCE = 0.01  # seconds before asking again for sound that is not known yet
Source = Callable[[int, int], "np.ndarray | None"]  # (first frame, count) -> int16 samples, None if not known yet


class AudioUnavailable(VoiceguideError):
    """No device to play on at the start: exit 2, like other problems the user fixes before running."""


class AudioLost(VoiceguideError):
    """The device or sound server went away while playing: the session cannot go on."""

    exit_code = 1


class _AlsaMessages:
    """ALSA's C-level error messages, dropped process-wide instead of printed to fd 2.

    Whatever they report reaches the player as an error code too (an underrun as -EPIPE,
    a lost server as a failed write), which is where it is counted or reported.
    """

    def __init__(self) -> None:
        self._installed = False

    def install(self) -> None:
        if self._installed:
            return
        name = ctypes.util.find_library("asound")
        if name is None:
            return
        # The handler is a C function that ignores its arguments (libc's getpid: on the C calling
        # conventions the caller removes the arguments, so the extra ones are harmless), not a Python
        # callback: ALSA calls it from whichever thread hit the error, and a Python callback would need
        # the GIL there, while alsaaudio's close() holds the GIL inside snd_pcm_close, which waits for
        # that very thread: a deadlock no signal can break (a whole CI tier hung on it).
        nothing = ctypes.cast(ctypes.CDLL(None).getpid, ctypes.c_void_p)
        ctypes.CDLL(name).snd_lib_error_set_handler(nothing)
        self._installed = True


alsa_messages = _AlsaMessages()


def _reason(exc: BaseException) -> str:
    return str(exc).split(" [")[0].strip() or type(exc).__name__


def outputs() -> list[str]:
    """The ALSA outputs a user may name (--device): the default, the PCMs ALSA lists and each card's own."""
    import alsaaudio

    cards = (f"default:CARD={card}" for card in alsaaudio.cards())
    return list(dict.fromkeys(["default", *alsaaudio.pcms(alsaaudio.PCM_PLAYBACK), *cards]))


class Device:
    """An ALSA playback device (`name` as `aplay -L` lists it; the default one unless named), mono int16 at the clips' rate."""

    def __init__(self, name: str = "default") -> None:
        alsa_messages.install()
        try:
            import alsaaudio

            self._pcm = alsaaudio.PCM(
                alsaaudio.PCM_PLAYBACK, rate=SAMPLE_RATE, channels=1, format=alsaaudio.PCM_FORMAT_S16_LE,
                periodsize=PERIOD, periods=PERIODS, device=name,
            )  # fmt: skip
            self.buffer_frames = int(self._pcm.info().get("buffer_size", PERIOD * PERIODS))
            self.name = self._pcm.cardname()
        except Exception as exc:  # noqa: BLE001 - alsaaudio.ALSAAudioError, or the binding missing
            reason = _reason(exc)
            if name != "default":
                known = ", ".join(outputs())
                why = reason[:1].lower() + reason[1:]
                raise AudioUnavailable(f"--device {name}: ALSA cannot open it ({why}); its outputs: {known}") from None
            raise AudioUnavailable(
                f"no audio device to play on ({reason}); 'voiceguide render' writes the session to a file instead"
            ) from None

    def write(self, samples: np.ndarray) -> bool:
        """Write samples, waiting for room; False if the device had run dry (a dropout) before them."""
        return self._pcm.write(samples.tobytes()) != -errno.EPIPE

    def queued(self) -> int:
        """Frames written but not yet played."""
        return max(0, self.buffer_frames - self._pcm.avail())

    def drop(self) -> None:
        self._pcm.drop()

    def close(self) -> None:
        self._pcm.close()


def play_sound(samples: np.ndarray) -> None:
    """Play one finished sound (int16) on the default device and return once it has been heard: a voice sample."""
    device = Device()
    try:
        padded = np.concatenate((samples, np.zeros(-samples.size % PERIOD, dtype=samples.dtype)))
        for first in range(0, padded.size, PERIOD):
            device.write(padded[first : first + PERIOD])
        time.sleep(device.queued() / SAMPLE_RATE + 0.05)
    finally:
        device.close()


class Player:
    """The feeding thread: plays `source` from a frame on, until halted; knows the frame being heard."""

    def __init__(self, device: Device, source: Source, on_lost: Callable[[AudioLost], None]) -> None:
        self.device = device
        self.source = source
        self.on_lost = on_lost
        self.dropouts: list[float] = []  # stream seconds where the device ran dry before more came
        self._cond = threading.Condition()
        self._want: tuple[int, int | None] = (0, None)  # (generation, frame to play from; None: quiet)
        self._anchor: tuple[float, int] | None = None  # (monotonic time, frame heard then) of the running generation
        self._started: dict[int, float] = {}  # generation -> monotonic time its first frame was heard
        self._written = 0  # frame the write head is at
        self._quiet = 0  # frames of silence before the next generation's first
        self._closed = False
        self._thread = threads.start(self._run, "voiceguide-player")

    def play_from(self, frame: int, quiet: int = 0) -> int:
        """Drop what is buffered and play from `frame`, after `quiet` frames of silence; returns the generation."""
        with self._cond:
            generation = self._want[0] + 1
            self._want, self._anchor, self._written = (generation, frame), None, frame
            self._quiet = quiet
            self._cond.notify_all()
            return generation

    def halt(self) -> None:
        with self._cond:
            self._want, self._anchor = (self._want[0] + 1, None), None
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(2)

    def written(self) -> int:
        """The frame up to which sound has been handed to the device (later changes cannot reach before it)."""
        with self._cond:
            return self._written

    def heard(self, now: float) -> float | None:
        """The frame being heard at `now` (fractional), or None before the stream has begun."""
        with self._cond:
            if self._anchor is None:
                return None
            at, frame = self._anchor
            return frame + (now - at) * SAMPLE_RATE

    def started(self, generation: int, timeout: float) -> float | None:
        """When the stream of `generation` began to be heard (monotonic time)."""
        with self._cond:
            self._cond.wait_for(lambda: generation in self._started or self._closed, timeout)
            return self._started.get(generation)

    def _asked_for(self, running: int) -> bool:
        """Whether the writer has something to do: close, play, or a new stream than the one running."""
        return self._closed or self._want[1] is not None or self._want[0] != running

    def _next_chunk(self, cursor: int, first: bool) -> np.ndarray | None:
        """The stream's next samples, or None if the session is not compiled that far. A stream starts as
        soon as it has sound: its first write is a long one, so it never runs on the few ms a period gives it."""
        chunk = self.source(cursor, PREFILL) if first else None
        return chunk if chunk is not None else self.source(cursor, PERIOD)

    def _note_written(self, running: int, cursor: int, start: int, first: bool) -> None:
        """Where the stream is, for the session's clock; the first write starts the stream: what it holds is heard from now on."""
        now = time.monotonic()
        heard = cursor - self.device.queued()
        with self._cond:
            if self._want[0] == running:
                self._anchor, self._written = (now, heard), cursor
                if first:
                    self._started[running] = now - (heard - start) / SAMPLE_RATE
                    self._cond.notify_all()

    def _run(self) -> None:
        running, cursor, start, wrote_first = 0, 0, 0, True
        try:
            while True:
                with self._cond:
                    self._cond.wait_for(functools.partial(self._asked_for, running))
                    if self._closed:
                        break
                    generation, wanted = self._want  # each new want is a new generation
                    quiet = self._quiet
                if generation != running:
                    self.device.drop()
                    running = generation
                    if wanted is None:
                        continue
                    start = wanted
                    cursor = start - quiet
                    wrote_first = False
                chunk = self._next_chunk(cursor, first=not wrote_first)
                if chunk is None:  # not compiled that far yet: what is buffered plays meanwhile
                    with self._cond:
                        self._cond.wait(WAIT_FOR_SOURCE)
                    continue
                if cursor < start:  # the quiet before it: nothing from before `start` is heard
                    chunk[: start - cursor] = 0
                if not self.device.write(chunk):
                    self.dropouts.append(cursor / SAMPLE_RATE)
                cursor += chunk.size
                self._note_written(running, cursor, start, first=not wrote_first)
                wrote_first = True  # (a new stream, the next time round, starts over)
        except Exception as exc:  # noqa: BLE001 - alsaaudio.ALSAAudioError: the server or device is gone
            self.on_lost(
                AudioLost(f"lost the sound output while playing: ALSA device '{self.device.name}' failed ({_reason(exc)})")
            )
        finally:
            with self._cond:
                self._closed = True
                self._cond.notify_all()
            with contextlib.suppress(Exception):  # closing alone may let the device play out its buffer
                self.device.drop()
            self.device.close()
