"""The session's one answer (voiceguide.now) at every event of every built-in routine and a 40/20 circuit, and what
the live panel, the session page's table and the captions make of it: the same thing.

For each moment (each event's start, and half-way through it) the checks are those a user would notice: the
instruction in force is shown through holds and breaths, a breath step shows its own instruction, "Next:" only
in a real rest or an exercise's last ten seconds, the panel shows the phase, the instruction and "Next:" exactly
when the answer has them, and the page's table and the panel compiled as it plays answer the same.
"""

from __future__ import annotations

import dataclasses
import math
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from tests.conftest import ROOT
from voiceguide import api
from voiceguide.cli.live_panel import Fitted, render_big, render_compact
from voiceguide.live.session import Status, status_from
from voiceguide.now import NEXT_UP_WITHIN, Now, lookup, now_at, said, table
from voiceguide.phrases import Labels
from voiceguide.rendering.captions import srt
from voiceguide.timeline import Event, Timeline

CIRCUIT = ROOT / "tests" / "routines" / "circuit-40-20.yaml"
ROUTINES = [*api.builtin_order(), str(CIRCUIT)]
LOOKAHEAD = 60.0  # live play compiles this far ahead of what is heard, at least (it is usually the whole session)


@cache
def planned(routine: str) -> Timeline:
    return api.plan(routine)


@cache
def rows_of(routine: str) -> list:
    return table(planned(routine).events)


def moments_of(timeline: Timeline) -> list[float]:
    """Each event's start (a hair after, as the page's audio clock lands) and its middle."""
    return sorted({t for e in timeline.events for t in (e.start + 0.002, e.start + e.duration / 2)})


def segment_end(events: tuple[Event, ...], t: float) -> float:
    at = max(i for i, e in enumerate(events) if e.start <= t)
    return next((e.start for e in events[at + 1 :] if e.index != events[at].index), max(e.end for e in events))


def names(routine: str) -> list[str]:
    return [e.name for e in api.check(routine if routine != str(CIRCUIT) else CIRCUIT).exercises]


def left_from(t: float):
    return lambda end: end - t


def panel_text(status: Status, labels: Labels, width: int = 200) -> str:
    console = Console(width=width, record=True, height=60)
    console.print(render_big(status, labels))
    console.print(render_compact(status, labels))
    return " ".join(console.export_text().split())


@pytest.mark.parametrize(  # quick-neck in the fast tier; the long ones, and the circuit, with the slow ones
    "routine", [r if r == "quick-neck" else pytest.param(r, marks=pytest.mark.slow) for r in ROUTINES], ids=lambda r: Path(r).stem
)
def test_the_answer_holds_at_every_event_and_every_surface_shows_it(routine):
    timeline = planned(routine)
    events = timeline.events
    rows = rows_of(routine)
    labels = Labels(timeline.language)
    exercise_names = names(routine)
    for t in moments_of(timeline):
        now = now_at(events, t)
        where = f"{Path(routine).stem} at {t:.3f} s: {now}"
        # The page's table says what the function says.
        assert lookup(rows, t) == now, where
        # Live play, with only the events compiled so far, says the same (a count of breaths or sets may wait for its end).
        live = now_at([e for e in events if e.start <= t + LOOKAHEAD], t, complete=False)
        if live.breaths is None:
            live = dataclasses.replace(live, breaths=now.breaths)
        if live.sets is None:
            live = dataclasses.replace(live, set=now.set, sets=now.sets)
        assert live == now, where
        # What a user is told.
        if now.hold is not None or now.phase_kind == "breath":
            assert now.instruction, f"{where}: no instruction through a hold or a breath"
        if now.next_index is not None:
            assert now.resting or segment_end(events, t) - t <= NEXT_UP_WITHIN + 1e-6, where
        if now.resting:
            assert now.next_index is not None, where
        # The panel shows it.
        status = status_from(Status("playing", t, timeline.total, timeline.title, len(exercise_names)), now, exercise_names, left_from(t))
        text = panel_text(status, labels)
        if now.instruction:
            assert " ".join(now.instruction.split()) in text, where
        nexts = [labels("Next: {name}", name=f"{n}. {name}") for n, name in enumerate(exercise_names, 1)]
        shown = [line for line in [*nexts, labels("Next: the end of the session")] if line in text]
        assert len(shown) == (now.next_index is not None), where
        assert labels("PAUSED · space to resume") not in text, where  # PAUSED only when the user paused
        if now.phase_kind in ("breath", "move"):
            name = labels.breath(now.phase) if now.phase_kind == "breath" else labels.tempo_beat(now.phase or "")
            assert name in text, where
        if now.phase_kind == "hold":
            assert labels.hold(now.hold or "") in text, where


