"""The library API: what each command does, as functions a user can import.

The speech engine and the render pipeline (numpy and all) are imported by the
functions that use them, so `check` and `routines` start in a few milliseconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from voiceguide.audio.cue_files import session_cue_lengths
from voiceguide.errors import VoiceguideError
from voiceguide.options import Options, options_for
from voiceguide.routine import Routine, builtin_names, load_routine

if TYPE_CHECKING:
    from voiceguide.rendering.pipeline import Progress
    from voiceguide.speech.engine import Speech, VoiceInfo
    from voiceguide.timeline import Timeline

DEFAULT_ROUTINE = "lower-back"


def resolve(routine: str | Path | Routine = DEFAULT_ROUTINE, **choices: object) -> tuple[Routine, Options]:
    """The routine (a built-in name, a path or a Routine) and the options for it.

    `choices` are Options fields; None means "not given", so the routine's settings apply.
    Checks the cue sounds the options use up front, so a bad --cue-dir fails before any work.
    """
    loaded = routine if isinstance(routine, Routine) else load_routine(routine)
    try:
        options = options_for(loaded, **choices)
    except ValueError as exc:
        raise VoiceguideError(str(exc)) from None
    session_cue_lengths(options)
    return loaded, options


def plan(routine: str | Path | Routine = DEFAULT_ROUTINE, speech: Speech | None = None, **choices: object) -> Timeline:
    """Compile the routine into its timeline, with speech lengths from the real engine (cached)."""
    from voiceguide.compiler import compile_timeline
    from voiceguide.speech.engine import Speech

    loaded, options = resolve(routine, **choices)
    speech = speech or Speech(options.voice, options.rate)
    return compile_timeline(loaded, options, speech.duration, session_cue_lengths(options))


def check(routine: str | Path) -> Routine:
    """Validate a routine without synthesizing speech; raises RoutineError (FILE:LINE: ...)."""
    loaded, _ = resolve(routine)  # its settings must make valid options too
    return loaded


def routines() -> list[Routine]:
    """The built-in routines."""
    return [load_routine(name) for name in builtin_names()]


def voices() -> list[VoiceInfo]:
    from voiceguide.speech.engine import list_voices

    return list_voices()


def render(
    routine: str | Path | Routine = DEFAULT_ROUTINE, output: str | Path | None = None, *, bitrate: str | None = None,
    captions: bool = False, timeline: bool = False, progress: Progress | None = None, **choices: object,
) -> Path:
    """Render the session to an audio file and return its path.

    The format follows output's extension (.mp3, .ogg, .flac, .wav); without
    output, an MP3 named after the routine's title in the current directory.
    captions writes .srt and .vtt beside it, timeline the plan's JSON.
    `choices` are the timeline options, as for plan().
    """
    from voiceguide.rendering.pipeline import default_output, render_session

    loaded, options = resolve(routine, **choices)
    target = Path(output) if output is not None else default_output(loaded.title)
    render_session(
        loaded, options, target, bitrate=bitrate, captions_too=captions, timeline_too=timeline, progress=progress
    )
    return target
