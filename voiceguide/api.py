"""The library API: what each command does, as functions a user can import.

The speech engine and the render pipeline (numpy and all) are imported by the
functions that use them, so `check` and `routines` start in a few milliseconds.
"""

from __future__ import annotations

import collections
import datetime
import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from voiceguide.audio.cue_files import cue_path, session_cue_lengths
from voiceguide.cue_places import CUE_NAMES
from voiceguide.errors import RoutineError, VoiceguideError
from voiceguide.files import check_not_input, check_target
from voiceguide.fitting import fit_length
from voiceguide.options import Options, options_for
from voiceguide.phrases import Phrases
from voiceguide.phrases.catalogue import Entry, check_language, untranslated
from voiceguide.phrases.labels import Labels
from voiceguide.program import Program, single_session
from voiceguide.program import Session as ProgramSession
from voiceguide.program import is_program as is_program_file
from voiceguide.program import load_program as load_program_file
from voiceguide.rendering.page import PAGE_MODES
from voiceguide.routine import Routine, builtin_names, load_routine
from voiceguide.session_size import check_session_size
from voiceguide.user_config import UserConfig, load_config

if TYPE_CHECKING:
    import numpy as np

    from voiceguide.live.session import Session
    from voiceguide.publishing.folder import Published
    from voiceguide.publishing.server import FeedServer
    from voiceguide.rendering.pipeline import Progress
    from voiceguide.speech.clip_cache import CacheSize
    from voiceguide.speech.engine import Speech
    from voiceguide.speech.voices import VoiceInfo
    from voiceguide.timeline import Timeline

DEFAULT_ROUTINE = "lower-back"


@functools.cache  # once per language and process: a programme's sessions share it
def _warn_untranslated(language: str) -> None:
    """Say, in one line on stderr, what of a session in this language will be English (nothing when all is in it)."""
    line = untranslated(language)
    if line:
        print(f"voiceguide: {line}", file=sys.stderr)


def resolve(
    routine: str | Path | Routine = DEFAULT_ROUTINE, *, fit: bool = True, config: bool = True, **choices: object
) -> tuple[Routine, Options]:
    """The routine (a built-in name, a path or a Routine) and the options for it.

    `choices` are Options fields; None means "not given", so the routine's settings apply, then the
    user's config file (config=False: the built-in defaults instead; see user_config.py).
    Checks the session's size and the cue sounds the options use up front, so a runaway
    routine or a bad --cue-dir fails before any work.
    With a `length` (and fit), the options are those fit_length chose: every command plays the fitted session.
    """
    loaded = routine if isinstance(routine, Routine) else load_routine(routine)
    personal = load_config().values if config else None
    try:
        options = options_for(loaded, personal, **choices)
    except ValueError as exc:
        raise VoiceguideError(str(exc)) from None
    check_session_size(loaded, options)
    if options.language is not None:
        _warn_untranslated(options.language)
    session_cue_lengths(options)
    if options.background:
        from voiceguide.audio.ambience import check_background  # numpy: only for sessions with a bed

        check_background(options.background)
    return loaded, _fitted(loaded, options) if fit else options


def _fitted(loaded: Routine, options: Options) -> Options:
    """The options fit_length chooses for the session's `length`, if it has one."""
    if options.length is None:
        return options
    from voiceguide.speech.engine import session_speech

    speech = session_speech(loaded, options)
    return fit_length(loaded, options, speech.duration, session_cue_lengths(options)).options


def plan(routine: str | Path | Routine = DEFAULT_ROUTINE, speech: Speech | None = None, **choices: Any) -> Timeline:
    """Compile the routine into its timeline, with speech lengths from the real engine (cached).

    `choices` are as for resolve(): Options fields (None: not given) and config=False to leave the user's config file out."""
    from voiceguide.compiler import compile_timeline
    from voiceguide.speech.engine import session_speech

    loaded, options = resolve(routine, fit=False, **choices)
    speech = session_speech(loaded, options, speech)
    cue_lengths = session_cue_lengths(options)
    if options.length is None:
        return compile_timeline(loaded, options, speech.duration, cue_lengths)
    chosen = fit_length(loaded, options, speech.duration, cue_lengths)
    return replace(compile_timeline(loaded, chosen.options, speech.duration, cue_lengths), fit=chosen.describe(chosen.options.language))


