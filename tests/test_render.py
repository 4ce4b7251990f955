"""Rendering to audio files, checked the way a listener's tools would: ffmpeg, ffprobe, mutagen."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3

import voiceguide
from voiceguide.audio.leveling import Leveled
from voiceguide.audio.mixing import sample_at
from voiceguide.audio.samples import SAMPLE_RATE, read_clip
from voiceguide.audio.sounds import Sounds
from voiceguide.errors import VoiceguideError
from voiceguide.speech.engine import Speech
from voiceguide.timeline import Chapter

from .conftest import HANG_GUARD, ROOT, SHORT, cli, run_cli

MPEG2_FRAME = 576  # samples in one MP3 frame at 22050 Hz
LONG = ["--hold-scale", "5", "--reps", "high"]  # about an hour: time to interrupt it


def decoded(path: Path) -> np.ndarray:
    """The file as a player hears it: decoded by ffmpeg (which drops the encoder's delay and padding)."""
    result = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(SAMPLE_RATE), "-"],
        capture_output=True, check=True,
    )
    assert result.stderr == b"", result.stderr  # decodes without a single error
    return np.frombuffer(result.stdout, dtype="<i2").astype(np.float32) / 32768


def probe(path: Path) -> dict:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", "-show_format", "-show_streams", "-show_chapters", str(path)],
        capture_output=True, text=True, check=True,
    )
    return json.loads(result.stdout)


def tags_of(info: dict) -> dict:
    """The file's tags wherever the container keeps them (OGG: on the stream), keys in lower case."""
    found = {**info["streams"][0].get("tags", {}), **info["format"].get("tags", {})}
    return {key.lower(): value for key, value in found.items()}


def loudness(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP), as ffmpeg's EBU R128 meter reports them."""
    result = subprocess.run(
        ["ffmpeg", "-nostats", "-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )
    summary = result.stderr[result.stderr.rindex("Summary:") :]
    return float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary)[1]), float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary)[1])


def leftovers(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(".part")]


@pytest.fixture(scope="module")
def lower_back(tmp_path_factory):
    """The built-in routine rendered to MP3 by the CLI with captions and timeline, from an empty clip cache."""
    folder = tmp_path_factory.mktemp("lower-back")
    cache = str(tmp_path_factory.mktemp("empty-clip-cache"))
    result = run_cli(
        "render", "-o", str(folder / "lower-back.mp3"), "--captions", "--timeline", env={"XDG_CACHE_HOME": cache}
    )
    plan = run_cli("plan", "--json", env={"XDG_CACHE_HOME": cache})
    return folder, result, json.loads(plan.stdout)


@pytest.mark.espeak
@pytest.mark.ffmpeg
def test_mp3_of_builtin_routine_plays_for_the_planned_time(lower_back):
    folder, result, plan = lower_back
    assert result.returncode == 0, result.stderr
    # Only our one line reaches stdout: no "Audio saved to ..." chatter from the speech engine.
    written = [folder / f"lower-back{suffix}" for suffix in (".mp3", ".srt", ".vtt", ".json")]
    assert result.stdout == f"wrote {', '.join(str(path) for path in written)}\n"
    assert json.loads((folder / "lower-back.json").read_text()) == plan  # the file is the plan
    audio = decoded(folder / "lower-back.mp3")
    assert abs(audio.size - sample_at(plan["total"])) <= MPEG2_FRAME
    assert leftovers(folder) == []


@pytest.mark.espeak
@pytest.mark.ffmpeg
def test_mp3_has_id3_tags_and_a_chapter_per_exercise_and_side(lower_back):
    folder, _, plan = lower_back
    tags = ID3(folder / "lower-back.mp3")
    assert tags.version == (2, 3, 0)
    assert str(tags["TIT2"]) == str(tags["TALB"]) == "Lower back spasm relief"
    assert str(tags["TPE1"]) == "voiceguide"
    chapters = probe(folder / "lower-back.mp3")["chapters"]  # in playing order in the file
    assert [c["tags"]["title"] for c in chapters] == [c["title"] for c in plan["chapters"]]
    assert [c["title"] for c in plan["chapters"]] == [
        "Supine twist (left)", "Supine twist (right)", "Cat-cow stretch", "Child's pose", "Hip lifts",
        "Shoelace stretch (right)", "Shoelace stretch (left)",
    ]
    for probed, planned in zip(chapters, plan["chapters"], strict=True):
        assert float(probed["start_time"]) == pytest.approx(planned["start"], abs=0.001)
        assert float(probed["end_time"]) == pytest.approx(planned["end"], abs=0.001)


