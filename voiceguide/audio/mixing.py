"""The mix: every sound placed at its event's planned sample, a chunk at a time.

Render and live play both read audio from here, so what a file contains is what
is heard live. `stream` is pure with respect to the samples it is given: a sound
function maps an event to its samples (or None for silence).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import numpy as np

from voiceguide.audio.samples import SAMPLE_RATE
from voiceguide.timeline import Event

SoundFn = Callable[[Event], "np.ndarray | None"]

CHUNK = 4 * SAMPLE_RATE  # samples per streamed chunk: big enough that numpy and the pipe dominate Python overhead


def sample_at(seconds: float) -> int:
    """The sample where a time on the timeline falls."""
    return round(seconds * SAMPLE_RATE)


def _add(out: np.ndarray, sound: np.ndarray, offset: int) -> None:
    """Add sound into out, its first sample at out[offset] (offset may be negative or past the end)."""
    first, last = max(offset, 0), min(offset + sound.size, out.size)
    if first < last:
        out[first:last] += sound[first - offset : last - offset]


def stream(events: Iterable[Event], sounds: SoundFn, chunk: int = CHUNK) -> Iterator[np.ndarray]:
    """The whole session as consecutive chunks, reading events (in start order) only as far as needed.

    The session ends at the last event's end. Memory holds only the sounds that
    overlap the current chunk, so it does not grow with the session's length.
    """
    pending = iter(events)
    upcoming = next(pending, None)
    playing: list[tuple[int, np.ndarray]] = []
    position = end = 0
    while True:
        stop = position + chunk
        while upcoming is not None and sample_at(upcoming.start) < stop:
            at = sample_at(upcoming.start)
            end = max(end, sample_at(upcoming.end))
            sound = sounds(upcoming)
            if sound is not None:
                playing.append((at, sound))
                end = max(end, at + sound.size)
            upcoming = next(pending, None)
        if upcoming is None:
            stop = min(stop, end)
        if stop <= position:
            return
        out = np.zeros(stop - position, dtype=np.float32)
        for at, sound in playing:
            _add(out, sound, at - position)
        playing = [(at, sound) for at, sound in playing if at + sound.size > stop]
        position = stop
        yield out
