"""Counts on a tempo are never silent for a set (issue 29): each rep's first beat says its count in the
longest form that fits ("Two of ten.", then "Two."), or ticks where even the shortest does not fit."""

from __future__ import annotations

import pytest

from voiceguide.compiler import compile_timeline
from voiceguide.options import options_for
from voiceguide.routine import parse_routine
from voiceguide.speech.engine import Speech
from voiceguide.timeline import Event, Timeline
from voiceguide.wording import Wording

pytestmark = pytest.mark.espeak

REPS = 10


def squats(tempo: str, language: str = "en") -> str:
    return (
        f"title: t\nlanguage: {language}\nexercises:\n  - name: Squats\n    repeat: {REPS}\n    tempo: {tempo}\n"
        "    steps:\n      - say: Bend your knees and stand up again.\n"
    )


VOICES: dict[tuple[int, str, str], Speech] = {}


def compiled(text: str, rate: int, engine: str, **choices: object) -> Timeline:
    routine = parse_routine(text)
    options = options_for(routine, rate=rate, **choices)
    language = options.language or "en"
    if (rate, engine, language) not in VOICES:  # Piper's joe for English; espeak in the routine's language
        VOICES[rate, engine, language] = Speech("joe" if engine == "piper" else None, rate=rate, language=language)
    return compile_timeline(routine, options, VOICES[rate, engine, language].duration)


def first_beats(timeline: Timeline) -> list[Event]:
    """Each rep's first beat on the tempo."""
    moves = [e for e in timeline.events if e.kind == "move"]
    return [next(e for e in moves if e.rep == rep) for rep in range(1, REPS + 1)]


def heard_on(timeline: Timeline, beat: Event) -> list[Event]:
    """What starts with the beat: its spoken count or its tick."""
    return [e for e in timeline.events if e.kind in ("speech", "cue") and e.start == beat.start and e.end <= beat.end]


@pytest.mark.parametrize(
    ("language", "engine"), [("en", "espeak"), pytest.param("en", "piper", marks=pytest.mark.slow), ("de", "espeak"), ("fr", "espeak")]
)
@pytest.mark.parametrize("rate", [80, 300])
@pytest.mark.parametrize("tempo", ["1", "1-1"])
def test_every_rep_on_a_one_second_beat_is_counted_or_ticked(tempo: str, rate: int, language: str, engine: str) -> None:
    timeline = compiled(squats(tempo, language), rate, engine)
    words = Wording(language)
    counts = {rep: words.rep_count(rep, REPS, after_countdown=rep == 1) for rep in range(1, REPS + 1)}
    spoken = 0
    for rep, beat in enumerate(first_beats(timeline), start=1):
        heard = heard_on(timeline, beat)
        assert len(heard) == 1, (rep, heard)  # a count or a tick: never nothing, never both
        mark = heard[0]
        if mark.kind == "speech":
            assert mark.text in counts[rep], (rep, mark.text)
            spoken += 1
        else:
            assert (mark.text, mark.role) == ("tick", "beat")
    if rate == 300:  # at a quick rate every count is said, and in the short form the beat holds
        assert spoken == REPS
    else:  # at a slow rate the short form still says most of them
        assert spoken >= REPS // 3


def test_the_short_forms_are_what_a_slow_voice_says_on_a_one_second_beat() -> None:
    timeline = compiled(squats("1-1"), 80, "espeak")
    said = [e.text for e in timeline.speech() if e.role == "pace"]
    assert "Two of ten." not in said  # never fits a second at 80 words a minute
    assert "Go." in said  # the first rep, right after "Three. Two. One.", is not "One."
    assert "Two." in said
    assert "Back." in said  # the lowering beat's short word
    assert "And back." not in said
    assert "Ten." in said  # "Last one." is too long: the number says it


def test_the_tick_is_a_full_cue() -> None:
    """The tick is --cues full's, as the countdown's ticks are: minimal and off play no tick (and need no tick.wav)."""
    ticked = {cues: [e.rep for e in compiled(squats("1"), 80, "espeak", cues=cues).events if e.role == "beat"]
              for cues in ("full", "minimal", "off")}
    assert ticked["full"]
    assert ticked["minimal"] == ticked["off"] == []


def test_a_count_that_fits_keeps_its_long_form() -> None:
    timeline = compiled(squats("4"), 150, "espeak")
    said = [e.text for e in timeline.speech() if e.role == "pace"]
    assert said[0] == "One of ten."  # right after the lead-in's countdown
    assert said[-1] == "Last one."
    assert not [e for e in timeline.events if e.role == "beat"]