def check(routine: str | Path) -> Routine:
    """Validate a routine without synthesizing speech; raises RoutineError (FILE:LINE: ...).

    A voice the routine names is resolved as render resolves it, so a voice render would refuse is
    refused here too (the speech engine is loaded only then: a routine without a voice checks in a blink)."""
    loaded, options = resolve(routine, fit=False, config=False)  # its settings must make valid options too
    if options.voice is not None:
        from voiceguide.speech.engine import resolve_voice

        try:
            resolve_voice(options.voice, options.language)
        except VoiceguideError as exc:
            raise RoutineError(loaded.source, None, f"voice: {exc}") from None
    _fitted(loaded, options)  # a length must fit too
    return loaded


def user_config() -> UserConfig:
    """The user's config file (where it is, whether it exists) and the defaults it sets; raises ConfigError (FILE:LINE: ...)."""
    return load_config()


def builtin_order() -> list[str]:
    """The built-in routines' names, the default first."""
    return sorted(builtin_names(), key=lambda name: (name != DEFAULT_ROUTINE, name))


def routines() -> list[Routine]:
    """The built-in routines, the default first."""
    return [load_routine(name) for name in builtin_order()]


def voices(language: str | None = None) -> list[VoiceInfo]:
    """The installed voices, natural (Piper) ones first (those for `language` and its regions, if given),
    then espeak-ng's variants (ids like '+f2'), which go on any espeak voice: --voice de+f2."""
    from voiceguide.speech.engine import installed_voices

    found = installed_voices(language)
    if language is not None and not any(v.language for v in found):  # the variants alone speak no language
        raise VoiceguideError(f"no installed voice speaks language '{language}': 'voiceguide voices' lists them all")
    return found


def cache_size() -> CacheSize:
    """The speech clip cache: its folder, clips and bytes, and the limit past which the oldest go."""
    from voiceguide.speech import clip_cache

    return clip_cache.size()


def clear_cache() -> CacheSize:
    """Remove every cached speech clip; returns what was removed."""
    from voiceguide.speech import clip_cache

    return clip_cache.clear()


SAMPLE = "Hello. This is how I sound. Breathe in slowly, and let it go."


def sample(voice: str | None = None, rate: int | None = None, output: str | Path | None = None, *, bitrate: str | None = None) -> str:
    """Speak a short sentence in the voice (and its language) at the rate: live, or into output.

    Returns the sentence. Raises VoiceguideError for an unknown voice, a bad rate or no sound device.
    """
    from voiceguide.speech.engine import Speech

    try:
        options = Options(voice=voice, rate=150 if rate is None else rate)
    except ValueError as exc:
        raise VoiceguideError(str(exc)) from None
    if output is not None:
        check_target(Path(output))  # a folder, a device or a pipe: refused before the voice speaks
    speech = Speech(options.voice, options.rate)
    text = Phrases(speech.voice.language).say(SAMPLE)
    _hear(speech.samples(text), output, bitrate)
    return text


def _hear(samples: np.ndarray, output: str | Path | None, bitrate: str | None) -> None:
    """Speech samples (int16) at the voice's loudness: played live, or written to output."""
    from voiceguide.audio.leveling import SPEECH_LUFS, level
    from voiceguide.audio.samples import to_float, to_int16
    from voiceguide.rendering.pipeline import write_sound

    sound = level(to_float(samples), SPEECH_LUFS)
    if output is not None:
        write_sound(sound, Path(output), bitrate=bitrate)
    else:
        from voiceguide.live.output import play_sound  # the audio binding is loaded only to play

        play_sound(to_int16(sound))


PHRASE_GAP = 0.6  # seconds of silence between the phrases of a spoken catalogue


def phrases(language: str) -> list[Entry]:
    """Every entry of a language's phrase catalogue as a session says or shows it (Phrases.review), so a translator
    can review it without writing a routine. A language with no catalogue, or part of one, is the one warning line
    on stderr that a session in it gets; a language that is neither a tag nor a name raises VoiceguideError."""
    try:
        tag = check_language(language)
    except ValueError as exc:
        raise VoiceguideError(str(exc)) from None
    _warn_untranslated(tag)
    return Phrases(tag).review()


