"""The `voiceguide` command: a thin typer layer over voiceguide.api.

Each command imports what only it needs (rich, the render pipeline, the
importer) inside its function: `--help`, `check` and `schema` load neither
numpy, mutagen, rich's renderers nor the importer. Help is click's plain text
(rich_markup_mode=None): typer's rich help costs ~60 ms per start.

What it prints passes through voiceguide.printable's filter in two places: `say`
(every line of output: titles, paths, an imported routine, the table of voices) and
`report` (every error line); the plan table and the live panel filter their texts
where they build them. No routine, article, path or tool output reaches the terminal
with an escape sequence, a control character or a bidi override in it.
"""

from __future__ import annotations

import sys

try:  # Ctrl-C while Python loads what the command needs: one line and 130, not a traceback from an import
    import contextlib
    import gc
    import io
    import json
    import os
    import signal
    from collections.abc import Iterator, Sequence
    from importlib.metadata import version
    from pathlib import Path
    from typing import Annotated, Any, NoReturn

    import typer
    from typer.core import TyperGroup

    from voiceguide import api
    from voiceguide.cli.options import session_options
    from voiceguide.clock import clock
    from voiceguide.errors import Interrupted, VoiceguideError
    from voiceguide.numbers import plural
    from voiceguide.option_table import CONFIG_KEYS, PLAY_CONFIG_KEYS
    from voiceguide.printable import for_terminal, json_for_terminal, one_line
    from voiceguide.schema import ROUTINE_SCHEMA
except KeyboardInterrupt:
    sys.stderr.write("voiceguide: interrupted\n")
    raise SystemExit(130) from None

INTERNAL_ERROR_CODE = 1  # a bug of ours, not the user's input (2) nor a stop (130)


def say(text: str, *, err: bool = False, lines: bool = False, nl: bool = True) -> None:
    """Print output: someone else's text in it (a title, a path, an imported routine) shown without
    escape sequences, control characters or bidi controls; lines=True keeps its line breaks."""
    typer.echo(for_terminal(text, lines=lines), err=err, nl=nl)


def report(message: str) -> None:
    """Print an error as one line on standard error, its controls shown as visible escapes."""
    print(one_line(message), file=sys.stderr)


@contextlib.contextmanager
def one_line_errors() -> Iterator[None]:
    """voiceguide's error conventions: one line `voiceguide: ...` (or `FILE:LINE: ...`) and its exit code."""
    try:
        yield
    except VoiceguideError as exc:
        report(str(exc) if getattr(exc, "source", None) else f"voiceguide: {exc}")
        sys.exit(exc.exit_code)
    except OSError as exc:  # one the layers below did not word themselves (a file name too long for the system)
        named = f"{exc.filename}: " if exc.filename is not None else ""
        reason = exc.strerror or str(exc) or type(exc).__name__
        report(f"voiceguide: {named}{reason[:1].lower()}{reason[1:]}")
        sys.exit(VoiceguideError.exit_code)


class Commands(TyperGroup):
    """The command group with voiceguide's error conventions, so they hold wherever it runs (main, CliRunner).

    Every error is one line `voiceguide: ...` (or `FILE:LINE: ...`) with its exit code, never a
    traceback; a usage error (`--rate fast`, an unknown option) too, exit 2, pointing at -h.
    """

    def main(  # click's signature; standalone_mode is always off here: the errors are ours to print
        self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
        standalone_mode: bool = False, windows_expand_args: bool = True, **extra: Any,  # noqa: ARG002 - click's
    ) -> NoReturn:
        try:
            with one_line_errors():
                result = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except typer.TyperException as exc:  # click's usage errors (typer vendors click)
            message = exc.format_message().rstrip(".")
            context = getattr(exc, "ctx", None)
            hint = f" (see '{context.command_path} -h')" if context is not None else ""
            report(f"voiceguide: {message[:1].lower()}{message[1:]}{hint}")
            sys.exit(exc.exit_code)
        except typer.Abort:
            report("voiceguide: interrupted")
            sys.exit(130)
        except Exception as exc:  # a bug of ours: still one line, never a traceback
            if os.environ.get("VOICEGUIDE_DEBUG"):
                raise
            what = one_line(f"{type(exc).__name__}: {exc}")
            report(f"voiceguide: internal error ({what[:300]}); please report it (VOICEGUIDE_DEBUG=1 shows where)")
            sys.exit(INTERNAL_ERROR_CODE)
        sys.exit(result if isinstance(result, int) else 0)  # typer returns 130 for Ctrl-C


