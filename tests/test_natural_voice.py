"""The natural (Piper) voice: the default for English, resolved, rated, cached and leveled like espeak's (real Piper)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import HANG_GUARD, cli, run_cli
from tests.test_render import loudness
from voiceguide import api
from voiceguide.audio.leveling import SESSION_LUFS
from voiceguide.audio.samples import SAMPLE_RATE
from voiceguide.speech import clip_cache, piper
from voiceguide.speech.engine import LEAD_KEEP, SILENCE_THRESHOLD, TAIL_KEEP, Speech, resolve_voice

SENTENCES = [
    "Lie on your back with your knees bent and your feet flat on the floor.",
    "Slowly lower both knees to the right, and keep your shoulders down.",
    "Breathe in, and as you breathe out, press your lower back into the floor.",
    "Hold the stretch, and let your breathing stay slow and even.",
]


def words_per_minute(speech: Speech) -> float:
    words = sum(len(s.split()) for s in SENTENCES)
    return words / sum(speech.duration(s) for s in SENTENCES) * 60


@pytest.mark.usefixtures("natural")
def test_english_speaks_with_the_natural_voice_unless_a_voice_is_named() -> None:
    assert resolve_voice().engine == "piper"
    assert resolve_voice().id == "en_US-joe-medium"
    assert resolve_voice(language="en-gb").id == "en_US-joe-medium"  # an English voice, though American
    assert resolve_voice("joe") == resolve_voice("en_US-joe-medium") == resolve_voice()
    assert resolve_voice("en-us").engine == "espeak"  # an espeak voice, named
    assert resolve_voice(language="de").id == "gmw/de"  # no natural German voice installed: espeak speaks German
    assert resolve_voice("+f2").id.endswith("+f2")  # a variant is espeak's


@pytest.mark.usefixtures("natural")
def test_the_packaged_model_is_upstreams() -> None:
    voice = resolve_voice()
    assert voice.digest == piper.PACKAGED_SHA256["en_US-joe-medium"]


@pytest.mark.usefixtures("natural")
def test_a_packaged_model_that_is_not_upstreams_falls_back_to_espeak_with_one_line(monkeypatch, capsys) -> None:
    monkeypatch.setitem(piper.PACKAGED_SHA256, "en_US-joe-medium", "0" * 64)
    voice = resolve_voice()
    assert voice.engine == "espeak"
    assert voice.language.startswith("en")
    said = capsys.readouterr().err
    assert said.count("\n") == 1
    assert said.startswith("voiceguide: speaking with espeak-ng: the packaged voice en_US-joe-medium")
    with pytest.raises(piper.PiperUnavailable, match="not the upstream model"):
        resolve_voice("joe")  # named, it is refused rather than replaced


@pytest.mark.parametrize("rate", [pytest.param(80, marks=pytest.mark.slow), 150, pytest.param(300, marks=pytest.mark.slow)])
def test_a_rate_means_the_same_words_per_minute_on_both_engines(rate: int) -> None:
    natural, espeak = words_per_minute(Speech("joe", rate)), words_per_minute(Speech("en-us", rate))
    assert natural == pytest.approx(espeak, rel=0.15), (natural, espeak)


def test_slower_rates_speak_longer_clips() -> None:
    lengths = [Speech("joe", rate).duration(SENTENCES[0]) for rate in (80, 150, 300)]
    assert lengths[0] > 1.5 * lengths[1], lengths
    assert lengths[1] > 1.5 * lengths[2], lengths


def test_a_clip_is_cached_by_engine_voice_model_and_rate(tmp_path: Path) -> None:
    text = SENTENCES[1]
    paths = {Speech(v, r, cache=tmp_path).path(text) for v, r in [("joe", 150), ("joe", 151), ("en-us", 150)]}
    assert len(paths) == 3
    first = Speech("joe", 150, cache=tmp_path)
    clip = first.clip(text)
    assert Speech("joe", 150, cache=tmp_path).clip(text) == clip  # the same voice finds it again


def voice_folder_copy(root: Path, name: str, language: str) -> Path:
    """The packaged model under another name and language, as a user drops a downloaded voice in the voices folder."""
    folder = root / "voiceguide" / "voices"
    folder.mkdir(parents=True)
    packaged = piper.installed_piper_voices()[0]
    model = folder / f"{name}.onnx"
    model.symlink_to(packaged.model)
    config = json.loads(packaged.config.read_text())
    config["language"] = {"code": language}
    config["audio"]["quality"] = "low"
    (folder / f"{name}.onnx.json").write_text(json.dumps(config))
    return model


@pytest.mark.usefixtures("natural")
def test_a_voice_dropped_in_the_voices_folder_is_listed_and_speaks_its_language(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    model = voice_folder_copy(tmp_path, "de_DE-probe-low", "de_DE")
    listed = {v.id: v for v in api.voices("de")}
    assert listed["de_DE-probe-low"].engine == "piper"
    assert listed["de_DE-probe-low"].quality == "low"
    assert resolve_voice(language="de").id == "de_DE-probe-low"  # a German routine takes the natural German voice
    assert resolve_voice("probe").id == resolve_voice(str(model)).id == "de_DE-probe-low"
    result = cli("voices", "--language", "de")
    assert "de_DE-probe-low" in result.stdout.splitlines()[1]  # natural voices first


def test_a_missing_voice_file_is_one_line(tmp_path) -> None:
    result = run_cli("plan", "quick-neck", "--voice", str(tmp_path / "none.onnx"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "not a Piper voice" in result.stderr


@pytest.mark.slow  # a whole render with a cold natural voice: every phrase synthesized
@pytest.mark.usefixtures("natural")
def test_the_main_command_renders_with_the_natural_voice(tmp_path) -> None:
    """What a new user runs (on a short routine): the natural voice, at the session's loudness."""
    out = tmp_path / "neck.wav"
    result = run_cli("render", "quick-neck", "--brief", "-o", str(out), "--timeline")
    assert result.returncode == 0, result.stderr
    plan = json.loads(out.with_suffix(".json").read_text())
    said = {e["text"] for e in plan["events"] if e["kind"] == "speech"}
    durations = {e["text"]: e["duration"] for e in plan["events"] if e["kind"] == "speech"}
    for text in sorted(said)[:5]:  # the plan's lengths are the natural voice's clips
        assert durations[text] == pytest.approx(Speech(None, 150).duration(text), abs=1e-3)  # the JSON keeps ms
    integrated, peak = loudness(out)
    assert abs(integrated - SESSION_LUFS) <= 1.0
    assert peak <= -1.0