def say_phrases(
    language: str, voice: str | None = None, rate: int | None = None, output: str | Path | None = None, *, bitrate: str | None = None
) -> list[str]:
    """Speak every said form of a language's catalogue once, in catalogue order, in the language's voice (or
    `voice`) at the rate: live, or into output. Returns what was said."""
    import numpy as np

    from voiceguide.audio.samples import SAMPLE_RATE
    from voiceguide.speech.engine import Speech

    texts = list(dict.fromkeys(text for entry in phrases(language) if entry.said for _, text in entry.forms))
    try:
        options = Options(voice=voice, rate=150 if rate is None else rate, language=check_language(language))
    except ValueError as exc:
        raise VoiceguideError(str(exc)) from None
    if output is not None:
        check_target(Path(output))
    speech = Speech(options.voice, options.rate, language=options.language)
    speech.prefetch(texts)
    gap = np.zeros(int(PHRASE_GAP * SAMPLE_RATE), dtype=np.int16)
    _hear(np.concatenate([part for text in texts for part in (speech.samples(text), gap)]), output, bitrate)
    return texts


def play(
    routine: str | Path | Routine = DEFAULT_ROUTINE,
    *,
    wait: bool = True,
    speech: Speech | None = None,
    start: str | int | None = None,
    device: str | None = None,
    listen: bool = False,
    report: Callable[[str], None] | None = None,
    **choices: Any,
) -> Session:
    """Play a routine live (from exercise `start`, a number or name). wait=False returns the running Session at once.

    `device` is the ALSA output to play on, as `aplay -L` names it (headphones through PulseAudio:
    pulse:DEVICE=SINK); opened before any work, so a wrong name fails at once. None: ALSA's default.
    `listen`: obey voice commands from the default microphone (voiceguide.live.listening); without
    one, `report` is told so in one line and play goes on without them. The microphone's audio is
    never stored or sent anywhere."""
    from voiceguide.live.listening import Microphone, MicrophoneUnavailable
    from voiceguide.live.output import Device
    from voiceguide.live.session import Session

    loaded, options = resolve(routine, **choices)
    output = Device(device) if device is not None else None
    microphone = None
    try:
        if listen:
            try:
                microphone = Microphone()
            except MicrophoneUnavailable as missing:
                if report is not None:
                    report(str(missing))
        session = Session(loaded, options, speech=speech, device=output, start_at=start, microphone=microphone)
    except BaseException:
        for opened in (output, microphone):
            if opened is not None:
                opened.close()
        raise
    return session.run() if wait else session.start()


def render(
    routine: str | Path | Routine = DEFAULT_ROUTINE, output: str | Path | None = None, *, bitrate: str | None = None,
    captions: bool = False, timeline: bool = False, page: bool | str = False, progress: Progress | None = None,
    **choices: Any,
) -> Path:
    """Render the session to an audio file and return its path.

    The format follows output's extension (.mp3, .ogg, .flac, .wav); without
    output, an MP3 named after the routine's title in the current directory.
    captions writes .srt and .vtt beside it, timeline the plan's JSON, page the session
    page (.html) that plays the audio beside it; page="embed" puts the audio inside the page.
    `choices` are the timeline options, as for plan().
    """
    from voiceguide.rendering.pipeline import Outputs, default_output, render_session

    loaded, options = resolve(routine, fit=False, **choices)
    target = Path(output) if output is not None else default_output(loaded.title)
    page_mode = "link" if page is True else page or None
    if page_mode not in (None, *PAGE_MODES):
        raise VoiceguideError(f"the page is 'link' (the audio beside it) or 'embed' (the audio inside it), not {page!r}")
    outputs = Outputs(target, captions, timeline, page_mode)
    for path in outputs.paths():  # before any work: a folder, a device or a pipe is no file to write
        check_target(path)
    check_not_input(outputs.paths(), _render_inputs(loaded, options))
    options = _fitted(loaded, options)
    render_session(loaded, options, outputs, bitrate=bitrate, progress=progress)
    return target