app = typer.Typer(
    cls=Commands,
    help="Hands-free spoken guidance for exercise, stretching and breathing routines.",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _show_version(wanted: bool) -> None:
    if wanted:
        say(f"voiceguide {version('voiceguide')}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _commands(
    context: typer.Context,
    _version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    if context.invoked_subcommand is None:  # no command: what there is to do
        typer.echo(context.get_help())
        raise typer.Exit(2)


RoutineArg = Annotated[
    str, typer.Argument(metavar="ROUTINE", help="A built-in routine name ('voiceguide routines') or a routine YAML file.")
]


@app.command()
@session_options
def plan(
    routine: RoutineArg = api.DEFAULT_ROUTINE,
    as_json: Annotated[bool, typer.Option("--json", help="Print the timeline as JSON.")] = False,
    *, choices: dict,
) -> None:
    """Show the session's timeline: when each thing is said or heard, and the total length (a programme: its sessions)."""
    if api.is_program(routine):
        plan_program(routine, as_json, choices)
        return
    timeline = api.plan(routine, **choices)
    if as_json:
        say(json_for_terminal(timeline.to_json()), lines=True)  # bidi controls and C1 as \\uXXXX: the same JSON
    else:
        from rich.console import Console

        from voiceguide.cli.plan_table import plan_table

        Console().print(plan_table(timeline))


def plan_program(source: str, as_json: bool, choices: dict) -> None:
    """The programme as a table: each session's week, day, date, routine, options and length."""
    program = api.load_program(source)
    rows = api.plan_program(program, **choices)
    if as_json:
        sessions = [
            {"week": p.session.week, "day": p.session.day_name, "date": p.date.isoformat(), "routine": p.session.routine,
             "title": timeline.title, "options": {k: v for k, v in p.choices.items() if k != "config"},
             "progressed": list(p.session.progressed), "total": round(timeline.total, 3)}
            for p, timeline in rows
        ]  # fmt: skip
        say(json_for_terminal(json.dumps({"program": program.title, "sessions": sessions}, indent=2, ensure_ascii=False)), lines=True)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    starts = "" if program.start else " (no start: dates from today)"
    table = Table(title=Text(for_terminal(program.title)), caption=f"{plural(len(rows), 'session')}{starts}")
    for heading in ("week", "day", "date", "session", "options", "length"):
        table.add_column(heading, justify="right" if heading == "length" else "left")
    for planned, timeline in rows:
        marked = planned.session.progressed
        shown = [f"{k.replace('_', '-')} {v}" + "*" * (k in marked) for k, v in planned.choices.items() if k != "config"]
        table.add_row(
            str(planned.session.week), planned.session.day_name, planned.date.isoformat(), Text(for_terminal(timeline.title)),
            Text(for_terminal(", ".join(shown))), clock(timeline.total),
        )
    Console().print(table)
    if any(planned.session.progressed for planned, _ in rows):
        say("* changed by the programme's progress this week")


@app.command()
def check(routine: RoutineArg) -> None:
    """Validate a routine (or a programme and its routines) without synthesizing speech."""
    if api.is_program(routine):
        program = api.load_program(routine)
        for planned in api.program_sessions(program):
            api.check(planned.session.routine)
        say(f"{routine}: ok: {program.title}, {plural(len(program.sessions), 'session')} over {plural(program.weeks, 'week')}")
        return
    loaded = api.check(routine)
    say(f"{routine}: ok: {loaded.title}, {plural(len(loaded.exercises), 'exercise')}")


@app.command()
def routines() -> None:
    """List the built-in routines, with each one's length at the default options."""
    for name, routine in zip(api.builtin_order(), api.routines(), strict=True):
        names = ", ".join(e.name for e in routine.exercises)
        say(f"{name}: {routine.title} ({names}), {clock(api.plan(routine).total)}")


@app.command()
def voices(
    language: Annotated[str | None, typer.Option("--language", help="Only voices for this language (de, en-us).")] = None,
    sample: Annotated[
        str | None, typer.Option("--sample", help="Speak a short sentence in this voice (id, language or name).")
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="With --sample: write it to this file instead.")] = None,
    rate: Annotated[int | None, typer.Option("--rate", help="With --sample: words per minute (default: 150).")] = None,
) -> None:
    """List the installed voices, natural (Piper) ones first, and espeak's variants (--voice de+f2), or hear one."""
    if sample is not None:
        api.sample(sample, rate, output)
        if output is not None:
            say(f"wrote {output}")
        return
    if output is not None or rate is not None:
        raise VoiceguideError("-o and --rate go with --sample VOICE")
    rows = [  # filtered before they are measured: a voice's name comes from its files
        tuple(for_terminal(cell) for cell in (v.id, v.engine, v.language or "(variant)", v.name, v.quality or "-", v.gender or "-"))
        for v in api.voices(language)
    ]
    say(columns([("ID", "ENGINE", "LANGUAGE", "NAME", "QUALITY", "GENDER"), *rows]), lines=True, nl=False)


@app.command()
def phrases(
    language: Annotated[str, typer.Option("--language", help="The catalogue's language: a tag (de, es-419) or a name (Deutsch).")],
    sample: Annotated[bool, typer.Option("--sample", help="Speak every phrase in the language's voice instead.")] = False,
    voice: Annotated[str | None, typer.Option("--voice", help="With --sample: this voice (default: the language's).")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="With --sample: write it to this file instead.")] = None,
    rate: Annotated[int | None, typer.Option("--rate", help="With --sample: words per minute (default: 150).")] = None,
) -> None:
    """Print every phrase of a language's catalogue as a session says it (plural forms at 1, 2, 5 and 21), or hear them."""
    if sample:
        said = api.say_phrases(language, voice, rate, output)
        say(f"{'wrote ' + str(output) + ': ' if output is not None else ''}{plural(len(said), 'phrase')}")
        return
    if output is not None or rate is not None or voice is not None:
        raise VoiceguideError("-o, --voice and --rate go with --sample")
    lines = []
    for entry in api.phrases(language):
        english = " | ".join(part for part in (entry.msgid, entry.plural) if part)
        shown = "" if entry.said else "  (shown, not said)"
        lines.append(f"{f'[{entry.context}] ' if entry.context else ''}{english}{shown}")
        for n, text in entry.forms:
            missing = "(none: English's is not used)" if not text else "(English: no translation)"
            shown = "  ".join(part for part in (text, "" if entry.translated else missing) if part)
            lines.append(f"  {'' if n is None else f'{n}: '}{shown}")
    say("\n".join(for_terminal(line) for line in lines), lines=True)


