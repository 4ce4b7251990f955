"""Where an MP3 render cuts its session in two, so two encoders share the work (rendering/mp3_join.py).

Pure: from the timeline's events alone. The cut must lie in digital silence with
room around it: the samples between the cut and where the second half resumes are
dropped, and the encoder's windows reach a frame or two either side of the seam.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from voiceguide.audio.samples import SAMPLE_RATE, sample_at
from voiceguide.rendering.mp3_join import SAMPLES_PER_FRAME, resume_at
from voiceguide.timeline import Event

GUARD = 4 * SAMPLES_PER_FRAME  # silent samples kept each side of the seam: overlapping windows, the decoder's delay
MIN_HALF = 30 * SAMPLE_RATE  # a shorter half gains less than a second encoder costs to start
_SOUNDING = ("speech", "cue")  # the kinds that put samples in the mix (audio/sounds.py)
_MOST_DROPPED = 3 * SAMPLES_PER_FRAME  # resume_at(cut) - cut is under two frames and a priming


# CPU per second of audio, measured with ffmpeg 5.1's LAME at 64 kbps: digital silence encodes in 0.78 ms,
# speech in 2.7 ms; leveling a clip not yet leveled costs 1.5 ms per second of it. A second encoder starts in 40 ms.
SILENCE_COST, SOUND_COST, LEVELING_COST, SECOND_START_COST = 0.78, 2.7, 1.5, 40.0
_BLOCK = SAMPLE_RATE // 10  # the work is counted per tenth of a second


@dataclass(frozen=True)
class Cut:
    cut: int  # the first half holds samples [0, cut)
    resume: int  # the second half holds samples [resume, end); those between are silence


def find_cut(events: Iterable[Event], earliest: int, target: int) -> Cut | None:
    """The cut nearest target, at or after earliest, inside a silence of the session; None if there is none.

    Only speech and cue sounds are heard: holds, rests and breath phases are silent.
    A cut is not made where either half would be shorter than MIN_HALF.
    """
    best: Cut | None = None
    quiet_from, end = 0, 0
    for event in events:
        if event.kind not in _SOUNDING:
            continue
        start = sample_at(event.start)
        best = _nearer(best, _cut_in(quiet_from, start, earliest, target), target)
        quiet_from = max(quiet_from, sample_at(event.end))
        end = max(end, quiet_from)
    if best is None or best.cut < MIN_HALF or end - best.resume < MIN_HALF:
        return None
    return best


def balanced_target(events: Iterable[Event], encoded: int, end: int, unleveled: Callable[[str], bool]) -> int:
    """Where to cut so two encoders finish together: the first has encoded up to `encoded` and goes on to
    the cut; the second starts now, from the cut to `end`. Each half levels its own new speech clips."""
    blocks = max(1, -(-(end - encoded) // _BLOCK))
    cost = np.full(blocks, SILENCE_COST / 10)  # ms per block
    seen: set[str] = set()
    for event in events:
        if event.kind not in _SOUNDING or sample_at(event.end) <= encoded:
            continue
        first, last = (max(0, (sample_at(t) - encoded) // _BLOCK) for t in (event.start, event.end))
        cost[first : last + 1] = SOUND_COST / 10
        if event.kind == "speech" and event.text not in seen:
            seen.add(event.text)
            if unleveled(event.text):
                cost[min(first, blocks - 1)] += LEVELING_COST * event.duration
    work = np.cumsum(cost)
    block = int(np.searchsorted(work, (work[-1] + SECOND_START_COST) / 2))
    return encoded + min(block, blocks - 1) * _BLOCK


def _cut_in(first: int, last: int, earliest: int, target: int) -> Cut | None:
    """The cut nearest target in the silence of samples [first, last), guarded on both sides."""
    low, high = max(first + GUARD, earliest), last - GUARD - _MOST_DROPPED
    if low > high:
        return None
    cut = min(max(target, low), high)
    return Cut(cut, resume_at(cut))


def _nearer(a: Cut | None, b: Cut | None, target: int) -> Cut | None:
    if a is None or b is None:
        return a or b
    return b if abs(b.cut - target) < abs(a.cut - target) else a
