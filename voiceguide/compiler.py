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
from voiceguide.options import Options
from voiceguide.routine import Breath, Breathe, Exercise, Hold, Rest, Routine, Say, Span, Step, Work, is_pick
from voiceguide.timeline import Event, Timeline, session_total
from voiceguide.wording import TEMPO_NAMES, Wording, both, hold_label, short_form

DurationFn = Callable[[str], float]
Group = list[tuple[float, str, str]]  # prompts (at, text, role) that are said all together or not at all

SENTENCE_GAP = 0.6  # quiet after a spoken instruction, as a person would pause
SETTLE = 3.0  # time to get into position after setup or a side switch
PROMPT_CLEARANCE = 0.3  # minimum quiet between a prompt and any other speech
COUNTDOWN_CLEARANCE = 0.1  # ...and between the numbers of a countdown
COUNTDOWN_FROM = 3  # spoken "three, two, one" at the end of timed holds...
COUNTDOWN_MIN_HOLD = 8.0  # ...of at least this many seconds
HALFWAY_MIN_HOLD = 20.0
MINUTE_PROMPTS_MIN_HOLD = 120.0  # long holds get "N minutes left" instead of "halfway"
SPOKEN_BREATHS = 2  # breath-counted holds: the first breaths are spoken in and out (later ones: breath tones)
CUE_GAP = 0.3  # quiet between a cue sound and the speech after it
TICKS = 2  # full cues: ticks on the seconds before the spoken countdown...
TICK_MIN_HOLD = 20.0  # ...of holds at least this long

RELEASE_MIN_HOLD = 30.0  # holds this long end with a spoken release
SET_REST = 30.0  # rest between sets unless the exercise says rest_between_sets
PACE_CLEARANCE = 0.15  # a phase's cue ends at least this long before the phase does

BREATH_NAMES = {2: ("inhale", "exhale"), 3: ("inhale", "hold", "exhale"), 4: ("inhale", "hold", "exhale", "hold")}


def round_half_up(x: float) -> int:
    return int(math.floor(x + 0.5))


def breath_cycle(pattern: tuple[float, ...]) -> list[tuple[str, float]]:
    """(4, 7, 8) -> [('inhale', 4), ('hold', 7), ('exhale', 8)]: one breath, phase by phase."""
    return list(zip(BREATH_NAMES[len(pattern)], pattern, strict=True))


def breath_step_phases(phase: str, pattern: tuple[float, ...]) -> list[tuple[str, float]]:
    """An inhale step runs the pattern from the inhale to the exhale; an exhale step, from the exhale on."""
    cycle = breath_cycle(pattern)
    split = next(i for i, (name, _) in enumerate(cycle) if name == "exhale")
    return cycle[:split] if phase == "inhale" else cycle[split:]


@dataclass(frozen=True)
class HoldLength:
    """A hold after the user's choices: either whole seconds or whole breaths."""

    seconds: float
    breaths: int | None  # set for breath-counted holds


def hold_length(hold: Hold, options: Options, pattern: tuple[float, ...] | None = None) -> HoldLength:
    """pattern: the exercise's breath pattern (default: the options')."""
    cycle = sum(pattern or options.breath)
    fixed = None if is_pick(options.hold) else float(options.hold)
    if hold.unit == "breaths":
        count = fixed / cycle if fixed is not None else hold.amount.pick(options.hold)  # type: ignore[arg-type]
        breaths = max(1, round_half_up(count * options.hold_scale))
        return HoldLength(breaths * cycle, breaths)
    seconds = fixed if fixed is not None else hold.amount.pick(options.hold)  # type: ignore[arg-type]
    return HoldLength(float(max(1, round_half_up(seconds * options.hold_scale))), None)


def rep_count(repeat: Span, options: Options) -> int:
    if repeat.high <= 1:
        return 1
    if is_pick(options.reps):
        return max(1, round_half_up(repeat.pick(options.reps)))  # type: ignore[arg-type]
    return max(1, round_half_up(float(options.reps)))


def compile_timeline(
    routine: Routine, options: Options, duration: DurationFn, cue_lengths: Mapping[str, float] | None = None
) -> Timeline:
    """cue_lengths: seconds per cue sound name (voiceguide.audio.cue_files.cue_lengths); default: the built-in sounds'."""
    return timeline_of(routine, iter_events(routine, options, duration, cue_lengths))


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


