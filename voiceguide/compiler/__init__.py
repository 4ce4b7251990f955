"""Routine + options -> Timeline. Pure: speech and cue-sound lengths are passed in by the caller.

`iter_events` yields events in start order, asking for each clip's length only
when it reaches it, so a live player can start speaking before the whole
session is synthesized; `compile_timeline` collects them.

The work is done by small builders over a shared cursor (cursor.py: the clock,
the context, speaking and placing): session.py walks the routine (exercises,
sides, sets, reps, rests, closing), steps.py builds the steps and reps,
timed.py the timed phases and rests, holds.py the holds;
rules.py holds the constants and arithmetic, re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from voiceguide.compiler.cursor import Cursor
from voiceguide.compiler.rules import (
    BREATH_NAMES,
    COUNTDOWN_CLEARANCE,
    COUNTDOWN_FROM,
    COUNTDOWN_MIN_HOLD,
    CUE_GAP,
    HALFWAY_MIN_HOLD,
    MINUTE_PROMPTS_MIN_HOLD,
    PACE_CLEARANCE,
    PROMPT_CLEARANCE,
    RELEASE_MIN_HOLD,
    SENTENCE_GAP,
    SET_REST,
    SETTLE,
    SPOKEN_BREATHS,
    TICK_MIN_HOLD,
    TICKS,
    DurationFn,
    Group,
    HoldLength,
    breath_cycle,
    breath_step_phases,
    hold_length,
    rep_count,
    round_half_up,
    step_texts,
)
from voiceguide.compiler.session import session_events
from voiceguide.cue_places import BUILTIN_LENGTHS
from voiceguide.options import Options
from voiceguide.phrases import Phrases
from voiceguide.routine import Routine
from voiceguide.timeline import Event, Timeline, session_total

__all__ = [
    "BREATH_NAMES",
    "COUNTDOWN_CLEARANCE",
    "COUNTDOWN_FROM",
    "COUNTDOWN_MIN_HOLD",
    "CUE_GAP",
    "HALFWAY_MIN_HOLD",
    "MINUTE_PROMPTS_MIN_HOLD",
    "PACE_CLEARANCE",
    "PROMPT_CLEARANCE",
    "RELEASE_MIN_HOLD",
    "SENTENCE_GAP",
    "SETTLE",
    "SET_REST",
    "SPOKEN_BREATHS",
    "TICKS",
    "TICK_MIN_HOLD",
    "DurationFn",
    "Group",
    "HoldLength",
    "breath_cycle",
    "breath_step_phases",
    "compile_timeline",
    "hold_length",
    "iter_events",
    "rep_count",
    "round_half_up",
    "step_texts",
    "texts_to_speak",
    "timeline_of",
]


def compile_timeline(
    routine: Routine, options: Options, duration: DurationFn, cue_lengths: Mapping[str, float] | None = None
) -> Timeline:
    """cue_lengths: seconds per cue sound name (voiceguide.audio.cue_files.cue_lengths); default: the built-in sounds'."""
    return timeline_of(routine, iter_events(routine, options, duration, cue_lengths), options.language or "en")


def texts_to_speak(routine: Routine, options: Options, cue_lengths: Mapping[str, float] | None = None) -> list[str]:
    """The texts a session will most likely ask the voice for, in the order it asks: compiled once with
    lengths guessed from the words (at the options' rate), so a voice can synthesize them all at once
    instead of one at a time as the real compile asks. A guess: a text it misses is asked for later."""
    asked: dict[str, None] = {}
    seconds_per_char = 60 / (options.rate * 6)  # about six characters a word, spaces included

    def guess(text: str) -> float:
        asked[text] = None
        return 0.3 + len(text) * seconds_per_char

    for _ in iter_events(routine, options, guess, cue_lengths):
        pass
    return list(asked)


def timeline_of(routine: Routine, events: Iterable[Event], language: str | None) -> Timeline:
    """The routine's compiled events as a Timeline: the one place a timeline is put together."""
    events = tuple(events)
    phrases = Phrases(language or "en")
    sides = dict.fromkeys(side for exercise in routine.exercises for side in exercise.sides)
    return Timeline(
        routine.title, events, session_total(events), tuple(e.name for e in routine.exercises), language=language,
        side_names=tuple((side, phrases.side_name(side)) for side in sides),
    )


def iter_events(
    routine: Routine, options: Options, duration: DurationFn, cue_lengths: Mapping[str, float] | None = None
) -> Iterator[Event]:
    cursor = Cursor(options, duration, BUILTIN_LENGTHS if cue_lengths is None else cue_lengths)
    return cursor.heard(session_events(cursor, routine))