def test_cache_command_shows_and_clears_the_clips(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    Speech("en-us", 150).clip("One clip in the cache.")
    shown = cli("cache")
    assert shown.returncode == 0
    assert shown.stdout.startswith(f"{tmp_path / 'voiceguide' / 'clips'}: 1 clips")
    cleared = cli("cache", "--clear")
    assert cleared.stdout.startswith("removed 1 clips")
    assert clip_cache.size().files == 0


def test_eviction_removes_the_clips_used_longest_ago_past_the_limit(tmp_path) -> None:
    folder = tmp_path / "clips" / "ab"
    folder.mkdir(parents=True)
    ages = {"old.wav": 9000, "older.wav": 20000, "new.wav": 100, "mid.wav": 5000}
    for name, age in ages.items():
        (folder / name).write_bytes(bytes(1000))
        stamp = os.path.getmtime(folder / name) - age
        os.utime(folder / name, (stamp, stamp))
    removed = clip_cache.evict(tmp_path / "clips", limit=2500)
    assert removed == 2000
    assert sorted(p.name for p in folder.iterdir()) == ["mid.wav", "new.wav"]
    assert clip_cache.evict(tmp_path / "clips", limit=0) == 1000  # what was used in the last hour stays
    assert [p.name for p in folder.iterdir()] == ["new.wav"]


def test_natural_clips_are_trimmed_like_espeaks() -> None:
    """A clip's length is the time it is heard: no more than engine.LEAD_KEEP and TAIL_KEEP of silence at its ends."""
    samples = Speech("joe", 150).samples(SENTENCES[2])
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > SILENCE_THRESHOLD)
    assert loud[0] <= LEAD_KEEP * SAMPLE_RATE
    assert samples.size - 1 - loud[-1] <= TAIL_KEEP * SAMPLE_RATE


def test_a_long_sentence_is_spoken_in_pieces_a_worker_can_hold_with_every_word_in_order() -> None:
    """Piper's memory grows with what it speaks at once: a run-on sentence is cut at commas, then between words."""
    sentence = "Breathe slowly and let your shoulders drop, " + "feeling the weight of your arms sink toward the floor " * 6 + "and rest."
    cut = piper.pieces(f"Lie down. {sentence} Good.")
    assert all(len(piece) <= piper.MAX_PIECE_CHARS for piece, _ in cut)
    assert " ".join(piece for piece, _ in cut).split() == f"Lie down. {sentence} Good.".split()
    assert [ends for _, ends in cut].count(True) == 3  # the three sentences still end where they did
    assert cut[1] == ("Breathe slowly and let your shoulders drop,", False)  # a comma is the first place to cut


