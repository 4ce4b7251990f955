"""Outputs are regular files, and never an input (issue 26).

A symlink given as an output is followed: the file it points at is replaced, the link stays.
A device, FIFO or socket is refused with one line before any work; so is an output that is
the same file as one of the command's inputs. Every special file here is made in the test's
own folder: never the machine's /dev/null, which a failing run as root would replace.
"""

from __future__ import annotations

import math
import os
import socket
import stat
import wave
from array import array
from pathlib import Path

import pytest

from voiceguide.audio.cue_files import cue_path
from voiceguide.importer.provenance import HEADER

from .conftest import SEED, run_cli

TINY = "title: Tiny\nexercises:\n  - name: Reach\n    steps:\n      - say: Reach up.\n"
GUARD = 120.0  # seconds: a refusal is instant; this only turns a hang on a pipe into a failure


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(result, path: Path | str) -> None:
    """Exit 2 and one line on stderr that names path, no traceback."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1, result.stderr
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr


def no_temp_files(*folders: Path) -> None:
    for folder in folders:
        assert not [name for name in os.listdir(folder) if name.endswith(".part")]


def hum_wav(path: Path, seconds: float = 3.0) -> Path:
    """A soft 220 Hz tone: a background voiceguide accepts."""
    rate = 22050
    tone = array("h", (int(6000 * math.sin(2 * math.pi * 220 * i / rate)) for i in range(int(rate * seconds))))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(tone.tobytes())
    return path


def device(path: Path) -> Path:
    """A character device node like /dev/null (1, 3), in the test's folder; skipped where nodes cannot be made."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return path


def unix_socket(path: Path) -> socket.socket:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
    except OSError as exc:  # a folder name past AF_UNIX's 108 bytes
        server.close()
        pytest.skip(f"cannot make a socket here: {exc}")
    return server


# --- devices, pipes and sockets ---------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "device", "socket"])
def test_import_refuses_a_special_file_and_leaves_it_as_it_was(tmp_path, kind):
    target = tmp_path / "out.yaml"
    server = None
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        device(target)
    else:
        server = unix_socket(target)
    before = os.stat(target)
    try:
        result = run_cli("import", str(SEED), "-o", str(target), timeout=GUARD)
    finally:
        if server is not None:
            server.close()
    refused(result, target)
    assert "not a file" in result.stderr
    after = os.stat(target)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode)  # still a FIFO, a device, a socket
    assert after.st_ino == before.st_ino
    assert "written to" not in result.stderr
    no_temp_files(tmp_path)


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_render_refuses_a_special_file_before_any_work(tmp_path, kind):
    target = tmp_path / "neck.wav"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        device(target)
    result = run_cli("render", "quick-neck", "--brief", "-o", str(target), timeout=GUARD)
    refused(result, target)
    assert stat.S_ISFIFO(os.stat(target).st_mode) if kind == "fifo" else stat.S_ISCHR(os.stat(target).st_mode)
    no_temp_files(tmp_path)


def test_a_companion_that_is_a_pipe_is_refused_before_any_work(tmp_path):
    os.mkfifo(tmp_path / "neck.srt")
    result = run_cli("render", "quick-neck", "--brief", "--captions", "-o", str(tmp_path / "neck.wav"), timeout=GUARD)
    refused(result, tmp_path / "neck.srt")
    assert stat.S_ISFIFO(os.stat(tmp_path / "neck.srt").st_mode)
    assert not (tmp_path / "neck.wav").exists()


def test_a_symlink_to_a_pipe_is_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "out.yaml").symlink_to(tmp_path / "pipe")
    result = run_cli("import", str(SEED), "-o", str(tmp_path / "out.yaml"), timeout=GUARD)
    refused(result, tmp_path / "out.yaml")
    assert (tmp_path / "out.yaml").is_symlink()
    assert stat.S_ISFIFO(os.stat(tmp_path / "pipe").st_mode)


def test_a_voice_sample_refuses_a_pipe(tmp_path):
    os.mkfifo(tmp_path / "hello.wav")
    result = run_cli("voices", "--sample", "en", "-o", str(tmp_path / "hello.wav"), timeout=GUARD)
    refused(result, tmp_path / "hello.wav")
    assert stat.S_ISFIFO(os.stat(tmp_path / "hello.wav").st_mode)


# --- symlinks --------------------------------------------------------------------------