def columns(rows: list[tuple[str, ...]]) -> str:
    """Rows as plain aligned columns: readable, and easy to grep or cut."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() + "\n" for row in rows)


@app.command()
def cache(clear: Annotated[bool, typer.Option("--clear", help="Remove every cached clip.")] = False) -> None:
    """Show the speech clip cache's folder and size (the oldest clips go past its limit), or clear it."""
    found = api.clear_cache() if clear else api.cache_size()
    mib = found.bytes / (1024 * 1024)
    if clear:
        say(f"removed {found.files} clips ({mib:.1f} MiB) from {found.folder}")
    else:
        say(f"{found.folder}: {found.files} clips, {mib:.1f} MiB (limit {found.limit / (1024 * 1024):.0f} MiB)")


@app.command()
def config() -> None:
    """Show your config file of personal defaults (voice, rate, ...): where it is and what it sets, as TOML."""
    found = api.user_config()
    if not found.exists:
        say(f"# {found.path}: no such file, so the built-in defaults apply")
        say(f"# it may set: {', '.join([*CONFIG_KEYS, *PLAY_CONFIG_KEYS])} (as TOML: rate = 160)")
    else:
        say(f"# {found.path}" + ("" if found.shown() else ": sets nothing"))
        for line in found.shown():
            say(line)
    say("# a command-line option, then a routine's own setting, win over it")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the routine format, for editors."""
    say(json_for_terminal(json.dumps(ROUTINE_SCHEMA, indent=2, ensure_ascii=False)), lines=True)


@app.command("import")
def import_article(
    article: Annotated[str, typer.Argument(help="An exercise article: a text, Markdown or saved HTML file, or - for standard input.")],
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="Write the routine YAML here instead of standard output (-: there too).")
    ] = None,
) -> None:
    """Turn a written exercise article or web page into a routine (check the '# from' comments it adds)."""
    output = None if output == "-" else output  # '-' is standard output, as it is standard input for the article
    imported = api.import_routine(article, output)
    if output is None:
        say(imported.text, lines=True, nl=False)
    say(f"{'standard input' if article == '-' else article}: {imported.summary}", err=True, lines=True)  # one line per value to check


DISPLAYS = ("big", "compact", "lines")
MAX_NUMBER_DIGITS = 9  # an exercise number or a bitrate longer than this is out of any range


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
    device: Annotated[str | None, typer.Option(
        "--device", metavar="NAME", help="The ALSA output to play on, as 'aplay -L' names it: headphones through PulseAudio are "
        "pulse:DEVICE=SINK ('pactl list short sinks'). Default: ALSA's default.",
    )] = None,
    listen: Annotated[bool | None, typer.Option(
        *PLAY_CONFIG_KEYS["listen"].cli_flags, help="Obey voice commands from the default microphone (English, offline; its "
        "sound is never stored or sent): pause, resume or 'go on', next, back, repeat, longer, stop. Default: the config "
        "file's listen, else off.", show_default=False,
    )] = None,
    *, choices: dict,
) -> None:
    """Play the session live. Keys: Space pause/resume, n or → next exercise, p or ← back, r repeat, + 10 s more of this hold, q quit."""
    from voiceguide.cli.live_panel import play_in_terminal

    if display not in DISPLAYS:
        raise VoiceguideError(f"--display {display}: choose one of {', '.join(DISPLAYS)}")
    if start is not None and start.strip().isdigit() and len(start.strip().lstrip("0")) > MAX_NUMBER_DIGITS:
        # Python refuses int() of a number this long; no routine has so many exercises.
        raise VoiceguideError(f"--start {start.strip()}: no such exercise (give its number or its name)")
    if listen is None:
        listen = bool(api.user_config().play.get("listen", False))
    session = api.play(routine, wait=False, start=start, device=device, listen=listen, report=lambda line: say(line, err=True), **choices)
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
    page: Annotated[str | None, typer.Option(
        "--page", metavar="[embed]",
        help="Also write FILE.html, a page that plays the audio beside it and shows the session; --page embed puts the audio inside.",
    )] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no summary.")] = False,
    *, choices: dict,
) -> None:
    """Render the session to an audio file, with tags, a chapter per exercise and side, and captions."""
    from rich.console import Console

    from voiceguide.cli.progress import render_progress

    digits = (bitrate or "").strip().lower().removesuffix("k")
    if digits.isdigit() and len(digits.lstrip("0")) > MAX_NUMBER_DIGITS:
        # Python refuses int() of a number this long: refused here, before the encoder's range check
        raise VoiceguideError(f"--bitrate {digits}k: far too high; MP3 and OGG take kilobits per second like 64k")
    console = Console(stderr=True)
    try:
        with render_progress(console, enabled=not quiet and console.is_terminal) as progress:
            path = api.render(
                routine, output, bitrate=bitrate, captions=captions, timeline=timeline, page=page or False,
                progress=progress, **choices,
            )
    except KeyboardInterrupt:  # outputs are renamed into place only when whole: the old ones stand
        raise Interrupted("interrupted, nothing written") from None
    except SystemExit as stop:  # a kill or a closed terminal (see main)
        raise Interrupted("stopped, nothing written", stop.code) from None
    if not quiet:
        extras = [path.with_suffix(s) for s in (".srt", ".vtt")] if captions else []
        extras += [path.with_suffix(".json")] if timeline else []
        extras += [path.with_suffix(".html")] if page else []
        say(f"wrote {', '.join(str(p) for p in [path, *extras])}")


@app.command()
@session_options
def publish(
    source: Annotated[str, typer.Argument(
        metavar="PROGRAM", help="A programme YAML file, or a routine (built-in or file) to publish as one episode.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The folder to write the feed and its episodes to.")],
    bitrate: Annotated[str | None, typer.Option("--bitrate", help="MP3 bitrate (default: 64k).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No line per session.")] = False,
    *, choices: dict,
) -> None:
    """Render every session (those unchanged since the last time are kept) and write a podcast feed: feed.xml,
    with chapters, transcripts and cover art; 'voiceguide serve FOLDER' puts it on your phone."""
    try:
        published = api.publish(source, output, bitrate=bitrate, report=None if quiet else lambda line: say(line, err=True), **choices)
    except KeyboardInterrupt:  # each file is renamed into place only when whole; the feed is written last
        raise Interrupted("interrupted; the feed is as it was (episodes rendered so far are kept for the next run)") from None
    except SystemExit as stop:
        raise Interrupted("stopped; the feed is as it was", stop.code) from None
    if not quiet:
        removed = f", {published.removed} old removed" if published.removed else ""
        say(f"wrote {published.feed}: {plural(published.episodes, 'episode')} ({published.rendered} rendered, "
            f"{published.kept} kept{removed})")


@app.command()
def serve(
    folder: Annotated[Path, typer.Argument(help="A folder 'voiceguide publish' wrote.")],
    host: Annotated[str | None, typer.Option(
        "--host", help="The address to serve on (default: this machine's on the local network; 127.0.0.1: this machine only).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="The port (default: 8770, the same each time; 0: any free one).")] = None,
) -> None:
    """Serve a published feed on the local network (read-only, that folder only, under a secret path) until Ctrl-C:
    subscribe from your phone's podcast app to the address it prints, or scan its QR code."""
    server = api.serve(folder, host, port, log=lambda line: say(line))
    try:
        say(f"serving {folder} at {server.address}", nl=True)
        typer.echo(server.qr_code())  # block characters only (segno's compact drawing)
        say("subscribe to that address in your podcast app (Add by URL) or scan the code; Ctrl-C stops", nl=True)
        sys.stdout.flush()
        server.serve_forever()  # werkzeug's returns on Ctrl-C
    except KeyboardInterrupt:  # one that came before it began
        pass
    finally:
        server.close()
    say("stopped")


