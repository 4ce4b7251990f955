"""Routine scripts: YAML text -> typed, validated `Routine` data.

The parser walks PyYAML's node tree rather than loaded Python objects so that
every error can name the line of the offending node, and so that YAML 1.1
surprises (``4:6`` read as the base-60 integer 246) never reach us: scalars
are read from their raw text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal, Union

import yaml

from voiceguide.errors import RoutineError
from voiceguide.files import decode_text, read_input
from voiceguide.limits import (
    BREATH_PHASE_LIMITS,
    MAX_BREATHS,
    MAX_HOLD_SECONDS,
    MAX_REPEAT,
    MAX_REST,
    MAX_SPOKEN_CHARS,
    MAX_YAML_VALUES,
    RATE_LIMITS,
)
from voiceguide.printable import strip_controls

Pick = Literal["low", "mid", "high"]



@dataclass(frozen=True)
class Span:
    """A fixed amount or an inclusive range, as written ("10-30")."""

    low: float
    high: float

    def pick(self, choice: Pick) -> float:
        return {"low": self.low, "mid": (self.low + self.high) / 2, "high": self.high}[choice]


@dataclass(frozen=True)
class Say:
    text: str
    line: int = 0


@dataclass(frozen=True)
class Hold:
    amount: Span
    unit: Literal["seconds", "breaths"]
    note: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Breath:
    """A spoken movement followed by one inhale or exhale at the breath pace."""

    phase: Literal["inhale", "exhale"]
    text: str
    line: int = 0


Step = Union[Say, Hold, Breath]  # noqa: UP007 - a runtime alias; X | Y needs Python 3.10's types


@dataclass(frozen=True)
class Exercise:
    name: str
    steps: tuple[Step, ...]
    about: str | None = None
    setup: tuple[str, ...] = ()
    sides: tuple[str, ...] = ()
    repeat: Span = Span(1, 1)
    line: int = 0


@dataclass(frozen=True)
class Settings:
    """Per-routine defaults; command-line options override each one."""

    rate: int | None = None
    voice: str | None = None
    breath: tuple[float, float] | None = None
    rest: float | None = None
    hold: str | None = None
    reps: str | None = None
    hold_scale: float | None = None


@dataclass(frozen=True)
class Routine:
    title: str
    exercises: tuple[Exercise, ...]
    description: str | None = None
    settings: Settings = field(default_factory=Settings)
    source: str = "<routine>"


# --- loading ---------------------------------------------------------------

BUILTIN_PACKAGE = "voiceguide.routines"


def builtin_names() -> list[str]:
    """Names of the routines shipped with voiceguide."""
    folder = resources.files(BUILTIN_PACKAGE)
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_routine(ref: str | Path) -> Routine:
    """Load a routine from a built-in name or a file path."""
    ref_text = str(ref)
    path = Path(ref_text)
    if ref_text in builtin_names() and not path.exists():
        data = resources.files(BUILTIN_PACKAGE).joinpath(f"{ref_text}.yaml").read_bytes()
        return parse_routine(data, f"{ref_text} (built-in)")
    if not path.exists():
        if path.suffix or "/" in ref_text:
            raise RoutineError(ref_text, None, "no such file")
        raise RoutineError(
            ref_text, None, f"no such file or built-in routine (built-ins: {', '.join(builtin_names())})"
        )
    return parse_routine(read_input(path, "a routine file"), ref_text)


def parse_routine(data: bytes | str, source: str = "<routine>") -> Routine:
    """Parse routine YAML; raises RoutineError naming source and line."""
    text = decode_text(data, source)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise RoutineError(source, line, f"YAML syntax error: {exc.problem or exc.context}") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise RoutineError(source, line, f"character U+{code:04X} is not allowed in YAML") from None
    except yaml.YAMLError as exc:
        raise RoutineError(source, None, "YAML error: " + " ".join(str(exc).split())) from None
    except RecursionError:
        raise RoutineError(source, None, "YAML nested too deeply") from None
    if root is None:
        raise RoutineError(source, 1, "empty file: a routine needs a title and exercises")
    _check_expanded_size(root, source)
    return _Reader(source).routine(root)


def _check_expanded_size(root: yaml.Node, source: str) -> None:
    """Refuse a routine whose aliases expand past MAX_YAML_VALUES values.

    PyYAML composes an alias as a second reference to the same node, so a few KB of
    nested aliases ("billion laughs") compose at once but would expand into millions
    of steps. Counting each reference as a value costs at most MAX_YAML_VALUES visits.
    """
    count, stack = 0, [root]
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_YAML_VALUES:
            raise RoutineError(
                source, None, f"more than {MAX_YAML_VALUES:,} values once YAML aliases are expanded: not a routine"
            )
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += (key, value)


# --- node reading ----------------------------------------------------------

_NUMBER = r"\d+(?:\.\d+)?"
_SPAN = re.compile(rf"^\s*({_NUMBER})\s*(?:(?:-|–|to)\s*({_NUMBER}))?\s*([a-z]*)\s*$", re.IGNORECASE)
SIDE_PAIR = ("right", "left")  # what `sides: 2` means
_UNITS = {
    "": ("seconds", 1.0), "s": ("seconds", 1.0), "sec": ("seconds", 1.0), "secs": ("seconds", 1.0),
    "second": ("seconds", 1.0), "seconds": ("seconds", 1.0),
    "m": ("seconds", 60.0), "min": ("seconds", 60.0), "mins": ("seconds", 60.0),
    "minute": ("seconds", 60.0), "minutes": ("seconds", 60.0),
    "breath": ("breaths", 1.0), "breaths": ("breaths", 1.0),
}
PICKS = ("low", "mid", "high")  # where to pick in a range: --hold / --reps


def parse_span(text: str) -> tuple[Span, str, float] | None:
    """'10-30 seconds' -> (Span(10, 30), 'seconds', 1.0); None if not of that form."""
    match = _SPAN.match(text)
    if not match or match.group(3).lower() not in _UNITS:
        return None
    low = float(match.group(1))
    high = float(match.group(2)) if match.group(2) else low
    unit, factor = _UNITS[match.group(3).lower()]
    return Span(low, high), unit, factor


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, node: yaml.Node, message: str) -> RoutineError:
        return RoutineError(self.source, node.start_mark.line + 1, message)

    def mapping(
        self, node: yaml.Node, what: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()
    ) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping of keys ({', '.join(allowed)})")
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, f"{what}: keys must be plain words")
            key = key_node.value
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else f" (allowed: {', '.join(allowed)})"
                raise self.fail(key_node, f"unknown key '{key}' in {what}{suggestion}")
            if key in out:
                raise self.fail(key_node, f"duplicate key '{key}' in {what}")
            out[key] = value_node
        for key in required:
            if key not in out:
                raise self.fail(node, f"{what} needs '{key}'")
        return out

    def text(self, node: yaml.Node, what: str) -> str:
        """Text as it will be spoken and shown: one line, no control characters, words in it."""
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            raise self.fail(node, f"{what} must be text")
        value = " ".join(strip_controls(str(node.value)).split())
        if not value:
            raise self.fail(node, f"{what} must not be empty")
        if len(value) > MAX_SPOKEN_CHARS:
            raise self.fail(node, f"{what} is {len(value):,} characters long; at most {MAX_SPOKEN_CHARS:,} (split it into steps)")
        if not any(c.isalnum() for c in value):
            raise self.fail(node, f"{what} has no words to speak: '{value}'")
        return value

    def texts(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        if isinstance(node, yaml.ScalarNode):
            return (self.text(node, what),)
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be text or a list of texts")
        return tuple(self.text(item, what) for item in node.value)

    def number(self, node: yaml.Node, what: str, low: float, high: float) -> float:
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"{what} must be a number")
        try:
            value = float(node.value)
        except ValueError:
            raise self.fail(node, f"{what} must be a number, not '{node.value}'") from None
        if not low <= value <= high:
            raise self.fail(node, f"{what} must be between {low:g} and {high:g}, not {value:g}")
        return value

    def span(self, node: yaml.Node, what: str, unit_hint: str) -> tuple[Span, str]:
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            raise self.fail(node, f"{what} must be an amount like {unit_hint}")
        parsed = parse_span(str(node.value))
        if parsed is None:
            raise self.fail(node, f"{what} must be an amount like {unit_hint}, not '{node.value}'")
        span, unit, factor = parsed
        if span.low > span.high:
            raise self.fail(node, f"{what} range is reversed: '{node.value}' (write the smaller number first)")
        if span.low <= 0:
            raise self.fail(node, f"{what} must be more than zero, not '{node.value}'")
        return Span(span.low * factor, span.high * factor), unit

    def sides(self, node: yaml.Node) -> tuple[str, ...]:
        """`sides: 2` is both sides, right then left; otherwise the sides' names, each a word."""
        if isinstance(node, yaml.ScalarNode) and node.value.strip() == "2":
            return SIDE_PAIR
        sides = self.texts(node, "sides")
        for side in sides:
            if not any(c.isalpha() for c in side):
                raise self.fail(node, f"sides must be 2 (right then left) or side names like [left, right], not '{side}'")
        return sides

    def pick_or_number(self, node: yaml.Node, what: str, low: float, high: float) -> str:
        value = self.text(node, what)
        if value in PICKS:
            return value
        self.number(node, what, low, high)
        return value

    # -- the format --

    def routine(self, node: yaml.Node) -> Routine:
        keys = self.mapping(node, "routine", ("title", "description", "settings", "exercises"), ("title", "exercises"))
        exercises_node = keys["exercises"]
        if not isinstance(exercises_node, yaml.SequenceNode):
            raise self.fail(exercises_node, "exercises must be a list")
        if not exercises_node.value:
            raise self.fail(exercises_node, "exercises is empty: a routine needs at least one exercise")
        return Routine(
            title=self.text(keys["title"], "title"),
            description=self.text(keys["description"], "description") if "description" in keys else None,
            settings=self.settings(keys["settings"]) if "settings" in keys else Settings(),
            exercises=tuple(self.exercise(item) for item in exercises_node.value),
            source=self.source,
        )

    def settings(self, node: yaml.Node) -> Settings:
        keys = self.mapping(node, "settings", ("rate", "voice", "breath", "rest", "hold", "reps", "hold_scale"))
        values: dict[str, object] = {}
        if "rate" in keys:
            values["rate"] = int(self.number(keys["rate"], "rate (words per minute)", *RATE_LIMITS))
        if "voice" in keys:
            values["voice"] = self.text(keys["voice"], "voice")
        if "breath" in keys:
            values["breath"] = self.breath_pace(keys["breath"])
        if "rest" in keys:
            values["rest"] = self.number(keys["rest"], "rest (seconds)", 0, MAX_REST)
        if "hold" in keys:
            values["hold"] = self.pick_or_number(keys["hold"], "hold (low, mid, high or seconds)", 1, MAX_HOLD_SECONDS)
        if "reps" in keys:
            values["reps"] = self.pick_or_number(keys["reps"], "reps (low, mid, high or a count)", 1, MAX_REPEAT)
        if "hold_scale" in keys:
            values["hold_scale"] = self.number(keys["hold_scale"], "hold_scale", 0.1, 10)
        return Settings(**values)  # type: ignore[arg-type]

    def breath_pace(self, node: yaml.Node) -> tuple[float, float]:
        try:
            return parse_breath_pace(self.text(node, "breath"))
        except ValueError as exc:
            raise self.fail(node, str(exc)) from None

    def exercise(self, node: yaml.Node) -> Exercise:
        keys = self.mapping(
            node, "exercise", ("name", "about", "setup", "sides", "repeat", "steps"), ("name", "steps")
        )
        name = self.text(keys["name"], "name")
        steps_node = keys["steps"]
        if not isinstance(steps_node, yaml.SequenceNode) or not steps_node.value:
            raise self.fail(steps_node, f"steps of '{name}' must be a non-empty list")
        repeat = Span(1, 1)
        if "repeat" in keys:
            repeat, unit = self.span(keys["repeat"], "repeat", "5 or 5-8")
            if _SPAN.match(str(keys["repeat"].value))[3]:  # any unit: "1 minute" is not 60 times
                raise self.fail(keys["repeat"], f"repeat is a count of times, not '{keys['repeat'].value}' (write 5 or 5-8)")
            if unit != "seconds" or not (repeat.low.is_integer() and repeat.high.is_integer()):
                raise self.fail(keys["repeat"], f"repeat must be a whole count like 5 or 5-8, not '{keys['repeat'].value}'")
            if repeat.high > MAX_REPEAT:
                raise self.fail(keys["repeat"], f"repeat must be at most {MAX_REPEAT}")
        sides: tuple[str, ...] = ()
        if "sides" in keys:
            sides = self.sides(keys["sides"])
            if len(set(sides)) != len(sides):
                raise self.fail(keys["sides"], "sides must not repeat a side")
        steps = tuple(self.step(item) for item in steps_node.value)
        if not sides:
            for step in steps:
                if "{side}" in getattr(step, "text", "") + (getattr(step, "note", None) or ""):
                    raise self.fail(node, f"'{name}' uses {{side}} but has no sides")
        return Exercise(
            name=name,
            steps=steps,
            about=self.text(keys["about"], "about") if "about" in keys else None,
            setup=self.texts(keys["setup"], "setup") if "setup" in keys else (),
            sides=sides,
            repeat=repeat,
            line=node.start_mark.line + 1,
        )

    def step(self, node: yaml.Node) -> Step:
        keys = self.mapping(node, "step", ("say", "hold", "note", "inhale", "exhale"))
        kinds = [k for k in ("say", "hold", "inhale", "exhale") if k in keys]
        if len(kinds) != 1:
            raise self.fail(node, "a step needs exactly one of say, hold, inhale, exhale")
        kind = kinds[0]
        line = node.start_mark.line + 1
        if "note" in keys and kind != "hold":
            raise self.fail(keys["note"], "note belongs to a hold step")
        if kind == "say":
            return Say(self.text(keys["say"], "say"), line)
        if kind in ("inhale", "exhale"):
            return Breath(kind, self.text(keys[kind], kind), line)  # type: ignore[arg-type]
        span, unit = self.span(keys["hold"], "hold", "30 seconds, 10-30 seconds, 2 minutes or 6 breaths")
        if unit == "breaths":
            if not (span.low.is_integer() and span.high.is_integer()):
                raise self.fail(keys["hold"], "a breath count must be whole")
            if span.high > MAX_BREATHS:
                raise self.fail(keys["hold"], f"hold must be at most {MAX_BREATHS} breaths")
        elif span.high > MAX_HOLD_SECONDS:
            raise self.fail(keys["hold"], f"hold must be at most {MAX_HOLD_SECONDS / 60:g} minutes")
        note = self.text(keys["note"], "note") if "note" in keys else None
        return Hold(span, unit, note, line)  # type: ignore[arg-type]


def parse_breath_pace(text: str) -> tuple[float, float]:
    """'4:6' -> (4.0, 6.0); '5' -> (5.0, 5.0). Raises ValueError with a user-facing message."""
    parts = text.split(":")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(values) == 1:
        values *= 2
    if len(values) != 2:
        raise ValueError(f"breath must be IN:OUT seconds like 4:6, not '{text}'")
    low, high = BREATH_PHASE_LIMITS
    if not all(low <= v <= high for v in values):
        raise ValueError(f"breath phases must be between {low:g} and {high:g} seconds, not '{text}'")
    return values[0], values[1]
