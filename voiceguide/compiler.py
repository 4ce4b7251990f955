"""Routine + options -> Timeline. Pure: speech and cue-sound lengths are passed in by the caller.

`iter_events` yields events in start order, asking for each clip's length only
when it reaches it, so a live player can start speaking before the whole
session is synthesized; `compile_timeline` collects them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from voiceguide.cue_places import BUILTIN_LENGTHS, PLACES, plays
from voiceguide.numbers import number_word, plural
from voiceguide.options import Options
from voiceguide.routine import PICKS, Breath, Exercise, Hold, Routine, Say, Span
from voiceguide.timeline import Event, Timeline, session_total

DurationFn = Callable[[str], float]

SENTENCE_GAP = 0.6  # quiet after a spoken instruction, as a person would pause
SETTLE = 3.0  # time to get into position after setup or a side switch
PROMPT_CLEARANCE = 0.3  # minimum quiet between a prompt and any other speech
COUNTDOWN_FROM = 3  # spoken "three, two, one" at the end of timed holds...
COUNTDOWN_MIN_HOLD = 8.0  # ...of at least this many seconds
HALFWAY_MIN_HOLD = 20.0
MINUTE_PROMPTS_MIN_HOLD = 120.0  # long holds get "N minutes left" instead of "halfway"
SPOKEN_BREATHS = 2  # breath-counted holds: the first breaths are spoken in and out (later ones: breath tones)
CUE_GAP = 0.3  # quiet between a cue sound and the speech after it
TICKS = 2  # full cues: ticks on the seconds before the spoken countdown...
TICK_MIN_HOLD = 20.0  # ...of holds at least this long

# A breath step's text is prefixed with its phase unless it already says it.
PHASE_WORDS = {"inhale": ("inhale", "breathe in", "breath in"), "exhale": ("exhale", "breathe out", "breath out")}

def round_half_up(x: float) -> int:
    return int(math.floor(x + 0.5))


def say_seconds(seconds: float) -> str:
    """30 -> '30 seconds'; 90 -> '1 minute and 30 seconds'; 120 -> '2 minutes'."""
    whole = round_half_up(seconds)
    minutes, secs = divmod(whole, 60)
    parts = []
    if minutes:
        parts.append(plural(minutes, "minute"))
    if secs or not minutes:
        parts.append(plural(secs, "second"))
    return " and ".join(parts)


@dataclass(frozen=True)
class HoldLength:
    """A hold after the user's choices: either whole seconds or whole breaths."""

    seconds: float
    breaths: int | None  # set for breath-counted holds


def hold_length(hold: Hold, options: Options) -> HoldLength:
    cycle = sum(options.breath)
    fixed = None if str(options.hold) in PICKS else float(options.hold)
    if hold.unit == "breaths":
        count = fixed / cycle if fixed is not None else hold.amount.pick(options.hold)  # type: ignore[arg-type]
        breaths = max(1, round_half_up(count * options.hold_scale))
        return HoldLength(breaths * cycle, breaths)
    seconds = fixed if fixed is not None else hold.amount.pick(options.hold)  # type: ignore[arg-type]
    return HoldLength(float(max(1, round_half_up(seconds * options.hold_scale))), None)


def rep_count(repeat: Span, options: Options) -> int:
    if repeat.high <= 1:
        return 1
    if str(options.reps) in PICKS:
        return max(1, round_half_up(repeat.pick(options.reps)))  # type: ignore[arg-type]
    return max(1, round_half_up(float(options.reps)))


def compile_timeline(
    routine: Routine, options: Options, duration: DurationFn, cue_lengths: Mapping[str, float] | None = None
) -> Timeline:
    """cue_lengths: seconds per cue sound name (voiceguide.audio.cue_files.cue_lengths); default: the built-in sounds'."""
    return timeline_of(routine, iter_events(routine, options, duration, cue_lengths))


def timeline_of(routine: Routine, events: Iterable[Event]) -> Timeline:
    """The routine's compiled events as a Timeline: the one place a timeline is put together."""
    events = tuple(events)
    return Timeline(routine.title, events, session_total(events), tuple(e.name for e in routine.exercises))


def iter_events(
    routine: Routine, options: Options, duration: DurationFn, cue_lengths: Mapping[str, float] | None = None
) -> Iterator[Event]:
    return _Session(routine, options, duration, BUILTIN_LENGTHS if cue_lengths is None else cue_lengths).events()


