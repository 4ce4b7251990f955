"""Choices a user makes about a session: built-in defaults < the user's config file < routine settings < command line."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

from voiceguide.cue_places import CUE_LEVELS
from voiceguide.limits import (
    BACKGROUND_LEVEL_LIMITS,
    TALK_LEVELS,
)
from voiceguide.option_table import number_range
from voiceguide.phrases.catalogue import SOURCE_LANGUAGE, check_language
from voiceguide.routine import Routine, is_pick, parse_breath_pace, parse_length, pick_position


@dataclass(frozen=True)
class Options:
    voice: str | None = None  # a voice's name or path, an espeak id, language or name (speech.engine.resolve_voice); None = the language's
    language: str | None = None  # BCP 47: the phrases' language; None = English
    rate: int = 150  # words per minute
    hold: str = "mid"  # low | mid | high (pick in ranges) | seconds (fix every hold)
    hold_scale: float = 1.0
    reps: str = "mid"  # low | mid | high | a count (fix every repeated exercise)
    breath: tuple[float, ...] = (4.0, 6.0)  # IN:OUT, IN:HOLD:OUT or IN:HOLD:OUT:HOLD seconds
    rest: float = 5.0  # quiet seconds between exercises
    talk: str = "normal"  # full | normal | minimal: how much is spoken (TALK_LEVELS)
    lead_in: float = 5.0  # "get ready" seconds, with a 3-2-1, before the session's first paced phase
    cues: str = "full"  # full | minimal (exercise bells, hold chimes) | off: which cue sounds play
    cue_dir: Path | None = None  # the user's own cue sounds, NAME.wav (or .mp3, .ogg, .flac, ...) for each of CUE_NAMES
    breath_tones: bool = True  # rising and falling tones pace the breaths of breath-counted holds
    background: str | None = None  # ambience under the session: a sound file or builtin:NAME
    background_level: float = -30.0  # the ambience's loudness between sentences, LUFS
    length: float | None = None  # seconds the session should last: ranges and holds are fitted to it (fitting.py)

    def __post_init__(self) -> None:
        check_options(self)
        if self.language is not None:  # a name ("Deutsch") becomes its tag, which voices and catalogues read
            object.__setattr__(self, "language", check_language(self.language))


def check_options(options: Options) -> None:
    """Raise ValueError with a user-facing message for an impossible choice."""
    if options.language is not None:
        check_language(options.language)
    slowest, fastest = number_range("rate")
    if not isinstance(options.rate, int) and not float(options.rate).is_integer():  # espeak takes whole words a minute
        raise ValueError(f"rate must be a whole number of words per minute, not {options.rate:g}")
    if not slowest <= options.rate <= fastest:
        raise ValueError(f"rate must be between {slowest} and {fastest} words per minute, not {options.rate}")
    _check_pick("hold", options.hold, *number_range("hold"))
    _check_pick("reps", options.reps, *number_range("reps"), whole=True)
    least, most = number_range("hold_scale")
    if not least <= options.hold_scale <= most:
        raise ValueError(f"hold scale must be between {least:g} and {most:g}, not {options.hold_scale:g}")
    parse_breath_pace(":".join(f"{v:g}" for v in options.breath))
    if options.talk not in TALK_LEVELS:
        raise ValueError(f"talk must be full, normal or minimal, not '{options.talk}'")
    for name, value in (("lead_in", options.lead_in), ("rest", options.rest)):
        low, high = number_range(name)
        if not low <= value <= high:
            raise ValueError(f"{name.replace('_', '-')} must be between {low:g} and {high:g} seconds, not {value:g}")
    if options.length is not None:
        parse_length(f"{options.length:g}s")  # within LENGTH_LIMITS
    quietest, loudest = BACKGROUND_LEVEL_LIMITS
    if not quietest <= options.background_level <= loudest:
        raise ValueError(f"background level must be between {quietest:g} and {loudest:g} LUFS, not {options.background_level:g}")
    if options.cues not in CUE_LEVELS:
        raise ValueError(f"cues must be {', '.join(CUE_LEVELS[:-1])} or {CUE_LEVELS[-1]}, not '{options.cues}'")


def _check_pick(name: str, value: str, low: float, high: float, whole: bool = False) -> None:
    if is_pick(value):
        try:
            pick_position(value)  # a position past 100% is refused here
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
        return
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name} must be low, mid, high, a position like 40% or a number, not '{value}'") from None
    if not low <= number <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g}, not {value}")
    if whole and not number.is_integer():  # a count is done whole: 1.5 reps is not two
        raise ValueError(f"{name} must be a whole number, not {value}")


def options_for(routine: Routine, config: Mapping[str, object] | None = None, **overrides: object) -> Options:
    """Options for this routine: each from the first layer that sets it, of the non-None overrides (the command
    line), the routine's settings (and its `language:`), the user's `config` (user_config.py) and the defaults.

    Values are as the command line gives them: `breath` may be "IN:OUT" text, `length` "15m" or "20:00", `cue_dir` a
    path string; `brief=True` is short for talk="minimal" (an explicit talk wins). Raises ValueError for impossible values.
    """
    if overrides.pop("brief", None) and overrides.get("talk") is None:
        overrides["talk"] = "minimal"
    names = {f.name for f in fields(Options)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise TypeError(f"unknown option {unknown[0]!r}")
    settings = {name: getattr(routine.settings, name) for name in names if getattr(routine.settings, name, None) is not None}
    if routine.language is not None:
        settings["language"] = routine.language
    given = {name: value for name, value in overrides.items() if value is not None}
    return options_from({**_personal(config or {}, routine), **settings, **given})


def _personal(config: Mapping[str, object], routine: Routine) -> Mapping[str, object]:
    """The config's choices for this routine: its voice speaks its language (English if it sets none), so a
    routine in another language speaks with that language's own voice, as its `language:` promises."""
    spoken = str(config.get("language") or SOURCE_LANGUAGE)
    if "voice" in config and routine.language is not None and _base(routine.language) != _base(spoken):
        return {name: value for name, value in config.items() if name != "voice"}
    return config


def _base(tag: str) -> str:
    return tag.split("-")[0].lower()


def options_from(values: Mapping[str, object]) -> Options:
    """These choices (as the command line gives them) over the defaults; ValueError for an impossible one."""
    return replace(Options(), **_typed(dict(values)))  # type: ignore[arg-type]


WORD_CHOICES = ("hold", "reps", "talk", "cues")  # options chosen by a word (low, mid, high; full, normal, minimal; ...)


def _typed(values: dict[str, object]) -> dict[str, object]:
    """The command line's text for breath, length and cue_dir as Options holds them."""
    typed = dict(values)
    for name in WORD_CHOICES:  # --hold MID and --talk FULL as --hold mid and --talk full: a word, not its case
        if isinstance(typed.get(name), str):
            typed[name] = str(typed[name]).strip().lower()
    if isinstance(typed.get("breath"), str):
        typed["breath"] = parse_breath_pace(typed["breath"])  # type: ignore[arg-type]
    if isinstance(typed.get("cue_dir"), str):
        typed["cue_dir"] = Path(typed["cue_dir"]).expanduser()  # type: ignore[arg-type]
    if isinstance(typed.get("length"), str):
        typed["length"] = parse_length(typed["length"])  # type: ignore[arg-type]
    return typed
