"""The session's walk through the routine: the opening, each exercise (heading and setup, then its
sides, sets and reps or rounds), the rests between exercises and between sets, the closing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from voiceguide.compiler.cursor import Context, Cursor
from voiceguide.compiler.rules import SET_REST, SETTLE, rep_count, step_texts
from voiceguide.compiler.steps import counted_rep, lesson, paced_rep, telling
from voiceguide.compiler.timed import timed_rest
from voiceguide.routine import Exercise, Hold, Routine, Say
from voiceguide.timeline import Event


def session_events(cursor: Cursor, routine: Routine) -> Iterator[Event]:
    yield from opening(cursor, routine)
    count = len(routine.exercises)
    for index, exercise in enumerate(routine.exercises, start=1):
        cursor.context = Context(exercise.name, index)
        following = routine.exercises[index].name if index < count else None
        yield from exercise_events(cursor, Walk.of(cursor, exercise, index, following), count)
        if index < count:
            yield from cursor.quiet(cursor.options.rest if exercise.rest is None else exercise.rest, "rest")
    yield from closing(cursor, routine)


def opening(cursor: Cursor, routine: Routine) -> Iterator[Event]:
    yield from cursor.cue("session-start")
    yield from cursor.speak(routine.title, "title")
    if routine.description and cursor.talk != "minimal":
        yield from cursor.speak(routine.description, "intro")


def closing(cursor: Cursor, routine: Routine) -> Iterator[Event]:
    cursor.context = Context()
    yield from cursor.speak(routine.closing or cursor.words.closing, "closing")
    yield from cursor.cue("session-end", gap=0)


# --- an exercise: its sides, sets and reps ---------------------------------------------


@dataclass(frozen=True)
class Walk:
    """An exercise as the session walks it, worked out once before its first word."""

    exercise: Exercise
    index: int  # 1-based
    reps: int
    sides: tuple[str | None, ...]  # (None,) for an exercise without sides
    paced: bool  # made only of timed phases (or on a tempo): taught first, then rep after rep on the clock
    names_side: bool  # its words say {side}: each side is taught, not only the first
    following: str | None  # the next exercise's name, said in the exercise's last rest

    @classmethod
    def of(cls, cursor: Cursor, exercise: Exercise, index: int, following: str | None) -> Walk:
        return cls(
            exercise=exercise,
            index=index,
            reps=rep_count(exercise.repeat, cursor.options),
            sides=exercise.sides or (None,),
            paced=exercise.tempo is not None or not any(isinstance(s, (Say, Hold)) for s in exercise.steps),
            names_side=any("{side}" in text for step in exercise.steps for text in step_texts(step)),
            following=following,
        )

    @property
    def base(self) -> Context:
        """The exercise's own context, before any side."""
        return Context(self.exercise.name, self.index)

    def ends_on(self, side_number: int, set_number: int, rep: int) -> bool:
        """Whether this rep is the exercise's last."""
        return side_number == len(self.sides) - 1 and set_number == self.exercise.sets and rep == self.reps


def exercise_events(cursor: Cursor, walk: Walk, count: int) -> Iterator[Event]:
    cursor.pattern = walk.exercise.breath or cursor.options.breath
    yield from introduce(cursor, walk, count)
    for side_number, side in enumerate(walk.sides):
        cursor.context = replace(walk.base, side=side)
        if side is not None:
            yield from announce_side(cursor, walk, side_number, side)
        teaches = side_number == 0 or walk.names_side  # the side's words are new to the user
        for set_number in range(1, walk.exercise.sets + 1):
            yield from set_events(cursor, walk, side_number, set_number, teaches)
        cursor.context = replace(walk.base, side=side)  # the bell ends no one rep
    yield from cursor.cue("exercise-end")


def introduce(cursor: Cursor, walk: Walk, count: int) -> Iterator[Event]:
    """The exercise's heading, what it is about and how to set up (unless talk is minimal), then time to settle."""
    exercise = walk.exercise
    heading = cursor.words.heading(walk.index, count, exercise.name, walk.reps, exercise.rounds, exercise.sets, len(exercise.sides))
    yield from cursor.cue("exercise-start")
    yield from cursor.speak(heading, "announce")
    if cursor.talk != "minimal":
        if exercise.about:
            yield from cursor.speak(exercise.about, "intro")
        for line in exercise.setup:
            yield from cursor.speak(line, "setup")
    yield from cursor.quiet(SETTLE, "settle")


def announce_side(cursor: Cursor, walk: Walk, side_number: int, side: str) -> Iterator[Event]:
    """The first side is named; a switch to another has its sound first and time to settle after."""
    if side_number > 0:
        yield from cursor.cue("side")
    words = cursor.words
    yield from cursor.speak(words.first_side(side) if side_number == 0 else words.switch_side(side, len(walk.sides)), "side")
    if side_number > 0:
        yield from cursor.quiet(SETTLE, "settle")


def set_events(cursor: Cursor, walk: Walk, side_number: int, set_number: int, teaches: bool) -> Iterator[Event]:
    """One set on one side: the rest before it (after the first), the lesson of a paced exercise, its reps.
    teaches: this side's words are new (taught on its first rep, or in its lesson: at talk minimal, first clauses)."""
    exercise, side = walk.exercise, walk.sides[side_number]
    cursor.context = replace(walk.base, side=side)
    if set_number > 1:
        yield from between_sets(cursor, walk, set_number)
    if walk.paced and teaches and set_number == 1:
        for text in lesson(cursor, exercise, side):
            yield from cursor.speak(text, "step" if cursor.talk == "minimal" else "teach")  # as a counted rep's first clause
    for rep in range(1, walk.reps + 1):
        cursor.context = replace(walk.base, side=side, rep=rep, reps=walk.reps)
        last = walk.following if walk.ends_on(side_number, set_number, rep) else None
        if walk.paced:
            yield from paced_rep(cursor, exercise, side, rep, walk.reps, last)
        else:
            told = telling(cursor.talk, teaches, set_number, rep)
            yield from counted_rep(cursor, exercise, side, rep, walk.reps, told, last)


def between_sets(cursor: Cursor, walk: Walk, set_number: int) -> Iterator[Event]:
    """A timed rest saying which set is next; a counted exercise says the set's count as it starts."""
    exercise = walk.exercise
    rest = SET_REST if exercise.set_rest is None else exercise.set_rest
    yield from timed_rest(cursor, rest, cursor.words.next_set(set_number, exercise.sets))
    if not walk.paced:
        yield from cursor.speak(cursor.words.set_count(set_number, exercise.sets), "count", gap=0.3)
