"""Routine files: the documented example parses as its comments say; bad input names FILE:LINE."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voiceguide.errors import RoutineError
from voiceguide.routine import (
    Breath,
    Breathe,
    Hold,
    Say,
    Span,
    builtin_names,
    load_routine,
    parse_routine,
)

from .conftest import ROOT, cli

EXAMPLE = ROOT / "voiceguide" / "routines" / "quick-neck.yaml"


def test_readme_example_is_the_shipped_example() -> None:
    readme = (ROOT / "README.md").read_text()
    assert EXAMPLE.read_text().strip() in readme


def test_example_parses_as_its_comments_say() -> None:
    routine = load_routine(EXAMPLE)
    assert routine.title == "Quick neck release"
    assert routine.settings.rate == 150
    assert routine.settings.breath == (4.0, 6.0)  # not YAML 1.1's base-60 integer 246
    assert routine.settings.rest == 5
    rotation, catcow, resting = routine.exercises
    assert rotation.sides == ("right", "left")
    assert rotation.setup == ("Sit tall with your feet flat on the floor.",)
    assert rotation.steps[1] == Hold(Span(10, 30), "seconds", "Keep your shoulders relaxed.", rotation.steps[1].line)
    assert catcow.repeat == Span(5, 8)
    assert [type(s) for s in catcow.steps] == [Breath, Breath]
    assert [s.phase for s in catcow.steps] == ["inhale", "exhale"]
    assert isinstance(resting.steps[0], Say)
    assert resting.steps[1] == Breathe(6, resting.steps[1].line)


def test_hold_units() -> None:
    def hold(value: str) -> Hold:
        routine = parse_routine(f"title: t\nexercises:\n  - name: e\n    steps:\n      - hold: {value}\n")
        return routine.exercises[0].steps[0]

    assert hold("45").amount == Span(45, 45)
    assert hold("2 minutes").amount == Span(120, 120)
    assert hold("1-2 minutes").amount == Span(60, 120)
    assert hold("1.5 min").amount == Span(90, 90)
    assert hold("5 to 10 breaths").unit == "breaths"


def test_builtins_are_listed_and_load() -> None:
    assert {"lower-back", "quick-neck"} <= set(builtin_names())
    back = load_routine("lower-back")
    assert [e.name for e in back.exercises] == [
        "Supine twist", "Cat-cow stretch", "Child's pose", "Hip lifts", "Shoelace stretch",
    ]


def test_lower_back_keeps_every_number_of_the_article() -> None:
    twist, catcow, child, hips, shoelace = load_routine("lower-back").exercises
    assert len(twist.sides) == 2
    assert twist.steps[1].amount == Span(5, 10)
    assert twist.steps[1].unit == "breaths"
    assert catcow.repeat == Span(7, 10)
    assert {s.phase for s in catcow.steps} == {"inhale", "exhale"}
    assert child.steps[0].amount == Span(120, 240)  # "at least a few minutes"
    assert hips.repeat == Span(7, 10)
    assert hips.tempo == (2, 6, 2)  # the hold at the top is the tempo's middle
    assert len(shoelace.sides) == 2
    assert shoelace.steps[3].amount == Span(60, 120)  # "a minute or two"


BAD = {
    "yaml syntax": ("title: x\nexercises:\n  - name: [unclosed\n", 4, "YAML syntax error"),
    "unknown key": ("title: x\nexercises:\n  - name: a\n    stepz: []\n", 4, "unknown key 'stepz'"),
    "unknown step key": ("title: x\nexercises:\n  - name: a\n    steps:\n      - sya: hi\n", 5, "unknown key 'sya'"),
    "wrong type": ("title: x\nexercises:\n  - name: a\n    steps:\n      - say: [a, b]\n", 5, "say must be text"),
    "wrong type exercises": ("title: x\nexercises: lots\n", 2, "exercises must be a list"),
    "zero hold": ("title: x\nexercises:\n  - name: a\n    steps:\n      - hold: 0 seconds\n", 5, "more than zero"),
    "negative hold": ("title: x\nexercises:\n  - name: a\n    steps:\n      - hold: -5\n", 5, "hold must be an amount"),
    "absurd hold": ("title: x\nexercises:\n  - name: a\n    steps:\n      - hold: 900 minutes\n", 5, "at most 60 minutes"),
    "absurd repeat": ("title: x\nexercises:\n  - name: a\n    repeat: 5000\n    steps:\n      - say: hi\n", 4, "at most 100"),
    "reversed range": ("title: x\nexercises:\n  - name: a\n    steps:\n      - hold: 10-5 seconds\n", 5, "reversed"),
    "reversed repeat": ("title: x\nexercises:\n  - name: a\n    repeat: 8-5\n    steps:\n      - say: hi\n", 4, "reversed"),
    "no exercises": ("title: x\nexercises: []\n", 2, "at least one exercise"),
    "missing exercises": ("title: x\n", 1, "needs 'exercises'"),
    "empty file": ("", 1, "empty file"),
    "bad breath": ("title: x\nsettings:\n  breath: 4-6\nexercises:\n  - name: a\n    steps:\n      - say: hi\n", 3, "IN:OUT"),
    "absurd rate": ("title: x\nsettings:\n  rate: 5000\nexercises:\n  - name: a\n    steps:\n      - say: hi\n", 3, "rate"),
    "duplicate key": ("title: x\ntitle: y\nexercises:\n  - name: a\n    steps:\n      - say: hi\n", 2, "duplicate key"),
    "two step kinds": ("title: x\nexercises:\n  - name: a\n    steps:\n      - say: hi\n        hold: 5\n", 5, "exactly one"),
    "side without sides": ("title: x\nexercises:\n  - name: a\n    steps:\n      - say: to the {side}\n", 5, "no sides"),
    "unknown placeholder": (
        "title: x\nexercises:\n  - name: a\n    sides: [left, right]\n    steps:\n      - say: on both {sides}\n",
        6, "unknown placeholder {sides}",
    ),
    "misspelled exercise rest": ("title: x\nexercises:\n  - name: a\n    rets: 20\n    steps:\n      - say: hi\n", 4,
                                 "or 'rest'?"),
    "five breath phases": ("title: x\nsettings:\n  breath: 4:4:4:4:4\nexercises:\n  - name: a\n    steps:\n      - say: hi\n",
                           3, "IN:HOLD:OUT:HOLD"),
    "tempo with a hold": ("title: x\nexercises:\n  - name: a\n    tempo: 2-1-2\n    steps:\n      - hold: 5\n", 6,
                          "say steps only"),
    "bad tempo": ("title: x\nexercises:\n  - name: a\n    tempo: fast\n    steps:\n      - say: hi\n", 4, "tempo must be"),
    "repeat and rounds": ("title: x\nexercises:\n  - name: a\n    repeat: 3\n    rounds: 3\n    steps:\n      - work: 5\n",
                          5, "not both"),
    "work range": ("title: x\nexercises:\n  - name: a\n    steps:\n      - work: 20-40 seconds\n", 5, "one amount of time"),
    "rest in breaths": ("title: x\nexercises:\n  - name: a\n    steps:\n      - rest: 3 breaths\n", 5, "one amount of time"),
    "breathe fraction": ("title: x\nexercises:\n  - name: a\n    steps:\n      - breathe: 2.5 cycles\n", 5, "whole count"),
    "sets zero": ("title: x\nexercises:\n  - name: a\n    sets: 0\n    steps:\n      - say: hi\n", 4, "between 1 and"),
    "set rest without sets": ("title: x\nexercises:\n  - name: a\n    rest_between_sets: 30\n    steps:\n      - say: hi\n",
                              4, "needs sets"),
}


def test_every_new_key_parses_as_written() -> None:
    routine = parse_routine(textwrap.dedent("""\
        title: t
        exercises:
          - name: Squats
            sets: 3
            rest_between_sets: 1 minute
            repeat: 10
            tempo: 2-1-2
            breath: 4:7:8
            rest: 20 seconds
            steps:
              - say: Sit back as if into a chair.
          - name: Wall sit
            release: Stand up slowly.
            steps:
              - hold: 40 seconds
          - name: Intervals
            rounds: 4
            steps:
              - work: 40 seconds
                say: Run on the spot.
              - rest: 20
              - breathe: 3 breaths
    """))
    squats, wall_sit, intervals = routine.exercises
    assert (squats.sets, squats.set_rest, squats.repeat, squats.tempo) == (3, 60.0, Span(10, 10), (2.0, 1.0, 2.0))
    assert (squats.breath, squats.rest, squats.rounds, wall_sit.release) == ((4.0, 7.0, 8.0), 20.0, False, "Stand up slowly.")
    assert intervals.rounds
    assert intervals.repeat == Span(4, 4)
    work, rest, breathe = intervals.steps
    assert (work.seconds, work.text, rest.seconds, breathe.cycles) == (40.0, "Run on the spot.", 20.0, 3)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_routine_names_file_and_line(name: str, tmp_path: Path) -> None:
    text, line, message = BAD[name]
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    assert caught.value.line == line, str(caught.value)
    assert message in caught.value.message
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: x\nexercises:\n  - name: Caf\xe9\n".encode("latin-1"))
    with pytest.raises(RoutineError, match=r"latin1.yaml:3: not UTF-8"):
        load_routine(path)


def test_missing_file_and_unknown_builtin(tmp_path: Path) -> None:
    with pytest.raises(RoutineError, match="no such file"):
        load_routine(tmp_path / "nope.yaml")
    with pytest.raises(RoutineError, match=r"no such file or built-in routine \(built-ins: .*lower-back"):
        load_routine("lower-bak")
    with pytest.raises(RoutineError, match="is a directory"):
        load_routine(tmp_path)


def test_cli_bad_input_is_one_line_exit_2(tmp_path: Path) -> None:
    cases = {"reversed.yaml": BAD["reversed range"][0], "syntax.yaml": BAD["yaml syntax"][0]}
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
        for command in ("check", "plan"):
            result = cli(command, str(tmp_path / name))
            assert result.returncode == 2
            assert "Traceback" not in result.stderr
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1, result.stderr
            assert lines[0].startswith(f"{tmp_path / name}:"), result.stderr
    for ref in ("no-such-routine", str(tmp_path / "missing.yaml")):
        result = cli("plan", ref)
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_cli_check_accepts_the_example() -> None:
    result = cli("check", str(EXAMPLE))
    assert result.returncode == 0
    assert "Quick neck release" in result.stdout


VALID = textwrap.dedent(
    """\
    title: Fuzz
    settings:
      breath: 4:6
    exercises:
      - name: A
        sides: [left, right]
        repeat: 2-3
        steps:
          - say: Go {side}.
          - hold: 5-10 breaths
            note: Relax.
          - inhale: Up.
    """
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_gives_a_routine_or_a_located_error(text: str) -> None:
    try:
        parse_routine(text, "fuzz.yaml")
    except RoutineError as exc:
        error = exc
    else:
        return  # a routine
    assert str(error).startswith("fuzz.yaml")
    assert "\n" not in str(error).strip()


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutated_routines_give_a_routine_or_a_located_error(data: st.DataObject) -> None:
    """Near-valid files (the interesting ones): lines dropped, duplicated or edited."""
    lines = VALID.splitlines()
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "dup", "edit"]))
        if action == "drop":
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        else:
            cut = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:cut] + data.draw(st.text(max_size=8)) + lines[i][cut:]
        if not lines:
            break
    text = "\n".join(lines)
    try:
        parse_routine(text, "fuzz.yaml")
    except RoutineError as exc:
        error = exc
    else:
        return  # a routine
    assert str(error).startswith("fuzz.yaml")
    if error.line is not None:  # an edit may hold line breaks of its own: count the lines of the text as parsed
        assert 1 <= error.line <= len(text.splitlines()) + 1


def test_control_character_is_located() -> None:
    with pytest.raises(RoutineError, match=r"^x.yaml:2: character U\+001F is not allowed"):
        parse_routine("title: a\n\x1f", "x.yaml")


def test_a_routines_closing_words_replace_the_built_in_ones_and_the_schema_knows_them() -> None:
    import yaml

    from tests.test_commands import schema_validator
    from voiceguide import api
    from voiceguide.routine import RoutineLoader

    text = "title: T\nclosing: Rest now, and drink some water.\nexercises:\n  - name: A\n    steps:\n      - say: Breathe.\n"
    routine = parse_routine(text)
    assert routine.closing == "Rest now, and drink some water."
    said = [e for e in api.plan(routine).events if e.kind == "speech"]
    assert said[-1].text == "Rest now, and drink some water."
    assert said[-1].role == "closing"
    assert all("Well done" not in e.text for e in said)
    schema_validator().validate(yaml.load(text, Loader=RoutineLoader))
    with pytest.raises(RoutineError, match=r"^<routine>:2: unknown placeholder \{n\} in closing"):
        parse_routine(text.replace("drink some water", "drink {n} glasses"))


@pytest.mark.parametrize("written", ["2", "both", "Both", "true", "yes"])
def test_sides_both_or_true_means_right_then_left_not_one_side_named_so(written: str) -> None:
    routine = parse_routine(f"title: S\nexercises:\n  - name: A\n    sides: {written}\n    steps:\n      - say: Lift.\n")
    assert routine.exercises[0].sides == ("right", "left")


@pytest.mark.parametrize("written", ["1", "no", "false"])
def test_sides_that_say_one_or_none_are_refused_at_their_line(written: str) -> None:
    with pytest.raises(RoutineError, match=r"<routine>:4: sides must be 2 \(right then left\) or side names"):
        parse_routine(f"title: S\nexercises:\n  - name: A\n    sides: {written}\n    steps:\n      - say: Lift.\n")


def test_a_work_interval_under_a_second_is_refused_at_its_line() -> None:
    """Its countdown and its label count whole seconds: half a second was shown as 'hold 1 second' and never began."""
    with pytest.raises(RoutineError, match=r"<routine>:6: work must be at least 1 second, not '0.5 seconds'"):
        parse_routine("title: S\nexercises:\n  - name: A\n    rounds: 2\n    steps:\n      - work: 0.5 seconds\n")


@pytest.mark.parametrize(
    ("exercise", "said"),
    [("    release: Stand up.\n    steps:\n      - say: Lift.\n", "release is said as a hold ends: this exercise has no hold step"),
     ("    rounds: 3\n    steps:\n      - say: Lift.\n", "rounds are of a work interval")],
)
def test_a_key_that_would_do_nothing_is_refused_at_its_line(exercise: str, said: str) -> None:
    with pytest.raises(RoutineError, match=f"^<routine>:4: {said}"):
        parse_routine("title: S\nexercises:\n  - name: A\n" + exercise)
