"""The voice's loudness over the speech: the gating blocks the voice speaks in, gated as BS.1770
(dialogue-gated loudness). Over a background bed, integrated loudness depends on how much of the
session is speech; this does not: a sparse session over rain has its voice where a dense one has it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from voiceguide.audio.ambience import span_of
from voiceguide.audio.loudness import HOP, gated_loudness, hop_energies, powers_from_hops
from voiceguide.audio.samples import SAMPLE_RATE
from voiceguide.timeline import Event

BLOCK_HOPS = 4  # hops in a gating block


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


def mix_speech_loudness(samples: np.ndarray, events: Sequence[Event]) -> float:
    """The loudness over the speech (LUFS) of a whole mix at SAMPLE_RATE, its speech where events say."""
    energies = hop_energies(samples, SAMPLE_RATE)
    powers = powers_from_hops(energies, SAMPLE_RATE)
    return gated_loudness(powers[speech_blocks(events, energies.size)])
