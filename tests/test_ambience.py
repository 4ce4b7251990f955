"""Background ambience and the user's own sounds in any format: heard as a listener would measure them."""

from __future__ import annotations

import itertools
import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import SHORT, cli, run_cli
from voiceguide.audio.ambience import DUCK_DB, Bed, duck_envelope, seamless_loop
from voiceguide.audio.balance import mix_speech_loudness
from voiceguide.audio.loudness import true_peak
from voiceguide.audio.samples import SAMPLE_RATE
from voiceguide.timeline import Event

pytestmark = [pytest.mark.espeak, pytest.mark.ffmpeg]

TONE_HZ = 55.0  # under the voice's lowest harmonics: the bed can be measured through the speech


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


def decode(path: Path) -> np.ndarray:
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(SAMPLE_RATE), "-"],
        capture_output=True, check=True,
    ).stdout
    return np.frombuffer(raw, "<i2").astype(np.float32) / 32768


@pytest.fixture(scope="module")
def beds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A user's background sounds: a 48 kHz stereo FLAC and an MP3, each a sustained tone with noise, 12 s."""
    folder = tmp_path_factory.mktemp("beds")
    flac, mp3 = folder / "drone.flac", folder / "hum.mp3"
    tone = f"sine=frequency={TONE_HZ:g}:duration=12:sample_rate=48000"
    noise = "anoisesrc=color=brown:duration=12:sample_rate=48000:amplitude=0.05:seed=1"  # the same bed every run
    ffmpeg("-f", "lavfi", "-i", tone, "-f", "lavfi", "-i", noise, "-filter_complex",
           "[0][1]amix=inputs=2,aformat=channel_layouts=stereo", "-ar", "48000", str(flac))  # fmt: skip
    ffmpeg("-f", "lavfi", "-i", tone.replace("48000", "44100"), "-f", "lavfi", "-i", noise.replace("48000", "44100"),
           "-filter_complex", "amix=inputs=2", "-b:a", "128k", str(mp3))  # fmt: skip
    return {"flac": flac, "mp3": mp3}


def tone_level(samples: np.ndarray, at: float, window: float = 0.2) -> float:
    """dB of the TONE_HZ component in a window starting at `at` (a Hann-windowed DFT at that one frequency)."""
    first = int(at * SAMPLE_RATE)
    piece = samples[first : first + int(window * SAMPLE_RATE)].astype(np.float64)
    t = np.arange(piece.size) / SAMPLE_RATE
    hann = np.hanning(piece.size)
    amplitude = abs(np.sum(piece * hann * np.exp(-2j * np.pi * TONE_HZ * t))) * 2 / hann.sum()
    return 20 * np.log10(max(amplitude, 1e-9))


SLOW_BEDS = [("flac", 110), ("mp3", 220), ("flac", 220)]  # each bed format at both ends of the rates


@pytest.mark.parametrize(  # one in the fast tier; the other beds and rates with the slow ones
    ("kind", "rate"), [("mp3", 150), *(pytest.param(kind, rate, marks=pytest.mark.slow) for kind, rate in SLOW_BEDS)]
)
def test_background_sits_under_the_voice_and_the_mix_keeps_its_loudness(tmp_path, beds, kind, rate):
    out = tmp_path / "session.mp3"
    # A process of its own, as a user renders: espeak's clips depend a little on what it said before in the
    # same process, and this bound sits near what the MP3 encoder adds over some of them (issue 29).
    result = run_cli("render", "quick-neck", "-o", str(out), "--rate", str(rate), "--background", str(beds[kind]), "--timeline", "-q")
    assert result.returncode == 0, result.stderr
    mix = decode(out)
    plan = json.loads(out.with_suffix(".json").read_text())
    events = [Event(**event) for event in plan["events"]]
    # The voice is measured over the speech, as dialogue loudness is: over a bed, integrated loudness would
    # depend on how much of the session is speech (a sparse session over rain measures about -22 LUFS).
    assert abs(mix_speech_loudness(mix, events) - -16.0) <= 1.0
    assert 20 * np.log10(true_peak(mix)) <= -1.0
    speech = [(e["start"], e["start"] + e["duration"]) for e in plan["events"] if e["kind"] == "speech"]
    during = [tone_level(mix, (a + b) / 2 - 0.1) for a, b in speech if b - a > 1.2 and a > 5]
    between = [
        tone_level(mix, (b + a2) / 2 - 0.1)
        for (_, b), (a2, _) in itertools.pairwise(speech)
        if a2 - b > 3.0 and b > 5 and a2 < plan["total"] - 6
    ]
    assert during
    assert between
    assert np.median(between) - np.median(during) >= 8.0  # ducked under every sentence, back up between them