def test_import_through_a_symlink_updates_the_file_it_points_at(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    real = write(elsewhere, "routine.yaml", "old\n")
    link = tmp_path / "routine.yaml"
    link.symlink_to(real)
    result = run_cli("import", str(SEED), "-o", str(link), timeout=GUARD)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert link.readlink() == real
    assert real.read_text(encoding="utf-8").startswith("# Imported by `voiceguide import`")
    no_temp_files(tmp_path, elsewhere)


def test_a_dangling_symlink_gets_the_file_it_names(tmp_path):
    link = tmp_path / "routine.yaml"
    link.symlink_to("made.yaml")  # relative: beside the link
    result = run_cli("import", str(SEED), "-o", str(link), timeout=GUARD)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert (tmp_path / "made.yaml").read_text(encoding="utf-8").startswith("# Imported by")


def test_a_symlink_loop_is_refused_in_one_line(tmp_path):
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    result = run_cli("import", str(SEED), "-o", str(tmp_path / "a.yaml"), timeout=GUARD)
    refused(result, tmp_path / "a.yaml")
    assert "loop" in result.stderr
    assert (tmp_path / "a.yaml").is_symlink()


@pytest.mark.espeak
def test_render_through_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path):
    elsewhere = tmp_path / "sessions"
    elsewhere.mkdir()
    real = elsewhere / "neck.wav"
    real.write_bytes(b"old")
    link = tmp_path / "neck.wav"
    link.symlink_to(real)
    result = run_cli("render", "quick-neck", "--brief", "--captions", "-o", str(link), timeout=GUARD)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert link.readlink() == real
    assert real.read_bytes()[:4] == b"RIFF"
    assert (tmp_path / "neck.srt").is_file()  # companions go beside the name given
    no_temp_files(tmp_path, elsewhere)


# --- outputs that are inputs -----------------------------------------------------------


@pytest.mark.parametrize("how", ["same name", "symlink", "hard link"])
def test_import_onto_its_own_article_is_refused(tmp_path, how):
    article = write(tmp_path, "art.txt", SEED.read_text(encoding="utf-8"))
    before = article.read_bytes()
    output = article
    if how == "symlink":
        output = tmp_path / "art.yaml"
        output.symlink_to(article)
    elif how == "hard link":
        output = tmp_path / "art.yaml"
        os.link(article, output)
    result = run_cli("import", str(article), "-o", str(output), timeout=GUARD)
    refused(result, output)
    assert "the article" in result.stderr
    assert article.read_bytes() == before


def test_render_onto_its_routine_file_is_refused(tmp_path):
    routine = write(tmp_path, "x.yaml", TINY)
    result = run_cli("render", str(routine), "-o", str(routine), timeout=GUARD)
    refused(result, routine)
    assert "routine file" in result.stderr
    assert routine.read_text(encoding="utf-8") == TINY


def test_a_timeline_that_would_replace_the_routine_is_refused(tmp_path):
    routine = write(tmp_path, "r.json", TINY)  # YAML, but named .json: the --timeline's name
    result = run_cli("render", str(routine), "--timeline", "-o", str(tmp_path / "r.wav"), timeout=GUARD)
    refused(result, routine)
    assert routine.read_text(encoding="utf-8") == TINY
    assert not (tmp_path / "r.wav").exists()


def test_render_onto_its_background_is_refused(tmp_path):
    bed = hum_wav(tmp_path / "bed.wav")
    before = bed.read_bytes()
    result = run_cli("render", "quick-neck", "--brief", "--background", str(bed), "-o", str(bed), timeout=GUARD)
    refused(result, bed)
    assert "background" in result.stderr
    assert bed.read_bytes() == before


def test_render_onto_one_of_its_cue_sounds_is_refused(tmp_path):
    cues = tmp_path / "cues"
    cues.mkdir()
    for name in ("bell", "chime", "switch", "tick", "inhale", "exhale"):
        (cues / f"{name}.wav").write_bytes(cue_path(name).read_bytes())
    before = (cues / "bell.wav").read_bytes()
    result = run_cli(
        "render", "quick-neck", "--brief", "--cue-dir", str(cues), "-o", str(cues / "bell.wav"), timeout=GUARD
    )
    refused(result, cues / "bell.wav")
    assert "cue sound 'bell'" in result.stderr
    assert (cues / "bell.wav").read_bytes() == before


def test_a_page_that_would_replace_the_saved_article_is_refused(tmp_path):
    saved = write(tmp_path, "stretches.html", "<html><body><h1>Stretches</h1></body></html>\n")
    routine = write(tmp_path, "stretches.yaml", HEADER.format(name="stretches.html") + "\n" + TINY)
    result = run_cli("render", str(routine), "--page", "-o", str(tmp_path / "stretches.wav"), timeout=GUARD)
    refused(result, saved)
    assert "imported from" in result.stderr
    assert saved.read_text(encoding="utf-8").startswith("<html>")
    assert not (tmp_path / "stretches.wav").exists()


@pytest.mark.espeak
def test_outputs_beside_the_inputs_are_fine(tmp_path):
    routine = write(tmp_path, "tiny.yaml", TINY)
    result = run_cli("render", str(routine), "--timeline", "--captions", "-o", str(tmp_path / "tiny.wav"), timeout=GUARD)
    assert result.returncode == 0, result.stderr
    assert routine.read_text(encoding="utf-8") == TINY
    assert {p.name for p in tmp_path.iterdir()} == {"tiny.yaml", "tiny.wav", "tiny.json", "tiny.srt", "tiny.vtt"}