def test_a_breath_step_shows_its_own_instruction_through_every_cycle():
    events = planned("quick-neck").events
    teach = {e.text.split(".")[0].lower(): e.text for e in events if e.role == "teach" and e.exercise == "Seated cat-cow"}
    phases = [e for e in events if e.kind == "breath" and e.role == "step"]
    assert len(phases) >= 10
    for phase in phases:
        for t in (phase.start + 0.002, phase.end - 0.01):
            now = now_at(events, t)
            assert (now.phase, now.instruction) == (phase.text, teach[phase.text]), t


def test_next_is_shown_in_a_real_rest_and_not_between_rounds_or_sets():
    events = planned(str(CIRCUIT)).events
    rests = [e for e in events if e.kind == "rest" and e.role == "rest"]
    shown = [(e.exercise, e.rep, now_at(events, e.start + 0.5).next_index) for e in rests]
    assert ("Jumping jacks", 1, None) in shown  # round 2 follows
    assert ("Jumping jacks", 3, 2) in shown  # the last round's rest: Squats are next
    squats = [next_index for exercise, _, next_index in shown if exercise == "Squats"]
    assert squats == [None, 3]  # between the sets nothing; after the last, Side plank
    last = [e for e in rests if e.exercise == "Side plank"][-1]
    assert now_at(events, last.start + 0.5).next_index == 0  # the end of the session


def test_sets_are_counted_across_the_rest_between_them():
    events = planned(str(CIRCUIT)).events
    squats = [e for e in events if e.exercise == "Squats" and e.kind == "move"]
    between = next(e for e in events if e.exercise == "Squats" and e.kind == "rest" and e.role == "rest")
    assert (now_at(events, squats[0].start + 0.1).set, now_at(events, squats[0].start + 0.1).sets) == (1, 2)
    assert now_at(events, between.start + 1).set == 1
    assert now_at(events, squats[-1].start + 0.1).set == 2
    assert now_at(events, next(e for e in events if e.exercise == "Jumping jacks" and e.kind == "hold").start).sets is None
    status = status_from(Status("playing", 0, None, "C", 3), now_at(events, squats[-1].start + 0.1), names(str(CIRCUIT)), left_from(0))
    assert "Exercise 2 of 3: Squats, set 2 of 2, rep 5 of 5" in panel_text(status, Labels())


def test_a_work_interval_is_work_and_its_instruction_stays_on_both_sides():
    events = planned(str(CIRCUIT)).events
    works = [e for e in events if e.kind == "hold" and e.role == "work"]
    for work in works:
        now = now_at(events, work.start + work.duration / 2)
        assert now.phase == "work"
        assert (now.instruction or "").startswith(("Jump", "Lift"))
        assert math.isclose(now.hold_left(work.start + 10) or 0, work.duration - 10)


def test_the_captions_are_the_sentences_the_answer_says():
    timeline = planned("quick-neck")
    cues = said(table(timeline.events))
    assert [(s, e, text) for s, e, text in cues] == [(e.start, e.end, e.text) for e in timeline.speech()]
    assert srt(timeline).count(" --> ") == len(timeline.speech())


def test_the_panel_fits_a_small_terminal_by_giving_way_to_the_compact_one():
    timeline = planned("lower-back")
    t = next(e for e in timeline.events if e.kind == "hold").start + 5
    now = now_at(timeline.events, t)
    status = status_from(Status("paused", t, timeline.total, timeline.title, 5), now, names("lower-back"), left_from(t))
    for width, height in ((120, 40), (40, 15)):
        console = Console(width=width, height=height, record=True)
        console.print(Fitted(status, Labels()))
        lines = console.export_text().splitlines()
        assert len(lines) <= height, "\n".join(lines)
        assert all(len(line) <= width for line in lines), "\n".join(lines)
        assert lines[0].startswith("╭"), "\n".join(lines)
        assert lines[-1].startswith("╰"), "\n".join(lines)
        assert "PAUSED" in " ".join(lines)
    big = Console(width=120, height=40, record=True)
    big.print(Fitted(status, Labels()))
    assert sum("███" in line for line in big.export_text().splitlines()) >= 7  # digits at least seven rows high


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ROUTINES), st.floats(0, 1))
def test_the_page_table_answers_as_the_function_at_any_moment(routine, fraction):
    timeline = planned(routine)
    t = fraction * timeline.total
    assert lookup(rows_of(routine), t) == now_at(timeline.events, t)


def test_before_anything_nothing_is_known():
    assert now_at([], 3.0) == Now()
