"""Holds: "Hold for ..." and the chime, then the hold itself with its prompts, breath pacing and cue
sounds placed where they fit, and a spoken release after long ones."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from voiceguide.compiler.cursor import Cursor, Stretch
from voiceguide.compiler.rules import (
    PACE_CLEARANCE,
    RELEASE_MIN_HOLD,
    SPOKEN_BREATHS,
    Group,
    HoldLength,
    breath_cycle,
    hold_length,
)
from voiceguide.compiler.timed import timed_prompts
from voiceguide.cue_places import PLACES
from voiceguide.routine import Hold
from voiceguide.timeline import Event
from voiceguide.wording import hold_label


def hold_events(cursor: Cursor, hold: Hold, note: str | None, release: str | None) -> Iterator[Event]:
    """note: said inside the hold if it fits, else before it; release: the exercise's own, said after long holds."""
    length = hold_length(hold, cursor.options, cursor.pattern)
    if note and cursor.duration(note) > length.seconds:  # too long to speak inside the hold: say it first
        yield from cursor.speak(note, "note")
        note = None
    words = cursor.words
    announce = words.stay_for(length.breaths) if length.breaths else words.hold_for(length.seconds)
    yield from cursor.speak(announce, "announce", gap=0)
    yield from cursor.cue("hold-start", gap=0)  # the chime is the "go": the hold starts as it ends
    stretch = Stretch(cursor, length.seconds)
    inner = breath_phases(cursor, stretch.start, length.breaths) if length.breaths else []
    fill_hold(cursor, stretch, length, note)
    place_breath_tones(cursor, stretch, inner)
    yield from stretch.events("hold", hold_label(length.seconds, length.breaths), "hold", inner)
    yield from cursor.cue("hold-end")
    if length.seconds >= RELEASE_MIN_HOLD:
        yield from cursor.speak(cursor.fill(release, cursor.context.side) if release else words.release, "release")


def fill_hold(cursor: Cursor, stretch: Stretch, length: HoldLength, note: str | None) -> None:
    """The hold's note and prompts, most important first, then the countdown's ticks where they are free."""
    if note:
        stretch.place([(stretch.start, note, "note")])
    spoken_breaths = 0
    for group in prompt_groups(cursor, stretch.start, stretch.end, length):
        if group[0][2] == "pace":  # spoken breath pacing: the first breaths that fit, up to SPOKEN_BREATHS
            if spoken_breaths < SPOKEN_BREATHS and stretch.place(group):
                spoken_breaths += 1
        else:
            stretch.place(group)
    # Cue sounds inside the hold only take the moments the prompts left free.
    stretch.ticks()


def place_breath_tones(cursor: Cursor, stretch: Stretch, inner: list[Event]) -> None:
    for phase in inner:  # a breath tone only where it fits its phase: "inhale" / "exhale" places
        if phase.text == "hold":
            continue
        tone = PLACES[phase.text]
        if cursor.plays(phase.text) and cursor.cue_lengths[tone.sound] <= phase.duration:
            stretch.place([(phase.start, tone.sound, tone.role)], kind="cue")


def breath_phases(cursor: Cursor, start: float, breaths: int) -> list[Event]:
    phases = []
    at = start
    for _ in range(breaths):
        for name, seconds in breath_cycle(cursor.pattern):
            phases.append(cursor.event(at, seconds, "breath", name, "hold"))
            at += seconds
    return phases


def prompt_groups(cursor: Cursor, start: float, end: float, length: HoldLength) -> list[Group]:
    """Prompts to speak inside a hold, most important group first; each group fits whole or not at all."""
    if not length.breaths:
        return timed_prompts(cursor, start, end)
    groups: list[Group] = []
    cycle = breath_cycle(cursor.pattern)
    seconds = sum(s for _, s in cycle)
    n = length.breaths
    if n > 1:
        groups.append([(start + (n - 1) * seconds, cursor.words.last_breath, "prompt")])
    for k in range(n - 1):
        at = start + k * seconds
        for words in (cursor.words.breath_full, cursor.words.breath_short):  # the short words where the full do not fit
            group = paced_breath(cursor, at, words, cycle)
            if group is not None:
                groups.append(group)
    if n >= 6 and cursor.talk != "minimal":
        left = n // 2
        groups.append([(start + (n - left) * seconds, cursor.words.breaths_left(left), "prompt")])
    return groups


def paced_breath(cursor: Cursor, at: float, words: Mapping[str, str], cycle: list[tuple[str, float]]) -> Group | None:
    """One breath's phase words from `at`, if each fits inside its own phase, as on any paced phase."""
    group = []
    offset = 0.0
    for name, phase in cycle:
        group.append((at + offset, words[name], "pace"))
        offset += phase
    fits = all(cursor.duration(words[name]) <= phase - PACE_CLEARANCE for name, phase in cycle)
    return group if fits else None
