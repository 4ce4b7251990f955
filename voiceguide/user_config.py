"""The user's personal defaults: $XDG_CONFIG_HOME/voiceguide/config.toml (~/.config/voiceguide/config.toml).

    voice = "joe"
    rate = 160
    background = "builtin:rain"

Its keys are the session options the option table marks `config` (option_table.CONFIG_KEYS), spelt as a
routine's settings are (`lead_in`), and the few options of live play alone (option_table.PLAY_CONFIG_KEYS:
`listen = true`, kept apart in `UserConfig.play`), each value of the option's kind and checked as the command line's would
be; a voice, a background or a cue folder is looked up at once. A session takes each option from the first
layer that sets it: the command line, the routine's own settings, this file, the built-in defaults
(options.options_for); this file's voice speaks its language (English if it sets none), so a routine
whose `language:` is another speaks with that language's voice. Anything wrong is one FILE:LINE error, exit 2.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from voiceguide.errors import RoutineError, VoiceguideError
from voiceguide.files import decode_text, read_input
from voiceguide.option_table import CONFIG_KEYS, PLAY_CONFIG_KEYS, OptionSpec
from voiceguide.options import Options, options_from

KINDS = {bool: "true or false", int: "a whole number", float: "a number", str: "text in quotes"}


class ConfigError(RoutineError):
    """A config file that cannot be used, located at FILE:LINE."""


@dataclass(frozen=True)
class UserConfig:
    path: Path
    exists: bool
    values: Mapping[str, object] = field(default_factory=dict)  # session option name -> value, as the command line gives it
    lines: Mapping[str, int | None] = field(default_factory=dict)  # option name -> its line in the file
    play: Mapping[str, object] = field(default_factory=dict)  # live play's option name -> value (PLAY_CONFIG_KEYS)

    def shown(self) -> list[str]:
        """What it sets, a `key = value` line each, as TOML writes it."""
        return [f"{name} = {_toml(value)}" for name, value in {**self.values, **self.play}.items()]


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base, "voiceguide", "config.toml")


def load_config() -> UserConfig:
    """The user's config file, every value checked; an empty one where there is no file."""
    path = config_path()
    if not os.path.lexists(path):
        return UserConfig(path, exists=False)
    text = decode_text(read_input(path, "a config file"), str(path))
    values: dict[str, object] = {}
    play: dict[str, object] = {}
    lines: dict[str, int | None] = {}
    for key, value in _parse(text, path).items():
        lines[key] = _line_of(text, key)
        if key in PLAY_CONFIG_KEYS:
            play[key] = _kind_checked(PLAY_CONFIG_KEYS[key], value, path, lines[key])
            continue
        option = CONFIG_KEYS.get(key)
        if option is None:
            keys = ", ".join([*CONFIG_KEYS, *PLAY_CONFIG_KEYS])
            raise ConfigError(str(path), lines[key], f"unknown key '{key}'; a config file may set {keys}")
        values[key] = _beside(path, key, _choice(option, value, path, lines[key]))
    _look_up(values, path, lines)
    return UserConfig(path, True, values, lines, play)


FILE_KEYS = ("background", "cue_dir")  # options that name a file or a folder


def _beside(path: Path, key: str, value: object) -> object:
    """A relative file or folder the config names is found beside the config file, wherever a session is started."""
    if key not in FILE_KEYS or not isinstance(value, str) or value.startswith("builtin:"):
        return value
    named = Path(value).expanduser()
    return value if named.is_absolute() else str(path.parent / named)


def _parse(text: str, path: Path) -> dict[str, object]:
    toml = _toml_reader(path)
    try:
        return toml.loads(text)
    except toml.TOMLDecodeError as exc:
        message = str(exc)
        where = re.search(r" \(at line (\d+), column \d+\)$", message)
        line = int(where.group(1)) if where else text.rstrip("\n").count("\n") + 1  # "(at end of document)"
        message = re.sub(r" \(at (line \d+, column \d+|end of document)\)$", "", message)
        raise ConfigError(str(path), line, message[:1].lower() + message[1:]) from None


def _toml_reader(path: Path) -> ModuleType:
    """tomllib, or on Python 3.10 tomli, tomllib's original."""
    try:
        return importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")
    except ModuleNotFoundError:
        raise ConfigError(str(path), None, "reading it needs Python 3.11, or the tomli package on Python 3.10") from None


def _line_of(text: str, key: str) -> int | None:
    """The line that sets `key` (key = ..., or a [key] table), if it can be found."""
    quoted = re.escape(key)
    found = re.search(rf"^[ \t]*\[*[ \t]*(?:{quoted}|\"{quoted}\"|'{quoted}')[ \t]*[=.\]]", text, re.M)
    return text.count("\n", 0, found.start()) + 1 if found else None


def _choice(option: OptionSpec, value: object, path: Path, line: int | None) -> object:
    """The value as the command line would give it (`hold = 20` is --hold 20), checked as the command line's is."""
    value = _kind_checked(option, value, path, line)
    try:
        options_from({option.name: value})
    except ValueError as exc:
        raise ConfigError(str(path), line, str(exc)) from None
    return value


def _kind_checked(option: OptionSpec, value: object, path: Path, line: int | None) -> object:
    """The value in the option's kind (a whole number for a float is fine), or a ConfigError saying which kind it needs."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if option.kind is str and option.takes_number:
            value = f"{value:g}"
        elif (option.kind is int and float(value).is_integer()) or option.kind is float:
            value = option.kind(value)
    if not isinstance(value, option.kind) or isinstance(value, bool) is not (option.kind is bool):
        what = "a table" if isinstance(value, dict) else _toml(value)
        also = " or a number" if option.kind is str and option.takes_number else ""
        raise ConfigError(str(path), line, f"{option.name} must be {KINDS[option.kind]}{also}, not {what}")
    return value


def _look_up(values: dict[str, object], path: Path, lines: Mapping[str, int | None]) -> None:
    """The voice, background and cue sounds it names, found as a session would find them."""
    options = options_from(values)
    for name, find in LOOK_UPS.items():
        if name in values:
            try:
                find(options)
            except VoiceguideError as exc:
                raise ConfigError(str(path), lines[name], f"{name}: {exc}") from None


def _find_voice(options: Options) -> None:
    from voiceguide.speech.engine import resolve_voice  # the voice's engines: only for a config that names one

    resolve_voice(options.voice, options.language)


def _find_language_voice(options: Options) -> None:
    from voiceguide.speech.engine import resolve_voice

    resolve_voice(None, options.language)  # a language no voice speaks would fail every session in it


def _find_background(options: Options) -> None:
    from voiceguide.audio.ambience import check_background  # numpy: only for a config with a bed

    check_background(str(options.background))


def _find_cue_sounds(options: Options) -> None:
    from voiceguide.audio.cue_files import session_cue_lengths

    session_cue_lengths(options)


LOOK_UPS: dict[str, Callable[[Options], None]] = {
    "voice": _find_voice, "language": _find_language_voice, "background": _find_background, "cue_dir": _find_cue_sounds,
}


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return str(value)
