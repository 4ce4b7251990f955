"""Cue sound files: where each sound is found, and whether players can use it.

The built-in sounds are made by scripts/make_cues.py and ship as the package
`voiceguide.audio_cues`; `--cue-dir` points at a user's own, under the same names.
Where each sound plays is voiceguide.cue_places.
"""

from __future__ import annotations

import wave
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from voiceguide.audio import SAMPLE_RATE
from voiceguide.cue_places import CUE_NAMES, cues_used
from voiceguide.errors import VoiceguideError

if TYPE_CHECKING:
    from voiceguide.options import Options

MAX_CUE_SECONDS = 5.0  # a longer "cue" would hold up the session
MIN_CUE_SECONDS = 0.02  # shorter is a click, not a cue, and too short to measure and level
CUE_PACKAGE = "voiceguide.audio_cues"


def cue_path(name: str, cue_dir: Path | None = None) -> Path:
    if cue_dir is not None:
        return Path(cue_dir) / f"{name}.wav"
    return Path(str(resources.files(CUE_PACKAGE).joinpath(f"{name}.wav")))


def cue_length(path: Path, name: str) -> float:
    """Seconds the sound lasts; a VoiceguideError naming the file if players could not use it."""
    if not path.is_file():
        raise VoiceguideError(f"{path}: cue sound '{name}' is missing")
    try:
        with wave.open(str(path), "rb") as clip:
            channels, width, rate = clip.getnchannels(), clip.getsampwidth(), clip.getframerate()
            frames = clip.getnframes()
            complete = len(clip.readframes(frames)) == frames * channels * width
    except (OSError, EOFError, wave.Error) as exc:
        reason = f" ({exc})" if str(exc) else ""
        raise VoiceguideError(f"{path}: cue sound '{name}' is not a readable WAV file{reason}") from None
    if (channels, width, rate) != (1, 2, SAMPLE_RATE):
        raise VoiceguideError(
            f"{path}: cue sound '{name}' must be a mono 16-bit WAV at {SAMPLE_RATE} Hz "
            f"(convert it with: ffmpeg -i IN -ac 1 -ar {SAMPLE_RATE} -c:a pcm_s16le {name}.wav)"
        )
    if not complete or frames == 0:
        raise VoiceguideError(f"{path}: cue sound '{name}' is empty or cut short")
    if frames / rate < MIN_CUE_SECONDS:
        raise VoiceguideError(
            f"{path}: cue sound '{name}' lasts {frames} samples; at least {MIN_CUE_SECONDS * 1000:g} ms, to be heard and leveled"
        )
    if frames / rate > MAX_CUE_SECONDS:
        raise VoiceguideError(f"{path}: cue sound '{name}' lasts {frames / rate:.1f} s; at most {MAX_CUE_SECONDS:g} s")
    return frames / rate


def cue_lengths(cue_dir: Path | None, names: tuple[str, ...] = CUE_NAMES) -> dict[str, float]:
    """Each named sound's length, read from its file: what the compiler places cues with."""
    if cue_dir is not None and not Path(cue_dir).is_dir():
        problem = "is not a folder" if Path(cue_dir).exists() else "does not exist"
        raise VoiceguideError(f"the cue sound folder {cue_dir} {problem}")
    return {name: cue_length(cue_path(name, cue_dir), name) for name in names}


def session_cue_lengths(options: Options) -> dict[str, float]:
    """The lengths of the cue sounds these options play, for compile_timeline; raises for an unusable sound."""
    return cue_lengths(options.cue_dir, cues_used(options.cues, options.breath_tones))
