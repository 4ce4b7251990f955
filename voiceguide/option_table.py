"""Every session option, declared once: the command-line flags, the library's keyword arguments,
the routine `settings:` keys, their JSON Schema, the user config file's keys and the README's option
table all come from here.

A row's `setting` is the JSON Schema of its routine setting (None: command line only). Where a
value is text with a grammar of its own (a breath pattern, a length, a pick), the schema names a
`format` that routine.SETTING_FORMATS checks with the parser's own function, so a validator given
those formats accepts exactly the settings the parser does (tests/test_settings_schema.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from voiceguide.limits import (
    BACKGROUND_LEVEL_LIMITS,
    BREATH_PHASE_LIMITS,
    HOLD_SCALE_LIMITS,
    LENGTH_LIMITS,
    MAX_HOLD_SECONDS,
    MAX_LEAD_IN,
    MAX_REPEAT,
    MAX_REST,
    RATE_LIMITS,
    TALK_LEVELS,
)


def _number(low: float, high: float, unit: str, integer: bool = False) -> dict:
    return {"type": "integer" if integer else "number", "minimum": low, "maximum": high, "description": unit}


def _pick(high: float, unit: str, integer: bool) -> dict:
    """low, mid, high or a position like 40% (text), or a fixed amount (a number)."""
    return {
        "oneOf": [{"type": "string", "format": "voiceguide-pick"}, _number(1, high, unit, integer)],
        "description": f"low, mid, high or a position like 40%: where to pick in ranges; or {unit}: fix them",
    }


@dataclass(frozen=True)
class OptionSpec:
    name: str  # the library's keyword argument, an Options field; the setting's key
    metavar: str  # what the value looks like, for the README's table ("" for a flag)
    kind: type  # str, int, float or bool on the command line
    help: str  # `code` in backticks, as the README shows it
    default: str  # as shown
    setting: dict | None = None  # the routine setting's JSON Schema; None: command line only
    flags: tuple[str, ...] = ()  # () is --name-with-dashes
    config: bool = True  # a personal default the user's config file may set (user_config.py); False: only per session

    @property
    def takes_number(self) -> bool:
        """Its setting may be a number (hold: 20 fixes holds), though the command line reads it as text (`--hold 20`)."""
        return self.setting is not None and any(
            branch.get("type") in ("number", "integer") for branch in self.setting.get("oneOf", [self.setting])
        )

    @property
    def cli_flags(self) -> tuple[str, ...]:
        return self.flags or ("--" + self.name.replace("_", "-"),)

    @property
    def plain_help(self) -> str:
        return self.help.replace("`", "")


OPTIONS = (
    OptionSpec("language", "TAG", str, "language of the phrases voiceguide adds (BCP 47: `en`, `de`, `es-419`; see docs/languages.md)",
               "the routine's `language:`, else `en`"),
    OptionSpec("voice", "VOICE", str, "a voice from `voiceguide voices`: a natural voice (`joe`), a path to a Piper `.onnx`, or an "
               "espeak id, language or name, optionally with a variant: `de+f2`", "the language's natural voice, else espeak's",
               {"type": "string", "format": "voiceguide-text"}),
    OptionSpec("rate", "WPM", int, "speech rate, words per minute", "150", _number(*RATE_LIMITS, "words per minute", integer=True)),
    OptionSpec("hold", "low|mid|high|SECONDS", str, "where to pick in hold ranges (or a position like `40%`), or fix every hold "
               "(breath holds get the breaths that fit)", "mid", _pick(MAX_HOLD_SECONDS, "seconds", integer=False)),
    OptionSpec("hold_scale", "X", float, "multiply every hold", "1", _number(*HOLD_SCALE_LIMITS, "times")),
    OptionSpec("reps", "low|mid|high|N", str, "where to pick in rep ranges (or a position like `40%`), or fix them", "mid",
               _pick(MAX_REPEAT, "a count", integer=True)),
    OptionSpec("breath", "PATTERN", str, "breath pattern in seconds: `IN:OUT`, `IN:HOLD:OUT` (`4:7:8`) or `IN:HOLD:OUT:HOLD` "
               "(`4:4:4:4`); one number is as long in as out (`4` is `4:4`)", "4:6",
               {"oneOf": [{"type": "string", "format": "voiceguide-breath"}, _number(*BREATH_PHASE_LIMITS, "seconds in and out")]}),
    OptionSpec("rest", "SECONDS", float, "quiet between exercises", "5", _number(0, MAX_REST, "seconds between exercises")),
    OptionSpec("length", "15m", str, "fit the session to a length: `15m`, `90s`, `1h`, `20:00` (ranges first, then holds)", "as written",
               {"oneOf": [{"type": "string", "format": "voiceguide-length"},
                          _number(LENGTH_LIMITS[0] / 60, LENGTH_LIMITS[1] / 60, "minutes")]}, config=False),
    OptionSpec("talk", "full|normal|minimal", str, "how much is said: `full` teaches each movement, then says it again "
               "every third rep and after each rest or side switch; `normal` teaches each movement once, then counts the reps "
               "(its first clause again only after a rest or a side switch); `minimal` only names, counts, phase words and "
               "countdowns, each instruction's first clause once (no intros, setup, notes or prompts)", "normal",
               {"enum": list(TALK_LEVELS)}),
    OptionSpec("brief", "", bool, "short for `--talk minimal`", "off", config=False),
    OptionSpec("lead_in", "SECONDS", float, '"Get ready." and a 3-2-1 before the session\'s first paced phase (0: none)', "5",
               _number(0, MAX_LEAD_IN, "seconds of 'get ready'")),
    OptionSpec("cues", "full|minimal|off", str, "cue sounds: `minimal` keeps only exercise bells and hold chimes (see docs/sound.md)",
               "full"),
    OptionSpec("cue_dir", "DIR", str, "your own cue sounds: a folder of `bell.wav`, `chime.wav`, ... (see docs/sound.md)", "built-in"),
    OptionSpec("breath_tones", "", bool, "tones pace the breaths of breath-counted holds", "on",
               flags=("--breath-tones/--no-breath-tones",)),
    OptionSpec("background", "FILE|builtin:rain", str, "ambience under the session: a sound file (any format) or `builtin:rain` "
               "(see docs/sound.md)", "none"),
    OptionSpec("background_level", "LUFS", float, "the ambience's loudness between sentences "
               f"({BACKGROUND_LEVEL_LIMITS[0]:g} to {BACKGROUND_LEVEL_LIMITS[1]:g})", "-30"),
)  # fmt: skip

SETTINGS = {option.name: option.setting for option in OPTIONS if option.setting is not None}  # a routine's `settings:` keys
CONFIG_KEYS = {option.name: option for option in OPTIONS if option.config}  # the user config file's keys

# Options of live play alone, not of a session (plan and render never see them), that the user's config file may
# set too; the play command declares their flags, and the command line's value wins over the config's.
PLAY_OPTIONS = (
    OptionSpec("listen", "", bool, "obey voice commands from the default microphone in `voiceguide play`", "off",
               flags=("--listen/--no-listen",)),
)  # fmt: skip
PLAY_CONFIG_KEYS = {option.name: option for option in PLAY_OPTIONS if option.config}


def number_schema(name: str) -> dict:
    """The number a setting takes (its schema's number branch): minimum, maximum, type and unit (description)."""
    schema = SETTINGS[name]
    return next(branch for branch in schema.get("oneOf", [schema]) if branch.get("type") in ("number", "integer"))


def number_range(name: str) -> tuple[float, float]:
    schema = number_schema(name)
    return schema["minimum"], schema["maximum"]


def markdown_table() -> str:
    """The README's option table."""
    rows = ["| option | meaning | default |", "|---|---|---|"]
    for option in OPTIONS:
        flag = " ".join(f"`{flag} {option.metavar}`" if option.metavar else f"`{flag}`" for flag in option.cli_flags)
        rows.append(f"| {flag.replace('|', chr(92) + '|')} | {option.help} | {option.default} |")
    return "\n".join(rows) + "\n"
