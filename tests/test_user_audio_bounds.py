"""User audio (a background, cue files) is mixed down and resampled by ffmpeg on the way in, and streamed:
what a render holds does not grow with the file's length, channels or sample rate (issue 26, point 2)."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import HANG_GUARD, ROOT, cli
from voiceguide.audio.ambience import LOOP_CROSSFADE, MATCH_SEARCH, Bed
from voiceguide.audio.cue_files import cue_length
from voiceguide.audio.samples import SAMPLE_RATE
from voiceguide.errors import VoiceguideError

pytestmark = [pytest.mark.espeak, pytest.mark.ffmpeg, pytest.mark.slow]  # fault tests, long: the slow tier

MB = 2**20


def lavfi(path: Path, source: str, *args: str) -> Path:
    """An audio file made by one of ffmpeg's lavfi sources: made in seconds, whatever it holds."""
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", source, *args, str(path)], check=True)
    return path


def surround_noise(path: Path, seconds: float, rate: int) -> Path:
    """Eight channels of independent noise: ffmpeg's amerge of eight lavfi sources. 16-bit: ffmpeg 5.1 writes
    a 24-bit one at 192 kHz it cannot read back (its frames are too big for its own parser)."""
    sources = [f"anoisesrc=color=pink:sample_rate={rate}:amplitude=0.2:duration={seconds:g}:seed={seed}" for seed in range(8)]
    command = ["ffmpeg", "-v", "error", "-y"]
    for source in sources:
        command += ["-f", "lavfi", "-i", source]
    subprocess.run([*command, "-filter_complex", "amerge=inputs=8", "-c:a", "flac", "-sample_fmt", "s16", str(path)], check=True)
    return path


def render_peak(background: Path, output: Path) -> int:
    """The peak resident memory (bytes) of a render with this background, ffmpeg's processes included:
    measured in a fresh parent, so the peak is this render's alone."""
    command = [sys.executable, "-m", "voiceguide", "render", "quick-neck", "--brief", "-q", "-o", str(output),
               "--background", str(background)]  # fmt: skip
    measure = (
        f"import resource, subprocess; r = subprocess.run({command!r}, capture_output=True, text=True);"
        "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, repr(r.stderr))"
    )
    result = subprocess.run([sys.executable, "-c", measure], cwd=ROOT, capture_output=True, text=True, timeout=HANG_GUARD)
    code, peak_kb, stderr = result.stdout.split(" ", 2)
    assert code == "0", stderr
    return int(peak_kb) * 1024


def test_a_20_second_8_channel_192_khz_flac_background_renders(tmp_path):
    """pydub's -ac/-ar came after the output, where ffmpeg ignores them: this one took 222 MB to load."""
    flac = surround_noise(tmp_path / "surround.flac", 20, 192000)
    bed = Bed.load(flac)
    longest = (20 - LOOP_CROSSFADE) * SAMPLE_RATE  # mixed down to mono at the session's rate: 20 s, less the crossfade
    assert longest - MATCH_SEARCH * SAMPLE_RATE <= bed.loop.size <= longest  # its end where it best matches its start
    assert 0 < bed.peak < 1
    out = tmp_path / "session.mp3"
    routine = tmp_path / "rest.yaml"  # a short session: the bed is what is tested
    routine.write_text("title: Rest\nexercises:\n  - name: Lie\n    steps:\n      - say: Lie down.\n      - hold: 10 seconds\n")
    result = cli("render", str(routine), "-o", str(out), "--background", str(flac), "-q")
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 10_000


@pytest.mark.slow
def test_a_render_s_memory_does_not_grow_with_the_background(tmp_path):
    """Ten minutes of 8-channel 96 kHz costs within 50 MB of 20 seconds of it: read a stretch at a time."""
    short = lavfi(tmp_path / "short.flac", "sine=frequency=220:sample_rate=96000:duration=20", "-ac", "8")
    long = lavfi(tmp_path / "long.flac", "sine=frequency=220:sample_rate=96000:duration=600", "-ac", "8")
    short_peak = render_peak(short, tmp_path / "short.mp3")
    long_peak = render_peak(long, tmp_path / "long.mp3")
    print(f"peak RSS: 20 s background {short_peak / MB:.0f} MB, 10 min {long_peak / MB:.0f} MB")
    assert long_peak - short_peak < 50 * MB


def test_a_long_wav_background_is_never_held_whole(tmp_path):
    """Ten minutes of 44.1 kHz stereo WAV (106 MB; 53 MB as the mono float samples a bed mixes) loads in under 20."""
    wav = lavfi(tmp_path / "long.wav", "sine=frequency=220:sample_rate=44100:duration=600", "-ac", "2")
    tracemalloc.start()
    try:
        bed = Bed.load(wav)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert bed.loop.size > 590 * SAMPLE_RATE
    assert peak < 20 * MB
    stretch = bed.samples(bed.loop.size - 100, 200, [], None)  # across the loop's seam: read from both ends
    assert stretch.size == 200
    assert np.all(np.isfinite(stretch))


def write_plain_wav(path: Path, seconds: float) -> Path:
    """A cue in the sample format itself (mono 16-bit at SAMPLE_RATE): one voiceguide reads without ffmpeg."""
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((3000 * np.sin(2 * np.pi * 440 * t)).astype("<i2").tobytes())
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda folder: write_plain_wav(folder / "bell.wav", 600), "lasts 600.0 s; at most 5 s"),
        (lambda folder: lavfi(folder / "bell.flac", "sine=frequency=440:sample_rate=8000:duration=600", "-ac", "8"),
         "lasts more than 60 s; at most 5 s"),
    ],
)
def test_a_huge_cue_file_is_refused_in_one_line_without_reading_it_whole(tmp_path, make, message):
    """A ten-minute cue: refused having read at most a minute of it, whatever its format."""
    folder = tmp_path / "cues"
    folder.mkdir()
    path = make(folder)
    tracemalloc.start()
    try:
        with pytest.raises(VoiceguideError) as raised:
            cue_length(path, "bell")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(raised.value) == f"{path}: cue sound 'bell' {message}"
    assert peak < 20 * MB  # ten minutes of mono float at SAMPLE_RATE are 53 MB; of the file's own samples, far more
