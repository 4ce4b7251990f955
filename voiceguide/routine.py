"""Routine scripts: YAML text -> typed, validated `Routine` data.

The parser walks PyYAML's node tree rather than loaded Python objects so that
every error can name the line of the offending node, and so that YAML 1.1
surprises (``4:6`` read as the base-60 integer 246) never reach us: scalars
are read from their raw text. The tree is composed by libyaml (PyYAML's C
parser) where PyYAML has it, after a first pass over its events has bounded
the routine's size, so the largest routine accepted is read in about a second
and a larger one is refused before any node is built.
"""

from __future__ import annotations

import difflib
import gc
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal, TypeVar, Union

import yaml

from voiceguide.errors import RoutineError
from voiceguide.files import decode_text, read_input
from voiceguide.limits import (
    BREATH_PHASE_LIMITS,
    LENGTH_LIMITS,
    MAX_BREATHS,
    MAX_HOLD_SECONDS,
    MAX_INPUT_BYTES,
    MAX_REPEAT,
    MAX_REST,
    MAX_ROUTINE_EXERCISES,
    MAX_SETS,
    MAX_SPOKEN_CHARS,
    MAX_YAML_VALUES,
    MIN_HOLD_SECONDS,
    TALK_LEVELS,
    TEMPO_PHASE_LIMITS,
)
from voiceguide.option_table import SETTINGS, number_schema
from voiceguide.phrases import Phrases
from voiceguide.phrases.catalogue import SOURCE_LANGUAGE, check_language
from voiceguide.printable import strip_controls

Pick = Literal["low", "mid", "high"]
_T = TypeVar("_T")


@dataclass(frozen=True)
class Span:
    """A fixed amount or an inclusive range, as written ("10-30")."""

    low: float
    high: float

    def pick(self, choice: str) -> float:
        """low, mid, high, or a position in the range ('25%': a quarter of the way from low to high)."""
        return self.low + (self.high - self.low) * pick_position(choice)


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


@dataclass(frozen=True)
class Breathe:
    """N whole cycles of the breath pattern, paced by phase words, then tones."""

    cycles: int
    line: int = 0


@dataclass(frozen=True)
class Work:
    """A work interval: exactly `seconds` long, starting on its "Go."."""

    seconds: float
    text: str | None = None  # what to do, taught before the first round
    line: int = 0


@dataclass(frozen=True)
class Rest:
    """A timed rest inside an exercise: exactly `seconds` long, starting on its "Rest."."""

    seconds: float
    line: int = 0


Step = Union[Say, Hold, Breath, Breathe, Work, Rest]  # noqa: UP007 - a runtime alias; X | Y needs Python 3.10's types


@dataclass(frozen=True)
class Exercise:
    name: str
    steps: tuple[Step, ...]
    about: str | None = None
    setup: tuple[str, ...] = ()
    sides: tuple[str, ...] = ()
    repeat: Span = Span(1, 1)
    rounds: bool = False  # the repeats are rounds of an interval ("Round two."), not reps
    tempo: tuple[float, ...] | None = None  # seconds per rep phase: (rep,) or (up, down), (up, hold, down), ...
    sets: int = 1
    set_rest: float | None = None  # rest_between_sets: None = the built-in default
    breath: tuple[float, ...] | None = None  # this exercise's breath pattern, over the session's
    rest: float | None = None  # quiet after this exercise, over the session's
    release: str | None = None  # said as long holds end, instead of "And release."
    line: int = 0


@dataclass(frozen=True)
class Settings:
    """Per-routine defaults; command-line options override each one."""

    rate: int | None = None
    voice: str | None = None
    breath: tuple[float, ...] | None = None
    rest: float | None = None
    hold: str | None = None
    reps: str | None = None
    hold_scale: float | None = None
    length: float | None = None  # seconds the session should last (fitted: voiceguide.fitting)
    talk: str | None = None  # one of TALK_LEVELS
    lead_in: float | None = None  # "get ready" seconds before the first paced phase


