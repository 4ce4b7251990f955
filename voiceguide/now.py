"""What is going on at one moment of a session: the one answer the live panel, the session page and the captions read.

`now_at(events, t)` answers, for a timeline's events (or the part of them compiled so far, in live play):
where the session is (exercise, side, rep N of M), the phase in progress (a breath's inhale, hold or
exhale; a tempo's up, hold, down; a work interval or a hold; a rest, a settle or a lead-in) and when it
ends, the hold and its breaths, the instruction in force, what is being said, and what is next. Every
display shows this and only this, so none can disagree with another. `table` is the same answer as a
list of moments where it changes, for the session page's script to look up (it cannot compute a different one).

Pure: reads nothing but the events.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Literal

from voiceguide.timeline import Event

NEXT_UP_WITHIN = 10.0  # "Next: ..." is shown this long before an exercise ends (and through a real rest)
INSTRUCTION_ROLES = ("setup", "teach", "step", "release")  # speech that tells the user what to do, and stays shown
DOING = ("breath", "move", "hold")  # kinds of event that are the exercise being done (a rest after the last is a real rest)

Part = Literal["intro", "exercise", "closing"]
PhaseKind = Literal["breath", "move", "hold", "rest"]


@dataclass(frozen=True)
class Now:
    """The session at one moment. Times are timeline seconds."""

    part: Part = "intro"
    exercise: str | None = None
    index: int | None = None  # 1-based exercise number
    side: str | None = None
    rep: int | None = None  # rep (or round) N of M
    reps: int | None = None
    set: int | None = None  # set N of M, in an exercise of more than one set (None while the last is not yet compiled)
    sets: int | None = None
    role: str = ""  # of the latest event begun
    phase: str | None = None  # breath: "inhale", "hold", "exhale"; move: "up", "hold", ...; hold: "hold", "work"; rest: its role
    phase_kind: PhaseKind | None = None
    phase_start: float | None = None
    phase_end: float | None = None
    hold: str | None = None  # the hold (or work interval) in progress, as said: "30 seconds", "6 breaths"
    hold_end: float | None = None
    breath_number: int | None = None  # breath N of a hold counted in breaths
    breaths: int | None = None  # of M (None while the hold's end is not yet compiled)
    instruction: str | None = None  # the instruction in force: shown through holds, breaths and counts
    speaking: str | None = None  # the words being said
    speaking_at: float | None = None
    speaking_end: float | None = None
    resting: bool = False  # a real rest: this exercise has nothing more to do
    next_index: int | None = None  # the exercise shown as next (None: nothing shown; 0: the end of the session)

    def phase_left(self, t: float) -> float | None:
        return None if self.phase_end is None else self.phase_end - t

    def hold_left(self, t: float) -> float | None:
        return None if self.hold_end is None else self.hold_end - t


class EventIndex:
    """The events by kind, ordered by start (events of one kind never overlap)."""

    def __init__(self, events: Sequence[Event]) -> None:
        self.events = events
        self.starts = [e.start for e in events]
        self.kinds: dict[str, list[Event]] = {}
        for event in events:
            self.kinds.setdefault(event.kind, []).append(event)
        self.kind_starts = {kind: [e.start for e in list_] for kind, list_ in self.kinds.items()}

    def now(self, t: float, complete: bool = True) -> Now:
        return _now(self, t, complete)

    def during(self, kind: str, t: float) -> Event | None:
        events = self.kinds.get(kind, [])
        at = bisect.bisect_right(self.kind_starts.get(kind, []), t) - 1
        return events[at] if at >= 0 and events[at].end > t else None


def now_at(events: Sequence[Event], t: float, complete: bool = True) -> Now:
    """The session at `t`. `events` ordered by start; complete: all of them (live play: False while compiling)."""
    return _now(EventIndex(events), t, complete)


def _now(index: EventIndex, t: float, complete: bool) -> Now:
    events = index.events
    at = bisect.bisect_right(index.starts, t) - 1
    if at < 0:
        return Now()
    known_until = math.inf if complete else index.starts[-1]  # how far the compiled events tell what follows
    context = events[at]
    part: Part = "exercise" if context.index is not None else ("closing" if any(e.index is not None for e in events[:at]) else "intro")
    now = Now(
        part=part, exercise=context.exercise, index=context.index, side=context.side, rep=context.rep, reps=context.reps,
        role=context.role,
    )  # fmt: skip
    speech = index.during("speech", t)
    if speech is not None:
        now = replace(now, speaking=speech.text, speaking_at=speech.start, speaking_end=speech.end)
    now = _phase(index, now, t, known_until)
    if part == "closing":
        return now
    segment_end = next((e.start for e in events[at + 1 :] if e.index != context.index), None)
    if segment_end is None and complete:
        segment_end = max(e.end for e in events)
    if part == "exercise" and segment_end is not None:
        now = _sets(index, now, t)
    rest = index.during("rest", t)
    resting = rest is not None and rest.role == "rest" and _nothing_after(events[at + 1 :], rest, known_until)
    if resting or (segment_end is not None and segment_end - t <= NEXT_UP_WITHIN):
        following = next((e for e in events[at + 1 :] if e.index != context.index), None)
        if following is not None or complete:
            now = replace(now, next_index=(following.index or 0) if following is not None else 0)
    now = replace(now, resting=resting)
    if part == "exercise" and not resting:
        now = replace(now, instruction=_instruction(index, now, t))
    return now


def _phase(index: EventIndex, now: Now, t: float, known_until: float) -> Now:
    breath, move, hold, rest = (index.during(kind, t) for kind in ("breath", "move", "hold", "rest"))
    if hold is not None:
        now = replace(now, hold=hold.text, hold_end=hold.end)
        if breath is not None:
            number, breaths = _breath_count(index, hold, t, known_until)
            now = replace(now, breath_number=number, breaths=breaths)
    if breath is not None:
        return replace(now, phase=breath.text, phase_kind="breath", phase_start=breath.start, phase_end=breath.end)
    if move is not None:
        return replace(now, phase=move.text, phase_kind="move", phase_start=move.start, phase_end=move.end)
    if hold is not None:
        phase = "work" if hold.role == "work" else "hold"
        return replace(now, phase=phase, phase_kind="hold", phase_start=hold.start, phase_end=hold.end)
    if rest is not None:
        return replace(now, phase=rest.role or "rest", phase_kind="rest", phase_start=rest.start, phase_end=rest.end)
    return now


def _sets(index: EventIndex, now: Now, t: float) -> Now:
    """Set N of M: the exercise's sets are parted by its rests between sets (a rest between reps, not after its last)."""
    mine = [e for e in index.events if (e.index, e.side) == (now.index, now.side)]
    last_done = max((e.start for e in mine if e.kind in DOING), default=-math.inf)
    between = [e for e in mine if e.kind == "rest" and e.role == "rest" and e.rep is None and e.start < last_done]
    if not between:
        return now
    return replace(now, set=1 + sum(1 for e in between if e.end <= t), sets=len(between) + 1)


