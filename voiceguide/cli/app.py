"""The `voiceguide` command: a thin typer layer over voiceguide.api."""

from __future__ import annotations

import gc
import json
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from voiceguide import api
from voiceguide.cli.options import session_options
from voiceguide.cli.plan_table import plan_table
from voiceguide.cli.progress import render_progress
from voiceguide.errors import VoiceguideError
from voiceguide.importer.writing import import_file
from voiceguide.routine import builtin_names
from voiceguide.schema import ROUTINE_SCHEMA

app = typer.Typer(
    help="Hands-free spoken guidance for exercise, stretching and breathing routines.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

RoutineArg = Annotated[
    str, typer.Argument(help="A built-in routine name ('voiceguide routines') or a routine YAML file.")
]


@app.command()
@session_options
def plan(
    routine: RoutineArg = api.DEFAULT_ROUTINE,
    as_json: Annotated[bool, typer.Option("--json", help="Print the timeline as JSON.")] = False,
    *, choices: dict,
) -> None:
    """Show the session's timeline: when each thing is said or heard, and the total length."""
    timeline = api.plan(routine, **choices)
    if as_json:
        typer.echo(timeline.to_json())
    else:
        Console().print(plan_table(timeline))


@app.command()
def check(routine: Annotated[str, typer.Argument(help="A routine YAML file or built-in name.")]) -> None:
    """Validate a routine without synthesizing speech."""
    loaded = api.check(routine)
    typer.echo(f"{routine}: ok: {loaded.title}, {len(loaded.exercises)} exercises")


@app.command()
def routines() -> None:
    """List the built-in routines."""
    for name, routine in zip(builtin_names(), api.routines(), strict=False):
        names = ", ".join(e.name for e in routine.exercises)
        typer.echo(f"{name}: {routine.title} ({names})")


@app.command()
def voices() -> None:
    """List the installed voices with their ids and languages."""
    for voice in api.voices():
        typer.echo(f"{voice.id}\t{', '.join(voice.languages)}\t{voice.name}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the routine format, for editors."""
    typer.echo(json.dumps(ROUTINE_SCHEMA, indent=2, ensure_ascii=False))


@app.command("import")
def import_article(
    article: Annotated[str, typer.Argument(help="An exercise article as a text file.")],
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="Write the routine YAML here instead of standard output.")
    ] = None,
) -> None:
    """Turn a written exercise article into a routine (check the '# from' comments it adds)."""
    text = import_file(article, output)
    if output is None:
        typer.echo(text, nl=False)
    else:
        typer.echo(f"{output}: written; values marked '# from' were inferred, check them", err=True)


DISPLAYS = ("big", "compact", "lines")


@app.command()
@session_options
def play(
    routine: RoutineArg = api.DEFAULT_ROUTINE,
    start: Annotated[
        str | None, typer.Option("--start", help="Begin at this exercise: its number or name (default: the beginning).")
    ] = None,
    display: Annotated[
        str, typer.Option("--display", help="big: readable from the mat; compact: a small panel; lines: one line per cue.")
    ] = "big",
    *, choices: dict,
) -> None:
    """Play the session live. Keys: Space pause/resume, n or → next exercise, p or ← back, + 10 s more of this hold, q quit."""
    from voiceguide.cli.live_panel import play_in_terminal
    from voiceguide.live.session import play as play_session

    if display not in DISPLAYS:
        raise VoiceguideError(f"--display {display}: choose one of {', '.join(DISPLAYS)}")
    session = play_session(routine, wait=False, start=start, **choices)
    play_in_terminal(session, display=display)


OutputOpt = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="File to write: .mp3, .ogg, .flac or .wav (default: TITLE.mp3 here)."),
]


@app.command()
@session_options
def render(
    routine: RoutineArg = api.DEFAULT_ROUTINE, output: OutputOpt = None,
    bitrate: Annotated[str | None, typer.Option("--bitrate", help="MP3/OGG bitrate (default: 64k).")] = None,
    captions: Annotated[bool, typer.Option("--captions", help="Also write FILE.srt and FILE.vtt.")] = False,
    timeline: Annotated[bool, typer.Option("--timeline", help="Also write the plan as FILE.json.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no summary.")] = False,
    *, choices: dict,
) -> None:
    """Render the session to an audio file, with tags, a chapter per exercise and side, and captions."""
    console = Console(stderr=True)
    with render_progress(console, enabled=not quiet and console.is_terminal) as progress:
        path = api.render(
            routine, output, bitrate=bitrate, captions=captions, timeline=timeline, progress=progress,
            **choices,
        )
    if not quiet:
        extras = [path.with_suffix(s) for s in (".srt", ".vtt")] if captions else []
        extras += [path.with_suffix(".json")] if timeline else []
        typer.echo(f"wrote {', '.join(str(p) for p in [path, *extras])}")


def _exit_on(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    """Entry point: user errors as one line with exit 2, Ctrl-C as exit 130, never a traceback for either."""
    # A kill or a closed terminal unwinds like Ctrl-C, so temp files and ffmpeg are cleaned up.
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, _exit_on)
    try:
        result = app(standalone_mode=False)
    except VoiceguideError as exc:
        print(str(exc) if getattr(exc, "source", None) else f"voiceguide: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, typer.Abort):  # typer >= 0.2x exits 130 itself; older ones raise Abort
        print("voiceguide: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # click's usage errors (typer vendors click)
            exc.show()
            sys.exit(exc.exit_code)
        raise
    finally:
        # At exit Python collects garbage over every object typer and pydantic made
        # (~0.1 s, a render's last step); frozen, they are skipped: the process is ending.
        gc.freeze()
    sys.exit(result if isinstance(result, int) else 0)
