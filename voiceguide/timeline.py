"""The timeline: the one contract between the compiler and every player, exporter and test.

Times are seconds from the session start. Events are ordered by start; they may
overlap only where one contains the other (a hold contains its prompts and
breath phases).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

Kind = Literal["speech", "breath", "hold", "cue", "rest", "move"]

# Bump when the JSON keys change meaning.
JSON_VERSION = 1


@dataclass(frozen=True)
class Event:
    """One thing heard (or deliberately not heard) during the session.

    text: speech -> the words; breath -> one phase of the breath pattern, "inhale",
    "hold" or "exhale"; move -> a phase of a rep on a tempo, "rep" or "up", "hold",
    "down", "pause", or a said step done again without words ("rep", in the time its
    teaching took); cue -> the sound's name; hold -> its length as said ("30 seconds",
    "6 breaths"); rest -> "".
    role: why the event is there. Speech, teaching or pacing: "title", "intro",
    "setup", "announce" (headings, "Hold for ..."), "side", "teach" (a movement's full
    instruction), "step" (an instruction said again), "note", "count" (a rep or set
    count between reps), "pace" (a timed phase's own cue, said as it starts: "In.",
    "Go.", "Rest.", a count on the beat), "prompt" ("Halfway.", "Next: ..."),
    "countdown", "release", "closing". Holds: "hold", or "work" for a work interval.
    Rests: "rest", "settle", "lead-in". Breath phases: "step", "hold" or "breathe"
    (of a breath step, a hold, a breathe step). Move: "tempo". Cues: their place ("beat": a tick
    for a rep on a tempo whose count does not fit its beat).
    Timed phases (breath, move, work holds, timed rests) last exactly their length,
    and their "pace" cue lies inside them.
    """

    start: float
    duration: float
    kind: Kind
    text: str = ""
    role: str = ""
    exercise: str | None = None
    index: int | None = None  # 1-based exercise number
    side: str | None = None
    rep: int | None = None
    reps: int | None = None

    @property
    def end(self) -> float:
        return self.start + self.duration


def session_total(events: Iterable[Event]) -> float:
    """A session lasts until its last event ends."""
    return max((e.end for e in events), default=0.0)


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float
    end: float
    index: int
    side: str | None


@dataclass(frozen=True)
class Timeline:
    title: str
    events: tuple[Event, ...]
    total: float
    exercises: tuple[str, ...] = field(default=())
    fit: str | None = None  # what --length chose, in words (fitting.Fit.describe)
    language: str | None = None  # the session's (BCP 47: "en" unless it says another), for every label shown around it
    side_names: tuple[tuple[str, str], ...] = ()  # each side as the session's language says it, for chapter titles

    def speech(self) -> list[Event]:
        return [e for e in self.events if e.kind == "speech"]

    def chapters(self) -> list[Chapter]:
        """One chapter per exercise and side, covering the whole session without gaps."""
        starts: list[tuple[float, int, str, str | None]] = []
        seen: set[tuple[int, str | None]] = set()
        for event in self.events:
            if event.index is None or (event.index, event.side) in seen:
                continue
            seen.add((event.index, event.side))
            title = event.exercise or ""
            if event.side:
                title = f"{title} ({dict(self.side_names).get(event.side, event.side)})"
            if starts and starts[-1][1] == event.index and starts[-1][3] is None:
                # The exercise's intro opens the chapter of its first side.
                starts[-1] = (starts[-1][0], event.index, title, event.side)
            else:
                starts.append((event.start, event.index, title, event.side))
        chapters = []
        for i, (start, index, title, side) in enumerate(starts):
            begin = 0.0 if i == 0 else start
            end = starts[i + 1][0] if i + 1 < len(starts) else self.total
            chapters.append(Chapter(title, begin, end, index, side))
        return chapters

    def to_dict(self) -> dict:
        return {
            "version": JSON_VERSION,
            "title": self.title,
            "total": round(self.total, 3),
            "exercises": list(self.exercises),
            **({"fit": self.fit} if self.fit else {}),
            **({"language": self.language} if self.language else {}),  # a timeline put together by hand may have none
            "chapters": [asdict(c) | {"start": round(c.start, 3), "end": round(c.end, 3)} for c in self.chapters()],
            "events": [
                asdict(e) | {"start": round(e.start, 3), "duration": round(e.duration, 3)} for e in self.events
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)