def timeline_of(routine: Routine, events: Iterable[Event]) -> Timeline:
    """The routine's compiled events as a Timeline: the one place a timeline is put together."""
    events = tuple(events)
    return Timeline(routine.title, events, session_total(events), tuple(e.name for e in routine.exercises))


def iter_events(
    routine: Routine, options: Options, duration: DurationFn, cue_lengths: Mapping[str, float] | None = None
) -> Iterator[Event]:
    return _Session(routine, options, duration, BUILTIN_LENGTHS if cue_lengths is None else cue_lengths).events()


class _Session:
    """Walks the routine, keeping the clock and the current exercise/side/rep context.

    Two ways to be heard: instructions are spoken one after another (`speak`), each
    taking the time it takes; timed phases (`phase`) start on the clock and last
    exactly their length, and their cue is said inside them or not at all.
    """

    def __init__(
        self, routine: Routine, options: Options, duration: DurationFn, cue_lengths: Mapping[str, float]
    ) -> None:
        self.routine = routine
        self.options = options
        self.duration = duration
        self.cue_lengths = cue_lengths
        self.t = 0.0
        self.context: dict[str, object] = {}
        self.pattern = options.breath
        self.led_in = options.lead_in <= 0  # the "get ready" is due before the first paced phase
        self.words = Wording(options.language)
        self.last_said = ""  # the role of the last speech yielded: a count right after a countdown is said apart

    @property
    def talk(self) -> str:
        return self.options.talk

    def event(self, start: float, length: float, kind: str, text: str = "", role: str = "") -> Event:
        return Event(start, length, kind, text, role, **self.context)  # type: ignore[arg-type]

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

    # --- the session -------------------------------------------------------------

    def events(self) -> Iterator[Event]:
        for event in self.session():
            if event.kind == "speech":
                self.last_said = event.role
            yield event

    def after_countdown(self, paced: bool) -> bool:
        """Whether a count said now follows a countdown (paced: or the lead-in's, still to come before it)."""
        return self.last_said == "countdown" or (paced and not self.led_in)

    def fill(self, text: str, side: str | None) -> str:
        """A routine's text with {side} as the language says it."""
        return text.replace("{side}", self.words.side_name(side)) if side else text

    def session(self) -> Iterator[Event]:
        routine = self.routine
        yield from self.cue("session-start")
        yield from self.speak(routine.title, "title")
        if routine.description and self.talk != "minimal":
            yield from self.speak(routine.description, "intro")
        count = len(routine.exercises)
        for index, exercise in enumerate(routine.exercises, start=1):
            self.context = {"exercise": exercise.name, "index": index}
            following = routine.exercises[index].name if index < count else None
            yield from self.exercise(exercise, index, count, following)
            if index < count:
                yield from self.quiet(self.options.rest if exercise.rest is None else exercise.rest, "rest")
        self.context = {}
        yield from self.speak(self.words.closing, "closing")
        yield from self.cue("session-end", gap=0)

    def exercise(self, exercise: Exercise, index: int, count: int, following: str | None) -> Iterator[Event]:
        reps = rep_count(exercise.repeat, self.options)
        self.pattern = exercise.breath or self.options.breath
        heading = self.words.heading(index, count, exercise.name, reps, exercise.rounds, exercise.sets, len(exercise.sides))
        yield from self.cue("exercise-start")
        yield from self.speak(heading, "announce")
        if self.talk != "minimal":
            if exercise.about:
                yield from self.speak(exercise.about, "intro")
            for line in exercise.setup:
                yield from self.speak(line, "setup")
        yield from self.quiet(SETTLE, "settle")
        paced = exercise.tempo is not None or not any(isinstance(s, (Say, Hold)) for s in exercise.steps)
        names_side = any("{side}" in text for step in exercise.steps for text in step_texts(step))
        sides = exercise.sides or (None,)
        base = {"exercise": exercise.name, "index": index}
        for side_number, side in enumerate(sides):
            self.context = base | {"side": side}
            if side is not None:
                if side_number > 0:
                    yield from self.cue("side")
                yield from self.speak(self.words.first_side(side) if side_number == 0
                                      else self.words.switch_side(side, len(sides)), "side")
                if side_number > 0:
                    yield from self.quiet(SETTLE, "settle")
            teach = self.talk != "minimal" and (side_number == 0 or names_side)
            for set_number in range(1, exercise.sets + 1):
                self.context = base | {"side": side}
                if set_number > 1:
                    rest = SET_REST if exercise.set_rest is None else exercise.set_rest
                    yield from self.rest(rest, self.words.next_set(set_number, exercise.sets))
                    if not paced:
                        yield from self.speak(self.words.set_count(set_number, exercise.sets), "count", gap=0.3)
                if paced and teach and set_number == 1:
                    for text in self.lesson(exercise, side):
                        yield from self.speak(text, "teach")
                for rep in range(1, reps + 1):
                    self.context = base | {"side": side, "rep": rep, "reps": reps}
                    last = following if (side_number == len(sides) - 1 and set_number == exercise.sets
                                          and rep == reps) else None
                    first = teach and set_number == 1 and rep == 1
                    if paced:
                        yield from self.paced_rep(exercise, side, rep, reps, last)
                    else:
                        if reps > 1:
                            yield from self.speak(self.words.rep_count(rep, reps, self.after_countdown(paced=False)),
                                                  "count", gap=0.3)
                        for number, step in enumerate(exercise.steps):
                            after = last if number == len(exercise.steps) - 1 else None
                            yield from self.step(step, side, first, exercise, after)
            self.context = base | {"side": side}  # the bell ends no one rep
        yield from self.cue("exercise-end")

    def lesson(self, exercise: Exercise, side: str | None) -> list[str]:
        """What a paced exercise teaches before its first rep: every instruction in full, once."""
        texts = []
        for step in exercise.steps:
            if isinstance(step, Say):
                texts.append(self.fill(step.text, side))
            elif isinstance(step, Breath):
                texts.append(self.words.breath_step(step.phase, self.fill(step.text, side)))
            elif isinstance(step, Work) and step.text:
                texts.append(self.fill(step.text, side))
        return texts

    # --- paced reps: phase after phase, on the clock ----------------------------------

    def paced_rep(self, exercise: Exercise, side: str | None, rep: int, reps: int, following: str | None) -> Iterator[Event]:
        """One rep (or round) of an exercise made only of timed phases: its count rides in its first phase."""
        words = self.words
        after_countdown = self.after_countdown(paced=True)
        count = ""
        if reps > 1:
            count = words.round_count(rep, reps) if exercise.rounds else words.rep_count(rep, reps, after_countdown)
        if exercise.tempo is not None:
            names = TEMPO_NAMES[len(exercise.tempo)]
            beat = count or (words.go if after_countdown else words.counted(rep))  # the first beat: its count, heard apart
            for number, (name, seconds) in enumerate(zip(names, exercise.tempo, strict=True)):
                said = [beat] if number == 0 else [words.tempo_words[name]]
                yield from self.phase("move", name, "tempo", seconds, said)
            return
        for number, step in enumerate(exercise.steps):
            after = following if number == len(exercise.steps) - 1 else None
            yield from self.step(step, side, False, exercise, after, count if number == 0 else "")

    def phase(
        self, kind: str, text: str, role: str, length: float, said: list[str], tone: str | None = None,
        prompts: Callable[[float, float], list[Group]] | None = None, said_role: str = "pace",
    ) -> Iterator[Event]:
        """A timed phase from now, exactly `length` long: the first of `said` that fits inside is
        spoken at its start (else its breath tone, if one fits); then whichever groups of
        `prompts(start, end)` fit."""
        yield from self.lead_in()
        start, end = self.t, self.t + length
        placed: list[Event] = []
        spoken = any(self.place(placed, [(start, words, said_role)], end - PACE_CLEARANCE) for words in said)
        if not spoken and tone and self.plays(tone):  # a breath tone marks the phase no word marks, if it fits
            self.place(placed, [(start, PLACES[tone].sound, PLACES[tone].role)], end, kind="cue")
        for group in prompts(start, end) if prompts else ():
            self.place(placed, group, end)
        self.countdown_ticks(placed, length, end)
        yield self.event(start, length, kind, text, role)
        yield from sorted(placed, key=lambda e: e.start)
        self.t = end

    def lead_in(self) -> Iterator[Event]:
        """Once per session, before the first paced phase: "Get ready." and a 3-2-1 on the last seconds."""
        if self.led_in:
            return
        self.led_in = True
        start, end = self.t, self.t + self.options.lead_in
        placed: list[Event] = []
        self.place(placed, self.countdown(start, end), end)
        self.place(placed, [(start, self.words.get_ready, "countdown")], end)
        yield self.event(start, self.options.lead_in, "rest", "", "lead-in")
        yield from sorted(placed, key=lambda e: e.start)
        self.t = end

    def countdown(self, start: float, end: float) -> list[tuple[float, str, str]]:
        return [(end - k, self.words.counted(k), "countdown") for k in range(COUNTDOWN_FROM, 0, -1) if end - k >= start]

    def countdown_ticks(self, placed: list[Event], length: float, end: float) -> None:
        """Full cues: ticks lead into a spoken countdown in long timed stretches, where free."""
        if self.plays("countdown") and length >= TICK_MIN_HOLD and any(e.role == "countdown" for e in placed):
            ticks = [(end - k, "tick", "countdown") for k in range(COUNTDOWN_FROM + TICKS, COUNTDOWN_FROM, -1)]
            self.place(placed, ticks, end, kind="cue")

    def timed_prompts(self, start: float, end: float) -> list[list[tuple[float, str, str]]]:
        """A long timed stretch's prompts, most important first: the countdown, then halfway or minutes left."""
        seconds = end - start
        groups: list[list[tuple[float, str, str]]] = []
        if seconds >= COUNTDOWN_MIN_HOLD:
            groups.append(self.countdown(start, end))
        if self.talk == "minimal":
            return groups
        if seconds >= MINUTE_PROMPTS_MIN_HOLD:
            for minutes in range(int((seconds - 1) // 60), 0, -1):
                groups.append([(end - 60 * minutes, self.words.minutes_left(minutes), "prompt")])
        elif seconds >= HALFWAY_MIN_HOLD:
            groups.append([(start + seconds / 2, self.words.halfway, "prompt")])
        return groups

    def rest(self, seconds: float, next_up: str | None) -> Iterator[Event]:
        """A timed rest: "Rest." as it starts, what comes next if it fits, a countdown into the next start."""

        def prompts(start: float, end: float) -> list[Group]:
            groups = self.timed_prompts(start, end)[:1]  # the countdown only: a rest is no hold to get through
            if next_up:
                groups.append([(start + self.duration(self.words.rest) + SENTENCE_GAP, next_up, "prompt")])
            return groups

        yield from self.phase("rest", "", "rest", seconds, [self.words.rest], prompts=prompts)

    # --- steps ----------------------------------------------------------------------

    def step(
        self, step: Step, side: str | None, first: bool, exercise: Exercise, following: str | None, count: str = ""
    ) -> Iterator[Event]:
        """first: the first rep of a side that teaches (full instruction, notes).
        following: the next exercise's name, if this step ends the exercise.
        count: a rep count to say with the step's cue, for steps that are timed phases."""
        if isinstance(step, Say):
            text = self.fill(step.text, side)
            if first:
                yield from self.speak(text, "teach")
            else:
                yield from self.speak(text if self.talk == "full" else short_form(text), "step")
        elif isinstance(step, Breath):
            text = self.words.breath_step(step.phase, self.fill(step.text, side))
            if first:
                yield from self.speak(text, "teach")
            for number, (name, seconds) in enumerate(breath_step_phases(step.phase, self.pattern)):
                said = self.breath_words(name, full=self.talk == "full", text=text if number == 0 else None)
                if number == 0 and count:  # a rep starts on its inhale: where both do not fit, the count says it
                    said = [both(count, s) for s in said] + [count] + said
                yield from self.phase("breath", name, "step", seconds, said, tone=name if name != "hold" else None)
        elif isinstance(step, Breathe):
            yield from self.breathe(step.cycles, count)
        elif isinstance(step, Work):
            go = [both(count, self.words.go), self.words.go] if count else [self.words.go]
            if self.talk == "full" and step.text:
                go = [both(g, self.fill(step.text, side)) for g in go] + go
            yield from self.phase("hold", hold_label(step.seconds, None), "work", step.seconds, go,
                                  prompts=self.timed_prompts)
        elif isinstance(step, Rest):
            yield from self.rest(step.seconds, self.words.next_up(following) if following else None)
        else:
            note = self.fill(step.note, side) if step.note and (first or self.talk == "full") else None
            yield from self.hold(step, None if self.talk == "minimal" else note, exercise)

    def breath_words(self, name: str, full: bool, text: str | None = None) -> list[str]:
        """What may be said on a breath phase, most wanted first: the step's own words (talk full), the
        phase's full and short words."""
        words = [text] if full and text else []
        return words + [self.words.breath_full[name], self.words.breath_short[name]]

    def breathe(self, cycles: int, count: str = "") -> Iterator[Event]:
        """N cycles of the pattern, phase by phase: words on the first cycles (all of them at talk full), tones after."""
        for cycle in range(cycles):
            spoken = cycle < SPOKEN_BREATHS or self.talk == "full"
            last = cycle == cycles - 1 and cycles > SPOKEN_BREATHS
            for number, (name, seconds) in enumerate(breath_cycle(self.pattern)):
                said: list[str] = []
                if spoken:
                    said = [self.words.breath_full[name], self.words.breath_short[name]] if cycle == 0 else [self.words.breath_short[name]]
                if number == 0 and last:
                    said = [both(self.words.last_breath, self.words.breath_short[name])] + said
                if number == 0 and cycle == 0 and count:
                    said = [both(count, s) for s in said] + said
                yield from self.phase("breath", name, "breathe", seconds, said, tone=name if name != "hold" else None)

    def hold(self, hold: Hold, note: str | None, exercise: Exercise) -> Iterator[Event]:
        length = hold_length(hold, self.options, self.pattern)
        said = hold_label(length.seconds, length.breaths)
        if note and self.duration(note) > length.seconds:  # too long to speak inside the hold: say it first
            yield from self.speak(note, "note")
            note = None
        announce = self.words.stay_for(length.breaths) if length.breaths else self.words.hold_for(length.seconds)
        yield from self.speak(announce, "announce", gap=0)
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
        self.countdown_ticks(placed, length.seconds, end)
        for phase in inner:  # a breath tone only where it fits its phase: "inhale" / "exhale" places
            if phase.text == "hold":
                continue
            tone = PLACES[phase.text]
            if self.plays(phase.text) and self.cue_lengths[tone.sound] <= phase.duration:
                self.place(placed, [(phase.start, tone.sound, tone.role)], end, kind="cue")
        yield self.event(start, length.seconds, "hold", said, "hold")
        yield from sorted(inner + placed, key=lambda e: (e.start, e.kind != "breath"))
        self.t = end
        yield from self.cue("hold-end")
        if length.seconds >= RELEASE_MIN_HOLD:
            yield from self.speak(self.fill(exercise.release, self.context.get("side")) if exercise.release  # type: ignore[arg-type]
                                else self.words.release, "release")

    def breath_phases(self, start: float, breaths: int) -> list[Event]:
        phases = []
        at = start
        for _ in range(breaths):
            for name, seconds in breath_cycle(self.pattern):
                phases.append(self.event(at, seconds, "breath", name, "hold"))
                at += seconds
        return phases

    def prompt_groups(self, start: float, end: float, length: HoldLength) -> list[list[tuple[float, str, str]]]:
        """Prompts to speak inside a hold, most important group first; each group fits whole or not at all."""
        if not length.breaths:
            return self.timed_prompts(start, end)
        groups: list[list[tuple[float, str, str]]] = []
        cycle = breath_cycle(self.pattern)
        seconds = sum(s for _, s in cycle)
        n = length.breaths
        if n > 1:
            groups.append([(start + (n - 1) * seconds, self.words.last_breath, "prompt")])
        for k in range(n - 1):
            at = start + k * seconds
            for words in (self.words.breath_full, self.words.breath_short):  # the short words where the full do not fit
                group = []
                offset = 0.0
                for name, phase in cycle:
                    group.append((at + offset, words[name], "pace"))
                    offset += phase
                fits = all(self.duration(words[name]) <= phase - PACE_CLEARANCE for name, phase in cycle)
                if fits:  # each word inside its own phase, as on any paced phase
                    groups.append(group)
        if n >= 6 and self.talk != "minimal":
            left = n // 2
            groups.append([(start + (n - left) * seconds, self.words.breaths_left(left), "prompt")])
        return groups

    def place(self, placed: list[Event], group: list[tuple[float, str, str]], end: float, kind: str = "speech") -> bool:
        """Add the group's prompts (or cue sounds) if none overlaps placed ones or runs past `end`."""
        candidates: list[Event] = []
        for at, text, role in group:
            # A countdown's numbers may follow each other closely: at slow rates one second barely holds "Three."
            clearance = COUNTDOWN_CLEARANCE if role == "countdown" else PROMPT_CLEARANCE
            length = self.duration(text) if kind == "speech" else self.cue_lengths[text]
            c = self.event(at, length, kind, text, role)  # type: ignore[arg-type]
            if c.end > end + 1e-9:
                return False
            for other in placed + candidates:
                if c.start < other.end + clearance and other.start < c.end + clearance:
                    return False
            candidates.append(c)
        placed.extend(candidates)
        return True


def step_texts(step: Step) -> list[str]:
    return [t for t in (getattr(step, "text", None), getattr(step, "note", None)) if t]
