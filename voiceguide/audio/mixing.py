"""The mix: every sound placed at its event's planned sample, a chunk at a time.

Render and live play both read audio from here, so what a file contains is what
is heard live. `stream` is pure with respect to the samples it is given: a sound
function maps an event to its samples (or None for silence).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from voiceguide.audio.ambience import LOOKAHEAD, Bed, span_of
from voiceguide.audio.leveling import CEILING_DBTP
from voiceguide.audio.loudness import INTERPOLATOR_TAPS, peak_envelope_near
from voiceguide.audio.samples import SAMPLE_RATE, sample_at
from voiceguide.timeline import Event

SoundFn = Callable[[Event], "np.ndarray | None"]

CHUNK = 4 * SAMPLE_RATE  # samples per streamed chunk: big enough that numpy and the pipe dominate Python overhead
# Each sound is leveled to a true peak of at most CEILING_DBTP (audio/leveling.py); where two overlap
# (a pace word over a breath tone, the voice over a bed) their sum may pass it, between samples too. There,
# and only there, the mix dips smoothly under it: the gain is the lowest needed within SAFETY_WIDTH either
# side, averaged over as much again, so it turns down before the peak and back up after it without a click.
SAFETY_CEILING = 10 ** (CEILING_DBTP / 20)  # linear
SAFETY_WIDTH = int(0.010 * SAMPLE_RATE)  # 10 ms: at 3 ms the dips were so quick the MP3 encoder overshot them by 3 dB
_UNDER = SAFETY_CEILING * (1 - 1e-6)  # the gain aims this far under: float32 rounding never lands a sample over
_ROUNDING = 8 / 32768  # how far a leveled clip stored as 16-bit may pass its true-peak ceiling between samples (0.003 dB)


def _add(out: np.ndarray, sound: np.ndarray, offset: int) -> None:
    """Add sound into out, its first sample at out[offset] (offset may be negative or past the end)."""
    first, last = max(offset, 0), min(offset + sound.size, out.size)
    if first < last:
        out[first:last] += sound[first - offset : last - offset]


def stream(
    events: Iterable[Event], sounds: SoundFn, chunk: int = CHUNK, bed: Bed | None = None, start: int = 0
) -> Iterator[np.ndarray]:
    """The session from sample `start` on as consecutive chunks, reading events (in start order) only as far as needed.

    The session ends at the last event's end. Memory holds only the sounds that
    overlap the current chunk, so it does not grow with the session's length.
    With a background `bed`, events are read LOOKAHEAD further, so the bed dips
    before each sentence and fades out before the end.
    """
    pending = iter(events)
    upcoming = next(pending, None)
    playing: list[tuple[int, np.ndarray]] = []
    spans: list[tuple[int, int]] = []  # sentences the bed ducks under
    ahead = sample_at(LOOKAHEAD) if bed is not None else 0
    position = end = start
    safety = _Safety()
    while True:
        stop = position + chunk
        while upcoming is not None and sample_at(upcoming.start) < stop + ahead:
            at = sample_at(upcoming.start)
            end = max(end, sample_at(upcoming.end))
            sound = sounds(upcoming)
            if sound is not None:
                playing.append((at, sound))
                end = max(end, at + sound.size)
            if upcoming.kind == "speech":
                spans.append(span_of(upcoming))
            upcoming = next(pending, None)
        if upcoming is None:
            stop = min(stop, end)
        if stop <= position:
            break
        out = np.zeros(stop - position, dtype=np.float32)
        for at, sound in playing:
            _add(out, sound, at - position)
        alone = bed is None and not _near_each_other(playing, position, stop)
        if bed is not None:
            out += bed.samples(position, out.size, spans, end if upcoming is None else None)
            spans = [span for span in spans if span[1] + ahead > stop]
        playing = [(at, sound) for at, sound in playing if at + sound.size > stop]
        position = stop
        yield from safety.feed(out, alone)
    yield from safety.flush()


def _near_each_other(playing: list[tuple[int, np.ndarray]], first: int, stop: int) -> bool:
    """Whether two sounds in [first, stop) overlap, or come close enough that the interpolator between samples
    reads both: only there can the mix pass the ceiling that each sound alone keeps."""
    reach = INTERPOLATOR_TAPS
    spans = sorted((at, at + sound.size) for at, sound in playing if at < stop + reach and at + sound.size > first - reach)
    reached = -math.inf  # the furthest any sound before it reaches
    for start, end in spans:
        if start < reached + reach:
            return True
        reached = max(reached, end)
    return False


class _Safety:
    """The mix's overload guard, a stream of chunks in and the same samples out, two SAFETY_WIDTHs behind:
    the last samples of each chunk wait for the next one, which may hold a peak their gain must dip for.
    It keeps the true peak (between samples too, as a decoder reconstructs them) under the ceiling."""

    def __init__(self) -> None:
        self.held = np.zeros(0, dtype=np.float32)  # mixed, not yet passed on
        self.passed = np.zeros(INTERPOLATOR_TAPS, dtype=np.float32)  # the last samples passed on: the interpolator reaches back
        self.before = np.ones(2 * SAFETY_WIDTH, dtype=np.float32)  # the gain needed by the samples passed on last
        self.fed = 0  # samples fed so far
        self.measure_until = 0  # where the last chunk whose sounds come near each other ends (in samples fed)

    def feed(self, out: np.ndarray, alone: bool = False) -> Iterator[np.ndarray]:
        """alone: no two sounds in this chunk overlap or come near each other (nor is there a bed): each keeps under
        the ceiling by itself, so samples whose neighbourhood is all such chunks go through unmeasured."""
        self.fed += out.size
        if not alone:
            self.measure_until = self.fed
        both = np.concatenate((self.held, out)) if self.held.size else out
        keep = min(2 * SAFETY_WIDTH, both.size)  # a sample's gain looks 1.5 widths ahead
        ready, self.held = both[: both.size - keep], both[both.size - keep :]
        if not ready.size:
            return
        first = self.fed - both.size  # where `ready` starts; the interpolator reads this far back
        if self.measure_until > first - INTERPOLATOR_TAPS or float(self.before.min()) < 1.0:  # or a dip is coming back up
            yield self._limited(ready, self.held)
            return
        self.passed = np.concatenate((self.passed, ready))[-self.passed.size :]
        self.before = np.ones_like(self.before)
        yield ready

    def flush(self) -> Iterator[np.ndarray]:
        if self.held.size:
            yield self._limited(self.held, np.zeros(0, dtype=np.float32))
            self.held = np.zeros(0, dtype=np.float32)

    def _limited(self, ready: np.ndarray, after: np.ndarray) -> np.ndarray:
        reach = self.passed.size
        levels = peak_envelope_near(np.concatenate((self.passed, ready, after)), SAFETY_CEILING / 2)[reach:]
        self.passed = np.concatenate((self.passed, ready))[-reach:]
        # A sound alone is under the ceiling but for its 16-bit rounding: left untouched.
        over = levels > SAFETY_CEILING + _ROUNDING
        needed = np.where(over, _UNDER / np.maximum(levels, 1e-9), 1.0).astype(np.float32)
        if not over.any() and float(self.before.min()) >= 1.0:
            self.before = np.concatenate((self.before, needed[: ready.size]))[-2 * SAFETY_WIDTH :]
            return ready  # the common case: nothing overlaps loud enough to matter
        w = SAFETY_WIDTH
        around = np.concatenate((self.before, needed, np.ones(2 * w, dtype=np.float32)))
        lowest = running_min(around, 2 * w + 1)  # lowest within w either side
        smooth = np.convolve(lowest, np.full(w, 1 / w, dtype=np.float32), mode="valid")
        offset = 2 * w - w - (w - 1) // 2  # aligns the windows' centres with `ready`'s samples
        gain = np.minimum(smooth[offset : offset + ready.size], needed[: ready.size])
        self.before = np.concatenate((self.before, needed[: ready.size]))[-2 * w :]
        return ready * gain


def running_min(values: np.ndarray, width: int) -> np.ndarray:
    """The minimum of each window of `width` samples (values.size - width + 1 of them), in a few passes
    whatever the width (van Herk / Gil-Werman): each window is the end of one block and the start of the next."""
    count = values.size - width + 1
    blocks = -(-values.size // width)
    padded = np.full(blocks * width, np.inf, dtype=values.dtype)
    padded[: values.size] = values
    rows = padded.reshape(blocks, width)
    from_start = np.minimum.accumulate(rows, axis=1).ravel()  # min from its block's start up to each sample
    to_end = np.minimum.accumulate(rows[:, ::-1], axis=1)[:, ::-1].ravel()  # min from each sample to its block's end
    return np.minimum(to_end[:count], from_start[width - 1 : width - 1 + count])
