"""Programmes: YAML text -> a `Program`, sessions by week and day, every error at FILE:LINE.

A programme file is told from a routine by its top-level `program:` key (its title), where a
routine has `title:`: the content decides, not the file's name, and no routine can have that key
(an unknown key is an error in a routine), so no file is both. It is read with the routine
parser's own machinery (routine._Nodes: the YAML 1.2 loader, the size bounds, FILE:LINE errors):

    program: Four weeks for a stiff back
    description: Gentle to start, longer holds as the back settles.
    weeks: 4
    start: 2025-03-03          # optional: week one begins here (else the day it is first published)
    settings: {talk: normal}   # options for every session
    sessions:
      - day: monday             # a weekday (mon, tuesday, ...) or the week's day 1-7
        routine: lower-back     # a built-in routine or a file beside the programme
        settings: {hold: 20}
        progress: {hold: +5 seconds a week}
      - {day: wednesday, routine: quick-neck, weeks: 1-2}

`settings` keys are the session options of option_table.py (the command line's, without dashes),
each checked by options.py as the command line's; a session's beat the programme's, and the
command line beats both. `progress` (programme-wide or a session's) changes an option each week
after the session's first: `+5 seconds a week` on a number (hold, rest, lead_in, length, reps,
rate, hold_scale, background_level), `+10%` on a pick (hold or reps: low is 0%, high 100%),
`+1 step` along low, mid, high (hold, reps) or full, normal, minimal (talk). A progression that
would leave an option's range is refused at its line, naming the week.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from voiceguide.errors import RoutineError
from voiceguide.files import read_input
from voiceguide.limits import TALK_LEVELS
from voiceguide.option_table import OPTIONS, OptionSpec
from voiceguide.options import options_from
from voiceguide.routine import (
    PICKS,
    _Nodes,
    _value,
    builtin_names,
    compose_bounded,
    is_pick,
    parse_length,
    pick_position,
)

MAX_WEEKS = 52
MAX_PROGRAM_SESSIONS = 400  # sessions once weeks are expanded: a year of daily sessions and some
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
OPTION_SPECS = {option.name: option for option in OPTIONS}
STEPS = {"hold": PICKS, "reps": PICKS, "talk": TALK_LEVELS}  # the options a `+1 step` walks along, in order
TIME_UNITS = {"s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0,
              "m": 60.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0}  # fmt: skip
# Each option a number progression may change, and the units its step may be written in ("": the option's own).
NUMBER_UNITS: dict[str, dict[str, float]] = {
    "hold": {"": 1.0, **TIME_UNITS}, "rest": {"": 1.0, **TIME_UNITS}, "lead_in": {"": 1.0, **TIME_UNITS},
    "length": {"": 60.0, **TIME_UNITS}, "reps": {"": 1.0, "rep": 1.0, "reps": 1.0}, "rate": {"": 1.0, "wpm": 1.0},
    "hold_scale": {"": 1.0}, "background_level": {"": 1.0, "lufs": 1.0, "lu": 1.0, "db": 1.0},
}
_PROGRESS = re.compile(r"^\s*([+-])\s*(\d+(?:\.\d+)?)\s*(%|[a-z]+)?\s*(?:(?:a|an|each|per|every)\s+week)?\s*$", re.IGNORECASE)
_WEEKS = re.compile(r"^\s*(\d+)\s*(?:(?:-|–|to)\s*(\d+))?\s*$")


@dataclass(frozen=True)
class Session:
    """One session of the programme: a routine, on a day of a week, with its options."""

    week: int
    day: str | int  # a weekday of DAYS, or the week's day 1-7
    routine: str  # a built-in name or a path (relative ones resolved against the programme's folder)
    choices: tuple[tuple[str, object], ...]  # api keyword arguments, as the command line gives them
    progressed: tuple[str, ...] = ()  # the options a progression set this week
    line: int = 0

    @property
    def slot(self) -> str:
        """A short name for the session's place in the programme: 'w1-mon', 'w2-d3'."""
        day = self.day[:3] if isinstance(self.day, str) else f"d{self.day}"
        return f"w{self.week}-{day}"

    @property
    def day_name(self) -> str:
        return self.day.capitalize() if isinstance(self.day, str) else f"Day {self.day}"

    def date(self, start: datetime.date) -> datetime.date:
        """The session's day: week one begins on `start`; a weekday is its next one from the week's first day."""
        first = start + datetime.timedelta(weeks=self.week - 1)
        offset = (DAYS.index(self.day) - first.weekday()) % 7 if isinstance(self.day, str) else self.day - 1
        return first + datetime.timedelta(days=offset)


