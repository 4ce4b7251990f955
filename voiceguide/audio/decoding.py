"""User audio in any format ffmpeg reads (cue sounds, background ambience), in the one sample format.

ffmpeg decodes the file, mixes it down to mono and resamples it to SAMPLE_RATE on
the way in (`-ac 1 -ar RATE` as output options, where ffmpeg applies them), and
pipes 16-bit samples to us a piece at a time: what we hold never depends on the
file's channels or sample rate, and a decode stops at a bound in seconds, so no
file's length can fill memory. A cue sound (seconds) comes back as samples; a
background (minutes, hours) goes to a file the caller reads a stretch at a time.
Anything ffmpeg cannot read is one line naming the file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from voiceguide import stalls
from voiceguide.audio import SAMPLE_RATE
from voiceguide.errors import VoiceguideError
from voiceguide.files import require_file

if TYPE_CHECKING:
    import numpy as np

AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".m4a", ".aac")
SAMPLE_BYTES = 2  # 16-bit: what a WAV cue holds, and half the bytes of float through the pipe and on disk
PIPE_READ = 1 << 20  # bytes taken from ffmpeg at a time: what a decode holds, whatever the file
FFMPEG_HINT = "install it with 'sudo apt-get install ffmpeg' (or run scripts/setup.sh)"


def _command(ffmpeg: str, path: Path, max_seconds: float) -> list[str]:
    return [
        ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(path),
        "-map", "0:a:0",  # the first audio stream: a cover picture or a video is no sound
        "-ac", "1", "-ar", str(SAMPLE_RATE),  # after the input: ffmpeg mixes down and resamples as it decodes
        "-t", f"{max_seconds + 1:g}",  # a second past the bound: enough to tell the file is longer
        "-f", "s16le", "pipe:1",
    ]  # fmt: skip


def _decode(path: Path, what: str, max_seconds: float, take: Callable[[bytes], object]) -> int:
    """Decode the file to 16-bit mono at SAMPLE_RATE, handing the bytes to `take` a piece at a time.

    Returns the samples decoded: at most a second more than max_seconds' worth.
    """
    require_file(path, what)
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise VoiceguideError(f"{path}: reading the {what} needs ffmpeg, which is not installed: {FFMPEG_HINT}")
    # Its own session: Ctrl-C reaches us alone, and we stop the decoder; it writes no file, so it leaves nothing.
    process = subprocess.Popen(
        _command(ffmpeg, path, max_seconds), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, start_new_session=True, bufsize=0,
    )  # fmt: skip
    stdout = process.stdout
    assert stdout is not None
    watchdog = stalls.Watchdog(process, "ffmpeg")
    size = 0
    try:
        while True:
            with watchdog.waiting():
                piece = stdout.read(PIPE_READ)  # unbuffered: what there is, so every piece is progress
            if not piece:
                break
            take(piece)
            size += len(piece)
        code = watchdog.wait()
    finally:
        watchdog.close()
        if process.poll() is None:  # an error or a signal while we read: the decoder goes too
            process.kill()
            process.wait()
        stdout.close()
    if watchdog.stalled:
        raise VoiceguideError(f"{path}: reading the {what} failed: {stalls.stopped('ffmpeg')}")
    if code != 0:
        raise VoiceguideError(f"{path}: {what} is not an audio file ffmpeg can read")
    return size // SAMPLE_BYTES


def decode_audio(path: Path, what: str, max_seconds: float, longest: str = "") -> np.ndarray:
    """The file's sound as mono float32 at SAMPLE_RATE, for short sounds; `what` names it in errors
    ("cue sound 'bell'"). A file longer than max_seconds is refused (`longest` added to the message,
    "; at most 5 s") having decoded only that much."""
    import numpy as np  # imported here: only sessions with user sounds pay for it

    data = bytearray()
    frames = _decode(path, what, max_seconds, data.extend)
    if frames > max_seconds * SAMPLE_RATE:
        raise VoiceguideError(f"{path}: {what} lasts more than {max_seconds:g} s{longest}")
    return np.frombuffer(bytes(data[: frames * SAMPLE_BYTES]), dtype="<i2").astype(np.float32) / np.float32(32768)


def scratch_folder() -> Path:
    """Where decoded user audio waits while a session plays it: the user's cache (a disk, where /tmp may be memory)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "voiceguide"


def _scratch_file() -> IO[bytes]:
    """A nameless file (gone when closed, or when the process ends however it ends): nothing to clean up."""
    folder = scratch_folder()
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        return tempfile.TemporaryFile(dir=folder)
    return tempfile.TemporaryFile()  # an unwritable cache: the system's temp folder


def decode_to_file(path: Path, what: str, max_seconds: float) -> tuple[IO[bytes], int]:
    """The file's sound as 16-bit little-endian mono samples at SAMPLE_RATE in a nameless scratch file,
    and how many there are: for long sounds, read a stretch at a time (os.pread) so memory stays flat."""
    scratch = _scratch_file()
    try:
        frames = _decode(path, what, max_seconds, scratch.write)
        scratch.flush()
    except BaseException:
        scratch.close()
        raise
    if frames > max_seconds * SAMPLE_RATE:
        scratch.close()
        limit = f"{max_seconds / 3600:g} hours" if max_seconds >= 3600 else f"{max_seconds / 60:g} minutes"
        raise VoiceguideError(f"{path}: {what} is longer than {limit}; cut it to the part to loop")
    return scratch, frames
