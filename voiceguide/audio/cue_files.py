"""Cue sound files: where each sound is found, and whether players can use it.

The built-in sounds are made by scripts/make_cues.py and ship as the package
`voiceguide.audio_cues`; `--cue-dir` points at a user's own, under the same names.
Where each sound plays is voiceguide.cue_places.
"""

from __future__ import annotations

import functools
import sys
import wave
from array import array
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from voiceguide.audio import SAMPLE_RATE
from voiceguide.audio.decoding import AUDIO_SUFFIXES
from voiceguide.cue_places import CUE_NAMES, cues_used
from voiceguide.errors import VoiceguideError
from voiceguide.files import require_file

if TYPE_CHECKING:
    import numpy as np

    from voiceguide.options import Options

MAX_CUE_SECONDS = 5.0  # a longer "cue" would hold up the session
MAX_DECODED_SECONDS = 60.0  # a file longer than this is refused having read only this much of it
MIN_CUE_SECONDS = 0.02  # a shorter one is a click: too short to hear, or to level
SILENT = 10 ** (-60 / 20)  # a peak under -60 dBFS is no sound at all
CUE_PACKAGE = "voiceguide.audio_cues"


def cue_path(name: str, cue_dir: Path | None = None) -> Path:
    """The file for a cue: NAME.wav, or NAME in any format AUDIO_SUFFIXES lists, in the user's folder."""
    if cue_dir is not None:
        found = (Path(cue_dir) / f"{name}{suffix}" for suffix in AUDIO_SUFFIXES)
        return next((path for path in found if path.is_file()), Path(cue_dir) / f"{name}.wav")
    return Path(str(resources.files(CUE_PACKAGE).joinpath(f"{name}.wav")))


def _in_sample_format(clip: wave.Wave_read) -> bool:
    return (clip.getnchannels(), clip.getsampwidth(), clip.getframerate()) == (1, 2, SAMPLE_RATE)


def _plain_wav(path: Path) -> tuple[int, int, bool] | None:
    """(frames, peak, complete) of a WAV already in the sample format, read without numpy; else None.

    A WAV its header says is longer than a cue may be is read no further than that: its length says enough.
    """
    try:
        with wave.open(str(path), "rb") as clip:
            if not _in_sample_format(clip):
                return None
            frames = clip.getnframes()
            wanted = min(frames, int(MAX_CUE_SECONDS * SAMPLE_RATE) + 1)
            data = clip.readframes(wanted)
    except (OSError, EOFError, wave.Error):
        return None  # not a WAV we can read ourselves: ffmpeg may
    samples = array("h", data[: len(data) // 2 * 2])
    if sys.byteorder == "big":
        samples.byteswap()
    return frames, max(map(abs, samples), default=0), len(data) == wanted * 2


def cue_length(path: Path, name: str) -> float:
    """Seconds the sound lasts; a VoiceguideError naming the file if players could not use it."""
    what = f"cue sound '{name}'"
    require_file(path, what)
    plain = _plain_wav(path)
    if plain is not None:
        frames, peak, complete = plain
        if not complete:
            raise VoiceguideError(f"{path}: {what} is cut short")
        loudest = peak / 32768
    else:
        samples = cue_samples(path, name)
        frames, loudest = samples.size, float(abs(samples).max(initial=0.0))
    seconds = frames / SAMPLE_RATE
    if seconds < MIN_CUE_SECONDS:
        raise VoiceguideError(f"{path}: {what} lasts {seconds * 1000:.0f} ms; at least {MIN_CUE_SECONDS * 1000:.0f} ms")
    if seconds > MAX_CUE_SECONDS:
        raise VoiceguideError(f"{path}: {what} lasts {seconds:.1f} s; at most {MAX_CUE_SECONDS:g} s")
    if loudest < SILENT:
        raise VoiceguideError(f"{path}: {what} is silent")
    return seconds


def cue_samples(path: Path, name: str) -> np.ndarray:
    """The sound as float32 in the sample format: decoded once per file version, then kept."""
    stat = path.stat()
    return _decoded(str(path), stat.st_mtime_ns, stat.st_size, name)


@functools.lru_cache(maxsize=32)
def _decoded(path: str, mtime_ns: int, size: int, name: str) -> np.ndarray:  # noqa: ARG001 - mtime and size key the cache
    from voiceguide.audio.decoding import decode_audio  # numpy: only when a sound is needed
    from voiceguide.audio.samples import read_clip, to_float

    try:
        with wave.open(path, "rb") as clip:
            plain = _in_sample_format(clip)  # the header is enough: cue_length has checked the rest
    except (OSError, EOFError, wave.Error):
        plain = False
    if plain:
        return to_float(read_clip(Path(path)))
    return decode_audio(Path(path), f"cue sound '{name}'", MAX_DECODED_SECONDS, f"; at most {MAX_CUE_SECONDS:g} s")


def cue_lengths(cue_dir: Path | None, names: tuple[str, ...] = CUE_NAMES) -> dict[str, float]:
    """Each named sound's length, read from its file: what the compiler places cues with."""
    if cue_dir is not None and not Path(cue_dir).is_dir():
        problem = "is not a folder" if Path(cue_dir).exists() else "does not exist"
        raise VoiceguideError(f"the cue sound folder {cue_dir} {problem}")
    return {name: cue_length(cue_path(name, cue_dir), name) for name in names}


def session_cue_lengths(options: Options) -> dict[str, float]:
    """The lengths of the cue sounds these options play, for compile_timeline; raises for an unusable sound."""
    return cue_lengths(options.cue_dir, cues_used(options.cues, options.breath_tones))
