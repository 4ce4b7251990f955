"""Every speech clip comes out at one loudness, whatever the text, rate or voice."""

from __future__ import annotations

import numpy as np

from voiceguide.tts import SAMPLE_RATE, SPEECH_LEVEL_DBFS, Speech, voiced_level

TEXTS = (
    "One.",
    "Breathe in.",
    "Hold for 20 seconds.",
    "Now switch to the left side.",
    "Five gentle exercises to ease a lower back spasm. They also work well every day.",
)


def loudness_db(samples: np.ndarray) -> float:
    """RMS over 50 ms windows within 20 dB of the loudest: the voice, not the pauses (dBFS)."""
    x = samples.astype(np.float64) / 32768
    size = int(0.05 * SAMPLE_RATE)
    windows = x[: max(size, x.size // size * size)].reshape(-1, min(size, x.size))
    power = np.mean(windows**2, axis=1)
    return float(10 * np.log10(np.mean(power[power >= power.max() / 100])))


def test_texts_rates_and_voices_come_out_at_about_the_same_level(speech):
    others = [v.id for v in speech.voices() if v.id in ("gmw/de", "roa/fr")]
    engines = [speech, Speech(rate=80), Speech(rate=400)] + [Speech(voice, 150) for voice in others]
    clips = [engine.samples(text) for engine in engines for text in TEXTS]
    # On the level the clips are normalized by, espeak's own output spreads over about 2.6 dB.
    own = [20 * np.log10(voiced_level(clip)) for clip in clips]
    assert max(own) - min(own) < 0.2 and abs(own[0] - SPEECH_LEVEL_DBFS) < 0.1, own
    # A different meter (50 ms windows) agrees within the usual disagreement of meters on short clips.
    other = [loudness_db(clip) for clip in clips]
    assert max(other) - min(other) < 2.0 and abs(np.median(other) - SPEECH_LEVEL_DBFS) < 1.0, other
    peaks = [20 * np.log10(np.max(np.abs(clip.astype(np.float64))) / 32768) for clip in clips]
    assert max(peaks) <= -0.9  # headroom kept: nothing clips when cues are mixed in
