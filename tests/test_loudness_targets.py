"""Issue 29's targets: loops keep their level at the seam, ducking holds through paced sections (fast),
and a small part of scripts/soundcheck.py on real renders (slow)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from voiceguide.audio.ambience import HOLD, Bed, duck_envelope, loop_overlap, seamless_loop
from voiceguide.audio.samples import SAMPLE_RATE

ROOT = Path(__file__).resolve().parent.parent


def window_levels(samples: np.ndarray, window: int = SAMPLE_RATE // 20) -> np.ndarray:
    whole = samples[: samples.size // window * window].astype(np.float64).reshape(-1, window)
    return 10 * np.log10(np.mean(np.square(whole), axis=1) + 1e-20)


@pytest.mark.parametrize("seconds", [7.3, 5.01])
def test_a_tonal_loop_neither_dips_nor_swells_at_its_seam(seconds):
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    chord = sum(np.sin(2 * np.pi * hz * t) for hz in (110, 164.81, 220, 277.18)).astype(np.float32) * np.float32(0.05)
    loop = seamless_loop(chord)
    window = SAMPLE_RATE // 5  # a few periods of the chord's beating: its own level is steady over it
    levels = window_levels(np.concatenate([loop, loop]), window)
    steady = window_levels(chord, window)
    # The old equal-power fade swelled or cancelled by several dB; the chord's own windows spread a little.
    assert levels.max() - levels.min() < steady.max() - steady.min() + 1.0


def test_a_noise_loop_keeps_its_level_through_the_crossfade():
    rng = np.random.default_rng(5)
    noise = rng.standard_normal(SAMPLE_RATE * 4).astype(np.float32) * np.float32(0.1)
    loop = seamless_loop(noise)
    levels = window_levels(loop, SAMPLE_RATE // 5)
    seam = levels[: -(-loop_overlap(noise.size) // (SAMPLE_RATE // 5))]
    assert abs(np.mean(seam) - np.median(levels[seam.size :])) < 0.5  # equal power for uncorrelated material


def test_the_bed_stays_down_through_gaps_shorter_than_the_hold_and_comes_back_after_longer_ones():
    second = SAMPLE_RATE
    paced = [(second * k * 4, second * k * 4 + second // 2) for k in range(1, 6)]  # a count every 4 s
    envelope = duck_envelope(0, second * 40, paced)
    assert envelope[paced[0][0] : paced[-1][1]].min() == 1.0  # no pumping between the counts
    late = paced[-1][1] + int((HOLD + 3) * second)
    envelope = duck_envelope(0, second * 40, [*paced, (late, late + second)])
    assert envelope[paced[-1][1] + 3 * second] == 0.0  # a longer gap: the bed comes back


def test_a_loud_bed_dips_further_so_speech_stays_20_db_over_it(tmp_path):
    t = np.arange(SAMPLE_RATE * 3) / SAMPLE_RATE
    source = tmp_path / "drone.wav"
    import wave

    with wave.open(str(source), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((np.sin(2 * np.pi * 110 * t) * 8000).astype("<i2").tobytes())
    assert Bed.load(source, -30.0).duck_db == 10.0
    assert Bed.load(source, -18.0).duck_db >= 20.0 - (-16.0 - -18.0)  # -18 LUFS dips to -38 or under


@pytest.mark.slow
@pytest.mark.espeak
@pytest.mark.ffmpeg
@pytest.mark.parametrize(
    ("bed", "formats"),
    [
        pytest.param(  # the dense circuit at 300 wpm: integrated -16 +- 1, cues 8 LU under, the joined MP3
            "none", ["wav", "mp3"],
            marks=pytest.mark.xfail(strict=True, reason="issue 29 open: espeak's words at 300 wpm measure -17.4 LUFS integrated"),
        ),
        ("rain", ["wav", "mp3", "ogg"]),  # speech -16 +- 1 over rain, true peak, one encoder's MP3 length, S/B, pumping
    ],
)
def test_soundcheck_rows_pass_for_a_dense_circuit(bed, formats):
    sys.path.insert(0, str(ROOT / "scripts"))
    import soundcheck

    args = soundcheck.parse(["--espeak", "--routines", "circuit", "--beds", bed, "--rates", "300", "--formats", *formats])
    assert soundcheck.run(args) == 0
