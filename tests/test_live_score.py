"""What live play sounds at each stream frame, worked out without a clock (issue 22: scheduling on stream time).

The Score is the player's source: it mixes every sound known so far for any stretch of stream frames, with the
time 'stay longer' added (Timing), and answers None for frames the session has not compiled yet. The real-time
tests (tests/test_play.py) check the same behaviour through the sound server; these need no device and no waiting.
"""

from __future__ import annotations

import numpy as np
import pytest

from voiceguide.audio.samples import SAMPLE_RATE
from voiceguide.live.session import Score, Stretch, Timing
from voiceguide.timeline import Event

RATE = SAMPLE_RATE


def tone(seconds: float, level: float = 0.25) -> np.ndarray:
    n = int(seconds * RATE)
    return (level * np.sin(np.arange(n) * 2 * np.pi * 440 / RATE)).astype(np.float32)


def loud(samples: np.ndarray) -> np.ndarray:
    """Stream seconds (per 10 ms frame) where the mix is sounding."""
    frames = samples[: samples.size // 220 * 220].reshape(-1, 220)
    return np.flatnonzero(np.abs(frames).max(axis=1) > 100) * 220 / RATE


def test_the_opening_sound_plays_before_the_sentence_after_it_is_known():
    """A cold voice synthesizes the title while the bell rings: the bell's frames are mixed at once, and frames past
    it wait for what follows (None), because nothing may start under the bell but much may start after it."""
    score = Score(Timing())
    score.add(Event(0.0, 2.0, "cue", "bell", "bell"), tone(2.0))
    assert score.mix(0, int(1.9 * RATE)) is not None  # the bell, before the title is compiled
    assert score.mix(int(1.9 * RATE), int(0.2 * RATE)) is None  # past the bell's end: not known yet
    score.add(Event(2.3, 1.0, "speech", "Neck release", "title"), tone(1.0))
    assert score.mix(int(1.9 * RATE), int(0.2 * RATE)) is not None


def test_a_quiet_event_makes_the_score_known_only_to_its_start():
    """A hold is no sound: what comes during it is not known until the compiler gets there."""
    score = Score(Timing())
    score.add(Event(0.0, 1.0, "cue", "chime", "hold-start"), tone(1.0))
    score.add(Event(1.0, 20.0, "hold", "20 seconds", "hold"), None)
    assert score.mix(0, int(1.0 * RATE) - 300) is not None
    assert score.mix(int(1.0 * RATE), RATE) is None


def test_time_added_in_a_hold_moves_every_later_sound_by_that_much():
    """'Stay longer' at plan 5 s for 10 s: a sound planned at 8 s is heard at stream 18 s, one at 2 s where it was."""
    timing = Timing()
    score = Score(timing)
    score.add(Event(2.0, 1.0, "speech", "Hold.", "announce"), tone(1.0))
    score.add(Event(8.0, 1.0, "cue", "chime", "hold-end"), tone(1.0))
    score.close(9.0)
    timing.add(Stretch(5.0, 10.0))
    heard = loud(score.mix(0, 20 * RATE))
    assert heard.min() == pytest.approx(2.0, abs=0.011)
    assert [t for t in heard if 3.0 < t < 17.99] == []  # the added time is quiet
    assert heard[heard > 3.0].min() == pytest.approx(18.0, abs=0.011)
    assert timing.to_plan(12.0) == 5.0  # inside the added time, the plan stands still where it was added
    assert timing.to_plan(18.5) == pytest.approx(8.5)
    assert timing.to_stream(8.0) == 18.0


def test_sounds_that_meet_are_mixed_sample_exact_at_their_planned_frames():
    """Two sounds back to back: each starts at its planned frame, nothing lost or doubled where they meet."""
    score = Score(Timing())
    first, second = tone(0.5), tone(0.5, 0.1)
    score.add(Event(0.0, 0.5, "speech", "One.", "count"), first)
    score.add(Event(0.5, 0.5, "speech", "Two.", "count"), second)
    score.close(1.0)
    mixed = score.mix(0, RATE).astype(np.float64) / 32767
    assert np.allclose(mixed[: first.size], first, atol=1e-4)
    assert np.allclose(mixed[first.size : first.size + second.size], second, atol=1e-4)
