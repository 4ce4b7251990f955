"""An exercise's reps and their steps: said steps (taught once, then counted), breath steps and
breathe cycles, work intervals, timed rests and holds; and a rep on a tempo, beat by beat."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from typing import Literal

from voiceguide.compiler.cursor import Cursor, Stretch
from voiceguide.compiler.holds import hold_events
from voiceguide.compiler.rules import SENTENCE_GAP, SPOKEN_BREATHS, breath_cycle, breath_step_phases, tone_marks
from voiceguide.compiler.timed import Phase, timed_phase, timed_prompts, timed_rest
from voiceguide.routine import Breath, Breathe, Exercise, Rest, Say, Step, Work
from voiceguide.timeline import Event
from voiceguide.wording import TEMPO_NAMES, both, hold_label, short_form

# --- reps -------------------------------------------------------------------------

REMIND_EVERY = 3  # talk full: a rep without a tempo says its instruction again every this many reps

Telling = Literal["teach", "remind", "count"]


def telling(talk: str, teaches: bool, set_number: int, rep: int) -> Telling:
    """How a rep without a tempo gives its said steps: taught once, then counted.
    teach: the first rep of a side whose words are new (teaches) says them (at talk minimal, their first clause);
    remind: talk full says them again every REMIND_EVERY reps, full and normal on a set's or side's first rep
    (after a rest or a side switch); count: the rep's count only, each step in the time its teaching took."""
    if teaches and set_number == 1 and rep == 1:
        return "teach"
    if talk == "minimal":
        return "count"
    if rep == 1 or (talk == "full" and (rep - 1) % REMIND_EVERY == 0):
        return "remind"
    return "count"


def counted_rep(
    cursor: Cursor, exercise: Exercise, side: str | None, rep: int, reps: int, told: Telling, following: str | None
) -> Iterator[Event]:
    """One rep of an exercise that says or holds something: its count said first, then its steps in turn.
    told: how its said steps are given; following: the next exercise's name, if this rep ends the exercise."""
    if reps > 1:
        count = cursor.words.rep_count(rep, reps, cursor.after_countdown(paced=False))[0]
        yield from cursor.speak(count, "count", gap=0.3)
    for number, step in enumerate(exercise.steps):
        after = following if number == len(exercise.steps) - 1 else None
        yield from step_events(cursor, step, side, told, exercise, after)


def paced_rep(
    cursor: Cursor, exercise: Exercise, side: str | None, rep: int, reps: int, following: str | None
) -> Iterator[Event]:
    """One rep (or round) of an exercise made only of timed phases: its count rides in its first phase."""
    words = cursor.words
    after_countdown = cursor.after_countdown(paced=True)
    count: list[str] = []
    if reps > 1:
        count = words.round_count(rep, reps) if exercise.rounds else words.rep_count(rep, reps, after_countdown)
    if exercise.tempo is not None:
        beat = count or [words.go if after_countdown else words.counted(rep)]  # the first beat: its count, heard apart
        yield from tempo_rep(cursor, exercise.tempo, beat)
        return
    for number, step in enumerate(exercise.steps):
        after = following if number == len(exercise.steps) - 1 else None
        yield from step_events(cursor, step, side, "count", exercise, after, count if number == 0 else [])


def tempo_rep(cursor: Cursor, tempo: tuple[float, ...], count: list[str]) -> Iterator[Event]:
    """A rep on a tempo: one timed phase per beat, the first saying the count (or ticking where no form of it
    fits), the others their movement."""
    names = TEMPO_NAMES[len(tempo)]
    for number, (name, seconds) in enumerate(zip(names, tempo, strict=True)):
        said, marks = (count, ("beat",)) if number == 0 else (cursor.words.tempo_words[name], ())
        yield from timed_phase(cursor, Phase("move", name, "tempo", seconds, said, marks=marks))


def lesson(cursor: Cursor, exercise: Exercise, side: str | None) -> list[str]:
    """What a paced exercise teaches before its first rep: every instruction in full, once (talk minimal: its first
    clause, as a counted exercise's first rep says it)."""
    said = short_form if cursor.talk == "minimal" else (lambda text: text)
    texts = []
    for step in exercise.steps:
        if isinstance(step, Say):
            texts.append(said(cursor.fill(step.text, side)))
        elif isinstance(step, Breath):
            texts.append(cursor.words.breath_step(step.phase, said(cursor.fill(step.text, side))))
        elif isinstance(step, Work) and step.text:
            texts.append(said(cursor.fill(step.text, side)))
    return texts


# --- steps ------------------------------------------------------------------------


