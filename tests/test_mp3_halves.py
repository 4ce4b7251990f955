"""MP3 renders encoded as two halves on two cores (rendering/halves.py, rendering/mp3_join.py).

What a listener would notice if the join were wrong: a file longer or shorter
than the plan, speech after the seam early or late, a click or gap at the seam,
a player that cannot seek or reads a wrong length. Each is checked against the
same session rendered to WAV, and against ffmpeg encoding that WAV in one piece.
"""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from voiceguide import api
from voiceguide.audio.samples import SAMPLE_RATE, sample_at
from voiceguide.rendering import pipeline
from voiceguide.rendering.halves import GUARD, find_cut
from voiceguide.rendering.mp3_join import JoinError, crc16, crc16_combine, frames_for, join, xing_info

from .test_faults import leftovers

pytestmark = [pytest.mark.espeak, pytest.mark.ffmpeg]

ROUTINE = "quick-neck"  # about four and a half minutes: long enough to cut, quick to render


def decoded(path: Path, *before_input: str) -> np.ndarray:
    result = subprocess.run(
        ["ffmpeg", "-v", "error", *before_input, "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(SAMPLE_RATE), "-"],
        capture_output=True, check=True,
    )  # fmt: skip
    assert result.stderr == b"", result.stderr
    return np.frombuffer(result.stdout, dtype="<i2").astype(np.float64)


def encode(samples: np.ndarray, path: Path) -> None:
    """ffmpeg encoding 16-bit samples to MP3 with the render's own settings."""
    mp3 = pipeline.FORMATS[".mp3"]
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", "pipe:0", "-c:a", str(mp3.codec),
         "-b:a", str(mp3.bitrate), *mp3.extra, "-f", "mp3", str(path)], input=samples.astype("<i2").tobytes(), check=True,
    )  # fmt: skip


def wav_samples(path: Path) -> np.ndarray:
    with wave.open(str(path)) as audio:
        return np.frombuffer(audio.readframes(audio.getnframes()), dtype="<i2").astype(np.float64)


