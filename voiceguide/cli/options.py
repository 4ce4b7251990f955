"""The timeline options, declared once: every command that builds a session takes them all.

A command decorated with @session_options gets one `choices` dict (api keyword
arguments; None = not given, so the routine's settings apply). A new option is a
new row in SESSION_OPTIONS and appears on plan, play and render by construction.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Optional

import typer


@dataclass(frozen=True)
class SessionOption:
    name: str  # the api keyword (an Options field)
    flags: tuple[str, ...]
    kind: type
    help: str
    default: str | None = None  # shown as "(default: ...)"; None for flags whose help says it

    def parameter(self) -> inspect.Parameter:
        help_text = self.help + (f" (default: {self.default})" if self.default is not None else "")
        option = typer.Option(*self.flags, help=help_text, show_default=False)
        return inspect.Parameter(
            self.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[Optional[self.kind], option]  # noqa: UP045
        )


SESSION_OPTIONS = (
    SessionOption("language", ("--language",), str, "Language of the phrases added (BCP 47: en, de, es-419).", "the routine's, or en"),
    SessionOption("voice", ("--voice",), str, "Voice id, language or name; +f2 etc.: a variant ('voiceguide voices').", "the language's"),
    SessionOption("rate", ("--rate",), int, "Speech rate in words per minute.", "150"),
    SessionOption(
        "hold", ("--hold",), str, "low|mid|high or a position like 40%: pick within hold ranges; or SECONDS: fix every hold.", "mid"
    ),
    SessionOption("hold_scale", ("--hold-scale",), float, "Multiply every hold by X.", "1"),
    SessionOption("reps", ("--reps",), str, "low|mid|high or a position like 40%: pick within rep ranges; or N: fix them.", "mid"),
    SessionOption("breath", ("--breath",), str, "Breath pattern IN:OUT, IN:HOLD:OUT or IN:HOLD:OUT:HOLD seconds.", "4:6"),
    SessionOption("rest", ("--rest",), float, "Quiet seconds between exercises.", "5"),
    SessionOption(
        "length", ("--length",), str, "Fit the session to this length: 15m, 90s, 1h, 20:00 (ranges first, then holds).", "as written"
    ),
    SessionOption("talk", ("--talk",), str, "full|normal|minimal: how much is said (minimal: names, counts, phase words).", "normal"),
    SessionOption("brief", ("--brief",), bool, "Short for --talk minimal.", "off"),
    SessionOption("lead_in", ("--lead-in",), float, "Seconds of 'get ready', with a 3-2-1, before the first paced phase.", "5"),
    SessionOption("cues", ("--cues",), str, "full|minimal|off: cue sounds (minimal: exercise bells, hold chimes).", "full"),
    SessionOption("cue_dir", ("--cue-dir",), str, "Your own cue sounds: a folder of bell.wav, chime.wav, ... (README).", "built-in"),
    SessionOption(
        "background", ("--background",), str, "Ambience under the session: a sound file (any format) or builtin:rain.", "none"
    ),
    SessionOption("background_level", ("--background-level",), float, "The ambience's loudness between sentences, LUFS.", "-30"),
    SessionOption(
        "breath_tones", ("--breath-tones/--no-breath-tones",), bool, "Tones pace the breaths of breath-counted holds.", "on"
    ),
)


def session_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a typer command every timeline option; it receives them as `choices`."""
    signature = inspect.signature(command, eval_str=True)  # the command module's names, resolved there
    own = [p for p in signature.parameters.values() if p.name != "choices"]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        choices = {option.name: kwargs.pop(option.name, None) for option in SESSION_OPTIONS}
        return command(*args, choices=choices, **kwargs)

    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=own + [option.parameter() for option in SESSION_OPTIONS]
    )
    return wrapper