def optional_page_value(args: list[str]) -> list[str]:
    """`--page` alone is --page=link and `--page embed` is --page=embed: click has no option whose value may be left out."""
    result: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            return [*result, arg, *rest]
        if arg != "--page":
            result.append(arg)
            continue
        value = next(rest, None)
        result.append(f"--page={value if value in api.PAGE_MODES else 'link'}")
        if value is not None and value not in api.PAGE_MODES:
            result.append(value)
    return result


def _exit_on(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def tolerant_streams() -> None:
    """Standard output and error that print any text: what their encoding cannot show (PYTHONIOENCODING=ascii,
    a C locale) comes out as an escape (\\u00e9) instead of ending the command with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="backslashreplace")


def main() -> None:
    """Entry point: errors as one line with their exit code (Commands), Ctrl-C as exit 130, never a traceback."""
    try:
        tolerant_streams()
        # A kill or a closed terminal unwinds like Ctrl-C, so temp files and ffmpeg are cleaned up.
        for stop in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(stop, _exit_on)
        app(args=optional_page_value(sys.argv[1:]), prog_name="voiceguide")
    except KeyboardInterrupt:  # Ctrl-C before the command began (typer turns a later one into exit 130)
        report("voiceguide: interrupted")
        sys.exit(130)
    except SystemExit as end:
        if end.code not in (None, 0, 1, 2):  # stopped (Ctrl-C, a kill): don't wait on the voice's queued clips
            api.stop()
        raise
    finally:
        # At exit Python collects garbage over every object it made (a render's last
        # step); frozen, they are skipped: the process is ending.
        gc.freeze()