def _render_inputs(loaded: Routine, options: Options) -> list[tuple[Path, str]]:
    """The files a render reads, which none of its outputs may be: the routine file, the article it was
    imported from (a saved page that --page would replace), the background and the cue sounds in --cue-dir."""
    from voiceguide.importer.provenance import imported_from

    inputs = [(Path(loaded.source), "the routine file")]
    article = imported_from(Path(loaded.source))
    if article is not None:
        inputs.append((article, "the article this routine was imported from"))
    if options.background:
        from voiceguide.audio.ambience import source_path  # numpy: only for sessions with a bed

        inputs.append((source_path(options.background), "the background sound"))
    if options.cue_dir is not None:
        inputs += [(cue_path(name, options.cue_dir), f"the cue sound '{name}'") for name in CUE_NAMES]
    return inputs


def stop() -> None:
    """End what a stopped command left running (the voice's worker processes and their queued clips) at once."""
    import sys

    if "voiceguide.speech.engine" in sys.modules:  # nothing to stop where no speech was asked for
        from voiceguide.speech.engine import stop_workers

        stop_workers()


@dataclass(frozen=True)
class Imported:
    text: str  # the routine's YAML, as it is written and shown (no terminal controls from the article)
    summary: str  # what was found: "3 exercises, 1 two-sided, ..."


def import_routine(article: str, output: str | Path | None = None) -> Imported:
    """An article (a text, Markdown or saved HTML file, or "-" for standard input) as a routine; written
    whole to output if given (a device, a pipe or the article itself is refused before any work)."""
    from voiceguide.files import write_atomic
    from voiceguide.importer.writing import check_output, import_report, read_source
    from voiceguide.printable import for_terminal

    if output is not None:
        check_output(article, output)
    text, summary = import_report(*read_source(article))
    text = for_terminal(text, lines=True)  # so the routine shown and the one written agree
    if output is not None:
        write_atomic(Path(output), text)
        summary += f"; written to {output}"
    return Imported(text, summary)


def is_program(source: str | Path) -> bool:
    """Whether source is a programme file (its top level has `program:`) rather than a routine."""
    return is_program_file(source)


def load_program(source: str | Path) -> Program:
    """A programme file, or a routine (a built-in name or a file) as a programme of one session; raises RoutineError (FILE:LINE: ...)."""
    if is_program_file(source):
        return load_program_file(source)
    loaded = load_routine(source)
    return single_session(str(source), loaded.title, loaded.description)


@dataclass(frozen=True)
class PlannedSession:
    date: datetime.date
    session: ProgramSession
    routine: Routine
    choices: dict[str, Any]  # the session's options over the command line's: api keyword arguments


def program_sessions(program: Program, start: datetime.date | None = None, **choices: Any) -> list[PlannedSession]:
    """The programme's sessions in the order they fall (week one from start, the programme's or today),
    each with its routine and options: the programme's settings and progressions under the command line's `choices`."""
    first = start or program.start or datetime.date.today()
    given = {name: value for name, value in choices.items() if value is not None and name != "config"}
    if given.get("brief") and given.get("talk") is None:
        given["talk"] = "minimal"  # --brief beats the programme's talk, as the command line does
    planned = []
    for day, session in program.dated(first):
        session_choices = {**dict(session.choices), **given}
        if "config" in choices:
            session_choices["config"] = choices["config"]
        planned.append(PlannedSession(day, session, load_routine(session.routine), session_choices))
    return planned


_T = TypeVar("_T")


def plan_program(program: Program, **choices: Any) -> list[tuple[PlannedSession, Timeline]]:
    """Each session of the programme in the order they fall, with its timeline; a session that cannot be planned
    (a length it cannot fill, say) is one line naming the programme's line for it and the week."""
    return [(planned, _in_session(program, planned, plan, planned.routine, **planned.choices))
            for planned in program_sessions(program, **choices)]