@pytest.mark.espeak
@pytest.mark.ffmpeg
def test_mp3_lands_at_minus_16_lufs_with_true_peak_under_minus_1(lower_back):
    integrated, peak = loudness(lower_back[0] / "lower-back.mp3")
    assert integrated == pytest.approx(-16.0, abs=1.0)
    assert peak <= -1.0


def _captions(text: str, separator: str) -> list[tuple[float, float, str]]:
    def seconds(clock: str) -> float:
        h, m, s = clock.replace(separator, ".").split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    found = re.findall(r"(\d\d:\d\d:\d\d[.,]\d{3}) --> (\d\d:\d\d:\d\d[.,]\d{3})\n(.+)\n", text)
    return [(seconds(a), seconds(b), words) for a, b, words in found]


@pytest.mark.espeak
@pytest.mark.ffmpeg
def test_captions_carry_every_spoken_cue_where_it_is_heard(lower_back):
    folder, _, plan = lower_back
    speech = [e for e in plan["events"] if e["kind"] == "speech"]
    srt = _captions((folder / "lower-back.srt").read_text(), ",")
    vtt_text = (folder / "lower-back.vtt").read_text()
    assert vtt_text.startswith("WEBVTT")
    assert _captions(vtt_text, ".") == srt
    assert [words for _, _, words in srt] == [e["text"] for e in speech]
    for (start, end, _), event in zip(srt, speech, strict=True):
        assert start == pytest.approx(event["start"], abs=0.001)
        assert end == pytest.approx(event["start"] + event["duration"], abs=0.002)  # the JSON rounds both
    # In the decoded MP3: the voice starts within 0.2 s of each caption, after a quiet spell
    # wherever the plan has nothing else sounding (speech or a cue) just before it.
    audio = decoded(folder / "lower-back.mp3")
    audible = [(e["start"], e["start"] + e["duration"]) for e in plan["events"] if e["kind"] in ("speech", "cue")]
    quiet_checked = 0
    for start, _, _ in srt:
        at = sample_at(start)
        voice = audio[at : at + int(0.2 * SAMPLE_RATE)]
        assert np.sqrt(np.mean(voice**2)) > 0.01
        if not any(a < start - 0.01 and b > start - 0.3 for a, b in audible):
            before = audio[max(0, at - int(0.25 * SAMPLE_RATE)) : at]
            assert np.sqrt(np.mean(before**2)) < 0.002
            quiet_checked += 1
    assert quiet_checked > len(srt) / 2


@pytest.fixture(scope="module")
def quick_neck_wav(tmp_path_factory, speech):
    path = voiceguide.render("quick-neck", tmp_path_factory.mktemp("wav") / "neck.wav")
    return path, voiceguide.plan("quick-neck", speech=speech)  # same clip cache: the same timeline


@pytest.mark.espeak
def test_wav_places_every_sound_at_its_planned_sample_without_clicks(quick_neck_wav, speech):
    path, timeline = quick_neck_wav
    audio = read_clip(path).astype(np.float32) / 32768
    assert audio.size == sample_at(timeline.total)
    sounds = Leveled(Sounds(speech))
    assert all(sounds(event) is not None for event in timeline.speech())
    for event in timeline.events:
        sound = sounds(event)
        if sound is None:
            continue
        at = sample_at(event.start)
        np.testing.assert_allclose(audio[at : at + sound.size], sound, atol=1.5 / 32768)
        for join in (at, at + sound.size):  # from silence into the sound and back: a few ms of fade, no step
            assert np.max(np.abs(np.diff(audio[max(join - 8, 0) : join + 8]))) < 0.005


