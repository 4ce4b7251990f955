"""Faults and hostile inputs a real tool meets: full disks, kill -9, a broken espeak install,
files that never end, routines built to blow up. Each must lose nothing and end in one line."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import voiceguide
from voiceguide import api
from voiceguide.errors import RoutineError, VoiceguideError
from voiceguide.limits import MAX_INPUT_BYTES, MAX_SPOKEN_CHARS
from voiceguide.rendering import pipeline
from voiceguide.rendering.tags import TOC_ENTRIES, Tags, write_tags
from voiceguide.speech.engine import Speech
from voiceguide.timeline import Chapter

from .conftest import HANG_GUARD, ROOT, SHORT, run_cli

OLD = b"my earlier render"
FORMATS = (".mp3", ".ogg", ".flac", ".wav")
ROUTINE, TITLE = str(SHORT), "Short test routine"  # a minute of session: renders in every format are quick
MEMORY_CAP = 500 * 2**20  # the bound: no input makes a command use more than this


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".part"))


def one_printable_line(text: str) -> bool:
    return text.endswith("\n") and text.count("\n") == 1 and text[:-1].isprintable()


def cli(*args: str, memory: int | None = None, timeout: float = HANG_GUARD, env: dict | None = None) -> subprocess.CompletedProcess:
    """The CLI in a subprocess, optionally under an address-space cap (RLIMIT_AS)."""

    def cap() -> None:
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "voiceguide", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
        preexec_fn=cap, env={**os.environ, **(env or {})},
    )


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- a disk that fills at any point ------------------------------------------------------------


@contextlib.contextmanager
def small_disk(folder: Path, size: int):
    """A tmpfs of `size` bytes mounted at folder (root only): ENOSPC when it fills, as a real disk."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("needs root to mount a small tmpfs")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture(scope="module")
def full_renders(tmp_path_factory) -> dict[str, Path]:
    """The short routine in each format, rendered normally (which also fills the clip cache)."""
    folder = tmp_path_factory.mktemp("renders")
    for suffix in FORMATS:
        result = run_cli("render", ROUTINE, "-o", str(folder / f"neck{suffix}"))
        assert result.returncode == 0, result.stderr
    return {suffix: folder / f"neck{suffix}" for suffix in FORMATS}


@pytest.fixture(scope="module")
def full_sizes(full_renders) -> dict[str, int]:
    return {suffix: path.stat().st_size for suffix, path in full_renders.items()}


@pytest.mark.slow  # renders the whole session in every format: the slow tier
@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("kept", [0.5, 0.9, 0.995])
def test_a_file_cut_short_is_caught_by_verification(tmp_path, full_renders, suffix, kept):
    """What a full disk can leave while the encoder exits 0: headers promising the whole session, data cut."""
    from voiceguide.rendering.verify import RenderFailed, verify_render

    total = api.plan(ROUTINE).total
    good = full_renders[suffix]
    verify_render(good, suffix[1:], total, good, TITLE)  # the whole file passes
    cut = tmp_path / good.name
    cut.write_bytes(good.read_bytes()[: int(good.stat().st_size * kept)])
    with pytest.raises(RenderFailed) as caught:
        verify_render(cut, suffix[1:], total, good, TITLE)
    assert "\n" not in str(caught.value)
    assert str(good) in str(caught.value)