@dataclass(frozen=True)
class Program:
    title: str
    sessions: tuple[Session, ...]  # by week, then as written (dated() puts them in the order they fall)
    description: str | None = None
    weeks: int = 1
    start: datetime.date | None = None
    source: str = "<program>"

    def dated(self, start: datetime.date) -> list[tuple[datetime.date, Session]]:
        """Each session with its day, in the order they fall (sessions of one day as written)."""
        return sorted(((session.date(start), session) for session in self.sessions), key=lambda pair: pair[0])


def is_program(ref: str | Path) -> bool:
    """A file whose top level has `program:` (a built-in name or anything unreadable is left to the routine loader)."""
    path = Path(ref)
    if str(ref) in builtin_names() and not path.exists():
        return False
    try:
        root = compose_bounded(read_input(path, "a programme file"), str(ref), "a programme")
    except RoutineError:
        return False
    return isinstance(root, yaml.MappingNode) and any(
        isinstance(key, yaml.ScalarNode) and key.value == "program" for key, _ in root.value
    )


def load_program(ref: str | Path) -> Program:
    path = Path(ref)
    return parse_program(read_input(path, "a programme file"), str(ref), path.parent)


def parse_program(data: bytes | str, source: str = "<program>", folder: Path = Path()) -> Program:
    root = compose_bounded(data, source, "a programme")
    if root is None:
        raise RoutineError(source, 1, "empty file: a programme needs program, weeks and sessions")
    return _ProgramReader(source, folder).program(root)


