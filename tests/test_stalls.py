"""ffmpeg or ffprobe that make no progress are stopped with one line, not waited on for ever (issue 26, point 4).

The hung tool is the real one, stopped (SIGSTOP) as it starts by a wrapper of the same name put first
on PATH: a process that is alive and never answers, as on a dead network mount. The watchdog's
bound is lowered to a second here; a user's is a minute.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, cli
from voiceguide import stalls
from voiceguide.audio.decoding import decode_audio
from voiceguide.errors import VoiceguideError

pytestmark = [pytest.mark.espeak, pytest.mark.ffmpeg, pytest.mark.slow]  # fault tests, long: the slow tier

SHORT = str(ROOT / "tests" / "routines" / "short.yaml")


@pytest.fixture
def hung(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """hung("ffprobe"): from now on that tool stops itself as it starts, and a stall is a second."""
    monkeypatch.setattr(stalls, "STALL_SECONDS", 1.0)
    folder = tmp_path / "hung-tools"
    folder.mkdir()

    def hang(tool: str) -> None:
        real = shutil.which(tool)
        assert real is not None
        wrapper = folder / tool
        wrapper.write_text(f'#!/bin/sh\nkill -STOP $$\nexec {real} "$@"\n')
        wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
        monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")

    return hang


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name != "hung-tools")


def test_a_hung_encoder_fails_the_render_in_one_line_and_writes_nothing(tmp_path, hung):
    hung("ffmpeg")
    target = tmp_path / "session.mp3"
    result = cli("render", SHORT, "-q", "-o", str(target))
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"voiceguide: could not encode {target}: ffmpeg made no progress for 1 s and was stopped"
    ]
    assert leftovers(tmp_path) == []


def test_a_hung_ffprobe_fails_the_check_of_the_render_and_keeps_the_old_file(tmp_path, hung):
    target = tmp_path / "session.ogg"
    target.write_bytes(b"the old session")
    hung("ffprobe")
    result = cli("render", SHORT, "-q", "-o", str(target))
    assert result.returncode != 0
    assert "ffprobe made no progress for 1 s and was stopped" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert target.read_bytes() == b"the old session"
    assert leftovers(tmp_path) == ["session.ogg"]


def test_a_hung_decoder_of_a_cue_sound_is_stopped(hung):
    bell = ROOT / "audio_cues" / "bell.wav"
    hung("ffmpeg")
    with pytest.raises(VoiceguideError, match=r"bell\.wav: reading the cue sound 'bell' failed: ffmpeg made no progress"):
        decode_audio(bell, "cue sound 'bell'", 5)


def test_an_encoder_left_idle_by_a_busy_render_is_not_blamed(monkeypatch):
    """Only a wait on the tool counts: while the render is busy itself (a clip being made), ffmpeg waits for us."""
    monkeypatch.setattr(stalls, "STALL_SECONDS", 0.5)
    process = subprocess.Popen(
        ["ffmpeg", "-v", "error", "-f", "s16le", "-ar", "22050", "-ac", "1", "-i", "pipe:0", "-f", "null", "-"],
        stdin=subprocess.PIPE,
    )
    watchdog = stalls.Watchdog(process, "ffmpeg")
    try:
        time.sleep(1.5)  # three bounds without writing a thing
        assert process.stdin is not None
        with watchdog.waiting():
            process.stdin.write(bytes(44100))
            process.stdin.close()
        assert watchdog.wait() == 0
        assert not watchdog.stalled
    finally:
        watchdog.close()
        process.kill()
        process.wait()