def test_encoder_errors_fail_the_render_even_when_it_exits_0(full_renders):
    from voiceguide.rendering.verify import RenderFailed, verify_render

    flac = full_renders[".flac"]
    log = "[out#0/flac @ 0x5581] Error writing trailer: No space left on device\n"
    with pytest.raises(RenderFailed, match="Error writing trailer"):
        verify_render(flac, "flac", api.plan(ROUTINE).total, flac, TITLE, log)


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("fill", [0.5, *(pytest.param(f, marks=pytest.mark.slow) for f in (0.1, 0.9, 0.99))])  # the rest: slow tier
def test_disk_filling_at_any_point_keeps_the_old_file_byte_identical(tmp_path, full_sizes, suffix, fill):
    """The disk holds the old file and `fill` of the new one (FLAC used to exit 0 with a truncated file)."""
    size = max(8192, int(full_sizes[suffix] * fill) // 4096 * 4096 + 4096)  # tmpfs counts whole pages; one is the old file's
    with small_disk(tmp_path / "disk", size) as disk:
        target = disk / f"neck{suffix}"
        target.write_bytes(OLD)
        result = run_cli("render", ROUTINE, "-o", str(target))
        assert result.returncode == 2, result.stderr
        assert one_printable_line(result.stderr)
        assert "Traceback" not in result.stderr
        assert target.read_bytes() == OLD
        assert leftovers(disk) == []


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_file_size_limit_stops_the_render_with_the_old_file_kept(tmp_path, full_sizes, suffix):
    """RLIMIT_FSIZE (no root needed) cuts every write past the limit, ours and ffmpeg's."""
    target = tmp_path / f"neck{suffix}"
    target.write_bytes(OLD)

    def limit() -> None:
        size = full_sizes[suffix] - 2048
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    result = subprocess.run(
        [sys.executable, "-m", "voiceguide", "render", ROUTINE, "-o", str(target)],
        cwd=ROOT, capture_output=True, text=True, preexec_fn=limit, timeout=HANG_GUARD,
    )
    assert result.returncode == 2, result.stderr
    assert one_printable_line(result.stderr)
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_disk_full_while_writing_the_id3_tag_is_one_line(tmp_path):
    """The audio fits, the tag (inserted at the file's start) does not."""
    with small_disk(tmp_path / "disk", 64 * 1024) as disk:
        audio = disk / "x.mp3"
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", "5",
                        "-id3v2_version", "0", str(audio)], check=True)  # fmt: skip
        filler = disk / "filler"
        with contextlib.suppress(OSError), open(filler, "wb") as handle:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
        chapters = tuple(Chapter(f"chapter {i}" * 20, i * 0.1, (i + 1) * 0.1, i + 1, None) for i in range(50))
        with pytest.raises(VoiceguideError) as caught:
            write_tags(audio, "mp3", Tags("t", "a", "voiceguide", "", chapters, 5.0))
        assert "\n" not in str(caught.value)
        assert "No space left" in str(caught.value)


@pytest.mark.slow  # a long render killed part way
def test_kill_9_mid_render_leaves_temp_files_the_next_run_removes(tmp_path):
    target = tmp_path / "long.mp3"
    target.write_bytes(OLD)
    process = subprocess.Popen(
        [sys.executable, "-m", "voiceguide", "render", "lower-back", "--hold-scale", "5", "-o", str(target)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not [p for p in tmp_path.iterdir() if p.name.endswith(".part") and p.stat().st_size > 0]:
        assert time.monotonic() < deadline, "the render never started writing"
        assert process.poll() is None, "the render never started writing"
        time.sleep(0.05)
    process.kill()
    process.wait()
    stale = leftovers(tmp_path)
    assert stale
    assert all(f".voiceguide-{process.pid}.part" in name for name in stale)  # recognisable, with the pid
    assert target.read_bytes() == OLD
    result = run_cli("render", ROUTINE, "-o", str(tmp_path / "next.wav"))
    assert result.returncode == 0, result.stderr
    assert leftovers(tmp_path) == []
    assert target.read_bytes() == OLD


def test_stale_clip_cache_temp_files_are_removed_and_live_ones_kept(tmp_path):
    speech = Speech(rate=151, cache=tmp_path)
    folder = speech.path("Breathe out.").parent
    folder.mkdir(parents=True)
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = folder / f".abc.wav.k2j4h5g6.voiceguide-{dead.pid}.part"
    alive = folder / f".abc.wav.a1b2c3d4.voiceguide-{os.getppid()}.part"  # a process that is running
    stale.write_bytes(b"half a clip")
    alive.write_bytes(b"another run's clip in progress")
    speech.clip("Breathe out.")
    assert not stale.exists()
    assert alive.exists()


def test_a_name_of_250_characters_renders_although_its_temp_name_is_longer(tmp_path):
    target = tmp_path / ("n" * 246 + ".wav")
    result = run_cli("render", ROUTINE, "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.stat().st_size > 100_000
    assert leftovers(tmp_path) == []


def test_encoded_render_leaves_no_unclosed_file(tmp_path):
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "always::ResourceWarning", "-m", "voiceguide", "render", ROUTINE,
         "-o", str(tmp_path / "neck.ogg")],
        cwd=ROOT, capture_output=True, text=True, timeout=HANG_GUARD,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "ResourceWarning" not in result.stderr


def test_wav_past_its_4_gib_header_limit_is_refused_with_the_old_file_kept(tmp_path, monkeypatch):
    """A RIFF header counts bytes in 32 bits; the limit is lowered here so the test need not write 4 GiB."""
    monkeypatch.setattr(pipeline, "WAV_MAX_BYTES", 2**20)
    target = tmp_path / "neck.wav"
    target.write_bytes(OLD)
    with pytest.raises(VoiceguideError, match=r"a WAV file holds at most .* render to \.flac"):
        voiceguide.render("quick-neck", target, brief=True)
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


# --- a broken speech engine ------------------------------------------------------------------------


def test_missing_espeak_data_is_one_voiceguide_line(tmp_path):
    target = tmp_path / "neck.wav"
    target.write_bytes(OLD)
    (tmp_path / "no-data").mkdir()
    result = run_cli(
        "render", "quick-neck", "-o", str(target),
        env={"ESPEAK_DATA_PATH": str(tmp_path / "no-data"), "XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert result.returncode == 2
    assert one_printable_line(result.stderr)
    assert result.stderr.startswith("voiceguide: the speech engine cannot load")
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_a_text_longer_than_espeak_survives_is_refused_not_crashed(tmp_path):
    with pytest.raises(VoiceguideError, match="at most"):
        Speech(cache=tmp_path).clip("Breathe. " * 5000)


# --- formats at their limits -----------------------------------------------------------------------


def test_more_than_255_mp3_chapters_are_grouped_and_all_listed_in_order(tmp_path):
    path = tmp_path / "x.mp3"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", "60",
                    "-id3v2_version", "0", str(path)], check=True)  # fmt: skip
    count = 2 * TOC_ENTRIES + 10
    chapters = tuple(Chapter(f"Stretch {i}", i * 0.1, (i + 1) * 0.1, i + 1, None) for i in range(count))
    write_tags(path, "mp3", Tags("t", "a", "voiceguide", "", chapters, 60.0))
    listed = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", "-show_chapters", str(path)], capture_output=True, check=True,
    ).stdout)["chapters"]  # fmt: skip
    assert [c["tags"]["title"] for c in listed] == [f"Stretch {i}" for i in range(count)]


