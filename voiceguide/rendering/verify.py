"""A rendered file checked before it replaces anything: encoder, length, tail and tags.

ffmpeg can exit 0 after failing to write its trailer on a full disk, leaving a file
whose header promises the whole session but whose audio stops short; mutagen can
fail half-way through rewriting a file. So a render is only renamed into place
once its encoder said nothing, its length matches the plan, all its data is there
and its tags read back. OGG and FLAC are measured by ffprobe and their last seconds
decoded; an MP3's Xing frame, which ffmpeg fills in last (and rendering/mp3_join.py
for two halves), counts its frames and bytes, so it is read here without starting
two more processes (a tenth of a second at the end of every render).
"""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path

from voiceguide import stalls
from voiceguide.audio.samples import SAMPLE_RATE
from voiceguide.errors import VoiceguideError
from voiceguide.rendering.mp3_join import xing_info

TOLERANCE = 0.25  # seconds: encoders pad a frame or two; a file cut short by more is caught
TAIL_SECONDS = 3.0  # decoded from the end: a file cut short has no end to decode
DISK_HINT = "is the disk full?"


class RenderFailed(VoiceguideError):
    pass


def verify_render(path: Path, kind: str, seconds: float, target: Path, title: str, encoder_log: str = "") -> None:
    """Raise RenderFailed (one line naming target) unless the file at path holds the whole session, tagged."""
    check_encoder_log(encoder_log, target)
    if kind == "wav":
        length, tail = _wav_length(path, target), None
    elif kind == "mp3":
        length, tail = _mp3_length(path, target), None
    else:  # ffprobe and the tail decode run side by side: each is mostly process start-up
        tail_seconds = min(TAIL_SECONDS, seconds)
        tail = _start([
            _tool("ffmpeg"), "-nostdin", "-v", "error", "-sseof", f"-{tail_seconds:.3f}", "-i", str(path),
            "-f", "s16le", "-ac", "1", "-ar", str(SAMPLE_RATE), "pipe:1",
        ])  # fmt: skip
        try:
            length = _encoded_length(path, target)
        except RenderFailed:
            _stop(tail)
            raise
    if abs(length - seconds) > TOLERANCE:
        if tail is not None:
            _stop(tail)
        raise RenderFailed(
            f"{target} was not replaced: the written file lasts {length:.1f} s, the session {seconds:.1f} s ({DISK_HINT})"
        )
    if tail is not None:
        _check_tail(tail, tail_seconds, target)
    _check_title(path, kind, title, target)


def check_encoder_log(encoder_log: str, target: Path) -> None:
    lines = [line.strip() for line in encoder_log.splitlines() if line.strip()]
    if lines:  # ffmpeg runs at -loglevel error: anything it says is a failure, whatever its exit code
        raise RenderFailed(f"ffmpeg could not encode {target}: {lines[-1]}")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise VoiceguideError(f"checking the render needs {name}, part of ffmpeg: install it with 'sudo apt-get install ffmpeg'")
    return found


def _start(command: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.kill()
    process.communicate()


def _run(command: list[str], target: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(command, capture_output=True, stdin=subprocess.DEVNULL, timeout=stalls.STALL_SECONDS, check=False)
    except subprocess.TimeoutExpired:  # run() has killed it
        raise RenderFailed(f"{target} was not replaced: {stalls.stopped(Path(command[0]).name)}") from None


def _encoded_length(path: Path, target: Path) -> float:
    """The duration ffprobe reads from the file's headers and pages."""
    result = _run([_tool("ffprobe"), "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)], target)
    try:
        return float(result.stdout.decode().strip())
    except ValueError:
        why = (result.stderr.decode(errors="replace").strip().splitlines() or ["no duration"])[-1]
        raise RenderFailed(f"{target} was not replaced: the written file does not read back ({why})") from None


def _check_tail(decoding: subprocess.Popen[bytes], seconds: float, target: Path) -> None:
    """The file's last seconds decoded: headers can promise a length the data never reached."""
    try:
        out, err = decoding.communicate(timeout=stalls.STALL_SECONDS)
    except subprocess.TimeoutExpired:
        _stop(decoding)
        raise RenderFailed(f"{target} was not replaced: checking its end, {stalls.stopped('ffmpeg')}") from None
    decoded = len(out) / 2 / SAMPLE_RATE
    errors = err.decode(errors="replace").strip().splitlines()
    if decoding.returncode != 0 or errors or decoded < seconds - TOLERANCE:
        why = errors[-1] if errors else f"its last {seconds:g} s decode to {decoded:.2f} s"
        raise RenderFailed(f"{target} was not replaced: the written file is cut short ({why}; {DISK_HINT})")


def _mp3_length(path: Path, target: Path) -> float:
    """Seconds in an MP3 we wrote, from its Xing frame, if the bytes that frame counts are all there."""
    from mutagen import MutagenError
    from mutagen.id3 import ID3, ID3NoHeaderError

    try:
        skip = ID3(str(path)).size  # the tag before the audio, header included
    except ID3NoHeaderError:
        skip = 0
    except (MutagenError, OSError) as exc:
        raise RenderFailed(f"{target} was not replaced: the written file does not read back ({exc})") from None
    with open(path, "rb") as handle:
        handle.seek(skip)
        frame = handle.read(512)
    try:
        info = xing_info(frame)
    except ValueError as exc:
        raise RenderFailed(f"{target} was not replaced: the written file does not read back ({exc})") from None
    if path.stat().st_size - skip < info.size:
        raise RenderFailed(f"{target} was not replaced: the written file is cut short ({DISK_HINT})")
    return info.samples / SAMPLE_RATE


def _wav_length(path: Path, target: Path) -> float:
    """Seconds in a WAV we wrote, from its header, if the data it declares is all there."""
    try:
        with wave.open(str(path), "rb") as clip:
            frames, width = clip.getnframes(), clip.getsampwidth()
            complete = path.stat().st_size >= 44 + frames * width
    except (OSError, EOFError, wave.Error) as exc:
        raise RenderFailed(f"{target} was not replaced: the written file does not read back ({exc})") from None
    if not complete:
        raise RenderFailed(f"{target} was not replaced: the written file is cut short ({DISK_HINT})")
    return frames / SAMPLE_RATE


def _check_title(path: Path, kind: str, title: str, target: Path) -> None:
    """The tags read back with the session's title: a tag write cut short is caught here."""
    from mutagen import File, MutagenError

    if kind == "wav":
        with open(path, "rb") as handle:
            header = handle.read(8)
        riff_size = int.from_bytes(header[4:8], "little") + 8
        found = title if riff_size == path.stat().st_size and title.encode() in _tail_bytes(path) else None
    else:
        try:
            audio = File(str(path))
        except (MutagenError, OSError):
            audio = None
        tags = getattr(audio, "tags", None)
        key = "TIT2" if kind == "mp3" else "title"
        value = tags.get(key) if tags is not None else None
        found = str(value) if kind == "mp3" and value else (value[0] if value else None)
    if found != title:
        raise RenderFailed(f"{target} was not replaced: its tags did not read back ({DISK_HINT})")


def _tail_bytes(path: Path, size: int = 65536) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(max(0, path.stat().st_size - size))
        return handle.read()
