"""True peak under -1 dBTP as the encoded file decodes (issue 29): where an encoder's noise rises over the mix's
headroom, the render dips the mix there and encodes again (voiceguide.rendering.peaks)."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

import voiceguide
from voiceguide.audio.leveling import leveled_clip
from voiceguide.audio.loudness import integrated_loudness, true_peak
from voiceguide.audio.samples import SAMPLE_RATE, to_float
from voiceguide.rendering.peaks import AIM_DBTP, FILE_CEILING_DBTP, HOLD, RAMP, Dips, Overshoots, overshoots
from voiceguide.rendering.pipeline import FORMATS

from .conftest import SHORT

LIMIT = 10 ** (FILE_CEILING_DBTP / 20)


def decoded(path: Path) -> np.ndarray:
    """As a player decodes it, in float: a peak over full scale is measured, not clipped."""
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "f32le", "-ac", "1", "-ar", str(SAMPLE_RATE), "-"],
                         capture_output=True, check=True).stdout  # fmt: skip
    return np.frombuffer(out, dtype="<f4")


def encode(samples: np.ndarray, path: Path) -> Path:
    source = path.with_suffix(".wav")
    with wave.open(str(source), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(source), "-c:a", "libvorbis", "-b:a", "64k", str(path)], check=True)
    return path


def test_a_dip_turns_down_smoothly_around_its_peak_and_leaves_the_rest_alone():
    dips = Dips()
    dips.add([(10_000, 2 * LIMIT)])  # twice the limit: the gain there aims under it
    gain = dips.apply(np.ones(20_000, dtype=np.float32), 0)
    assert gain[10_000] * 2 * LIMIT < LIMIT
    assert np.all(gain[10_000 - HOLD : 10_000 + HOLD + 1] == gain[10_000])
    assert np.all(gain[: 10_000 - HOLD - RAMP] == 1.0)
    assert np.all(gain[10_000 + HOLD + RAMP + 1 :] == 1.0)
    assert np.abs(np.diff(gain)).max() < 0.01  # no step: no click
    for cut in (7_000, 10_000, 10_000 - HOLD - RAMP, 10_000 + HOLD + 1):  # the same, chunk by chunk as the mix streams
        halves = np.concatenate([dips.apply(np.ones(cut, dtype=np.float32), 0), dips.apply(np.ones(20_000 - cut, dtype=np.float32), cut)])
        assert np.array_equal(halves, gain), cut


def test_peaks_found_together_each_get_their_own_dip_not_one_on_top_of_another():
    dips = Dips()
    over = 10 ** (-0.5 / 20)  # each -0.5 dBTP, a pitch period apart: one dip's worth, not three stacked
    dips.add([(10_000, over), (10_100, over), (10_200, over)])
    gain = dips.apply(np.ones(20_000, dtype=np.float32), 0)
    expected = 10 ** (AIM_DBTP / 20) / over
    assert np.allclose(gain[[10_000, 10_100, 10_200]], expected)
    dips.add([(10_100, 10 ** (-0.8 / 20))])  # measured again through the dip: deepened by what is still over
    assert np.isclose(dips.apply(np.ones(1, dtype=np.float32), 10_100)[0], expected * 10 ** (AIM_DBTP / 20) / 10 ** (-0.8 / 20))


@pytest.mark.parametrize("stretch", [1_000, 4_096, 65_536])
def test_a_signal_measured_a_stretch_at_a_time_finds_what_measured_whole_finds(stretch):
    """Bursts over the limit wherever a stretch ends: each is found once, at its own sample."""
    t = np.arange(200) / SAMPLE_RATE
    burst = (np.sin(2 * np.pi * 5000 * t) * 0.97).astype(np.float32)  # between its samples it passes -1 dBTP
    signal = np.zeros(300_000, dtype=np.float32)
    starts = range(900, 299_000, 3_077)
    for at in starts:
        signal[at : at + burst.size] = burst
    whole = Overshoots()
    whole.feed(signal)
    expected = whole.finish()
    streamed = Overshoots()
    for first in range(0, signal.size, stretch):
        streamed.feed(signal[first : first + stretch])
    found = streamed.finish()

    def loudest(places: list[tuple[int, float]]) -> list[float]:  # per burst: a run split where a stretch ends is two
        return [max((level for p, level in places if at <= p < at + burst.size), default=0.0) for at in starts]

    assert all(any(at <= p < at + burst.size for at in starts) for p, _ in found)  # nothing found but the bursts
    assert min(loudest(expected)) > 10 ** (FILE_CEILING_DBTP / 20)
    assert np.allclose(loudest(found), loudest(expected), rtol=1e-6)


@pytest.mark.slow  # three encodings of a stress case: the render test below is the fast tier's
@pytest.mark.espeak
@pytest.mark.ffmpeg
def test_speech_that_vorbis_overshoots_all_over_is_brought_under_the_limit_in_two_more_passes(tmp_path):
    words = "Breathe in. Hold. Push, pop, tap, kick, stop, back, top, pick it up. Breathe out slowly."
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "80", "-w", str(tmp_path / "words.wav"), words], check=True)
    with wave.open(str(tmp_path / "words.wav")) as clip:
        raw = np.frombuffer(clip.readframes(clip.getnframes()), "<i2")
    loud = to_float(leveled_clip(raw)) * np.float32(10 ** (2 / 20))  # 2 dB over the mix's headroom: true peak -1 dBTP
    speech = np.concatenate([loud, np.zeros(SAMPLE_RATE // 2, np.float32)] * 6)
    found = overshoots(encode(speech, tmp_path / "once.ogg"), "ffmpeg", tmp_path / "once.ogg")
    assert found  # Vorbis's noise passes -1 dBTP where the mix did not
    dips, passes = Dips(), 1
    while found and passes < 3:
        dips.add(found)
        found = overshoots(encode(dips.apply(speech, 0), tmp_path / "dipped.ogg"), "ffmpeg", tmp_path / "dipped.ogg")
        passes += 1
    assert not found
    assert true_peak(decoded(tmp_path / "dipped.ogg")) <= LIMIT


@pytest.mark.espeak
@pytest.mark.ffmpeg
@pytest.mark.slow  # whole renders, encoded until they pass
@pytest.mark.parametrize(("suffix", "bitrate"), [(".ogg", "24k"), (".mp3", "48k")])
def test_a_render_whose_encoder_overshoots_decodes_under_the_limit_whole(tmp_path, suffix, bitrate):
    """At these bitrates the short session, encoded once, decodes over -1 dBTP (measured: OGG -0.5, MP3 +0.06): dipped
    where it did, it decodes under, as long as the session and as loud as the same encoding without the dips."""
    out = tmp_path / f"short{suffix}"
    voiceguide.render(SHORT, out, bitrate=bitrate)
    wav = voiceguide.render(SHORT, tmp_path / "short.wav")
    fmt = FORMATS[suffix]
    undipped = tmp_path / f"undipped{suffix}"
    encoding = ["-c:a", str(fmt.codec), "-b:a", bitrate, *fmt.extra]
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(wav), *encoding, str(undipped)], check=True)
    samples, once = decoded(out), decoded(undipped)
    assert true_peak(once) > LIMIT  # what the render would have written without its dips
    assert true_peak(samples) <= LIMIT
    assert samples.size == decoded(wav).size  # the whole session, sample-exact in length
    assert abs(integrated_loudness(samples, SAMPLE_RATE) - integrated_loudness(once, SAMPLE_RATE)) < 0.05  # a few short dips


@pytest.mark.slow  # a quarter hour of session, encoded twice
@pytest.mark.espeak
@pytest.mark.ffmpeg
def test_a_long_mp3_measured_in_its_two_halves_decodes_under_the_limit_whole(tmp_path):
    """The built-in session is long enough to be encoded in two halves, each measured from where it starts in the
    session; at 32k it passes -1 dBTP in both halves (measured: up to -0.13 dBTP in the first, -0.55 in the second),
    and is dipped there: a dip placed off its peak would leave it over."""
    out = voiceguide.render(output=tmp_path / "long.mp3", bitrate="32k")
    wav = voiceguide.render(output=tmp_path / "long.wav")
    samples = decoded(out)
    assert true_peak(samples) <= LIMIT
    assert samples.size == decoded(wav).size