@pytest.mark.espeak
def test_the_chosen_voice_is_the_voice_heard(tmp_path, speech):
    routine = tmp_path / "hello.yaml"
    routine.write_text("title: Hello\nexercises:\n  - name: Reach\n    steps:\n      - say: Reach up slowly and breathe.\n")
    voice = "gmw/en-us"
    audio = read_clip(voiceguide.render(routine, tmp_path / "hello.wav", voice=voice, cues="off")).astype(np.float32) / 32768
    chosen, default = Leveled(Sounds(Speech(voice, speech.rate))), Leveled(Sounds(speech))
    said = list(voiceguide.plan(routine, voice=voice, cues="off").speech())
    assert len(said) == 4
    for event in said:
        at, sound, usual = sample_at(event.start), chosen(event), default(event)
        np.testing.assert_allclose(audio[at : at + sound.size], sound, atol=1.5 / 32768)  # the chosen voice speaks
        n = min(sound.size, usual.size)
        assert np.abs(audio[at : at + n] - usual[:n]).max() > 0.1, event.text  # ... and it is not the default one


@pytest.mark.espeak
@pytest.mark.ffmpeg
def test_wav_has_info_tags(quick_neck_wav):
    tags = tags_of(probe(quick_neck_wav[0]))
    assert tags["title"] == "Quick neck release"
    assert tags["artist"] == "voiceguide"


@pytest.mark.espeak
@pytest.mark.ffmpeg
@pytest.mark.parametrize("suffix", [".ogg", ".flac"])
def test_ogg_and_flac_carry_vorbis_comments_and_the_planned_length(suffix, tmp_path, speech):
    path = voiceguide.render("quick-neck", tmp_path / f"neck{suffix}", brief=True)
    timeline = voiceguide.plan("quick-neck", speech=speech, brief=True)
    info = probe(path)
    assert tags_of(info)["title"] == tags_of(info)["album"] == "Quick neck release"
    audio = decoded(path)
    if suffix == ".flac":
        assert audio.size == sample_at(timeline.total)  # lossless: to the sample
    else:
        assert abs(audio.size - sample_at(timeline.total)) <= 1024
        assert [c["tags"]["title"] for c in info["chapters"]] == [c.title for c in timeline.chapters()]


@pytest.mark.espeak
@pytest.mark.ffmpeg
def test_library_api_renders_and_returns_the_path(tmp_path):
    path = voiceguide.render("quick-neck", tmp_path / "neck.mp3", brief=True, bitrate="48k")
    assert path == tmp_path / "neck.mp3"
    # MP3 is average-bitrate: never above what was asked, less where the session is quiet.
    assert 20_000 <= int(probe(path)["format"]["bit_rate"]) <= 52_000