def test_more_chapters_than_vorbis_numbers_is_refused_before_any_work(tmp_path):
    steps = "".join(f"  - name: Stretch {i}\n    steps: [{{say: Reach.}}]\n" for i in range(1000))
    routine = write(tmp_path, "many.yaml", "title: Many\nexercises:\n" + steps)
    with pytest.raises(VoiceguideError, match="at most 999"):
        voiceguide.render(routine, tmp_path / "many.ogg")
    assert list(tmp_path.glob("*.ogg")) == []


def test_a_one_sample_cue_sound_is_refused_at_plan_naming_the_file(tmp_path):
    from voiceguide.audio.cue_files import cue_path
    from voiceguide.cue_places import CUE_NAMES

    for name in CUE_NAMES:
        (tmp_path / f"{name}.wav").write_bytes(cue_path(name).read_bytes())
    with wave.open(str(tmp_path / "bell.wav"), "wb") as bell:  # one sample: once passed plan, then crashed render
        bell.setnchannels(1)
        bell.setsampwidth(2)
        bell.setframerate(22050)
        bell.writeframes(b"\x10\x27")
    result = run_cli("plan", "quick-neck", "--cue-dir", str(tmp_path))
    assert result.returncode == 2
    assert one_printable_line(result.stderr)
    assert str(tmp_path / "bell.wav") in result.stderr


# --- inputs that never end or blow up --------------------------------------------------------------


@pytest.mark.parametrize("command", ["check", pytest.param("import", marks=pytest.mark.slow)])  # check's alike, at once
def test_dev_zero_a_fifo_and_a_huge_file_are_refused_at_once(tmp_path, command):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"# " + b"x" * MAX_INPUT_BYTES + b"\n")
    for path, says in (("/dev/zero", "device or pipe"), (str(fifo), "device or pipe"), (str(huge), "MiB, the limit")):
        result = cli(command, path, memory=MEMORY_CAP)
        assert result.returncode == 2, (path, result.stderr)
        assert one_printable_line(result.stderr)
        assert says in result.stderr


BILLION_LAUGHS = "title: T\na0: &a0 {say: Reach.}\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)
) + "exercises:\n  - name: A\n    steps: *a9\n"


