"""The mix: every sound placed at its event's planned sample, a chunk at a time.

Render and live play both read audio from here, so what a file contains is what
is heard live. `stream` is pure with respect to the samples it is given: a sound
function maps an event to its samples (or None for silence).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import numpy as np

from voiceguide.audio.ambience import LOOKAHEAD, Bed, span_of
from voiceguide.audio.samples import SAMPLE_RATE, sample_at
from voiceguide.timeline import Event

SoundFn = Callable[[Event], "np.ndarray | None"]

CHUNK = 4 * SAMPLE_RATE  # samples per streamed chunk: big enough that numpy and the pipe dominate Python overhead


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
            return
        out = np.zeros(stop - position, dtype=np.float32)
        for at, sound in playing:
            _add(out, sound, at - position)
        if bed is not None:
            out += bed.samples(position, out.size, spans, end if upcoming is None else None)
            spans = [span for span in spans if span[1] + ahead > stop]
        playing = [(at, sound) for at, sound in playing if at + sound.size > stop]
        position = stop
        yield out