@pytest.mark.espeak
@pytest.mark.ffmpeg
def test_default_output_is_named_after_the_routine_title(tmp_path):
    result = cli("render", "quick-neck", "--brief", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "wrote quick-neck-release.mp3\n"
    assert (tmp_path / "quick-neck-release.mp3").stat().st_size > 10_000


@pytest.mark.parametrize(("suffix", "bitrate", "accepted"), [(".ogg", "8k", "16k and 90k"), (".ogg", "96k", "16k and 90k"),
                                                      (".mp3", "192k", "8k and 160k")])
def test_bitrate_the_encoder_refuses_is_one_line_with_the_accepted_range(tmp_path, suffix, bitrate, accepted):
    """Vorbis at 22050 Hz mono sets up only for 16k-90k; MPEG-2 layer III stops at 160k."""
    target = tmp_path / f"neck{suffix}"
    target.write_bytes(b"my earlier render")
    result = cli("render", "quick-neck", "-o", str(target), "--bitrate", bitrate)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert accepted in result.stderr
    assert target.read_bytes() == b"my earlier render"
    assert leftovers(tmp_path) == []


@pytest.mark.espeak
@pytest.mark.ffmpeg
@pytest.mark.slow  # four renders at the range's ends: the slow tier
@pytest.mark.parametrize(("suffix", "bitrate"), [(".ogg", "16k"), (".ogg", "90k"), (".mp3", "8k"), (".mp3", "160k")])
def test_every_bitrate_in_the_accepted_range_renders(tmp_path, suffix, bitrate):
    result = run_cli("render", str(SHORT), "-o", str(tmp_path / f"neck{suffix}"), "--bitrate", bitrate)
    assert result.returncode == 0, result.stderr


def _ffmpeg_children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
            if name == "ffmpeg" and int(rest[1]) == parent:
                found.append(int(entry.name))
    return found


def _wait_for_ffmpeg(parent: int) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        children = _ffmpeg_children(parent)
        if children:
            time.sleep(0.3)  # well into the encode
            return children[0]
        time.sleep(0.02)
    raise AssertionError("ffmpeg never started")


@pytest.mark.espeak
@pytest.mark.ffmpeg
def test_killed_encoder_leaves_no_partial_file_and_the_old_file_untouched(tmp_path):
    target = tmp_path / "long.mp3"
    target.write_bytes(b"my earlier render")
    failure: list[BaseException] = []

    def render() -> None:
        try:
            voiceguide.render("lower-back", target, hold_scale=5, reps="high")
        except BaseException as exc:  # noqa: BLE001 - whatever the thread raised is the test's to judge
            failure.append(exc)

    thread = threading.Thread(target=render)
    thread.start()
    os.kill(_wait_for_ffmpeg(os.getpid()), signal.SIGKILL)
    thread.join(60)
    assert len(failure) == 1
    assert isinstance(failure[0], VoiceguideError)
    assert "ffmpeg could not encode" in str(failure[0])
    assert target.read_bytes() == b"my earlier render"
    assert leftovers(tmp_path) == []


@pytest.mark.espeak
@pytest.mark.ffmpeg
@pytest.mark.parametrize(("stop", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_ctrl_c_or_kill_stops_cleanly(tmp_path, stop, code):
    target = tmp_path / "long.mp3"
    target.write_bytes(b"my earlier render")
    process = subprocess.Popen(
        [sys.executable, "-m", "voiceguide", "render", "-o", str(target), *LONG],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    encoder = _wait_for_ffmpeg(process.pid)
    process.send_signal(stop)
    out, err = process.communicate(timeout=60)
    assert process.returncode == code
    assert out == ""
    assert err == ("voiceguide: interrupted" if stop == signal.SIGINT else "voiceguide: stopped") + ", nothing written\n"
    assert target.read_bytes() == b"my earlier render"
    assert leftovers(tmp_path) == []
    assert not Path(f"/proc/{encoder}").exists()  # the encoder was stopped too


def _path_with(tmp_path: Path, *tools: str) -> str:
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in tools:
        (folder / tool).symlink_to(f"/usr/bin/{tool}")
    return str(folder)


@pytest.mark.espeak
def test_without_ffmpeg_wav_still_renders_and_mp3_says_how_to_install_it(tmp_path):
    path = _path_with(tmp_path, "espeak-ng")
    result = run_cli("render", "quick-neck", "-o", str(tmp_path / "neck.mp3"), env={"PATH": path})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "sudo apt-get install ffmpeg" in result.stderr
    assert not (tmp_path / "neck.mp3").exists()
    result = run_cli("render", "quick-neck", "--brief", "-o", str(tmp_path / "neck.wav"), env={"PATH": path})
    assert result.returncode == 0, result.stderr
    assert len(read_clip(tmp_path / "neck.wav")) > 30 * SAMPLE_RATE


@pytest.mark.ffmpeg
def test_without_espeak_says_how_to_install_it(tmp_path):
    result = run_cli(
        "render", "quick-neck", "-o", str(tmp_path / "neck.wav"),
        env={"PATH": _path_with(tmp_path, "ffmpeg"), "XDG_CACHE_HOME": str(tmp_path / "empty-cache")},
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "sudo apt-get install espeak-ng" in result.stderr
    assert list(tmp_path.glob("neck*")) == []


@pytest.mark.espeak
@pytest.mark.ffmpeg
@pytest.mark.parametrize(("output", "message"), [
    ("missing-folder/neck.mp3", "the folder {tmp}/missing-folder does not exist (create it: mkdir -p {tmp}/missing-folder)"),
    ("a-folder.mp3", "it is a folder; give a file name"),
    ("a-folder", "it is a folder; give a file name"),  # a folder, not a name without an extension
    ("neck.aac", "name it .mp3, .ogg, .flac or .wav"),
])
def test_unusable_output_path_is_one_line_and_exit_2(tmp_path, output, message):
    (tmp_path / "a-folder.mp3").mkdir()
    (tmp_path / "a-folder").mkdir()
    result = cli("render", "quick-neck", "-o", str(tmp_path / output))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert message.format(tmp=tmp_path) in result.stderr, result.stderr


def _on_a_terminal(*args: str) -> str:
    """Run the CLI with stdout and stderr on a pseudo-terminal, as in an interactive shell; return what it drew."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "voiceguide", *args], cwd=ROOT, stdout=terminal, stderr=terminal,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
    )
    os.close(terminal)
    drawn = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 60)
        try:
            data = os.read(controller, 65536) if ready else b""
        except OSError:  # the terminal closed: the process is done
            data = b""
        if not data:
            break
        drawn += data
    process.wait(60)
    os.close(controller)
    return drawn.decode(errors="replace")


@pytest.mark.slow  # two renders, one in a pseudo-terminal
@pytest.mark.espeak
@pytest.mark.ffmpeg
def test_progress_bar_only_on_a_terminal(tmp_path):
    drawn = _on_a_terminal("render", str(SHORT), "-o", str(tmp_path / "a.mp3"))
    assert "Rendering" in drawn
    assert "session" in drawn
    assert "Rendering" not in _on_a_terminal("render", str(SHORT), "-q", "-o", str(tmp_path / "b.mp3"))
    piped = run_cli("render", str(SHORT), "-o", str(tmp_path / "c.mp3"))
    assert piped.stderr == ""
    assert piped.stdout == f"wrote {tmp_path / 'c.mp3'}\n"


@pytest.mark.ffmpeg
def test_chapters_from_timeline_are_tagged_in_time_order(tmp_path):
    """Many chapters (mutagen writes frames by size): ffprobe still lists them in playing order."""
    from voiceguide.rendering.tags import Tags, write_tags

    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", "30", "-id3v2_version", "0",
         str(tmp_path / "x.mp3")], check=True,
    )
    chapters = tuple(Chapter("x" * ((7 * i) % 23 + 1), i * 1.0, (i + 1) * 1.0, i + 1, None) for i in range(30))
    write_tags(tmp_path / "x.mp3", "mp3", Tags("t", "a", "voiceguide", "", chapters, 30.0))
    assert [float(c["start_time"]) for c in probe(tmp_path / "x.mp3")["chapters"]] == [float(i) for i in range(30)]


@pytest.mark.espeak
@pytest.mark.ffmpeg
@pytest.mark.parametrize("suffix", [".wav", ".mp3"])
def test_full_disk_leaves_no_partial_file_and_the_old_file_untouched(tmp_path, suffix):
    """A file size limit makes writes past 1 MB fail as a full disk would, for us and for ffmpeg."""
    import resource

    target = tmp_path / f"neck{suffix}"
    target.write_bytes(b"my earlier render")
    cli("plan", "quick-neck")  # clips cached first: the limit is for the output, not the clip cache

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (2**20, 2**20))

    result = subprocess.run(
        [sys.executable, "-m", "voiceguide", "render", "quick-neck", "-o", str(target)],
        cwd=ROOT, capture_output=True, text=True, preexec_fn=limit_file_size, timeout=HANG_GUARD,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("voiceguide: ")
    assert target.read_bytes() == b"my earlier render"
    assert leftovers(tmp_path) == []