@pytest.mark.parametrize(("text", "says"), [
    (BILLION_LAUGHS, "YAML aliases"),
    ("title: T\nexercises:\n  - &e {name: A, repeat: 100, sides: [a, b, c, d, e, f, g, h, i, j], steps: [{say: Go.},"
     " {say: Go.}, {say: Go.}]}\n" + "  - *e\n" * 10, "steps counting repeats and sides"),
    ("title: T\nexercises:\n  - name: A\n    repeat: 100\n    sides: [a, b, c]\n    steps: [{hold: 60 minutes}]\n",
     "hours"),
    # sets multiply too: 20 sets of 100 reps on each of 5 sides, 3 steps each, is 30,000 steps
    ("title: T\nexercises:\n  - name: A\n    sets: 20\n    repeat: 100\n    sides: [a, b, c, d, e]\n"
     "    steps: [{say: Up.}, {say: Hold.}, {say: Down.}]\n", "steps counting repeats and sides"),
    # one `breathe` step is a cue and a phase per breath phase: 200 breaths x 2 phases x 100 reps x 10 sides
    ("title: T\nexercises:\n  - name: A\n    repeat: 100\n    sides: [a, b, c, d, e, f, g, h, i, j]\n"
     "    steps: [{breathe: 200}]\n", "steps counting repeats and sides"),
    ("title: T\nexercises:\n  - name: A\n    sets: 20\n    repeat: 100\n    steps: [{work: 60 seconds}]\n", "hours"),
])  # fmt: skip
def test_a_routine_that_would_expand_past_the_bounds_fails_at_check(tmp_path, text, says):
    result = cli("check", str(write(tmp_path, "bomb.yaml", text)), memory=MEMORY_CAP)
    assert result.returncode == 2
    assert one_printable_line(result.stderr)
    assert says in result.stderr


def test_a_spoken_text_past_the_limit_is_a_file_line_error_at_check(tmp_path):
    text = "title: T\nexercises:\n  - name: A\n    steps:\n      - say: " + "Breathe slowly. " * 3000 + "\n"
    with pytest.raises(RoutineError) as caught:
        api.check(write(tmp_path, "long.yaml", text))
    assert caught.value.line == 5
    assert f"at most {MAX_SPOKEN_CHARS:,}" in str(caught.value)


