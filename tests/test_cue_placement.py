"""Where the compiler puts cue sounds, and that no cue ever sounds over speech (real clip and cue lengths)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from voiceguide.audio.cue_files import cue_lengths
from voiceguide.compiler import COUNTDOWN_FROM, compile_timeline
from voiceguide.numbers import number_word
from voiceguide.options import options_for
from voiceguide.routine import Routine, load_routine, parse_routine
from voiceguide.timeline import Event, Timeline
from voiceguide.wording import Wording

pytestmark = pytest.mark.espeak  # every test here synthesizes speech

ROUTINES = sorted((Path(__file__).resolve().parent.parent / "voiceguide" / "routines").glob("*.yaml"))
EPS = 1e-6
COMBOS = list(itertools.product(("full", "minimal", "off"), (True, False), (False, True), ("low", "high")))


@pytest.fixture(scope="module")
def lengths() -> dict[str, float]:
    return cue_lengths(None)


BREATH_HOLD = parse_routine(
    "title: Rest\nexercises:\n  - name: Resting breath\n    steps:\n      - say: Close your eyes.\n"
    "      - hold: 6 breaths\n"
)


def timeline(path: Path | Routine, speech, lengths, **choices) -> Timeline:
    routine = path if isinstance(path, Routine) else load_routine(path)
    return compile_timeline(routine, options_for(routine, **choices), speech.duration, lengths)


def heard(t: Timeline) -> list[Event]:
    return [e for e in t.events if e.kind in ("speech", "cue")]


def holds_with_contents(t: Timeline) -> list[tuple[Event, list[Event]]]:
    out: list[tuple[Event, list[Event]]] = []
    for e in t.events:
        if e.kind == "hold":
            out.append((e, []))
        elif out and e.start < out[-1][0].end - EPS and e.start >= out[-1][0].start:
            out[-1][1].append(e)
    return out


@pytest.mark.parametrize("path", ROUTINES, ids=lambda p: p.stem)
def test_no_cue_or_speech_overlaps_another_under_any_options(path, speech, lengths):
    for cues, tones, brief, hold in COMBOS:
        t = timeline(path, speech, lengths, cues=cues, breath_tones=tones, brief=brief, hold=hold)
        where = f"{path.stem} cues={cues} tones={tones} brief={brief} hold={hold}"
        starts = [e.start for e in t.events]
        assert starts == sorted(starts), where
        sounds = sorted(heard(t), key=lambda e: e.start)
        for a, b in itertools.pairwise(sounds):
            # Sorted by start, so any overlap shows between neighbours or with a longer earlier one.
            assert b.start >= a.end - EPS, f"{where}: {a} overlaps {b}"
        latest_end = 0.0
        for e in sounds:
            assert e.start >= latest_end - EPS, f"{where}: {e} starts under an earlier sound"
            latest_end = max(latest_end, e.end)
        if cues == "off":
            assert not [e for e in t.events if e.kind == "cue"], where


@pytest.mark.parametrize("path", ROUTINES, ids=lambda p: p.stem)
def test_cues_never_change_hold_lengths_and_chimes_frame_each_hold(path, speech, lengths):
    words = Wording(load_routine(path).language)  # the announcement in the routine's language
    for brief, hold in itertools.product((False, True), ("low", "high")):
        off = timeline(path, speech, lengths, cues="off", brief=brief, hold=hold)
        for cues in ("full", "minimal"):
            t = timeline(path, speech, lengths, cues=cues, brief=brief, hold=hold)
            holds = [e for e in t.events if e.kind == "hold"]
            assert [h.duration for h in holds] == [h.duration for h in off.events if h.kind == "hold"]
            for h in holds:
                i = t.events.index(h)
                announce, chime = t.events[i - 2], t.events[i - 1]
                breaths = int(h.text.split()[0]) if h.text.endswith("breaths") else None
                said = words.stay_for(breaths) if breaths else words.hold_for(h.duration)  # not "hold your breath"
                assert announce.text == said
                assert chime.text == "chime"
                assert chime.role == "hold-start"
                # The announcement ends, the chime says "go", the hold starts as it ends.
                assert chime.start == pytest.approx(announce.end)
                assert h.start == pytest.approx(chime.end)
                end_chime = next(e for e in t.events[i:] if e.role == "hold-end")
                assert end_chime.start == pytest.approx(h.end)
            for h, inside in holds_with_contents(t):
                assert all(e.end <= h.end + EPS for e in inside)


def test_builtin_routine_has_cues_where_a_user_expects_them(speech, lengths):
    t = timeline(ROUTINES[0].with_name("lower-back.yaml"), speech, lengths)
    cues = [e for e in t.events if e.kind == "cue"]
    # The session opens and closes with a bell.
    assert (t.events[0].text, t.events[0].role) == ("bell", "session-start")
    assert (t.events[-1].text, t.events[-1].role) == ("bell", "session-end")
    assert t.events[-1].end == t.total
    # Every exercise opens with a bell before its heading and ends with one (before the rest).
    for index in range(1, len(t.exercises) + 1):
        mine = [e for e in t.events if e.index == index and e.role != "rest"]
        assert (mine[0].text, mine[0].role) == ("bell", "exercise-start")
        assert mine[1].kind == "speech"
        assert mine[1].text.startswith(f"Exercise {number_word(index)} of")
        assert (mine[-1].text, mine[-1].role) == ("bell", "exercise-end")
    # A switch sound right before each side switch.
    for i, e in enumerate(t.events):
        if e.kind == "speech" and e.text.startswith("Now switch to the"):
            assert (t.events[i - 1].text, t.events[i - 1].role) == ("switch", "side")
    assert sum(e.text == "switch" for e in cues) == 2  # two two-sided exercises
    # Long timed holds: ticks lead into the spoken "Three. Two. One."
    for h, inside in holds_with_contents(t):
        ticks = [e for e in inside if e.text == "tick"]
        if h.duration >= 20 and "breath" not in h.text:
            assert [round(h.end - e.start, 6) for e in ticks] == [COUNTDOWN_FROM + 2, COUNTDOWN_FROM + 1]
        else:
            assert not ticks


def test_breath_tones_pace_the_breaths_the_prompts_leave_free(speech, lengths):
    path = BREATH_HOLD  # quick-neck's resting breath is a breathe step now: a breath-counted hold, written out
    t = timeline(path, speech, lengths)
    inside = next(inside for h, inside in holds_with_contents(t) if h.text == "6 breaths")
    phases = [e for e in inside if e.kind == "breath"]
    tones = [e for e in inside if e.kind == "cue"]
    spoken = [e for e in inside if e.kind == "speech"]
    assert len(phases) == 12
    assert {(e.text, e.role) for e in tones} == {("inhale", "breath"), ("exhale", "breath")}
    for phase in phases:
        tone = [e for e in tones if e.start == phase.start]
        said = [e for e in spoken if phase.start - EPS <= e.start < phase.end]
        # Each phase is marked by exactly one of: a prompt or its own tone.
        assert len(tone) + bool(said) == 1, phase
        if tone:
            assert tone[0].text == phase.text
            assert tone[0].end <= phase.end
    # The first breaths are spoken; later ones are paced by tones.
    assert [e.text for e in spoken[:4]] == ["Breathe in.", "And out.", "Breathe in.", "And out."]
    assert len(tones) >= 6
    untoned = timeline(path, speech, lengths, breath_tones=False)
    assert not [e for e in untoned.events if e.role == "breath"]
    assert [e for e in untoned.events if e.kind == "speech"] == [e for e in t.events if e.kind == "speech"]


def test_minimal_keeps_only_exercise_bells_hold_chimes_and_tones(speech, lengths):
    t = timeline(ROUTINES[0].with_name("quick-neck.yaml"), speech, lengths, cues="minimal")
    roles = {e.role for e in t.events if e.kind == "cue"}
    assert roles == {"exercise-start", "exercise-end", "hold-start", "hold-end", "breath"}


def test_breath_tones_that_do_not_fit_the_pace_are_left_out(speech, lengths):
    t = timeline(ROUTINES[0].with_name("quick-neck.yaml"), speech, lengths, breath="1:1")
    assert not [e for e in t.events if e.role == "breath"]


def test_other_cue_lengths_move_speech_rather_than_overlap(speech):
    """A user's longer sounds push the following speech later; nothing overlaps."""
    long = {"bell": 4.5, "chime": 3.0, "switch": 2.5, "tick": 0.9, "inhale": 3.5, "exhale": 5.0}
    path = ROUTINES[0].with_name("quick-neck.yaml")
    t = timeline(path, speech, long)
    sounds = sorted(heard(t), key=lambda e: e.start)
    for a, b in itertools.pairwise(sounds):
        assert b.start >= a.end - EPS, f"{a} overlaps {b}"
    assert {e.duration for e in t.events if e.text == "bell"} == {4.5}
    shipped = timeline(path, speech, None)
    assert t.total > shipped.total