def step_events(
    cursor: Cursor, step: Step, side: str | None, told: Telling, exercise: Exercise, following: str | None,
    count: Sequence[str] = (),
) -> Iterator[Event]:
    """told: how this rep gives its instructions (teach: in full, with notes).
    following: the next exercise's name, if this step ends the exercise.
    count: a rep count's forms to say with the step's cue, for steps that are timed phases."""
    first = told == "teach" and cursor.talk != "minimal"
    if isinstance(step, Say):
        yield from say_step(cursor, step, side, told)
    elif isinstance(step, Breath):
        yield from breath_step(cursor, step, side, first, count)
    elif isinstance(step, Breathe):
        yield from breathe(cursor, step.cycles, count)
    elif isinstance(step, Work):
        yield from work(cursor, step, side, count)
    elif isinstance(step, Rest):
        yield from timed_rest(cursor, step.seconds, cursor.words.next_up(following) if following else None)
    else:
        note = cursor.fill(step.note, side) if step.note and (first or cursor.talk == "full") else None
        yield from hold_events(cursor, step, None if cursor.talk == "minimal" else note, exercise.release)


def say_step(cursor: Cursor, step: Say, side: str | None, told: Telling) -> Iterator[Event]:
    """An instruction: taught (talk minimal: its first clause), then on later reps the movement alone, in
    the time its teaching took (a one-beat tempo), with the instruction again inside it when reminded."""
    text = cursor.fill(step.text, side)
    minimal = cursor.talk == "minimal"
    taught = short_form(text) if minimal else text
    if told == "teach":
        yield from cursor.speak(taught, "step" if minimal else "teach")
        return
    stretch = Stretch(cursor, cursor.duration(taught) + SENTENCE_GAP)
    if told == "remind":
        stretch.place([(stretch.start, text if cursor.talk == "full" else short_form(text), "step")])
    yield from stretch.events("move", "rep", "tempo")


def breath_step(cursor: Cursor, step: Breath, side: str | None, first: bool, count: Sequence[str]) -> Iterator[Event]:
    """A movement on one inhale or exhale: taught in full on a teaching rep, then its phases on the clock."""
    text = cursor.words.breath_step(step.phase, cursor.fill(step.text, side))
    if first:
        yield from cursor.speak(text, "teach")
    for number, (name, seconds) in enumerate(breath_step_phases(step.phase, cursor.pattern)):
        said = breath_words(cursor, name, full=cursor.talk == "full", text=text if number == 0 else None)
        marks = tone_marks(name)
        if number == 0 and count:  # a rep starts on its inhale: where both do not fit, the count says it, or a tick
            said = [both(c, s) for c in count for s in said] + [*count] + said
            marks = (*marks, "beat")
        yield from timed_phase(cursor, Phase("breath", name, "step", seconds, said, marks=marks))


def breath_words(cursor: Cursor, name: str, full: bool, text: str | None = None) -> list[str]:
    """What may be said on a breath phase, most wanted first: the step's own words (talk full), the
    phase's full and short words."""
    words = [text] if full and text else []
    return [*words, cursor.words.breath_full[name], cursor.words.breath_short[name]]


def breathe(cursor: Cursor, cycles: int, count: Sequence[str] = ()) -> Iterator[Event]:
    """N cycles of the pattern, phase by phase: words on the first cycles (all of them at talk full), tones after."""
    for cycle in range(cycles):
        for number, (name, seconds) in enumerate(breath_cycle(cursor.pattern)):
            opens = number == 0
            said = breathe_words(cursor, name, cycle, cycles, opens=opens, count=count)
            marks = (*tone_marks(name), "beat") if opens and cycle == 0 and count else tone_marks(name)
            yield from timed_phase(cursor, Phase("breath", name, "breathe", seconds, said, marks=marks))


def breathe_words(cursor: Cursor, name: str, cycle: int, cycles: int, opens: bool, count: Sequence[str]) -> list[str]:
    """What may be said on one phase of a breathe step, most wanted first.
    opens: the phase opens its cycle, where the last breath is announced and a rep's count rides."""
    full, short = cursor.words.breath_full[name], cursor.words.breath_short[name]
    said: list[str] = []
    if cycle < SPOKEN_BREATHS or cursor.talk == "full":
        said = [full, short] if cycle == 0 else [short]
    if opens and cycle == cycles - 1 and cycles > SPOKEN_BREATHS:
        said = [both(cursor.words.last_breath, short), *said]
    if opens and cycle == 0 and count:
        said = [both(c, s) for c in count for s in said] + said
    return said


def work(cursor: Cursor, step: Work, side: str | None, count: Sequence[str]) -> Iterator[Event]:
    """A work interval: "Go." (with its count, and at talk full its words) as it starts, then the prompts of a timed hold."""
    go = [*(both(c, cursor.words.go) for c in count), cursor.words.go]
    if cursor.talk == "full" and step.text:
        go = [both(g, cursor.fill(step.text, side)) for g in go] + go
    prompts = partial(timed_prompts, cursor)
    yield from timed_phase(cursor, Phase("hold", hold_label(step.seconds, None), "work", step.seconds, go, prompts=prompts))