@pytest.mark.slow
def test_import_of_a_hostile_article_finishes_and_numbers_items_past_99(tmp_path):
    items = "".join(f"{n}. Stretch {n}\nHold for 20 seconds.\n\n" for n in range(1, 131))
    result = cli("import", str(write(tmp_path, "many.txt", "Stretches\n\n" + items)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("- name: Stretch") == 130
    assert "name: Stretch 130" in result.stdout
    headings = write(tmp_path, "ones.txt", "1. Neck stretch\n" * (MAX_INPUT_BYTES // 16 - 1))
    result = cli("import", str(headings), memory=MEMORY_CAP)  # once quadratic: hours
    assert result.returncode in (0, 2)
    assert "Traceback" not in result.stderr


# --- words mean one thing; no text drives the terminal ---------------------------------------------


@pytest.mark.parametrize(("line", "says"), [
    ("repeat: 1 minute", "repeat is a count of times"),
    ("repeat: 5 s", "repeat is a count of times"),
    ("sides: 3", "sides must be 2 (right then left) or side names"),
])  # fmt: skip
def test_words_that_mean_something_else_are_file_line_errors(tmp_path, line, says):
    routine = write(tmp_path, "r.yaml", f"title: T\nexercises:\n  - name: A\n    {line}\n    steps:\n      - say: Reach.\n")
    with pytest.raises(RoutineError) as caught:
        api.check(routine)
    assert caught.value.line == 4
    assert says in str(caught.value)


def test_sides_2_means_right_then_left(tmp_path):
    routine = write(tmp_path, "r.yaml", "title: T\nexercises:\n  - name: A\n    sides: 2\n    steps:\n"
                    "      - say: Reach over to the {side}.\n")  # fmt: skip
    assert api.check(routine).exercises[0].sides == ("right", "left")


def test_unspeakable_say_fails_at_check_with_file_line(tmp_path):
    routine = write(tmp_path, "r.yaml", "title: T\nexercises:\n  - name: A\n    steps:\n      - say: '...'\n")
    with pytest.raises(RoutineError, match=r"r\.yaml:5: say has no words to speak"):
        api.check(routine)


def test_newline_in_a_key_is_still_one_line(tmp_path):
    result = run_cli("check", str(write(tmp_path, "r.yaml", 'title: T\n"bad\\nkey": 1\nexercises: []\n')))
    assert result.returncode == 2
    assert one_printable_line(result.stderr)
    assert "bad\\nkey" in result.stderr


def test_escape_sequences_reach_no_terminal_caption_or_tag(tmp_path):
    routine = write(tmp_path, "r.yaml", 'title: "Neck \\e[31mred\\e[0m"\nexercises:\n  - name: "A\\e]0;owned\\a"\n'
                    '    steps:\n      - say: "Turn \\e[2J\\x9b1;1Hleft."\n')  # fmt: skip
    plan = run_cli("plan", str(routine), "--brief")
    assert plan.returncode == 0, plan.stderr
    assert "\x1b" not in plan.stdout
    assert "\x9b" not in plan.stdout
    assert "owned" not in plan.stdout
    target = tmp_path / "r.mp3"
    voiceguide.render(routine, target, captions=True, brief=True)
    for path in (target.with_suffix(".srt"), target.with_suffix(".vtt")):
        assert all(c.isprintable() or c == "\n" for c in path.read_text())
    from mutagen.id3 import ID3

    assert str(ID3(target)["TIT2"]) == "Neck red"


# --- any routine text: accepted, or one printable line ---------------------------------------------

FRAGMENTS = [
    "title: T", "title:", "exercises:", "  - name: A", "    steps:", "      - say: Reach.", "      - hold: 30 seconds",
    "      - hold: 6 breaths", "        note: Keep breathing.", "      - inhale: Up.", "      - exhale: Down.",
    "    repeat: 5-8", "    repeat: 1 minute", "    sides: [left, right]", "    sides: 2", "settings:", "  rate: 150",
    "  breath: 4:6", "a: &x [1, 2]", "b: *x", "  - *x", "- &y {say: Go.}", "      - *y", "\t", "'", '"', "{", "[", "- -",
    "      - say: '...'", "      - say: \"\\e[31m\"", "? complex", "!!python/object:os.system", "%YAML 1.1", "---", "...",
]  # fmt: skip
routine_texts = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=30
).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=routine_texts)
def test_any_routine_text_is_accepted_or_one_printable_line(tmp_path, text):
    path = tmp_path / "any.yaml"
    path.write_bytes(text.encode("utf-8"))
    try:
        api.check(path)
    except VoiceguideError as exc:
        error = exc
    else:
        return  # accepted
    assert str(error).isprintable()
    assert str(error).startswith(str(path))


@pytest.mark.parametrize("text", [BILLION_LAUGHS, "\x1b[2J\n", "title: [\n", "exercises: {a: *b}\n", "\xff\xfe"])
def test_check_exits_0_or_2_with_one_line_and_bounded_memory(tmp_path, text):
    result = cli("check", str(write(tmp_path, "r.yaml", text)), memory=MEMORY_CAP)
    assert result.returncode == 2
    assert one_printable_line(result.stderr)


@pytest.mark.slow  # a render of the longest text, in a process of its own
def test_render_of_the_longest_allowed_text_stays_under_the_memory_bound(tmp_path):
    """A single 44,000-character text once took render near 2 GB; the longest allowed one must stay under 500 MB."""
    sentence = "Breathe slowly and let your shoulders drop, feeling the weight of your arms. "
    text = (sentence * (MAX_SPOKEN_CHARS // len(sentence) + 1))[: MAX_SPOKEN_CHARS - 1].strip()
    routine = write(tmp_path, "long.yaml", f"title: Long\nexercises:\n  - name: A\n    steps:\n      - say: {text}\n")
    command = [sys.executable, "-m", "voiceguide", "render", str(routine), "-o", str(tmp_path / "l.mp3")]
    measure = (  # in a fresh parent, so the peak is this render's (ffmpeg's included), not an earlier test's
        f"import resource, subprocess; r = subprocess.run({command!r}, capture_output=True);"
        "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    code, peak_kb = subprocess.run([sys.executable, "-c", measure], cwd=ROOT, capture_output=True, text=True,
                                   timeout=600).stdout.split()  # fmt: skip
    assert code == "0"
    assert int(peak_kb) * 1024 < MEMORY_CAP


def test_an_unassigned_code_point_in_a_key_is_shown_as_an_escape(tmp_path):
    path = write(tmp_path, "odd.yaml", "\ud7fc:\n")  # found by the property test above: not a printable character
    with pytest.raises(VoiceguideError) as raised:
        api.check(path)
    assert str(raised.value).isprintable()
    assert "'\\ud7fc'" in str(raised.value)