@dataclass(frozen=True)
class Routine:
    title: str
    exercises: tuple[Exercise, ...]
    description: str | None = None
    settings: Settings = field(default_factory=Settings)
    source: str = "<routine>"
    language: str | None = None  # BCP 47 tag of the routine's text: its phrases and, by default, its voice
    closing: str | None = None  # the session's last words, said instead of the catalogue's "That is the end ..."


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


class RoutineLoader(yaml.SafeLoader):
    """YAML as editors read it (YAML 1.2's numbers): `breath: 4:6` and `length: 20:00` are text,
    not YAML 1.1's base-60 integers 246 and 1200; 017 is seventeen, not octal."""


RoutineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
RoutineLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
RoutineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+.0123456789"),
)


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    return int(loader.construct_scalar(node))


RoutineLoader.add_constructor("tag:yaml.org,2002:int", _decimal)


if yaml.__with_libyaml__:

    class FastRoutineLoader(yaml.CSafeLoader):
        """RoutineLoader's YAML 1.2 numbers on libyaml's parser (C, as PyYAML ships it): a routine of 10,000
        exercises composes in a fraction of a second instead of seconds, with each node's line kept in its mark."""

    FastRoutineLoader.yaml_implicit_resolvers = {
        first: list(resolvers) for first, resolvers in RoutineLoader.yaml_implicit_resolvers.items()
    }
    FastRoutineLoader.add_constructor("tag:yaml.org,2002:int", _decimal)
    COMPOSER: type = FastRoutineLoader
else:  # a PyYAML built without libyaml: the same routines, read in pure Python (slower, same bounds)
    COMPOSER = RoutineLoader


def parse_routine(data: bytes | str, source: str = "<routine>") -> Routine:
    """Parse routine YAML; raises RoutineError naming source and line."""
    root = compose_bounded(data, source, "a routine")
    if root is None:
        raise RoutineError(source, 1, "empty file: a routine needs a title and exercises")
    return _Reader(source).routine(root)