def _breath_count(index: EventIndex, hold: Event, t: float, known_until: float) -> tuple[int | None, int | None]:
    """Breath N of M in a hold: a breath begins with the hold's first phase."""
    starts, events = index.kind_starts.get("breath", []), index.kinds.get("breath", [])
    inside = events[bisect.bisect_left(starts, hold.start) : bisect.bisect_left(starts, hold.end)]
    if not inside:
        return None, None
    begins = [e for e in inside if e.text == inside[0].text]
    number = sum(1 for e in begins if e.start <= t)
    return number, (len(begins) if known_until >= hold.end - 1e-6 else None)


def _nothing_after(following: Sequence[Event], rest: Event, known_until: float) -> bool:
    """Whether this exercise does nothing more after `rest` (known only once what follows is compiled)."""
    if known_until < rest.end:
        return False
    for event in following:
        if event.index != rest.index:
            return True
        if event.start >= rest.end - 1e-6 and (event.kind in DOING or event.role in ("teach", "step")):
            return False
    return True


def _instruction(index: EventIndex, now: Now, t: float) -> str | None:
    """The instruction in force: the exercise's last instruction said on this side (or before its sides; or, on a
    side with none of its own yet, the last one said); in a breath step, the step's own ("Breathe in and arch")."""
    said = [
        e for e in index.kinds.get("speech", [])
        if e.start <= t and e.index == now.index and e.role in INSTRUCTION_ROLES
    ]  # fmt: skip
    here = [e for e in said if e.side in (now.side, None)]
    breath = index.during("breath", t)
    if breath is not None and breath.role == "step":
        # Each breath step is taught by its own sentence, in order: the phase's is the one in force.
        steps = [
            e for e in index.kinds["breath"]
            if e.role == "step" and (e.index, e.side) == (breath.index, breath.side)
        ]  # fmt: skip
        cycle = [e for e in steps if e.rep == breath.rep]
        taught = [e for e in here if e.role == "teach" and e.start < steps[0].start]
        if breath in cycle and len(taught) >= len(cycle):
            return taught[len(taught) - len(cycle) + cycle.index(breath)].text
    chosen = here or said
    return chosen[-1].text if chosen else None


