"""Every phrase the compiler says on its own (not the routine's words): the one home to translate.

Small functions and constants, so a later gettext catalogue can replace each one
without touching the compiler's timing.
"""

from __future__ import annotations

import re

from voiceguide.numbers import number_word


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def say_seconds(seconds: float) -> str:
    """30 -> '30 seconds'; 90 -> '1 minute and 30 seconds'; 120 -> '2 minutes'."""
    whole = int(seconds + 0.5)
    minutes, secs = divmod(whole, 60)
    parts = []
    if minutes:
        parts.append(plural(minutes, "minute"))
    if secs or not minutes:
        parts.append(plural(secs, "second"))
    return " and ".join(parts)


def counted(n: int) -> str:
    """3 -> 'Three.'"""
    return f"{number_word(n).capitalize()}."


# --- the session's frame -------------------------------------------------------

CLOSING = "That is the end of the session. Well done."
GET_READY = "Get ready."


def heading(index: int, count: int, name: str) -> str:
    return f"Exercise {index} of {count}: {name}." if count > 1 else f"{name}."


def how_many(reps: int, rounds: bool, sets: int, sides: int) -> str:
    """The heading's tail: ' 9 times on each side.', ' 4 rounds.', ' 3 sets of 10.'."""
    each = " on each side" if sides > 1 else ""
    if sets > 1:
        return f" {plural(sets, 'set')} of {reps}{each}."
    if reps > 1:
        return f" {plural(reps, 'round' if rounds else 'time')}{each}."
    return " On each side." if sides > 1 else ""


def first_side(side: str) -> str:
    return f"{side.capitalize()} side."


def switch_side(side: str) -> str:
    return f"Now switch to the {side} side."


def rep_count(rep: int, reps: int) -> str:
    return "Last one." if rep == reps else counted(rep)


def round_count(rep: int, reps: int) -> str:
    return "Last round." if rep == reps else f"Round {number_word(rep)}."


def set_count(number: int, sets: int) -> str:
    return "Last set." if number == sets else f"Set {number_word(number)}."


# --- holds ---------------------------------------------------------------------

def hold_for(said: str) -> str:
    """A timed hold's announcement."""
    return f"Hold for {said}."


def stay_for(said: str) -> str:
    """A breath-counted hold's: "Hold for 6 breaths" is heard as "hold your breath"."""
    return f"Stay here for {said}."


def breaths(n: int) -> str:
    return plural(n, "breath")


HALFWAY = "Halfway."
LAST_BREATH = "Last breath."
RELEASE = "And release."


def minutes_left(minutes: int) -> str:
    return "One minute left." if minutes == 1 else f"{number_word(minutes).capitalize()} minutes left."


def breaths_left(n: int) -> str:
    return f"{number_word(n).capitalize()} more breaths."


# --- paced phases ----------------------------------------------------------------

# Breath phases: the full form where it fits the phase, else the short one.
BREATH_FULL = {"inhale": "Breathe in.", "hold": "Hold.", "exhale": "And out."}
BREATH_SHORT = {"inhale": "In.", "hold": "Hold.", "exhale": "Out."}

# A breath step's text is prefixed with its phase unless it already says it.
PHASE_WORDS = {"inhale": ("inhale", "breathe in", "breath in"), "exhale": ("exhale", "breathe out", "breath out")}


def breath_step(phase: str, text: str) -> str:
    if any(words in text.lower() for words in PHASE_WORDS[phase]):
        return text
    return f"{phase.capitalize()}. {text}"


# Tempo phases by how many the tempo has: what each is called (the event text) and said.
TEMPO_NAMES = {1: ("rep",), 2: ("up", "down"), 3: ("up", "hold", "down"), 4: ("up", "hold", "down", "pause")}
TEMPO_WORDS = {"hold": "Hold.", "down": "And back.", "pause": "Pause."}

GO = "Go."
REST = "Rest."


def next_up(name: str) -> str:
    return f"Next: {name}."


def next_set(number: int, sets: int) -> str:
    return "Next: the last set." if number == sets else f"Next: set {number_word(number)}."


def both(*parts: str) -> str:
    """Phrases said as one cue: 'Two.' + 'In.' -> 'Two. In.'"""
    return " ".join(p for p in parts if p)


def short_form(text: str) -> str:
    """An instruction's short cue: its first clause ('Tighten your glutes, and lift' -> 'Tighten your glutes.')."""
    clause = re.split(r"(?<=[a-z0-9])[,;:.!?]\s|[.!?]$", text.strip(), maxsplit=1)[0].strip()
    clause = clause.rstrip(",;:.!? ")
    return f"{clause}." if clause else text
