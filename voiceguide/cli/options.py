"""The timeline options, declared once: every command that builds a session takes them all.

A command decorated with @session_options gets one `choices` dict (api keyword
arguments; None = not given, so the routine's settings apply). A new option is a
new row in voiceguide/option_table.py and appears on plan, play and render by construction.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer

from voiceguide.option_table import OPTIONS, OptionSpec

SessionOption = OptionSpec
SESSION_OPTIONS = OPTIONS  # voiceguide/option_table.py: each option's flags, kind, help and default


def _parameter(option: OptionSpec) -> inspect.Parameter:
    help_text = f"{option.plain_help[0].upper()}{option.plain_help[1:]} (default: {option.default.replace('`', '')})"
    flag = typer.Option(*option.cli_flags, help=help_text, show_default=False, metavar=option.metavar or None)
    return inspect.Parameter(
        option.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[Optional[option.kind], flag]  # noqa: UP045
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
        parameters=own + [_parameter(option) for option in SESSION_OPTIONS]
    )
    return wrapper