def compose_bounded(data: bytes | str, source: str, what: str) -> yaml.Node | None:
    """The YAML node tree of a routine or a programme (`what`, for the messages); None for an empty file.
    Raises RoutineError naming source and line.

    Bounded before any node is built: at most MAX_INPUT_BYTES of text and MAX_YAML_VALUES values
    (counted on libyaml's event stream, stopping at the limit), so an oversized file is refused
    in well under a second, naming its size; aliases are counted once expanded after composing."""
    text = decode_text(data, source)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_INPUT_BYTES:
        raise RoutineError(
            source, None, f"is {size / 2**20:.1f} MiB, larger than {MAX_INPUT_BYTES // 2**20} MiB, the limit for {what}"
        )
    try:
        _count_values(text, source)
        gc_was_on = gc.isenabled()
        gc.disable()  # a node tree has no cycles to find: collecting while it grows only costs time
        try:
            root = yaml.compose(text, Loader=COMPOSER)
        finally:
            if gc_was_on:
                gc.enable()
    except yaml.reader.ReaderError:
        raise _reader_error(text, source) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise RoutineError(source, line, f"YAML syntax error: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise RoutineError(source, None, "YAML error: " + " ".join(str(exc).split())) from None
    except RecursionError:
        raise RoutineError(source, None, "YAML nested too deeply") from None
    if root is not None:
        _check_expanded_size(root, source)
    return root


_VALUE_EVENTS = (yaml.ScalarEvent, yaml.AliasEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)


def _count_values(text: str, source: str) -> None:
    """Refuse a routine of more than MAX_YAML_VALUES values as written, reading only libyaml's events
    (no nodes) and stopping at the limit: the work of refusing is bounded by the limit, not the file."""
    count = 0
    for event in yaml.parse(text, Loader=COMPOSER):
        if isinstance(event, _VALUE_EVENTS):
            count += 1
            if count > MAX_YAML_VALUES:
                raise RoutineError(
                    source, event.start_mark.line + 1 if event.start_mark else None,
                    f"more than {MAX_YAML_VALUES:,} values by this line: too large for a routine "
                    f"(the largest accepted has {MAX_ROUTINE_EXERCISES:,} one-step exercises)",
                )


def _reader_error(text: str, source: str) -> RoutineError:
    """The first character YAML refuses, by line: libyaml reports a byte offset and no character, so the
    pure-Python reader (a regular expression over the text) finds it again."""
    try:
        yaml.reader.Reader(text)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return RoutineError(source, line, f"character U+{code:04X} is not allowed in YAML")
    return RoutineError(source, None, "a character is not allowed in YAML")


def _check_expanded_size(root: yaml.Node, source: str) -> None:
    """Refuse a routine whose aliases expand past MAX_YAML_VALUES values.

    PyYAML composes an alias as a second reference to the same node, so a few KB of
    nested aliases ("billion laughs") compose at once but would expand into millions
    of steps. Counting each reference as a value costs at most MAX_YAML_VALUES visits.
    (_count_values has already refused a routine with that many values as written.)
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
BOTH_SIDES = ("2", "both", "true", "yes", "on")  # `sides: both` (or YAML's true) is two sides too, not one named "both"
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


class _Nodes:
    """Values read from YAML nodes: each error names the node's line."""

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
            if key == "program" and what == "routine":  # a programme file given where a routine goes
                raise self.fail(key_node, f"this is a programme, not a routine: 'voiceguide publish {self.source} -o FOLDER' "
                                          f"renders its sessions ('voiceguide plan {self.source}' shows them)")
            if key not in allowed:
                raise self.fail(key_node, f"unknown key '{key}' in {what}{_suggestion(key, allowed)}")
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
        try:
            return spoken_text(str(node.value))
        except ValueError as exc:
            raise self.fail(node, f"{what} {exc}") from None

    def texts(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        if isinstance(node, yaml.ScalarNode):
            return (self.text(node, what),)
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be text or a list of texts")
        return tuple(self.text(item, what) for item in node.value)

    def parsed(self, node: yaml.Node, what: str, parse: Callable[[str], _T]) -> _T:
        """Text read by parse, whose ValueError says what is wrong with it."""
        try:
            return parse(self.text(node, what))
        except ValueError as exc:
            raise self.fail(node, str(exc)) from None

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

    def pick_or_number(self, node: yaml.Node, what: str, low: float, high: float) -> str:
        value = self.text(node, what)
        if is_pick(value):
            return value
        self.number(node, what, low, high)
        return value

    def seconds(self, node: yaml.Node, what: str, high: float, low: float = 0.0) -> float:
        """One amount of time ('20 seconds', '1 minute', '45'), no range, no breaths."""
        span, unit = self.span(node, what, "20 seconds or 1 minute")
        if unit != "seconds" or span.low != span.high:
            raise self.fail(node, f"{what} must be one amount of time like 20 seconds, not '{node.value}'")
        if span.low > high:
            raise self.fail(node, f"{what} must be at most {say_limit(high)}")
        if span.low < low:
            raise self.fail(node, f"{what} must be at least {say_limit(low)}, not '{node.value}'")
        return span.low

    def count(self, node: yaml.Node, what: str, high: int, words: tuple[str, ...] = ()) -> int:
        """A whole count ('5'; with words, also '5 cycles')."""
        value = self.text(node, what)
        match = re.fullmatch(r"(\d+)\s*([a-z]*)", value, re.IGNORECASE)
        if not match or (match.group(2) and match.group(2).lower() not in words):
            example = f"4 or 4 {words[0]}" if words else "4"
            raise self.fail(node, f"{what} must be a whole count like {example}, not '{value}'")
        number = int(match.group(1))
        if not 1 <= number <= high:
            raise self.fail(node, f"{what} must be between 1 and {high}, not {number}")
        return number


def _suggestion(key: str, allowed: tuple[str, ...]) -> str:
    """What an unknown key may have meant, or else the keys allowed."""
    hints = closest(key, allowed)
    return f" (did you mean {' or '.join(repr(h) for h in hints)}?)" if hints else f" (allowed: {', '.join(allowed)})"


class _Reader(_Nodes):
    """The routine format: a routine, its settings, its exercises and their steps."""

    phrases: Phrases  # the routine's language's, once its language: is read

    def routine(self, node: yaml.Node) -> Routine:
        keys = self.mapping(
            node, "routine", ("title", "language", "description", "closing", "settings", "exercises"), ("title", "exercises")
        )
        exercises_node = keys["exercises"]
        if not isinstance(exercises_node, yaml.SequenceNode):
            raise self.fail(exercises_node, "exercises must be a list")
        if not exercises_node.value:
            raise self.fail(exercises_node, "exercises is empty: a routine needs at least one exercise")
        if len(exercises_node.value) > MAX_ROUTINE_EXERCISES:
            raise self.fail(
                exercises_node.value[MAX_ROUTINE_EXERCISES],
                f"{len(exercises_node.value):,} exercises; a routine has at most {MAX_ROUTINE_EXERCISES:,}",
            )
        language = self.parsed(keys["language"], "language", check_language) if "language" in keys else None
        self.phrases = Phrases(language or SOURCE_LANGUAGE)  # sides are read in the routine's language
        return Routine(
            title=self.before_sides(keys["title"], "title"),
            description=self.before_sides(keys["description"], "description") if "description" in keys else None,
            closing=self.before_sides(keys["closing"], "closing") if "closing" in keys else None,
            settings=self.settings(keys["settings"]) if "settings" in keys else Settings(),
            exercises=tuple(self.exercise(item) for item in exercises_node.value),
            source=self.source,
            language=language,
        )

    # -- settings --

    def settings(self, node: yaml.Node) -> Settings:
        """The routine's settings: option_table.SETTINGS's keys, each as its JSON Schema allows (no more, no less)."""
        keys = self.mapping(node, "settings", tuple(SETTINGS))
        return Settings(**{key: self.setting(key, value) for key, value in keys.items()})  # type: ignore[arg-type]

    def setting(self, key: str, node: yaml.Node) -> object:
        value = _value(node)
        if key == "voice":
            return self.setting_format(node, key, value, "voiceguide-text", "text")
        if key == "talk":
            if value not in TALK_LEVELS:
                raise self.fail(node, f"talk must be full, normal or minimal, not '{node.value}'")
            return value
        if key in ("hold", "reps"):  # text picks where in a range; a number fixes the amount
            if isinstance(value, str):
                return self.setting_format(node, key, value, "voiceguide-pick", "low, mid, high or a position like 40%")
            return f"{self.setting_number(node, key, value):g}"
        if key in ("breath", "length") and isinstance(value, str):
            return self.setting_format(node, key, value, f"voiceguide-{key}", "text")
        number = self.setting_number(node, key, value)
        if key == "breath":
            return parse_breath_pace(f"{number:g}")
        if key == "length":
            return parse_length(f"{number:g}m")
        return int(number) if key == "rate" else number

    def setting_number(self, node: yaml.Node, key: str, value: object) -> float:
        """A setting's number, within its schema's minimum and maximum (and whole where it says integer)."""
        schema = number_schema(key)
        low, high, unit = schema["minimum"], schema["maximum"], schema["description"]
        whole = schema["type"] == "integer"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(node, f"{key} must be a {'whole ' if whole else ''}number of {unit}, not '{node.value}'")
        if not low <= value <= high or (whole and not float(value).is_integer()):
            kind = "a whole number" if whole else "a number"
            raise self.fail(node, f"{key} must be {kind} from {low:g} to {high:g} ({unit}), not {value:g}")
        return float(value)

    def setting_format(self, node: yaml.Node, key: str, value: object, form: str, kind: str) -> object:
        """A text setting read by its format's function (SETTING_FORMATS), whose ValueError says what is wrong."""
        if not isinstance(value, str):
            raise self.fail(node, f"{key} must be {kind}, not '{node.value}'")
        try:
            return SETTING_FORMATS[form](value)
        except ValueError as exc:
            raise self.fail(node, f"{key}: {exc}") from None

    def breath_pace(self, node: yaml.Node) -> tuple[float, ...]:
        return self.parsed(node, "breath", parse_breath_pace)

    # -- exercises --

    def exercise(self, node: yaml.Node) -> Exercise:
        keys = self.mapping(node, "exercise", EXERCISE_KEYS, ("name", "steps"))
        name = self.before_sides(keys["name"], "name")
        steps_node = keys["steps"]
        if not isinstance(steps_node, yaml.SequenceNode) or not steps_node.value:
            raise self.fail(steps_node, f"steps of '{name}' must be a non-empty list")
        repeat = self.repeat(keys)
        sides = self.sides(keys["sides"]) if "sides" in keys else ()
        steps = tuple(self.step(item, bool(sides)) for item in steps_node.value)
        tempo = self.parsed(keys["tempo"], "tempo", parse_tempo) if "tempo" in keys else None
        if tempo is not None:
            self.check_taught(steps_node, steps)
        if "rest_between_sets" in keys and "sets" not in keys:
            raise self.fail(keys["rest_between_sets"], "rest_between_sets needs sets")
        release = self.text(keys["release"], "release") if "release" in keys else None
        if release:
            self.placeholders(keys["release"], release, bool(sides))
            if not any(isinstance(step, Hold) for step in steps):  # it would never be said
                raise self.fail(keys["release"], "release is said as a hold ends: this exercise has no hold step")
        if "rounds" in keys and not any(isinstance(step, Work) for step in steps):
            raise self.fail(keys["rounds"], "rounds are of a work interval (a work: step); for repetitions, write repeat")
        return Exercise(
            name=name,
            steps=steps,
            about=self.before_sides(keys["about"], "about") if "about" in keys else None,
            setup=self.setup(keys["setup"]) if "setup" in keys else (),
            sides=sides,
            repeat=repeat,
            rounds="rounds" in keys,
            tempo=tempo,
            sets=self.count(keys["sets"], "sets", MAX_SETS) if "sets" in keys else 1,
            set_rest=self.seconds(keys["rest_between_sets"], "rest_between_sets", MAX_REST)
            if "rest_between_sets" in keys else None,
            breath=self.breath_pace(keys["breath"]) if "breath" in keys else None,
            rest=self.seconds(keys["rest"], "rest", MAX_REST) if "rest" in keys else None,
            release=release,
            line=node.start_mark.line + 1,
        )

    def repeat(self, keys: dict[str, yaml.Node]) -> Span:
        """How many times an exercise is done: its repeat (reps) or its rounds (intervals), a whole count or range."""
        if "repeat" in keys and "rounds" in keys:
            raise self.fail(keys["rounds"], "give repeat (reps) or rounds (intervals), not both")
        counted = keys.get("repeat") or keys.get("rounds")
        if counted is None:
            return Span(1, 1)
        what = "repeat" if "repeat" in keys else "rounds"
        repeat, unit = self.span(counted, what, "5 or 5-8")
        if (written := _SPAN.match(str(counted.value))) is not None and written[3]:  # any unit: "1 minute" is not 60 times
            raise self.fail(counted, f"{what} is a count of times, not '{counted.value}' (write 5 or 5-8)")
        if unit != "seconds" or not (repeat.low.is_integer() and repeat.high.is_integer()):
            raise self.fail(counted, f"{what} must be a whole count like 5 or 5-8, not '{counted.value}'")
        if repeat.high > MAX_REPEAT:
            raise self.fail(counted, f"{what} must be at most {MAX_REPEAT}")
        return repeat

    def sides(self, node: yaml.Node) -> tuple[str, ...]:
        """`sides: 2` (or `both`) is both sides, right then left; otherwise the sides' names, each a word, none twice. Left and
        right may be written in any catalogue's words and inflection ('linke Seite', 'lado izquierdo'); a name
        that says left or right in a form no catalogue has ('linker Arm') is an error, not a side of its own."""
        written = node.value.strip().lower() if isinstance(node, yaml.ScalarNode) else None
        if written in BOTH_SIDES:
            return SIDE_PAIR
        if written in ("false", "no", "off", "0", "1"):
            raise self.fail(node, f"sides must be 2 (right then left) or side names like [left, right], not '{node.value}'")
        sides = self.texts(node, "sides")
        for side in sides:
            if not any(c.isalpha() for c in side):
                raise self.fail(node, f"sides must be 2 (right then left) or side names like [left, right], not '{side}'")
            if self.phrases.unplaced_side(side):
                raise self.fail(
                    node, f"side '{side}' names left or right in a form voiceguide cannot place: write it as "
                    f"{self.phrases.side_name('right')} or {self.phrases.side_name('left')} (or 2 for right then left)",
                )
        if len({self.phrases.side_key(side) or side.lower() for side in sides}) != len(sides):
            raise self.fail(node, "sides must not repeat a side")
        return sides

    def check_taught(self, steps_node: yaml.SequenceNode, steps: tuple[Step, ...]) -> None:
        """With a tempo, the reps are paced: the steps only teach the movement."""
        for item, step in zip(steps_node.value, steps, strict=True):
            if not isinstance(step, Say):
                raise self.fail(item, "with a tempo, the steps teach the movement: say steps only")

    def before_sides(self, node: yaml.Node, what: str) -> str:
        """Text said before any side is named (a title, a name, an exercise's about and setup): no placeholder
        can be filled there, so braces would be spoken literally ("open brace side close brace")."""
        text = self.text(node, what)
        for found in re.findall(r"\{[^{}]*\}", text):
            if found == "{side}":
                raise self.fail(node, f"{{side}} cannot be used in {what}: it is said before any side (use it in the steps)")
            raise self.fail(node, f"unknown placeholder {found} in {what} (braces would be spoken)")
        return text

    def setup(self, node: yaml.Node) -> tuple[str, ...]:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        texts = self.texts(node, "setup")
        for item in items:
            if isinstance(item, yaml.Node):
                self.before_sides(item, "setup")
        return texts

    def placeholders(self, node: yaml.Node, text: str, has_sides: bool) -> None:
        """{side} is the only placeholder; anything else in braces would be spoken literally."""
        for found in re.findall(r"\{[^{}]*\}", text):
            if found != "{side}":
                raise self.fail(node, f"unknown placeholder {found} (the only one is {{side}})")
            if not has_sides:
                raise self.fail(node, "{side} is used but the exercise has no sides")

    # -- steps --

    def step(self, node: yaml.Node, has_sides: bool) -> Step:
        keys = self.mapping(node, "step", (*STEP_KINDS, "note"))
        kind = self.step_kind(node, keys)
        line = node.start_mark.line + 1
        if "note" in keys and kind != "hold":
            raise self.fail(keys["note"], "note belongs to a hold step")
        for key in ("say", "note", "inhale", "exhale"):
            if key in keys:
                self.placeholders(keys[key], self.text(keys[key], key), has_sides)
        if kind == "say":
            return Say(self.text(keys["say"], "say"), line)
        if kind in ("inhale", "exhale"):
            return Breath(kind, self.text(keys[kind], kind), line)  # type: ignore[arg-type]
        if kind == "breathe":
            return Breathe(self.count(keys["breathe"], "breathe", MAX_BREATHS, ("cycles", "cycle", "breaths", "breath")), line)
        if kind == "work":
            text = self.text(keys["say"], "say") if "say" in keys else None
            # at least a second, as a hold: its countdown and its label count whole seconds
            return Work(self.seconds(keys["work"], "work", MAX_HOLD_SECONDS, MIN_HOLD_SECONDS), text, line)
        if kind == "rest":
            return Rest(self.seconds(keys["rest"], "rest", MAX_REST), line)
        return self.hold(keys, line)

    def step_kind(self, node: yaml.Node, keys: dict[str, yaml.Node]) -> str:
        """Which of STEP_KINDS a step is: exactly one of its keys."""
        kinds = [k for k in STEP_KINDS if k in keys]
        if kinds == ["say", "work"]:  # a work interval's text
            kinds = ["work"]
        if len(kinds) != 1:
            raise self.fail(node, f"a step needs exactly one of {', '.join(STEP_KINDS)}")
        return kinds[0]

    def hold(self, keys: dict[str, yaml.Node], line: int) -> Hold:
        span, unit = self.span(keys["hold"], "hold", "30 seconds, 10-30 seconds, 2 minutes or 6 breaths")
        if unit == "breaths":
            if not (span.low.is_integer() and span.high.is_integer()):
                raise self.fail(keys["hold"], "a breath count must be whole")
            if span.high > MAX_BREATHS:
                raise self.fail(keys["hold"], f"hold must be at most {MAX_BREATHS} breaths")
        elif span.high > MAX_HOLD_SECONDS:
            raise self.fail(keys["hold"], f"hold must be at most {MAX_HOLD_SECONDS / 60:g} minutes")
        elif span.low < MIN_HOLD_SECONDS:  # holds are counted in whole seconds: less would be rounded, not held
            raise self.fail(
                keys["hold"], f"hold must be at least {MIN_HOLD_SECONDS:g} second{'' if MIN_HOLD_SECONDS == 1 else 's'} "
                f"(a hold counts whole seconds), "
                f"not '{keys['hold'].value}'",
            )
        note = self.text(keys["note"], "note") if "note" in keys else None
        return Hold(span, unit, note, line)  # type: ignore[arg-type]


def closest(word: str, choices: tuple[str, ...]) -> list[str]:
    """The allowed words nearest a misspelling: all that are equally near ('rets': 'sets' or 'rest')."""
    hints = difflib.get_close_matches(word, choices, n=3)
    best = difflib.SequenceMatcher(None, word, hints[0]).ratio() if hints else 0
    return [h for h in hints if difflib.SequenceMatcher(None, word, h).ratio() == best]


EXERCISE_KEYS = (
    "name", "about", "setup", "sides", "repeat", "rounds", "tempo", "sets", "rest_between_sets",
    "breath", "rest", "release", "steps",
)
STEP_KINDS = ("say", "hold", "inhale", "exhale", "breathe", "work", "rest")


def say_limit(seconds: float) -> str:
    return f"{seconds / 60:g} minutes" if seconds >= 120 else f"{seconds:g} second{'' if seconds == 1 else 's'}"


_POSITION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


def is_pick(value: object) -> bool:
    """low, mid, high or a position in a range ('25%'), as opposed to a fixed number."""
    return str(value) in PICKS or _POSITION.match(str(value)) is not None


def pick_position(choice: str) -> float:
    """Where a pick falls in a range, 0 (low) to 1 (high); raises ValueError for anything else."""
    fixed = {"low": 0.0, "mid": 0.5, "high": 1.0}.get(choice)
    if fixed is not None:
        return fixed
    match = _POSITION.match(str(choice))
    if match is None or float(match.group(1)) > 100:
        raise ValueError(f"a pick must be low, mid, high or a position from 0% to 100%, not '{choice}'")
    return float(match.group(1)) / 100


_LENGTH = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*(h|hours?|m|mins?|minutes?|s|secs?|seconds?)?|(\d+):([0-5]\d)(?::([0-5]\d))?)\s*$", re.I)


def parse_length(text: str) -> float:
    """'15m', '90s', '1h', '1.5 hours', '20:00' (m:ss), '1:20:00' (h:mm:ss), '15' (minutes) -> seconds.

    Raises ValueError with a user-facing message."""
    match = _LENGTH.match(str(text))
    if match is None:
        raise ValueError(f"length must be like 15m, 90s, 1h or 20:00, not '{text}'")
    number, unit, first, second, third = match.groups()
    if number is not None:
        scale = {"h": 3600, "m": 60, "s": 1}[(unit or "m")[0].lower()]
        seconds = float(number) * scale
    else:
        seconds = (int(first) * 3600 + int(second) * 60 + int(third)) if third else (int(first) * 60 + int(second))
    low, high = LENGTH_LIMITS
    if not low <= seconds <= high:
        raise ValueError(f"length must be between {low / 60:g} minute and {high / 3600:g} hours, not '{text}'")
    return seconds


def parse_breath_pace(text: str) -> tuple[float, ...]:
    """'4:6' -> (4.0, 6.0); '4:7:8' (in, hold, out); '4:4:4:4' (in, hold, out, hold); '5' -> (5.0, 5.0).

    Raises ValueError with a user-facing message."""
    parts = text.split(":")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(values) == 1:
        values *= 2
    if not 2 <= len(values) <= 4:
        raise ValueError(f"breath must be IN:OUT, IN:HOLD:OUT or IN:HOLD:OUT:HOLD seconds like 4:6 or 4:7:8, not '{text}'")
    low, high = BREATH_PHASE_LIMITS
    if not all(low <= v <= high for v in values):
        raise ValueError(f"breath phases must be between {low:g} and {high:g} seconds, not '{text}'")
    return tuple(values)


def parse_tempo(text: str) -> tuple[float, ...]:
    """'3' -> (3.0,) seconds a rep; '2-1-2' -> up, hold, down; up to four phases. Raises ValueError."""
    parts = re.split(r"\s*[-:]\s*", text.strip().removesuffix("seconds").removesuffix("s").strip())
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if not 1 <= len(values) <= 4:
        raise ValueError(f"tempo must be seconds per rep like 3, or phases like 2-1-2, not '{text}'")
    low, high = TEMPO_PHASE_LIMITS
    if not all(low <= v <= high for v in values):
        raise ValueError(f"tempo phases must be between {low:g} and {high:g} seconds, not '{text}'")
    return values


def spoken_text(value: str) -> str:
    """value as it will be spoken and shown: one line, no control characters; ValueError (saying what is wrong,
    after the field's name) if it is empty, too long or has no words."""
    plain = value.isascii() and value.isprintable()  # the common case: no control, escape or bidi character
    text = " ".join((value if plain else strip_controls(value)).split())
    if not text:
        raise ValueError("must not be empty")
    if len(text) > MAX_SPOKEN_CHARS:
        raise ValueError(f"is {len(text):,} characters long; at most {MAX_SPOKEN_CHARS:,} (split it into steps)")
    if not any(c.isalnum() for c in text):
        raise ValueError(f"has no words to speak: '{text}'")
    return text


def checked_pick(value: str) -> str:
    """low, mid, high or a position from 0% to 100%, as given; ValueError for anything else."""
    pick_position(value)
    return value


def _value(node: yaml.Node) -> object:
    """The node's value as yaml.safe_load gives it (what a JSON Schema validator of the routine sees)."""
    try:
        return RoutineLoader("").construct_object(node, deep=True)
    except yaml.YAMLError:
        return node  # a tag safe_load refuses: no value a setting takes


# The formats option_table's JSON Schema names, read by the parser's own functions.
SETTING_FORMATS: dict[str, Callable[[str], object]] = {
    "voiceguide-text": spoken_text,
    "voiceguide-pick": checked_pick,
    "voiceguide-breath": parse_breath_pace,
    "voiceguide-length": parse_length,
}
