"""The round trip (issue 25, point 3): a routine's own session page, imported, gives the same routine back.

`voiceguide render ROUTINE --page` writes a page that embeds the session's timeline; `voiceguide import`
reads that timeline back. Every built-in routine comes back with its title, language, exercises,
sides, repeats, tempo, breath patterns and steps word for word; a range (a hold of 10-30 seconds,
5-8 repeats) comes back as the value the session used, which lies in it.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT
from voiceguide import api, parse_routine
from voiceguide.errors import VoiceguideError
from voiceguide.importer.writing import import_article
from voiceguide.rendering.page import page_html
from voiceguide.routine import Breath, Breathe, Exercise, Hold, Routine, Say

BUILT_INS = ["lower-back", "quick-neck", "box-breathing", "4-7-8", "nacken-kurz"]
HANG_GUARD = 600


def imported_page(name: str) -> Routine:
    page = page_html(api.plan(name, config=False), f"{name}.mp3", "mp3")
    return parse_routine(import_article(page, f"{name}.html"), f"{name}.html")


def assert_same_exercise(back: Exercise, built: Exercise, pace: tuple[float, ...] | None, pace_back: tuple[float, ...] | None):
    assert (back.name, back.about, back.setup, back.sides) == (built.name, built.about, built.setup, built.sides)
    assert (back.tempo, back.release) == (built.tempo, built.release), built.name
    assert back.repeat.low == back.repeat.high, built.name
    assert built.repeat.low <= back.repeat.low <= built.repeat.high, built.name
    if any(isinstance(s, Breathe | Breath) for s in built.steps) or any(isinstance(s, Hold) and s.unit == "breaths" for s in built.steps):
        assert (back.breath or pace_back) == (built.breath or pace), built.name
    assert [type(s) for s in back.steps] == [type(s) for s in built.steps], built.name
    for step, original in zip(back.steps, built.steps, strict=True):
        if isinstance(original, Say | Breath):
            assert step == original.__class__(**{**vars(original), "line": step.line}), built.name
        elif isinstance(original, Hold):
            assert isinstance(step, Hold)
            assert (step.unit, step.note) == (original.unit, original.note)
            assert step.amount.low == step.amount.high
            assert original.amount.low <= step.amount.low <= original.amount.high
        elif isinstance(original, Breathe):
            assert isinstance(step, Breathe)
            assert step.cycles == original.cycles


@pytest.mark.parametrize("name", BUILT_INS)
def test_a_built_in_routines_session_page_imports_to_the_same_routine(name):
    built, back = api.check(name), imported_page(name)
    assert (back.title, back.description, back.language) == (built.title, built.description, built.language)
    assert len(back.exercises) == len(built.exercises)
    for exercise_back, exercise in zip(back.exercises, built.exercises, strict=True):
        assert_same_exercise(exercise_back, exercise, built.settings.breath, back.settings.breath)


def test_a_page_that_only_looks_like_a_session_page_is_read_by_its_words():
    article = '<html><body><h1>Neck</h1><script type="application/json" id="timeline">not json</script>' \
              "<h2>1. Chin tuck</h2><p>Pull your chin straight back. Hold for 5 seconds. Repeat 10 times.</p></body></html>"
    routine = parse_routine(import_article(article, "neck.html"), "neck.html")
    assert [e.name for e in routine.exercises] == ["Chin tuck"]


@pytest.mark.slow
def test_render_page_then_import_through_the_commands_gives_the_routine_back(tmp_path):
    audio = tmp_path / "neck.mp3"
    subprocess.run([sys.executable, "-m", "voiceguide", "render", "quick-neck", "-o", str(audio), "--page"],
                   check=True, capture_output=True, timeout=HANG_GUARD)
    result = subprocess.run([sys.executable, "-m", "voiceguide", "import", str(audio.with_suffix(".html"))],
                            capture_output=True, text=True, timeout=HANG_GUARD)
    assert result.returncode == 0, result.stderr
    back, built = parse_routine(result.stdout, "neck.html"), api.check("quick-neck")
    assert [e.name for e in back.exercises] == [e.name for e in built.exercises]
    for exercise_back, exercise in zip(back.exercises, built.exercises, strict=True):
        assert_same_exercise(exercise_back, exercise, built.settings.breath, back.settings.breath)


def test_the_docs_example_article_imports_to_the_built_in_routine_written_from_it():
    """tests/articles/lower-back-spasms.txt (docs/import.md's example) is the article lower-back was written from:
    the same exercises, sides, repeats and holds come back; hip lifts' tempo was the routine author's own."""
    article = ROOT / "tests" / "articles" / "lower-back-spasms.txt"
    back = parse_routine(import_article(article.read_bytes(), article.name), article.name)
    built = api.check("lower-back")
    assert [e.name.casefold() for e in back.exercises] == [e.name.casefold() for e in built.exercises]
    for exercise_back, exercise in zip(back.exercises, built.exercises, strict=True):
        assert set(exercise_back.sides) == set(exercise.sides), exercise.name
        assert exercise_back.repeat == exercise.repeat, exercise.name
        assert exercise_back.setup, exercise.name
        if exercise.tempo is None:
            held = [s for s in exercise_back.steps if isinstance(s, Hold)]
            holds = [s for s in exercise.steps if isinstance(s, Hold)]
            assert [h.unit for h in held] == [h.unit for h in holds], exercise.name
            for hold, original in zip(held, holds, strict=True):
                assert original.amount.low <= hold.amount.low <= hold.amount.high <= original.amount.high, exercise.name
        breath_steps = [type(s) for s in exercise.steps if isinstance(s, Breath)]
        assert [type(s) for s in exercise_back.steps if isinstance(s, Breath)] == breath_steps, exercise.name


COUNTED = {  # sets, rounds, tempos and sides together: each comes back as written, so the session is the same
    "sets-alone": "title: S\nexercises:\n  - name: Pose\n    sets: 3\n    steps:\n      - say: Lift.\n      - hold: 5 seconds\n",
    "tempo-sides-sets": (
        "title: T\nexercises:\n  - name: Squats\n    sides: [right, left]\n    tempo: 2-1-2\n    sets: 2\n"
        "    rest_between_sets: 10 seconds\n    repeat: 3\n    steps:\n      - say: Lower on your {side} leg.\n"
    ),
    "tempo-sets": "title: U\nexercises:\n  - name: Pose\n    tempo: 3\n    repeat: 4\n    sets: 2\n    steps:\n      - say: Lift.\n",
    "rounds-sets": (
        "title: V\nexercises:\n  - name: Jacks\n    rounds: 3\n    sets: 2\n    rest_between_sets: 45\n    steps:\n"
        "      - work: 30 seconds\n        say: Jump.\n      - rest: 15 seconds\n"
    ),
}


def heard(plan) -> list[tuple]:
    return [(e.kind, round(e.start, 3), round(e.duration, 3), e.text, e.role, e.side, e.rep) for e in plan.events]


@pytest.mark.parametrize("name", sorted(COUNTED))
def test_a_session_page_with_sets_rounds_and_tempos_imports_to_the_same_session(name, tmp_path):
    source = tmp_path / f"{name}.yaml"
    source.write_text(COUNTED[name])
    plan = api.plan(source, config=False, voice="en-us")
    back = tmp_path / "back.yaml"
    back.write_text(import_article(page_html(plan, f"{name}.mp3", "mp3"), f"{name}.html"))
    assert heard(api.plan(back, config=False, voice="en-us")) == heard(plan)


@pytest.mark.parametrize(
    ("damage", "said"),
    [(('"events":[{"start":0.0,"duration"', '"events":[{"start":0.0,"durat1on"'), "no duration"),
     (('"events":[{"start":0.0', '"events":[{"start":"x"'), "start is 'x'"),
     (('"events":[{"start":0.0,"duration":2.0,"kind":"cue"', '"events":[{"start":0.0,"duration":2.0,"kind":"song"'), "kind is 'song'")],
)
def test_a_damaged_session_page_is_refused_in_one_line(damage, said):
    page = page_html(api.plan("quick-neck", config=False, voice="en-us"), "neck.mp3", "mp3")
    old, new = damage
    assert old in page
    with pytest.raises(VoiceguideError, match=f"neck.html: the session page's timeline is damaged \\(event 1: {said}\\)"):
        import_article(page.replace(old, new, 1), "neck.html")


def test_a_side_that_starts_a_sentence_is_said_with_a_capital_and_comes_back_as_side(tmp_path):
    source = tmp_path / "circles.yaml"
    source.write_text(
        "title: C\nexercises:\n  - name: Arm circles\n    sides: [clockwise, anticlockwise]\n    steps:\n"
        '      - say: "{side}: circle the arm. Then {side} again."\n'
    )
    plan = api.plan(source, config=False, voice="en-us")
    said = [e.text for e in plan.speech() if "circle the arm" in e.text]
    assert said == ["Clockwise: circle the arm. Then clockwise again.", "Anticlockwise: circle the arm. Then anticlockwise again."]
    back = parse_routine(import_article(page_html(plan, "c.mp3", "mp3"), "c.html"), "c.html")
    assert back.exercises[0].steps[0].text == "{side}: circle the arm. Then {side} again."