@dataclass(frozen=True)
class Moment:
    """One row of `table`: the answer from `at` until the next row's `at`."""

    at: float
    now: Now


def change_points(events: Sequence[Event]) -> list[float]:
    """Every time the answer can change: an event's start or end, and NEXT_UP_WITHIN before a part ends."""
    points = {0.0}
    for i, event in enumerate(events):
        points.update((event.start, event.end))
        if i and events[i - 1].index != event.index:
            points.add(max(0.0, event.start - NEXT_UP_WITHIN))
    total = max((e.end for e in events), default=0.0)
    points.add(max(0.0, total - NEXT_UP_WITHIN))
    return sorted(points)


def table(events: Sequence[Event]) -> list[Moment]:
    """The answer at every change point, each kept only where it differs from the one before."""
    index = EventIndex(events)
    moments: list[Moment] = []
    for point in change_points(events):
        now = _now(index, point, complete=True)
        if not moments or moments[-1].now != now:
            moments.append(Moment(point, now))
    return moments


def said(moments: Sequence[Moment]) -> list[tuple[float, float, str]]:
    """Every sentence said, once, as (start, end, words): what the captions show."""
    cues: dict[float, tuple[float, float, str]] = {}
    for moment in moments:
        now = moment.now
        if now.speaking is not None and now.speaking_at is not None and now.speaking_end is not None:
            cues.setdefault(now.speaking_at, (now.speaking_at, now.speaking_end, now.speaking))
    return list(cues.values())


def lookup(moments: Sequence[Moment], t: float) -> Now:
    """The answer at `t` from a table: the last row at or before it (what the page's script does)."""
    at = bisect.bisect_right([m.at for m in moments], t) - 1
    return moments[at].now if at >= 0 else Now()


PAGE_TEXTS = ("exercise", "instruction", "speaking")  # sentences many rows repeat: written once in the table's texts


def table_json(moments: Sequence[Moment]) -> dict[str, list]:
    """The table for the page: each row's set fields (but those the page has no use for), times rounded as the
    timeline's JSON rounds them, and the sentences as numbers into `texts`, each written once."""
    texts: dict[str, int] = {}
    rows = []
    for moment in moments:
        row: dict[str, object] = {"at": round(moment.at, 3)}
        for key, value in asdict(moment.now).items():
            if value is None or value == "" or value is False or key in ("role", "speaking_at", "speaking_end"):
                continue
            if key in PAGE_TEXTS:
                value = texts.setdefault(value, len(texts))
            row[key] = round(value, 3) if isinstance(value, float) else value
        rows.append(row)
    return {"texts": list(texts), "rows": rows}
