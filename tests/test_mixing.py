"""Mixing and leveling on made-up sounds: no speech engine needed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from voiceguide.audio.leveling import (
    CEILING_DBTP,
    SPEECH_LUFS,
    level,
)
from voiceguide.audio.loudness import integrated_loudness, true_peak
from voiceguide.audio.mixing import sample_at, stream
from voiceguide.audio.samples import SAMPLE_RATE
from voiceguide.timeline import Event

RNG = np.random.default_rng(7)


def tone_burst(seconds: float, peak_every: int = 0) -> np.ndarray:
    """Speech-like test sound: a noisy tone with an envelope, and optional sharp spikes."""
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    voice = 0.2 * np.sin(2 * math.pi * 180 * t) * (0.6 + 0.4 * np.sin(2 * math.pi * 3 * t))
    sound = voice + 0.03 * RNG.standard_normal(t.size)
    if peak_every:
        sound[::peak_every] = 0.95
    return sound.astype(np.float32)


def test_mix_and_stream_agree_and_place_each_sound_at_its_sample():
    sounds = {"a": tone_burst(1.0), "b": tone_burst(0.5), "c": tone_burst(2.0)}
    events = [
        Event(0.0, 1.0, "speech", "a"),
        Event(0.4, 3.0, "hold", "3 seconds"),  # silent: its sound is None
        Event(0.7, 0.5, "speech", "b"),  # overlaps a: the two add
        Event(9.3331, 2.0, "speech", "c"),
    ]
    whole = np.concatenate(list(stream(events, lambda e: sounds.get(e.text), chunk=3001)))
    assert whole.size == sample_at(9.3331 + 2.0)
    expected = np.zeros(whole.size, dtype=np.float32)
    for event in events:
        if event.text in sounds:
            at = sample_at(event.start)
            expected[at : at + sounds[event.text].size] += sounds[event.text]
    np.testing.assert_allclose(whole, expected, atol=1e-6)


def test_stream_reads_events_only_as_far_as_the_chunk_needs():
    pulled = []

    def events():
        for i in range(10):
            pulled.append(i)
            yield Event(i * 10.0, 1.0, "speech", "x")

    chunks = stream(events(), lambda _: tone_burst(1.0), chunk=SAMPLE_RATE)
    next(chunks)
    assert pulled == [0, 1]  # the event after the first chunk is known, no further


def test_level_brings_a_peaky_sound_to_the_target_with_true_peak_under_the_ceiling():
    raw = tone_burst(2.0, peak_every=2000)
    leveled = level(raw, SPEECH_LUFS)
    quiet = np.zeros(int(0.4 * SAMPLE_RATE), dtype=np.float32)
    assert integrated_loudness(np.concatenate((quiet, leveled, quiet)), SAMPLE_RATE) == pytest.approx(SPEECH_LUFS, abs=0.3)
    assert 20 * math.log10(true_peak(leveled)) <= CEILING_DBTP + 0.05
    # faded: no click where it starts or stops
    assert abs(leveled[0]) < 1e-3
    assert abs(leveled[-1]) < 1e-3



def test_overlapping_sounds_dip_under_the_ceiling_alike_in_any_chunking_and_alone_are_untouched() -> None:
    """Two sounds, each at the per-sound ceiling's level, overlapping (a pace word over a breath tone):
    their sum is kept under it, smoothly, whatever the chunk size; sounds that do not overlap are exact."""
    from voiceguide.audio.mixing import SAFETY_CEILING

    voice = (np.sin(np.arange(SAMPLE_RATE) * 0.05) * 0.70).astype(np.float32)
    tone = (np.sin(np.arange(SAMPLE_RATE) * 0.031) * 0.31).astype(np.float32)
    sounds = {"voice": voice, "tone": tone}
    overlapping = [Event(0.5, 1.0, "speech", "voice"), Event(0.9, 1.0, "cue", "tone")]
    mixes = [np.concatenate(list(stream(overlapping, lambda e: sounds[e.text], chunk=size))) for size in (50, 3001, 4 * SAMPLE_RATE)]
    assert all(np.array_equal(mixes[0], mix) for mix in mixes[1:])
    summed = np.zeros(mixes[0].size, dtype=np.float32)
    for event in overlapping:
        summed[sample_at(event.start) : sample_at(event.start) + sounds[event.text].size] += sounds[event.text]
    assert np.abs(summed).max() > 1.0  # it had to dip,
    assert np.abs(mixes[0]).max() <= SAFETY_CEILING  # and did
    assert np.abs(np.diff(mixes[0])).max() <= np.abs(np.diff(summed)).max()  # no step of its own: no click
    apart = [Event(0.5, 1.0, "speech", "voice"), Event(2.0, 1.0, "cue", "tone")]
    mix = np.concatenate(list(stream(apart, lambda e: sounds[e.text], chunk=3001)))
    placed = np.zeros(mix.size, dtype=np.float32)
    placed[sample_at(0.5) : sample_at(0.5) + voice.size] += voice
    placed[sample_at(2.0) : sample_at(2.0) + tone.size] += tone
    assert np.array_equal(mix, placed)


def test_sounds_that_touch_are_kept_under_the_ceiling_where_they_meet() -> None:
    """Each sound alone is under the ceiling, but two that meet without a gap can pass it between their
    samples (here a last sample and a first sample alike: 0.89 between them), so the guard dips there
    too, whatever the chunking, while the rest of the session goes through untouched."""
    from voiceguide.audio.mixing import SAFETY_CEILING

    first = np.zeros(SAMPLE_RATE // 2, dtype=np.float32)
    first[-1] = 0.70
    second = np.zeros(SAMPLE_RATE // 2, dtype=np.float32)
    second[0] = 0.70
    sounds = {"a": first, "b": second}
    assert true_peak(first) <= SAFETY_CEILING
    assert true_peak(second) <= SAFETY_CEILING
    touching = [Event(1.0, 0.5, "speech", "a"), Event(1.5, 0.5, "cue", "b")]
    assert true_peak(np.concatenate((first, second))) > 0.85  # what they give side by side, undipped
    mixes = [np.concatenate(list(stream(touching, lambda e: sounds[e.text], chunk=size))) for size in (64, 3001, 4 * SAMPLE_RATE)]
    assert all(np.array_equal(mixes[0], mix) for mix in mixes[1:])
    assert true_peak(mixes[0]) <= SAFETY_CEILING * 1.001
    assert not mixes[0][: sample_at(1.4)].any()
    assert not mixes[0][sample_at(1.6) :].any()