def lag(heard: np.ndarray, reference: np.ndarray, at: int, width: int = SAMPLE_RATE // 2, most: int = 600) -> int:
    """The shift (in samples) that best lines heard up with reference in the window starting at `at`."""
    window = heard[at : at + width]
    scores = [float(np.dot(window, reference[at + shift : at + shift + width])) for shift in range(-most, most + 1)]
    return int(np.argmax(scores)) - most


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("halves")
    timeline = api.plan(ROUTINE)
    api.render(ROUTINE, folder / "neck.mp3")
    api.render(ROUTINE, folder / "neck.wav")
    one_piece = folder / "one-piece.mp3"  # ffmpeg alone, with the render's own MP3 settings
    encode(wav_samples(folder / "neck.wav"), one_piece)
    cut = find_cut(timeline.events, 0, sample_at(timeline.total) // 2)
    return {"folder": folder, "timeline": timeline, "cut": cut, "one_piece": one_piece}


def test_the_session_is_cut_in_a_silence_near_its_middle(session):
    timeline, cut = session["timeline"], session["cut"]
    assert cut is not None
    assert 0.3 < cut.cut / sample_at(timeline.total) < 0.7
    for event in timeline.events:
        if event.kind in ("speech", "cue"):  # nothing heard from a guard before the cut to a guard after the resume
            assert sample_at(event.end) <= cut.cut - GUARD or sample_at(event.start) >= cut.resume + GUARD, event


def test_the_joined_mp3_lines_up_with_the_wav_sample_for_sample(session):
    mp3 = decoded(session["folder"] / "neck.mp3")
    wav = wav_samples(session["folder"] / "neck.wav")
    assert mp3.size == wav.size  # the planned length exactly: the halves' delay and padding all accounted for
    cut = session["cut"]
    after = [e for e in session["timeline"].events if e.kind == "speech" and sample_at(e.start) > cut.resume]
    before = [e for e in session["timeline"].events if e.kind == "speech" and sample_at(e.start) < cut.cut - SAMPLE_RATE]
    for event in (*before[-3:], *after[:5], after[-1]):  # either side of the seam, and the last words
        assert lag(mp3, wav, sample_at(event.start)) == 0, event
    seam = mp3[cut.cut - GUARD : cut.resume + GUARD]
    assert np.abs(seam).max() < 2  # silence through the seam: no click, no priming noise


def test_the_joined_mp3_sounds_as_one_encoder_would(session):
    joined = decoded(session["folder"] / "neck.mp3")
    one_piece = decoded(session["one_piece"])[: joined.size]  # one piece: LAME's padding can leave a few samples more
    assert joined.size == one_piece.size
    difference = np.sqrt(np.mean(np.square(joined - one_piece))) / np.sqrt(np.mean(np.square(one_piece)))
    assert difference < 0.01  # (measured: identical)


@pytest.mark.slow  # eight decodes of a whole session
def test_players_read_the_length_and_seek_into_the_second_half(session):
    path, wav = session["folder"] / "neck.mp3", wav_samples(session["folder"] / "neck.wav")
    assert MP3(path).info.length == pytest.approx(MP3(session["one_piece"]).info.length, abs=0.03)  # as one piece
    assert MP3(path).info.length == pytest.approx(session["timeline"].total, abs=0.1)
    cut = session["cut"]
    spoken = [e for e in session["timeline"].events if e.kind == "speech" and sample_at(e.start) > cut.resume]
    for event in spoken[:: max(1, len(spoken) // 4)]:
        seconds = event.start - 0.2
        reference = np.concatenate((np.zeros(1000), wav[sample_at(seconds) :]))
        shifts = [
            lag(np.concatenate((np.zeros(1000), decoded(file, "-ss", f"{seconds:.3f}", "-t", "1.5"))), reference, 1000)
            for file in (path, session["one_piece"])
        ]
        assert abs(shifts[0]) <= 10, (event, shifts)
        assert abs(shifts[0] - shifts[1]) <= 2, (event, shifts)  # as in a one-piece file


def test_the_lame_tag_carries_the_joined_files_crcs(session):
    path = session["folder"] / "neck.mp3"
    stream = path.read_bytes()[ID3(str(path)).size :]  # the MP3 stream after our ID3 tag
    info = xing_info(stream)
    assert info.size == len(stream)
    assert info.music_crc == crc16(stream[info.frame_length :])
    tag_crc_at = info.mark + 154
    blank = stream[:tag_crc_at] + b"\0\0" + stream[tag_crc_at + 2 : 190]
    assert int.from_bytes(stream[tag_crc_at : tag_crc_at + 2], "big") == crc16(blank)


@pytest.mark.parametrize("samples", [1, 575, 576, 577, 1151, 1152, 1153, 4000, 22050, 3 * 22050 + 7])
def test_lame_writes_the_frames_the_join_expects(tmp_path, samples):
    out = tmp_path / "silence.mp3"
    encode(np.zeros(samples), out)
    assert xing_info(out.read_bytes()).frames == frames_for(samples)


@given(st.binary(max_size=300), st.binary(max_size=300))
def test_crc_of_a_join_from_the_crcs_of_its_parts(first, second):
    assert crc16_combine(crc16(first), crc16(second), len(second)) == crc16(first + second)


def test_halves_that_do_not_meet_are_refused_and_the_first_left_as_it_was(session, tmp_path):
    cut = session["cut"]
    first, second = tmp_path / "first.mp3", tmp_path / "second.mp3"
    wav = wav_samples(session["folder"] / "neck.wav")
    encode(wav[: cut.cut], first)
    encode(wav[cut.resume :], second)
    before = first.read_bytes()
    with pytest.raises(JoinError):
        join(first, second, cut.cut + 2 * 576, wav.size)  # a first half of two frames more than it holds
    assert first.read_bytes() == before
    join(first, second, cut.cut, wav.size)
    assert decoded(first).size == wav.size


@pytest.mark.slow  # a fault path, rendering the session twice
def test_when_the_halves_cannot_join_the_render_uses_one_encoder(session, tmp_path, monkeypatch):
    def refuse(*_args: object) -> None:  # as an encoder that frames the halves otherwise would be refused
        raise JoinError("the first half has other frames")

    monkeypatch.setattr(pipeline, "join", refuse)
    out = tmp_path / "neck.mp3"
    api.render(ROUTINE, out)
    heard, wav = decoded(out), wav_samples(session["folder"] / "neck.wav")
    assert heard.size == wav.size  # one encoder's tag set right too
    late = [e for e in session["timeline"].events if e.kind == "speech" and e.start > session["timeline"].total * 0.8]
    assert lag(heard, wav, sample_at(late[0].start)) == 0
    assert leftovers(tmp_path) == []


@pytest.mark.slow  # a whole render, decoded three ways
def test_a_one_encoder_mp3_decodes_to_the_planned_length_in_every_decoder(tmp_path):
    """Over a background (never silent, so never cut in two) one encoder writes the MP3: ffmpeg's own
    LAME tag gave its decoders 41 samples more than the session; the render sets the tag right."""
    api.render(ROUTINE, tmp_path / "rain.mp3", background="builtin:rain")
    api.render(ROUTINE, tmp_path / "rain.wav", background="builtin:rain")
    wav = wav_samples(tmp_path / "rain.wav")
    heard = decoded(tmp_path / "rain.mp3")
    assert heard.size == wav.size
    late = [e for e in api.plan(ROUTINE).events if e.kind == "speech"][-1]
    assert lag(heard, wav, sample_at(late.start)) == 0
    miniaudio = pytest.importorskip("miniaudio")  # a second decoder (dr_mp3), in the bench extra
    assert len(miniaudio.mp3_read_file_f32(str(tmp_path / "rain.mp3")).samples) == wav.size
