"""The compiler's shared cursor: the clock, where in the routine it is, and the two ways to be heard.

Instructions are spoken one after another (`Cursor.speak`), each taking the time it
takes; timed phases (timed.py) start on the clock and last exactly their
length, and what is said inside them is placed where it fits or not at all (`Stretch`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from voiceguide.compiler.rules import (
    COUNTDOWN_CLEARANCE,
    COUNTDOWN_FROM,
    CUE_GAP,
    PROMPT_CLEARANCE,
    SENTENCE_GAP,
    TICK_MIN_HOLD,
    TICKS,
    DurationFn,
    Group,
)
from voiceguide.cue_places import PLACES, plays
from voiceguide.options import Options
from voiceguide.timeline import Event, Kind
from voiceguide.wording import Wording


@dataclass(frozen=True)
class Context:
    """Where in the routine the cursor is: every event it makes carries this."""

    exercise: str | None = None
    index: int | None = None  # 1-based exercise number
    side: str | None = None
    rep: int | None = None
    reps: int | None = None


class Cursor:
    """One compile's state, shared by the phase builders: the clock, the current exercise/side/rep context,
    the breath pattern in use, and whether the lead-in has been given."""

    def __init__(self, options: Options, duration: DurationFn, cue_lengths: Mapping[str, float]) -> None:
        self.options = options
        self.duration = duration
        self.cue_lengths = cue_lengths
        self.t = 0.0
        self.context = Context()
        self.pattern = options.breath  # the current exercise's breath pattern
        self.led_in = options.lead_in <= 0  # the "get ready" is due before the first paced phase
        self.words = Wording(options.language)
        self.last_said = ""  # the role of the last speech yielded: a count right after a countdown is said apart

    @property
    def talk(self) -> str:
        return self.options.talk

    def heard(self, events: Iterator[Event]) -> Iterator[Event]:
        """The events as they go out, noting the role of the last speech among them."""
        for event in events:
            if event.kind == "speech":
                self.last_said = event.role
            yield event

    def event(self, start: float, length: float, kind: Kind, text: str = "", role: str = "") -> Event:
        c = self.context
        return Event(start, length, kind, text, role, c.exercise, c.index, c.side, c.rep, c.reps)

    def speak(self, text: str, role: str, gap: float = SENTENCE_GAP) -> Iterator[Event]:
        length = self.duration(text)
        yield self.event(self.t, length, "speech", text, role)
        self.t += length + gap

    def plays(self, place: str) -> bool:
        return plays(place, self.options.cues, self.options.breath_tones)

    def cue(self, place: str, gap: float = CUE_GAP) -> Iterator[Event]:
        """The place's sound now, if the options play it; speech follows after it has rung out."""
        if self.plays(place):
            spot = PLACES[place]
            length = self.cue_lengths[spot.sound]
            yield self.event(self.t, length, "cue", spot.sound, spot.role)
            self.t += length + gap

    def quiet(self, seconds: float, role: str) -> Iterator[Event]:
        if seconds > 0:
            yield self.event(self.t, seconds, "rest", "", role)
            self.t += seconds

    def after_countdown(self, paced: bool) -> bool:
        """Whether a count said now follows a countdown (paced: or the lead-in's, still to come before it)."""
        return self.last_said == "countdown" or (paced and not self.led_in)

    def fill(self, text: str, side: str | None) -> str:
        """A routine's text with {side} as the language says it; capitalized where it starts a sentence."""
        if not side:
            return text
        name = self.words.side_name(side)
        text = re.sub(r"(^|[.!?]\s+)\{side\}", lambda m: m[1] + name[:1].upper() + name[1:], text)
        return text.replace("{side}", name)

    def countdown(self, start: float, end: float) -> Group:
        return [(end - k, self.words.counted(k), "countdown") for k in range(COUNTDOWN_FROM, 0, -1) if end - k >= start]


class Stretch:
    """A timed stretch from the cursor's time, exactly `length` long, and what is heard inside it:
    prompts and cue sounds, each group placed whole where it fits or not at all."""

    def __init__(self, cursor: Cursor, length: float) -> None:
        self.cursor = cursor
        self.start = cursor.t
        self.length = length
        self.end = cursor.t + length
        self.placed: list[Event] = []

    def place(self, group: Group, kind: Kind = "speech", margin: float = 0.0) -> bool:
        """Add the group's prompts (or cue sounds) if none overlaps placed ones or runs past the end (less `margin`)."""
        cursor = self.cursor
        end = self.end - margin
        candidates: list[Event] = []
        for at, text, role in group:
            # A countdown's numbers may follow each other closely: at slow rates one second barely holds "Three."
            clearance = COUNTDOWN_CLEARANCE if role == "countdown" else PROMPT_CLEARANCE
            length = cursor.duration(text) if kind == "speech" else cursor.cue_lengths[text]
            c = cursor.event(at, length, kind, text, role)
            if c.end > end + 1e-9:
                return False
            for other in self.placed + candidates:
                if c.start < other.end + clearance and other.start < c.end + clearance:
                    return False
            candidates.append(c)
        self.placed.extend(candidates)
        return True

    def ticks(self) -> None:
        """Full cues: ticks lead into a spoken countdown in long timed stretches, where free."""
        if self.cursor.plays("countdown") and self.length >= TICK_MIN_HOLD and any(e.role == "countdown" for e in self.placed):
            ticks = [(self.end - k, "tick", "countdown") for k in range(COUNTDOWN_FROM + TICKS, COUNTDOWN_FROM, -1)]
            self.place(ticks, kind="cue")

    def events(self, kind: Kind, text: str, role: str, inner: Sequence[Event] = ()) -> Iterator[Event]:
        """The stretch itself, then everything inside it in start order (a breath phase before what starts
        with it); the clock moves on to its end."""
        yield self.cursor.event(self.start, self.length, kind, text, role)
        yield from sorted([*inner, *self.placed], key=lambda e: (e.start, e.kind != "breath"))
        self.cursor.t = self.end