class _ProgramReader(_Nodes):
    def __init__(self, source: str, folder: Path) -> None:
        super().__init__(source)
        self.folder = folder

    def program(self, node: yaml.Node) -> Program:
        keys = self.mapping(
            node, "programme", ("program", "description", "weeks", "start", "settings", "progress", "sessions"),
            ("program", "weeks", "sessions"),
        )
        weeks = self.count(keys["weeks"], "weeks", MAX_WEEKS)
        common = self.settings(keys["settings"]) if "settings" in keys else {}
        common_progress = self.progress_nodes(keys["progress"]) if "progress" in keys else {}
        sessions_node = keys["sessions"]
        if not isinstance(sessions_node, yaml.SequenceNode) or not sessions_node.value:
            raise self.fail(sessions_node, "sessions must be a non-empty list")
        sessions: list[Session] = []
        for item in sessions_node.value:
            sessions += self.session(item, weeks, common, common_progress)
            if len(sessions) > MAX_PROGRAM_SESSIONS:
                raise self.fail(item, f"more than {MAX_PROGRAM_SESSIONS} sessions by this one; a programme has at most that many")
        return Program(
            title=self.text(keys["program"], "program"),
            description=self.text(keys["description"], "description") if "description" in keys else None,
            weeks=weeks,
            start=self.start(keys["start"], weeks) if "start" in keys else None,
            sessions=tuple(sessions),
            source=self.source,
        )

    def start(self, node: yaml.Node, weeks: int) -> datetime.date:
        try:
            start = datetime.date.fromisoformat(str(node.value).strip())
        except (TypeError, ValueError):
            raise self.fail(node, f"start must be a date like 2025-03-03, not '{node.value}'") from None
        if datetime.date.max - start < datetime.timedelta(weeks=weeks):  # its last week's dates must be dates too
            raise self.fail(node, f"start {start} leaves no room for {weeks} weeks before the calendar ends")
        return start

    def session(
        self, node: yaml.Node, weeks: int, common: dict[str, object], common_progress: dict[str, yaml.Node]
    ) -> list[Session]:
        keys = self.mapping(node, "session", ("day", "routine", "weeks", "settings", "progress"), ("day", "routine"))
        day = self.day(keys["day"])
        routine = self.routine_ref(keys["routine"])
        first, last = self.weeks(keys["weeks"], weeks) if "weeks" in keys else (1, weeks)
        choices = {**common, **(self.settings(keys["settings"]) if "settings" in keys else {})}
        progress = {**common_progress, **(self.progress_nodes(keys["progress"]) if "progress" in keys else {})}
        line = node.start_mark.line + 1
        sessions = []
        for week in range(first, last + 1):
            changed = {name: self.progressed(name, step, choices, week - first, week) for name, step in progress.items()}
            week_choices = {**choices, **changed}
            moved = tuple(changed) if week > first else ()  # the first week is where the progression starts from
            sessions.append(Session(week, day, routine, tuple(week_choices.items()), moved, line))
        return sessions

    def day(self, node: yaml.Node) -> str | int:
        value = str(node.value).strip().lower() if isinstance(node, yaml.ScalarNode) else ""
        if value.isdigit() and 1 <= int(value) <= 7:
            return int(value)
        named = [day for day in DAYS if len(value) >= 3 and day.startswith(value)]
        if len(named) != 1:
            raise self.fail(node, f"day must be a weekday (monday, tue, ...) or the week's day 1-7, not '{node.value}'")
        return named[0]

    def routine_ref(self, node: yaml.Node) -> str:
        """A routine file beside the programme, or a built-in routine."""
        ref = self.text(node, "routine")
        path = Path(ref).expanduser()
        path = path if path.is_absolute() else self.folder / path
        if path.exists():
            return str(path)
        if ref in builtin_names():
            return ref
        raise self.fail(node, f"routine '{ref}': no such file beside the programme nor built-in routine ({', '.join(builtin_names())})")

    def weeks(self, node: yaml.Node, weeks: int) -> tuple[int, int]:
        match = _WEEKS.match(str(node.value)) if isinstance(node, yaml.ScalarNode) else None
        if match is None:
            raise self.fail(node, f"weeks must be a week or a range like 2 or 1-3, not '{node.value}'")
        first, last = int(match[1]), int(match[2] or match[1])
        if not 1 <= first <= last <= weeks:
            raise self.fail(node, f"weeks {node.value}: the programme has weeks 1 to {weeks} (write the first week first)")
        return first, last

    # -- options --

    def settings(self, node: yaml.Node) -> dict[str, object]:
        """Session options, each as the command line gives it and checked as the command line's is (options.py)."""
        keys = self.mapping(node, "settings", tuple(OPTION_SPECS))
        return {name: self.option(OPTION_SPECS[name], value) for name, value in keys.items()}

    def option(self, spec: OptionSpec, node: yaml.Node) -> object:
        value = _value(node)
        if spec.kind is bool:
            if not isinstance(value, bool):
                raise self.fail(node, f"{spec.name} is true or false, not '{node.value}'")
        elif spec.kind in (int, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (spec.kind is int and not float(value).is_integer()):
                raise self.fail(node, f"{spec.name} must be a {'whole ' if spec.kind is int else ''}number, not '{node.value}'")
            value = spec.kind(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            value = f"{value:g}"
        elif not isinstance(value, str):
            raise self.fail(node, f"{spec.name} must be text like {spec.metavar}, not '{node.value}'")
        if spec.name in ("cue_dir", "background") and not str(value).startswith("builtin:"):
            path = Path(str(value)).expanduser()
            value = str(path if path.is_absolute() else self.folder / path)  # beside the programme, as routines are
        self.check(node, spec.name, value)
        return value

    def check(self, node: yaml.Node, name: str, value: object, week: int | None = None) -> None:
        try:
            options_from({name: value})
        except ValueError as exc:
            raise self.fail(node, f"{exc}" + (f" (in week {week})" if week is not None else "")) from None

    # -- progressions --

    def progress_nodes(self, node: yaml.Node) -> dict[str, yaml.Node]:
        keys = self.mapping(node, "progress", tuple(sorted({*NUMBER_UNITS, *STEPS})))
        for name, value in keys.items():
            self.step(name, value)
        return keys

    def step(self, name: str, node: yaml.Node) -> tuple[float, str]:
        """A progression's change each week and its kind: 'number' (in the option's unit), '%' or 'step'."""
        match = _PROGRESS.match(str(node.value)) if isinstance(node, yaml.ScalarNode) else None
        unit = (match[3] or "").lower() if match else ""
        amount = (float(match[2]) * (-1 if match[1] == "-" else 1)) if match else 0.0
        if match and unit in ("step", "steps") and name in STEPS:
            return amount, "step"
        if match and unit == "%" and name in ("hold", "reps"):
            return amount, "%"
        if match and unit in NUMBER_UNITS.get(name, {}):
            return amount * NUMBER_UNITS[name][unit], "number"
        forms = [f"+{'5 seconds' if name in ('hold', 'rest', 'lead_in') else '2 minutes' if name == 'length' else '1'} a week"]
        forms += ["+10%"] if name in ("hold", "reps") else []
        forms += ["+1 step"] if name in STEPS else []
        raise self.fail(node, f"progress {name} must be a change each week like {' or '.join(forms)}, not '{node.value}'")

    def progressed(self, name: str, node: yaml.Node, choices: dict[str, object], weeks_in: int, week: int) -> object:
        """The option's value `weeks_in` weeks after the session's first, its progression applied."""
        amount, kind = self.step(name, node)
        base = choices.get(name)
        if name == "talk" and base is None and choices.get("brief"):
            base = "minimal"
        if base is None:
            raise self.fail(node, f"progress {name} needs a {name} to start from: give the session's or the programme's settings one")
        value = self.changed(node, name, base, amount * weeks_in, kind, week)
        self.check(node, name, value, week)
        return value

    def changed(self, node: yaml.Node, name: str, base: object, change: float, kind: str, week: int) -> object:
        text = str(base)
        if kind == "step":
            order = STEPS[name]
            if text not in order:
                raise self.fail(node, f"progress {name} by steps needs {name} to be one of {', '.join(order)}, not '{text}'")
            index = order.index(text) + round(change)
            if not 0 <= index < len(order):
                raise self.fail(node, f"progress {name} goes past '{order[-1 if index > 0 else 0]}' in week {week}")
            return order[index]
        if kind == "%":
            if not is_pick(text):
                raise self.fail(node, f"progress {name} in % needs {name} to be low, mid, high or a position like 40%, not '{text}'")
            position = pick_position(text) * 100 + change
            if not 0 <= position <= 100:
                raise self.fail(node, f"progress {name} goes past {'100' if position > 100 else '0'}% in week {week}")
            return f"{position:g}%"
        if name == "length":
            return f"{parse_length(text) + change:g}s"
        try:
            number = float(text)
        except ValueError:
            raise self.fail(node, f"progress {name} by an amount needs {name} to be a number, not '{text}'") from None
        value = number + change
        return round(value) if OPTION_SPECS[name].kind is int else value if OPTION_SPECS[name].kind is float else f"{value:g}"


def single_session(routine: str, title: str, description: str | None) -> Program:
    """A routine published on its own: a programme of one session."""
    return Program(title, (Session(1, 1, routine, ()),), description)