def test_ducking_is_smooth_on_a_sustained_tone():
    """No pumping: the bed's gain moves along ramps, never in steps a listener hears as clicks."""
    loop = np.sin(2 * np.pi * TONE_HZ * np.arange(SAMPLE_RATE * 4) / SAMPLE_RATE).astype(np.float32)
    bed = Bed(loop * np.float32(0.05))
    speech = [(SAMPLE_RATE * 5, SAMPLE_RATE * 7), (int(SAMPLE_RATE * 7.6), SAMPLE_RATE * 9)]
    out = bed.samples(0, SAMPLE_RATE * 20, speech, end=SAMPLE_RATE * 20)
    envelope = duck_envelope(0, out.size, speech)
    assert envelope[SAMPLE_RATE * 6] == 1.0
    assert envelope[SAMPLE_RATE * 3] == 0.0
    assert envelope[int(SAMPLE_RATE * 7.3)] > 0.5  # a short gap between sentences stays down: no pumping up and down
    assert np.max(np.abs(np.diff(envelope))) < 1e-3  # at most 0.01 dB of duck a sample
    levels = [tone_level(out, t) for t in (3.5, 6.0, 12.0)]
    assert levels[0] - levels[1] == pytest.approx(DUCK_DB, abs=0.5)
    assert abs(levels[2] - levels[0]) < 0.5
    # faded in and out
    assert np.max(np.abs(out[:100])) < 1e-3
    assert np.max(np.abs(out[-100:])) < 1e-3


def test_a_loop_repeats_without_a_seam():
    rng = np.random.default_rng(3)
    source = rng.standard_normal(SAMPLE_RATE * 3).astype(np.float32) * np.float32(0.1)
    loop = seamless_loop(source)
    tiled = np.concatenate([loop, loop])
    seam = np.abs(np.diff(tiled))[loop.size - 5 : loop.size + 5]
    assert seam.max() < 6 * np.abs(np.diff(source)).mean()  # the join is no bigger a step than the noise's own


def test_builtin_ambience_renders_and_unknown_names_are_one_line(tmp_path):
    out = tmp_path / "rain.wav"
    assert cli("render", str(SHORT), "-o", str(out), "--background", "builtin:rain", "-q").returncode == 0
    plain = tmp_path / "plain.wav"
    assert cli("render", str(SHORT), "-o", str(plain), "-q").returncode == 0
    assert decode(out).size == decode(plain).size  # the bed never lengthens the session
    bad = cli("plan", "quick-neck", "--background", "builtin:waves")
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1
    assert "builtin:" not in bad.stderr.split(":")[0]
    assert "rain" in bad.stderr
    loud = cli("render", "quick-neck", "-o", str(out), "--background", "builtin:rain", "--background-level", "-6")
    assert loud.returncode == 2
    assert "background level" in loud.stderr
    assert loud.stderr.count("\n") == 1


def test_unreadable_background_is_one_line(tmp_path):
    junk = tmp_path / "notes.mp3"
    junk.write_text("not audio")
    result = cli("render", "quick-neck", "-o", str(tmp_path / "x.mp3"), "--background", str(junk), "-q")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert str(junk) in result.stderr
    assert not (tmp_path / "x.mp3").exists()


@pytest.fixture(scope="module")
def cue_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every cue sound in a format the built-ins are not: MP3, OGG and FLAC, 44.1/48 kHz, stereo."""
    folder = tmp_path_factory.mktemp("cues")
    formats = {"bell": "mp3", "chime": "ogg", "switch": "flac", "tick": "mp3", "inhale": "ogg", "exhale": "flac"}
    for n, (name, suffix) in enumerate(formats.items()):
        ffmpeg("-f", "lavfi", "-i", f"sine=frequency={440 + 110 * n}:duration={0.15 if name == 'tick' else 0.8}",
               "-ac", "2", "-ar", "48000" if suffix == "flac" else "44100", str(folder / f"{name}.{suffix}"))  # fmt: skip
    return folder


def test_cue_sounds_in_any_format_are_placed_and_heard(tmp_path, cue_dir):
    plan = json.loads(cli("plan", "quick-neck", "--cue-dir", str(cue_dir), "--json").stdout)
    bells = [e for e in plan["events"] if e["kind"] == "cue" and e["text"] == "bell"]
    assert bells
    assert all(abs(e["duration"] - 0.8) < 0.06 for e in bells)  # the MP3's own length (plus encoder padding)
    out = tmp_path / "cues.wav"
    assert cli("render", "quick-neck", "-o", str(out), "--cue-dir", str(cue_dir), "-q").returncode == 0
    mix = decode(out)
    first = bells[0]
    window = mix[int(first["start"] * SAMPLE_RATE) : int((first["start"] + first["duration"]) * SAMPLE_RATE)]
    assert np.sqrt(np.mean(window**2)) > 0.003  # the user's bell is heard where the plan puts it


@pytest.mark.parametrize(("make", "says"), [
    (lambda p: ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=0.0001", str(p / "bell.wav")), "lasts"),
    (lambda p: ffmpeg("-f", "lavfi", "-i", "anullsrc=duration=0.5", str(p / "bell.ogg")), "silent"),
    (lambda p: (p / "bell.flac").write_text("not audio"), "not an audio file"),
])
def test_unusable_cue_files_are_one_line_before_any_work(tmp_path, make, says):
    make(tmp_path)
    for command in ("plan", "render"):
        result = cli(command, "quick-neck", "--cue-dir", str(tmp_path), "-o" if command == "render" else "--json",
                     *([str(tmp_path / "x.mp3")] if command == "render" else []))
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1, result.stderr
        assert "bell" in result.stderr
        assert says in result.stderr
