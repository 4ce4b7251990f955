"""Fast refusals and linear cost (issue 26): an oversized routine is refused before it is parsed, naming
its size, and the largest routine accepted is read by libyaml's parser with YAML 1.2's numbers and each
node's line. No test here times anything (scripts/bench.py times `check` of the largest routine);
subprocess timeouts only catch a hang."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from voiceguide import routine as routine_module
from voiceguide.errors import RoutineError
from voiceguide.limits import MAX_INPUT_BYTES, MAX_ROUTINE_EXERCISES, MAX_YAML_VALUES
from voiceguide.routine import RoutineLoader, parse_routine

from .conftest import run_cli

HANG_GUARD = 240.0  # seconds: far above the second or so these take; only a hang reaches it


def exercises(count: int) -> str:
    """A routine of `count` one-step exercises (about 56 bytes and 8 values each)."""
    return "title: Many\nexercises:\n" + "".join(f"  - name: Exercise {i}\n    steps: [say: Lift the arm.]\n" for i in range(count))


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def a_mebibyte_of_values() -> str:
    """Just under MAX_INPUT_BYTES of one-value lines: far more values than a routine may have."""
    head = "title: Big\nexercises:\n  - name: a\n    steps:\n"
    line = "      - say: a\n"
    return head + line * ((MAX_INPUT_BYTES - len(head)) // len(line))


def test_a_mebibyte_routine_is_refused_in_one_line_naming_its_values_not_aliases(tmp_path: Path) -> None:
    path = write(tmp_path, "big.yaml", a_mebibyte_of_values())
    assert path.stat().st_size <= MAX_INPUT_BYTES  # read_input lets it through: the parser must bound it
    result = run_cli("check", str(path), timeout=HANG_GUARD)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"{path}:")
    assert f"more than {MAX_YAML_VALUES:,} values" in result.stderr
    assert "alias" not in result.stderr
    assert "Traceback" not in result.stderr


def test_too_many_values_are_refused_before_any_node_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_composing(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("composed a routine that its size refuses")

    monkeypatch.setattr(yaml, "compose", no_composing)
    with pytest.raises(RoutineError, match=f"more than {MAX_YAML_VALUES:,} values by this line"):
        parse_routine(a_mebibyte_of_values(), "big.yaml")


def test_text_past_the_input_limit_is_refused_before_it_is_read_as_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parsing(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("parsed a routine that its size refuses")

    monkeypatch.setattr(yaml, "parse", no_parsing)
    monkeypatch.setattr(yaml, "compose", no_parsing)
    text = "title: t\ndescription: " + "a" * MAX_INPUT_BYTES + "\nexercises: []\n"
    with pytest.raises(RoutineError, match="larger than 1 MiB"):
        parse_routine(text, "huge.yaml")


@pytest.mark.slow  # 10,000 exercises read twice
def test_the_largest_routine_is_accepted_and_one_more_exercise_is_refused_at_its_line(tmp_path: Path) -> None:
    largest = write(tmp_path, "largest.yaml", exercises(MAX_ROUTINE_EXERCISES))
    result = run_cli("check", str(largest), timeout=HANG_GUARD)
    assert result.returncode == 0, result.stderr
    assert f"{MAX_ROUTINE_EXERCISES} exercises" in result.stdout

    larger = write(tmp_path, "larger.yaml", exercises(MAX_ROUTINE_EXERCISES + 1))
    result = run_cli("check", str(larger), timeout=HANG_GUARD)
    assert result.returncode == 2
    line = 3 + 2 * MAX_ROUTINE_EXERCISES  # the first exercise past the limit
    assert result.stderr.strip() == (
        f"{larger}:{line}: {MAX_ROUTINE_EXERCISES + 1:,} exercises; a routine has at most {MAX_ROUTINE_EXERCISES:,}"
    )


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
def test_routines_are_composed_by_libyaml_with_yaml_1_2_numbers() -> None:
    assert issubclass(routine_module.COMPOSER, yaml.CSafeLoader)
    assert routine_module.COMPOSER.yaml_implicit_resolvers == RoutineLoader.yaml_implicit_resolvers
    text = "title: t\nsettings:\n  breath: 4:6\n  length: 20:00\n  rate: 0170\nexercises:\n  - name: a\n    steps: [hold: 30]\n"
    routine = parse_routine(text)
    assert routine.settings.breath == (4.0, 6.0)  # text, not YAML 1.1's base-60 246
    assert routine.settings.length == 1200.0
    assert routine.settings.rate == 170  # decimal, not octal
    assert routine.exercises[0].line == 7
    assert routine.exercises[0].steps[0].line == 8


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("title: t\nexercises:\n  - name: a\n    steps: [say: [b\n", 5, "YAML syntax error"),
        ("title: t\nexercises:\n  - name: \x07a\n    steps: [say: b]\n", 3, "character U+0007 is not allowed in YAML"),
        ("title: t\nexercises:\n  - name: a\n    steps: [hold: nope]\n", 4, "hold must be an amount"),
    ],
)
def test_errors_found_by_libyaml_name_the_right_line(text: str, where: int, message: str) -> None:
    with pytest.raises(RoutineError, match=re.escape(message)) as caught:
        parse_routine(text, "r.yaml")
    assert caught.value.line == where


def test_an_article_whose_session_would_be_too_large_is_refused_not_imported() -> None:
    """`import` never writes a routine `check` refuses: 200 two-sided stretches of 30 reps are too many steps."""
    from voiceguide.importer.writing import import_article

    lines = ["Big article", ""]
    for n in range(200):
        lines += [f"{n + 1}. Stretch number {n + 1}", "Lie on your back and lift your leg slowly. Hold for 20 seconds. "
                  "Repeat on the other side. Do this 30 times.", ""]
    with pytest.raises(RoutineError, match=r"^big.txt \(imported\): the session would have [\d,]+ steps .* at most 20,000$"):
        import_article("\n".join(lines), "big.txt")