@pytest.mark.slow  # a cold natural voice started, then stopped
@pytest.mark.usefixtures("natural")
def test_a_stopped_plan_drops_the_clips_it_queued_and_its_workers(tmp_path) -> None:
    """A kill stops synthesis: the exit no longer waits for every queued phrase (a cold plan queues all of them)."""
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import HANG_GUARD, ROOT

    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "voiceguide", "plan", "lower-back"]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "XDG_CACHE_HOME": str(cache)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + HANG_GUARD
    while not list(cache.rglob("*.wav")) and time.monotonic() < deadline:  # the workers are speaking
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=HANG_GUARD)
    assert process.returncode == 128 + signal.SIGTERM, err
    made = len([p for p in cache.rglob("*.wav") if "leveled" not in p.name])
    assert made < 30, f"{made} clips made after the kill"  # the session has 73 distinct phrases
    workers = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    assert workers == []


@pytest.mark.slow
def test_a_workers_memory_is_that_of_its_longest_piece_within_the_budget() -> None:
    """Issue 23's budget: the largest process of an hour's speech-heavy render peaks at most 350 MB. The
    workers are that process: here they speak an hour's longest phrases (its numbers past a hundred) after
    shorter ones, as a session reaches them, and a piece of the longest length pieces() lets through."""
    import multiprocessing
    from concurrent.futures import ThreadPoolExecutor

    places = ["floor", "ceiling", "wall", "window"]
    phrases = [f"Exercise {n} of 37: Movement number {n}." for n in range(30, 34)]
    phrases += [f"Step {s} of movement {n}. Reach towards the {places[s - 1]} and breathe out slowly, {n * 4 + s} times in all today."
                for n in range(34, 38) for s in range(1, 5)]  # fmt: skip
    phrases.append("Straighten up, slowly: extraordinary, uncomfortable, international, responsibility, congratulations.")
    assert piper.pieces(phrases[-1]) == [(phrases[-1], True)]  # spoken at once
    assert len(phrases[-1]) == piper.MAX_PIECE_CHARS
    others = {child.pid for child in multiprocessing.active_children()}  # other tests' voices in this process
    speaking = piper.PiperProcesses(piper.installed_piper_voices()[0])
    try:
        with ThreadPoolExecutor(piper.WORKERS) as asking:  # as the session's threads ask: every worker busy
            assert all(clip.size > 0 for clip in asking.map(lambda text: speaking.synthesize(text, "", 150), phrases))
        peaks = [_peak_mb(worker.pid) for worker in multiprocessing.active_children()
                 if worker.name.startswith("SpawnProcess") and worker.pid not in others]
    finally:
        speaking.stop()
    assert peaks
    assert max(peaks) <= 350, peaks


def _peak_mb(pid: int | None) -> float:
    """A process's peak resident memory (VmHWM), in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


@pytest.mark.slow  # starts the natural voice's workers twice
@pytest.mark.usefixtures("natural")
def test_a_script_without_a_main_guard_is_told_why_its_voice_stopped(tmp_path) -> None:
    """The voice's workers import the user's script again (spawn): unguarded, the script is told what to change,
    not "out of memory?", and nothing is written; guarded, it renders."""
    phrase = f"Reach up {secrets.randbelow(10**6)} times."  # never cached: the workers must start
    routine = tmp_path / "reach.yaml"
    routine.write_text(f"title: Reach\nexercises:\n  - name: Reach\n    steps:\n      - say: {phrase}\n", encoding="utf-8")
    call = f"voiceguide.render({str(routine)!r}, 'out.wav', brief=True)"
    script = tmp_path / "unguarded.py"
    script.write_text(f"import voiceguide\n{call}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=HANG_GUARD)
    assert result.returncode != 0
    assert f"out of memory? or {piper.UNGUARDED}" in result.stderr, result.stderr[-2000:]
    assert not (tmp_path / "out.wav").exists()
    script.write_text(f"import voiceguide\n\nif __name__ == '__main__':\n    {call}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=HANG_GUARD)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "out.wav").stat().st_size > 0
