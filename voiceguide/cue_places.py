"""Cue sounds as the compiler sees them: their names, where each plays, their built-in lengths.

Pure data and rules, no files: the compiler, the option checks and the players all
read this one list. The sound files themselves are found and checked in audio/cue_files.py.
"""

from __future__ import annotations

from dataclasses import dataclass

CUE_NAMES = ("bell", "chime", "switch", "tick", "inhale", "exhale")
CUE_LEVELS = ("full", "minimal", "off")

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
    # A rep's count where no form of it fits its beat (a short beat at a slow rate): never a silent set.
    "beat": Place("tick", "beat", ("full",)),
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
