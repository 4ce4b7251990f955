"""An error names the file the user asked for and the real cause: never the audio when the page or
captions beside it failed, never one of our temp files (issue 26, point 7)."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, cli
from tests.test_faults import OLD, leftovers, small_disk

pytestmark = [pytest.mark.espeak, pytest.mark.ffmpeg]

SHORT = ROOT / "tests" / "routines" / "short.yaml"


@pytest.mark.slow  # a long fault test: renders a session to a disk that fills
def test_a_full_disk_while_writing_the_page_names_the_page_and_keeps_the_old_files(tmp_path):
    """The MP3 fits, the page that holds it (base64, a third larger) does not."""
    sample = tmp_path / "sample.mp3"
    made = cli("render", "quick-neck", "--brief", "-q", "-o", str(sample))
    assert made.returncode == 0, made.stderr
    size = int(sample.stat().st_size * 1.6) // 4096 * 4096
    with small_disk(tmp_path / "disk", size) as disk:
        target = disk / "neck.mp3"
        target.write_bytes(OLD)
        result = cli("render", "quick-neck", "--brief", "-q", "-o", str(target), "--page", "embed")
        assert result.returncode == 2
        assert result.stderr.strip() == f"voiceguide: cannot write {disk / 'neck.html'}: No space left on device"
        assert target.read_bytes() == OLD
        assert leftovers(disk) == []



def test_a_session_too_long_for_a_wav_is_refused_as_soon_as_its_length_is_known(tmp_path, monkeypatch):
    """Not after hours of rendering: with the WAV limit lowered to 60 s, the 85 s routine is refused at its start."""
    from voiceguide import api
    from voiceguide.errors import VoiceguideError
    from voiceguide.rendering import pipeline

    api.plan(SHORT)  # its clips made: the length is known at once, as for any session whose voice is cached
    monkeypatch.setattr(pipeline, "WAV_MAX_BYTES", 60 * pipeline.SAMPLE_RATE * 2)
    done: list[float] = []
    target = tmp_path / "short.wav"
    with pytest.raises(VoiceguideError, match=r"short\.wav: a WAV file holds at most 0 hours; render to \.flac"):
        api.render(SHORT, target, progress=lambda seconds, _total: done.append(seconds))
    assert max(done, default=0.0) < 20  # refused at the limit, it had mixed 56 s
    assert not target.exists()


def test_ctrl_c_during_the_final_renames_cannot_leave_half_the_outputs(tmp_path, monkeypatch):
    """A Ctrl-C between renaming the audio and its page into place: both land, and the render is done.
    It once stopped there, with the MP3 replaced, no page, and "interrupted, nothing written" said."""
    import os
    import signal

    from voiceguide import api, files

    real_replace = os.replace
    renamed: list[str] = []

    def replace_then_interrupt(source, target):
        real_replace(source, target)
        if os.path.dirname(target) == str(tmp_path):  # an output, not a clip of the cache
            renamed.append(os.path.basename(target))
            if len(renamed) == 1:
                os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(files.os, "replace", replace_then_interrupt)
    target = tmp_path / "short.mp3"
    try:
        api.render(SHORT, target, page=True)
    except KeyboardInterrupt:
        pytest.fail(f"the render stopped with {renamed} renamed into place")
    assert sorted(renamed) == ["short.html", "short.mp3"]
    assert target.exists()
    assert target.with_suffix(".html").exists()


@pytest.mark.parametrize("option", ["--hold", "--reps"])
def test_a_position_past_100_percent_names_its_option(option):
    result = cli("plan", "quick-neck", option, "101%")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"voiceguide: {option[2:]}: a pick must be low, mid, high or a position from 0% to 100%, not '101%'"
    )
