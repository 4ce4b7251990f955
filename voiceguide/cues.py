"""Cue sounds: their names, where each plays, and the WAV files that hold them.

The built-in sounds are made by scripts/make_cues.py and ship as the package
`voiceguide.audio_cues`; `--cue-dir` points at a user's own, under the same names.
The compiler, the option checks and the players all read this one list.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from voiceguide.errors import VoiceguideError
from voiceguide.tts import SAMPLE_RATE

if TYPE_CHECKING:
    from voiceguide.options import Options

CUE_PACKAGE = "voiceguide.audio_cues"
CUE_NAMES = ("bell", "chime", "switch", "tick", "inhale", "exhale")
CUE_LEVELS = ("full", "minimal", "off")
MAX_CUE_SECONDS = 5.0  # a longer "cue" would hold up the session

# Lengths of the shipped sounds (scripts/make_cues.py makes them exactly this long), so
# the compiler can place cues without reading files; a test checks them against the WAVs.
BUILTIN_LENGTHS = {"bell": 2.0, "chime": 1.2, "switch": 0.6, "tick": 0.12, "inhale": 1.6, "exhale": 2.0}


@dataclass(frozen=True)
class Place:
    """A moment in the session that a cue marks."""

    sound: str
    role: str  # the cue event's role
    levels: tuple[str, ...]  # the --cues levels that play it
    breath_tone: bool = False  # also needs --breath-tones


_BOTH = ("full", "minimal")
PLACES = {
    "session-start": Place("bell", "session-start", ("full",)),
    "session-end": Place("bell", "session-end", ("full",)),
    "exercise-start": Place("bell", "exercise-start", _BOTH),
    "exercise-end": Place("bell", "exercise-end", _BOTH),
    "hold-start": Place("chime", "hold-start", _BOTH),
    "hold-end": Place("chime", "hold-end", _BOTH),
    "side": Place("switch", "side", ("full",)),
    "countdown": Place("tick", "countdown", ("full",)),
    "inhale": Place("inhale", "breath", _BOTH, breath_tone=True),
    "exhale": Place("exhale", "breath", _BOTH, breath_tone=True),
}


def plays(place: str, cues: str, breath_tones: bool) -> bool:
    spot = PLACES[place]
    return cues in spot.levels and (breath_tones or not spot.breath_tone)


def cues_used(cues: str, breath_tones: bool) -> tuple[str, ...]:
    """The sounds a session with these choices can play, in CUE_NAMES order."""
    used = {p.sound for name, p in PLACES.items() if plays(name, cues, breath_tones)}
    return tuple(n for n in CUE_NAMES if n in used)


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
    if frames / rate > MAX_CUE_SECONDS:
        raise VoiceguideError(f"{path}: cue sound '{name}' lasts {frames / rate:.1f} s; at most {MAX_CUE_SECONDS:g} s")
    return frames / rate


def cue_lengths(cue_dir: Path | None, names: tuple[str, ...] = CUE_NAMES) -> dict[str, float]:
    """Each named sound's length, read from its file: what the compiler places cues with."""
    return {name: cue_length(cue_path(name, cue_dir), name) for name in names}


def session_cue_lengths(options: Options) -> dict[str, float]:
    """The lengths of the cue sounds these options play, for compile_timeline; raises for an unusable sound."""
    return cue_lengths(options.cue_dir, cues_used(options.cues, options.breath_tones))
