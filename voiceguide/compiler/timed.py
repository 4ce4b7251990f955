"""Timed phases: a paced phase (a breath, a beat of a tempo, a work interval), the lead-in before the
first of them, and timed rests. Each lasts exactly its length; its cue is said inside it or not at all."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from voiceguide.compiler.cursor import Cursor, Stretch
from voiceguide.compiler.rules import (
    COUNTDOWN_MIN_HOLD,
    HALFWAY_MIN_HOLD,
    MINUTE_PROMPTS_MIN_HOLD,
    PACE_CLEARANCE,
    SENTENCE_GAP,
    Group,
)
from voiceguide.cue_places import PLACES
from voiceguide.timeline import Event, Kind

Prompts = Callable[[float, float], list[Group]]  # (start, end) -> groups of prompts, most important first


@dataclass(frozen=True)
class Phase:
    """A timed phase from now, exactly `length` long: the first of `said` that fits inside is spoken at
    its start (else the first of `marks` that plays and fits: its breath tone, a counted beat's tick);
    then whichever groups of `prompts(start, end)` fit."""

    kind: Kind
    text: str
    role: str
    length: float
    said: Sequence[str]
    marks: Sequence[str] = ()  # cue places
    prompts: Prompts | None = None
    said_role: str = "pace"


def timed_phase(cursor: Cursor, phase: Phase) -> Iterator[Event]:
    yield from lead_in(cursor)
    stretch = Stretch(cursor, phase.length)
    said = cursor.words.with_shorter(phase.said)  # a long translation is shortened before it goes unsaid
    spoken = any(stretch.place([(stretch.start, words, phase.said_role)], margin=PACE_CLEARANCE) for words in said)
    if not spoken:  # a sound marks the phase no word marks, if one fits
        marks = (PLACES[place] for place in phase.marks if cursor.plays(place))
        any(stretch.place([(stretch.start, mark.sound, mark.role)], kind="cue") for mark in marks)
    for group in phase.prompts(stretch.start, stretch.end) if phase.prompts else ():
        if not stretch.place(group):
            stretch.place(shortened(cursor, group))
    stretch.ticks()
    yield from stretch.events(phase.kind, phase.text, phase.role)


def shortened(cursor: Cursor, group: Group) -> Group:
    """A group of prompts in the catalogue's shorter forms ('Vous êtes à mi-chemin.' -> 'Mi-chemin.'); [] if it has none."""
    short = [(at, cursor.words.shortened(text) or text, role) for at, text, role in group]
    return short if short != group else []


def lead_in(cursor: Cursor) -> Iterator[Event]:
    """Once per session, before the first paced phase: "Get ready." and a 3-2-1 on the last seconds."""
    if cursor.led_in:
        return
    cursor.led_in = True
    stretch = Stretch(cursor, cursor.options.lead_in)
    stretch.place(cursor.countdown(stretch.start, stretch.end))
    stretch.place([(stretch.start, cursor.words.get_ready, "countdown")])
    yield from stretch.events("rest", "", "lead-in")


def timed_prompts(cursor: Cursor, start: float, end: float) -> list[Group]:
    """A long timed stretch's prompts, most important first: the countdown, then halfway or minutes left."""
    seconds = end - start
    groups: list[Group] = []
    if seconds >= COUNTDOWN_MIN_HOLD:
        groups.append(cursor.countdown(start, end))
    if cursor.talk == "minimal":
        return groups
    if seconds >= MINUTE_PROMPTS_MIN_HOLD:
        for minutes in range(int((seconds - 1) // 60), 0, -1):
            groups.append([(end - 60 * minutes, cursor.words.minutes_left(minutes), "prompt")])
    elif seconds >= HALFWAY_MIN_HOLD:
        groups.append([(start + seconds / 2, cursor.words.halfway, "prompt")])
    return groups


def timed_rest(cursor: Cursor, seconds: float, next_up: str | None) -> Iterator[Event]:
    """A timed rest: "Rest." as it starts, what comes next if it fits, a countdown into the next start."""

    def prompts(start: float, end: float) -> list[Group]:
        groups = timed_prompts(cursor, start, end)[:1]  # the countdown only: a rest is no hold to get through
        if next_up:
            groups.append([(start + cursor.duration(cursor.words.rest) + SENTENCE_GAP, next_up, "prompt")])
        return groups

    yield from timed_phase(cursor, Phase("rest", "", "rest", seconds, [cursor.words.rest], prompts=prompts))
