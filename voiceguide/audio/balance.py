"""The voice's level over a background bed, so the whole mix still lands at SESSION_LUFS.

Without a bed, silences between sentences fall under loudness gating and the
session measures as its speech does. A bed fills them, and blocks of rain alone
pull the integrated loudness down by 2-4 LU. So before rendering, the mix is
measured (voice and bed apart, chunk by chunk) and the voice raised by what is
missing, a few times over; the leveling limiter keeps the louder voice's true
peak under the same ceiling.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

import numpy as np

from voiceguide.audio.ambience import Bed, span_of
from voiceguide.audio.loudness import HOP, gated_loudness, k_weighted, powers_from_hops
from voiceguide.audio.mixing import SoundFn, stream
from voiceguide.audio.samples import SAMPLE_RATE, sample_at
from voiceguide.timeline import Event, session_total

PASSES = 6
CLOSE_ENOUGH = 0.2  # LU
MAX_BOOST = 6.0  # dB: past this the limiter would squash the voice; the mix then measures a little low


def _hop_energies(samples: np.ndarray) -> np.ndarray:
    hop = int(HOP * SAMPLE_RATE)
    whole = samples.size // hop * hop
    weighted = k_weighted(samples, SAMPLE_RATE)[:whole]
    return np.square(weighted, dtype=np.float64).reshape(-1, hop).sum(axis=1) if whole else np.zeros(0)


def _measure(events: Sequence[Event], voice: SoundFn, bed: Bed) -> tuple[np.ndarray, np.ndarray]:
    """K-weighted energy per gating hop of the voice alone and of the bed alone."""
    spans = [span_of(e) for e in events if e.kind == "speech"]
    firsts = [first for first, _ in spans]
    end = sample_at(session_total(events))
    voice_hops, bed_hops = [np.zeros(0)], [np.zeros(0)]
    position = 0
    for chunk in stream(events, voice):
        lo = bisect.bisect_left(firsts, position - chunk.size) - 1
        near = spans[max(0, lo) : bisect.bisect_right(firsts, position + 2 * chunk.size)]
        voice_hops.append(_hop_energies(chunk))
        bed_hops.append(_hop_energies(bed.samples(position, chunk.size, near, end)))
        position += chunk.size
    return np.concatenate(voice_hops), np.concatenate(bed_hops)


def voice_boost(events: Sequence[Event], voice_at: Callable[[float], SoundFn], bed: Bed, target: float) -> float:
    """dB to raise speech and cues by so voice + bed measure `target` LUFS integrated.

    `voice_at(boost)` is the voice's sound function at a boost. Each pass measures the
    real mix and moves the boost by what is missing: the limiter that keeps a louder
    voice's peaks under the ceiling gives less than asked, and gating lets the bed's
    blocks in or out as the voice's level moves, so no model of the sum holds for long.
    """
    def reached(boost: float) -> float:
        voice, background = _measure(events, voice_at(boost), bed)
        return gated_loudness(powers_from_hops(voice + background, SAMPLE_RATE))

    low, high = 0.0, MAX_BOOST  # the answer lies between: below `low` too quiet, `high` loud enough or the most
    boost, level = low, reached(low)
    best = (abs(target - level), boost)
    for _ in range(PASSES):
        if abs(target - level) < CLOSE_ENOUGH:
            break
        if level < target:
            low = boost
        else:
            high = boost
        # Step by what is missing while it stays inside the bracket; else halve the bracket.
        step = boost + (target - level)
        boost = step if low < step < high else (low + high) / 2
        level = reached(boost)
        best = min(best, (abs(target - level), boost))
    return best[1]