def _in_session(program: Program, planned: PlannedSession, work: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    """work(*args, **kwargs), its errors located at the programme's session that asked for it."""
    try:
        return work(*args, **kwargs)
    except RoutineError:
        raise  # located already, in the routine
    except VoiceguideError as exc:
        where = f"{planned.session.day_name}, week {planned.session.week}"
        raise RoutineError(program.source, planned.session.line or None, f"{exc} ({where})") from None


def publish(
    source: str | Path, folder: str | Path, *, bitrate: str | None = None, report: Callable[[str], None] | None = None,
    **choices: Any,
) -> Published:
    """Publish a programme (or a routine, as one episode) to folder as a podcast feed: feed.xml, cover.png and, for each
    session, its MP3 (ID3 chapters), captions (.vtt is the transcript), JSON chapters and session page.

    A session whose render key (routine, options, voice, files read, version) has files in the folder is not
    rendered again, nor one identical to another; report gets a line per session saying which it was."""
    from voiceguide.publishing.cache import render_key
    from voiceguide.publishing.feed import Channel
    from voiceguide.publishing.folder import Planned, memory, publish_folder

    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise VoiceguideError(f"{target}: not a folder (publish writes a feed and its episodes into a folder)")
    program = load_program(source)
    start = program.start or (memory(target).start if target.is_dir() else None) or datetime.date.today()
    planned, languages, slots = [], [], collections.Counter[str]()
    for number, session in enumerate(program_sessions(program, start, **choices), 1):
        slots[session.session.slot] += 1  # two sessions on one day are two episodes: w1-mon, then w1-mon-2
        slot = session.session.slot + (f"-{slots[session.session.slot]}" if slots[session.session.slot] > 1 else "")
        loaded, options = resolve(session.routine, fit=False, **session.choices)
        languages.append(options.language or "en")
        labels = Labels(languages[-1])  # the feed's words in the session's language, as its page and chapters are
        inputs = [path for path, _ in _render_inputs(loaded, options)[1:]]  # the routine itself is in the key as parsed
        many = len(program.sessions) > 1
        planned.append(Planned(
            slot=slot, key=render_key(loaded, options, inputs, bitrate),
            title=labels.episode_title(session.session.week, session.session.day, loaded.title) if many else loaded.title,
            description=_episode_description(loaded, session, labels), season=session.session.week, number=number,
            published=datetime.datetime.combine(session.date, datetime.time(6), datetime.timezone.utc),
            render=functools.partial(_in_session, program, session, _render_episode, loaded, bitrate, session.choices),
        ))
    language = languages[0] if languages else "en"
    described = program.description or Labels(language).programme(program.title, len(program.sessions), program.weeks)
    channel = Channel(program.title, described, language)
    target.mkdir(parents=True, exist_ok=True)
    return publish_folder(target, channel, planned, start, report)


def _render_episode(loaded: Routine, bitrate: str | None, choices: dict, target: Path) -> None:
    render(loaded, target, bitrate=bitrate, captions=True, timeline=True, page=True, **choices)


def _episode_description(loaded: Routine, session: PlannedSession, labels: Labels) -> str:
    """What a podcast app shows under the episode: the routine's description, its exercises, what progressed this week."""
    parts = [loaded.description] if loaded.description else []
    parts.append(labels.exercises([exercise.name for exercise in loaded.exercises]))
    changed = dict(session.session.choices)
    if session.session.progressed:
        parts.append(labels.this_week(", ".join(f"{name.replace('_', ' ')} {changed[name]}" for name in session.session.progressed)))
    return " ".join(parts)


def serve(folder: str | Path, host: str | None = None, port: int | None = None, log: Callable[[str], None] = print) -> FeedServer:
    """A server for a published folder (not yet serving: call serve_forever, and close): on this machine's
    address on the local network (host: another; 127.0.0.1 keeps it to this machine), under the folder's secret."""
    from voiceguide.publishing.feed import FEED_NAME
    from voiceguide.publishing.folder import MANIFEST, memory
    from voiceguide.publishing.server import DEFAULT_PORT, FeedServer, local_address

    where = Path(folder)
    if not (where / FEED_NAME).is_file() or not (where / MANIFEST).is_file():
        raise VoiceguideError(f"{where}: no feed published here (voiceguide publish PROGRAM -o {where})")
    try:
        return FeedServer(where, memory(where).secret, host or local_address(), DEFAULT_PORT if port is None else port, log)
    except OSError as exc:
        raise VoiceguideError(f"cannot serve on {host or local_address()}:{port}: {exc.strerror or exc}") from None
