"""Reps without a tempo are taught once, then counted (issue 28): the instruction is not said on every rep.
talk full says it again every few reps, normal only on the first rep after a side switch or a set's rest,
minimal never; every counted rep takes the time the taught one took to say it."""

from __future__ import annotations

import itertools

import pytest

from voiceguide.compiler import SENTENCE_GAP, compile_timeline
from voiceguide.compiler.steps import REMIND_EVERY
from voiceguide.options import options_for
from voiceguide.routine import parse_routine
from voiceguide.timeline import Timeline

from .test_timing import ENGINES, no_speech_overlaps, voice

pytestmark = pytest.mark.espeak

ONE_CLAUSE = "Lift both arms slowly above your head."
TWO_CLAUSES = "Squeeze your glutes, and lift your hips off the floor."
LIFTS = f"title: t\nexercises:\n  - name: Lifts\n    repeat: 21\n    steps:\n      - say: {ONE_CLAUSE}\n"


def compiled(text: str, engine: str = "espeak", rate: int = 150, **choices: object) -> Timeline:
    routine = parse_routine(text)
    return compile_timeline(routine, options_for(routine, rate=rate, **choices), voice(rate, engine).duration)


def told(timeline: Timeline, *texts: str) -> list[str]:
    return [e.text for e in timeline.speech() if e.text in texts]


@pytest.mark.parametrize("engine", ENGINES)
def test_twenty_one_reps_say_their_instruction_once_at_normal_and_minimal(engine: str) -> None:
    said = {talk: told(compiled(LIFTS, engine, talk=talk), ONE_CLAUSE) for talk in ("full", "normal", "minimal")}
    assert len(said["normal"]) == 1
    assert len(said["minimal"]) == 1
    assert len(said["full"]) == len(range(1, 22, REMIND_EVERY))  # reps 1, 4, 7, ... 19
    normal = compiled(LIFTS, engine)
    counts = [e.text for e in normal.speech() if e.role == "count"]
    assert counts[:3] == ["One.", "Two.", "Three."]  # counted instead
    assert counts[-1] == "Last one."
    assert len(counts) == 21


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("talk", ["full", "normal", "minimal"])
def test_each_counted_rep_takes_the_time_its_teaching_took(engine: str, talk: str) -> None:
    timeline = compiled(LIFTS, engine, talk=talk)
    speech = voice(150, engine)
    taught = next(e for e in timeline.speech() if e.text == ONE_CLAUSE)
    reps = [e for e in timeline.events if e.kind == "move"]
    assert len(reps) == 20  # reps 2 to 21, each the instruction's movement in the time it took to say
    assert {round(e.duration, 6) for e in reps} == {round(speech.duration(ONE_CLAUSE) + SENTENCE_GAP, 6)}
    assert taught.start + taught.duration + SENTENCE_GAP == pytest.approx(min(e.start for e in reps) - 0.3 - speech.duration("Two."))
    for rep in reps:  # a reminder inside a rep starts with it and ends inside it
        inside = [e for e in timeline.speech() if rep.start <= e.start < rep.end]
        assert all(e.start == rep.start and e.end <= rep.end for e in inside)
    no_speech_overlaps(timeline)


SIDES_AND_SETS = (
    "title: t\nexercises:\n  - name: Bridge\n    sides: [left, right]\n    sets: 2\n    repeat: 8\n    steps:\n"
    f"      - say: {TWO_CLAUSES}\n      - hold: 2 seconds\n      - say: Lower down.\n"
)


def test_normal_reminds_only_after_a_side_switch_or_a_rest_and_minimal_never() -> None:
    timeline = compiled(SIDES_AND_SETS)
    said = timeline.speech()
    assert told(timeline, TWO_CLAUSES) == [TWO_CLAUSES]  # taught once
    reminders = [e for e in said if e.text == "Squeeze your glutes."]  # then its first clause as the reminder
    assert [(e.side, e.rep) for e in reminders] == [("left", 1), ("right", 1), ("right", 1)]  # after left's rest, the switch, right's rest
    for reminder in reminders:  # each right after the rep's count, which follows a set's rest or the side switch
        count, before = [e for e in said if e.end <= reminder.start][-1:-3:-1]
        assert count.text == "One."
        assert before.text in ("Last set.", "Now switch to the right side."), before
    assert told(timeline, "Lower down.") == ["Lower down."] * 4  # said in full (it is one short clause) with its reminder
    minimal = compiled(SIDES_AND_SETS, talk="minimal")
    assert told(minimal, TWO_CLAUSES, "Squeeze your glutes.") == ["Squeeze your glutes."]
    assert told(minimal, "Lower down.") == ["Lower down."]


def test_a_side_whose_words_name_it_is_taught_again() -> None:
    text = SIDES_AND_SETS.replace("Lower down.", "Lower your {side} hip.")
    timeline = compiled(text)
    taught = [(e.side, e.text) for e in timeline.speech() if e.role == "teach"]
    assert taught == [("left", TWO_CLAUSES), ("left", "Lower your left hip."), ("right", TWO_CLAUSES), ("right", "Lower your right hip.")]


def test_counted_reps_keep_the_session_s_time_at_every_talk_level() -> None:
    """Talking less never makes the reps faster than they were taught: minimal's reps are paced by what it said."""
    lengths = {talk: compiled(LIFTS, talk=talk).total for talk in ("full", "normal", "minimal")}
    assert lengths["full"] == pytest.approx(lengths["normal"])  # the reminders ride inside the reps' time
    assert lengths["minimal"] <= lengths["normal"]  # no intro, and its shorter first clause sets the pace
    reps = [e for e in compiled(LIFTS).events if e.kind == "move"]
    for a, b in itertools.pairwise(reps):
        assert b.start > a.end  # each rep's count is said between them