class _Session:
    """Walks the routine, keeping the clock and the current exercise/side/rep context."""

    def __init__(
        self, routine: Routine, options: Options, duration: DurationFn, cue_lengths: Mapping[str, float]
    ) -> None:
        self.routine = routine
        self.options = options
        self.duration = duration
        self.cue_lengths = cue_lengths
        self.t = 0.0
        self.context: dict[str, object] = {}

    def event(self, start: float, length: float, kind: str, text: str = "", role: str = "") -> Event:
        return Event(start, length, kind, text, role, **self.context)  # type: ignore[arg-type]

    def say(self, text: str, role: str, gap: float = SENTENCE_GAP) -> Iterator[Event]:
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

    def events(self) -> Iterator[Event]:
        routine, brief = self.routine, self.options.brief
        yield from self.cue("session-start")
        yield from self.say(routine.title, "title")
        if routine.description and not brief:
            yield from self.say(routine.description, "intro")
        count = len(routine.exercises)
        for index, exercise in enumerate(routine.exercises, start=1):
            self.context = {"exercise": exercise.name, "index": index}
            yield from self.exercise(exercise, index, count)
            if index < count:
                yield from self.quiet(self.options.rest, "rest")
        self.context = {}
        yield from self.say("That is the end of the session. Well done.", "closing")
        yield from self.cue("session-end", gap=0)

    def exercise(self, exercise: Exercise, index: int, count: int) -> Iterator[Event]:
        reps = rep_count(exercise.repeat, self.options)
        heading = f"Exercise {index} of {count}: {exercise.name}." if count > 1 else f"{exercise.name}."
        if reps > 1:
            heading += f" {plural(reps, 'time')}" + (" on each side." if len(exercise.sides) > 1 else ".")
        elif len(exercise.sides) > 1:
            heading += " On each side."
        yield from self.cue("exercise-start")
        yield from self.say(heading, "announce")
        if not self.options.brief:
            if exercise.about:
                yield from self.say(exercise.about, "intro")
            for line in exercise.setup:
                yield from self.say(line, "setup")
        yield from self.quiet(SETTLE, "settle")
        for side_number, side in enumerate(exercise.sides or (None,)):
            self.context = {"exercise": exercise.name, "index": index, "side": side}
            if side is not None:
                text = f"{side.capitalize()} side." if side_number == 0 else f"Now switch to the {side} side."
                if side_number > 0:
                    yield from self.cue("side")
                yield from self.say(text, "side")
                if side_number > 0:
                    yield from self.quiet(SETTLE, "settle")
            for rep in range(1, reps + 1):
                self.context = {"exercise": exercise.name, "index": index, "side": side, "rep": rep, "reps": reps}
                if reps > 1:
                    word = "Last one." if rep == reps else f"{number_word(rep).capitalize()}."
                    yield from self.say(word, "count", gap=0.3)
                for step in exercise.steps:
                    yield from self.step(step, side)
            self.context = {"exercise": exercise.name, "index": index, "side": side}  # the bell ends no one rep
        yield from self.cue("exercise-end")

    def step(self, step: Say | Hold | Breath, side: str | None) -> Iterator[Event]:
        def fill(text: str) -> str:
            return text.replace("{side}", side) if side else text

        if isinstance(step, Say):
            yield from self.say(fill(step.text), "step")
        elif isinstance(step, Breath):
            text = fill(step.text)
            if not any(words in text.lower() for words in PHASE_WORDS[step.phase]):
                text = f"{step.phase.capitalize()}. {text}"
            yield from self.say(text, "step", gap=0)
            length = self.options.breath[0 if step.phase == "inhale" else 1]
            yield self.event(self.t, length, "breath", step.phase, "step")
            self.t += length
        else:
            yield from self.hold(step, fill(step.note) if step.note else None)

    def hold(self, hold: Hold, note: str | None) -> Iterator[Event]:
        length = hold_length(hold, self.options)
        said = plural(length.breaths, "breath") if length.breaths else say_seconds(length.seconds)
        if note and self.duration(note) > length.seconds:  # too long to speak inside the hold: say it first
            yield from self.say(note, "note")
            note = None
        yield from self.say(f"Hold for {said}.", "announce", gap=0)
        yield from self.cue("hold-start", gap=0)  # the chime is the "go": the hold starts as it ends
        start, end = self.t, self.t + length.seconds
        inner: list[Event] = []
        if length.breaths:
            inner += self.breath_phases(start, length.breaths)
        placed: list[Event] = []
        if note:
            self.place(placed, [(start, note, "note")], end)
        spoken_breaths = 0
        for group in self.prompt_groups(start, end, length):
            if group[0][2] == "pace":  # spoken breath pacing: the first breaths that fit, up to SPOKEN_BREATHS
                if spoken_breaths < SPOKEN_BREATHS and self.place(placed, group, end):
                    spoken_breaths += 1
            else:
                self.place(placed, group, end)
        # Cue sounds inside the hold only take the moments the prompts left free.
        counted_down = any(e.role == "countdown" for e in placed)
        if self.plays("countdown") and counted_down and length.seconds >= TICK_MIN_HOLD:
            ticks = [(end - k, "tick", "countdown") for k in range(COUNTDOWN_FROM + TICKS, COUNTDOWN_FROM, -1)]
            self.place(placed, ticks, end, kind="cue")
        for phase in inner:  # a breath tone only where it fits its phase: "inhale" / "exhale" places
            tone = PLACES[phase.text]
            if self.plays(phase.text) and self.cue_lengths[tone.sound] <= phase.duration:
                self.place(placed, [(phase.start, tone.sound, tone.role)], end, kind="cue")
        yield self.event(start, length.seconds, "hold", said, "hold")
        yield from sorted(inner + placed, key=lambda e: (e.start, e.kind != "breath"))
        self.t = end
        yield from self.cue("hold-end")

    def breath_phases(self, start: float, breaths: int) -> list[Event]:
        inhale, exhale = self.options.breath
        phases = []
        for n in range(breaths):
            at = start + n * (inhale + exhale)
            phases.append(self.event(at, inhale, "breath", "inhale", "hold"))
            phases.append(self.event(at + inhale, exhale, "breath", "exhale", "hold"))
        return phases

    def prompt_groups(self, start: float, end: float, length: HoldLength) -> list[list[tuple[float, str, str]]]:
        """Prompts to speak inside a hold, most important group first; each group fits whole or not at all."""
        seconds = length.seconds
        groups: list[list[tuple[float, str, str]]] = []
        if length.breaths:
            inhale, exhale = self.options.breath
            cycle = inhale + exhale
            n = length.breaths
            if n > 1:
                groups.append([(start + (n - 1) * cycle, "Last breath.", "prompt")])
            for k in range(n - 1):
                at = start + k * cycle
                groups.append([(at, "Breathe in.", "pace"), (at + inhale, "And out.", "pace")])
            if n >= 6:
                left = n // 2
                groups.append([(start + (n - left) * cycle, f"{number_word(left).capitalize()} more breaths.", "prompt")])
            return groups
        if seconds >= COUNTDOWN_MIN_HOLD:
            groups.append(
                [(end - k, number_word(k).capitalize() + ".", "countdown") for k in range(COUNTDOWN_FROM, 0, -1)]
            )
        if seconds >= MINUTE_PROMPTS_MIN_HOLD:
            for minutes in range(int((seconds - 1) // 60), 0, -1):
                left = "One minute left." if minutes == 1 else f"{number_word(minutes).capitalize()} minutes left."
                groups.append([(end - 60 * minutes, left, "prompt")])
        elif seconds >= HALFWAY_MIN_HOLD:
            groups.append([(start + seconds / 2, "Halfway.", "prompt")])
        return groups

    def place(self, placed: list[Event], group: list[tuple[float, str, str]], end: float, kind: str = "speech") -> bool:
        """Add the group's prompts (or cue sounds) if none overlaps placed ones or runs past the hold."""
        candidates: list[Event] = []
        for at, text, role in group:
            length = self.duration(text) if kind == "speech" else self.cue_lengths[text]
            c = self.event(at, length, kind, text, role)  # type: ignore[arg-type]
            if c.end > end + 1e-9:
                return False
            for other in placed + candidates:
                if c.start < other.end + PROMPT_CLEARANCE and other.start < c.end + PROMPT_CLEARANCE:
                    return False
            candidates.append(c)
        placed.extend(candidates)
        return True
