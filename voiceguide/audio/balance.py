"""The voice's level over a background bed: speech measures as it does without one.

Speech is measured over the speech (the gating blocks the voice speaks in, as
dialogue-gated loudness is), so the bed between sentences, however much of the
session it fills, does not move the voice: a sparse session over rain has its
voice where a dense one has it. What a bed can change is the voice itself: the
voice's peak ceiling comes down by the bed's peak under it, and the limiter then
takes a little off the loudest words. So before rendering the mix is measured
over the speech (voice and bed apart, chunk by chunk) and the voice raised by
what is missing, once or twice.
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

PASSES = 3
CLOSE_ENOUGH = 0.2  # LU
MAX_BOOST = 2.0  # dB: what the limiter under a lower ceiling can take off; more would squash the voice
BLOCK_HOPS = 4  # hops in a gating block


def _hop_energies(samples: np.ndarray) -> np.ndarray:
    hop = int(HOP * SAMPLE_RATE)
    whole = samples.size // hop * hop
    weighted = k_weighted(samples, SAMPLE_RATE)[:whole]
    return np.square(weighted, dtype=np.float64).reshape(-1, hop).sum(axis=1) if whole else np.zeros(0)


def speech_blocks(events: Sequence[Event], hops: int) -> np.ndarray:
    """Which gating blocks (four hops each, a hop apart) the voice speaks in: those a speech event overlaps."""
    hop = int(HOP * SAMPLE_RATE)
    speaking = np.zeros(hops + 1, dtype=np.int32)
    for event in events:
        if event.kind == "speech":
            first, last = span_of(event)
            speaking[min(first // hop, hops)] += 1
            speaking[min(-(-last // hop), hops)] -= 1
    per_hop = np.cumsum(speaking)[:hops] > 0
    return np.convolve(per_hop, np.ones(BLOCK_HOPS), mode="valid") > 0 if hops >= BLOCK_HOPS else np.zeros(0, dtype=bool)


def speech_loudness(events: Sequence[Event], hop_energies: np.ndarray) -> float:
    """The loudness over the speech (LUFS) of a mix, from its K-weighted energy per gating hop."""
    powers = powers_from_hops(hop_energies, SAMPLE_RATE)
    return gated_loudness(powers[speech_blocks(events, hop_energies.size)])


def mix_speech_loudness(samples: np.ndarray, events: Sequence[Event]) -> float:
    """The loudness over the speech (LUFS) of a whole mix at SAMPLE_RATE, its speech where events say."""
    return speech_loudness(events, _hop_energies(samples))


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
    """dB to raise speech and cues by so voice + bed measure `target` LUFS over the speech, as the voice
    alone does without a bed (audio/leveling.py).

    `voice_at(boost)` is the voice's sound function at a boost. Each pass measures the real mix
    and moves the boost by what is missing: the limiter that keeps a louder voice's peaks under the
    ceiling gives less than asked.
    """

    def reached(boost: float) -> float:
        voice, background = _measure(events, voice_at(boost), bed)
        return speech_loudness(events, voice + background)

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
