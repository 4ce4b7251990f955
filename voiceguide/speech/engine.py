"""Speech clips: the session's voice resolved once, its clips synthesized on the engine's own threads
and kept in an on-disk cache. The rest of the program sees clips, never an engine.

Two engines (speech/piper.py, the natural default; speech/espeak.py, every language espeak
knows) sit behind Speech. Each distinct (engine, resolved voice, model, engine version,
rate, text) is synthesized once; the cached clip is trimmed of leading and trailing
silence so a clip's length is the time it is heard, which is what the compiler schedules
against. The mix levels each clip (audio.leveling: one loudness for render and live play
alike) and keeps the leveled copy beside it: the engines only synthesize, so the whole
timeline is known as soon as the voice has spoken it.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import sys
import threading
import wave
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from voiceguide import threads
from voiceguide.audio.samples import SAMPLE_RATE, read_clip, valid_clip, write_clip
from voiceguide.compiler import texts_to_speak
from voiceguide.errors import VoiceguideError
from voiceguide.options import Options
from voiceguide.phrases import Phrases
from voiceguide.routine import Routine
from voiceguide.speech import clip_cache, espeak, piper
from voiceguide.speech.clip_cache import cache_dir
from voiceguide.speech.voices import DEFAULT_BASE, UnknownVoice, VoiceInfo, Voices

CLIP_FORMAT = 8  # bump when the processing below changes what a cached clip holds
SILENCE_THRESHOLD = 200  # |sample| below this counts as silence (of 32767)
LEAD_KEEP = 0.01  # seconds of silence kept before the first sound
TAIL_KEEP = 0.05  # and after the last
ENGINE_MAX_CHARS = 20_000  # espeak crashes (SIGSEGV) on texts near 40,000 characters
SpeechUnavailable = espeak.SpeechUnavailable


class Workers:
    """Threads that own one engine: it is made on the first of them, and every job runs there."""

    def __init__(self, make: Callable[[], Any], count: int, name: str) -> None:
        self.jobs: queue.Queue[tuple[Callable[[Any], Any], Future[Any]]] = queue.Queue()
        self.engine: Any = None
        self.error: BaseException | None = None
        made = threading.Event()
        threads.start(self._first, name, make, count, name, made)
        made.wait()

    def _first(self, make: Callable[[], Any], count: int, name: str, made: threading.Event) -> None:
        try:
            self.engine = make()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            self.error = exc
            return
        finally:
            made.set()
        for i in range(1, count):
            threads.start(self._serve, f"{name}-{i}")
        self._serve()

    def _serve(self) -> None:
        while True:
            job, future = self.jobs.get()
            try:
                future.set_result(job(self.engine))
            except BaseException as exc:  # noqa: BLE001 - the caller's, through its future
                future.set_exception(exc)

    def submit(self, job: Callable[[Any], Any]) -> Future[Any]:
        future: Future[Any] = Future()
        self.jobs.put((job, future))
        return future


_workers: dict[object, Workers] = {}
_workers_lock = threading.Lock()


def _engine(key: object, make: Callable[[], Any], count: int, name: str) -> Workers:
    """The process's workers for one engine (espeak; a Piper model), started on first need; a failed start is tried again."""
    with _workers_lock:
        workers = _workers.get(key)
        if workers is None or workers.error is not None:
            workers = _workers[key] = Workers(make, count, name)
        if workers.error is not None:
            raise workers.error
        return workers


def stop_workers() -> None:
    """Stop synthesizing at once (Ctrl-C, a kill): clips still queued are dropped and worker processes end,
    instead of the process's exit waiting for every clip asked for (a cold plan queues hundreds)."""
    with _workers_lock:
        for workers in _workers.values():
            stop = getattr(workers.engine, "stop", None)
            if stop is not None:
                stop()


def _espeak() -> Workers:
    # Its voices are listed once, on the first thread; each clip is a process of its own, one per core at a time.
    return _engine("espeak", espeak.Espeak, os.cpu_count() or 1, "voiceguide-espeak")


def espeak_voices() -> Voices:
    """espeak-ng's voices and variants."""
    return _espeak().engine.voices


@dataclass(frozen=True)
class Voice:
    """A voice as resolved for a session: which engine, which voice of it, and what identifies its sound."""

    engine: str  # "piper" or "espeak"
    id: str  # espeak's id ("gmw/en-us+f2") or the Piper voice's name ("en_US-joe-medium")
    language: str  # what it speaks: "en-us"
    model: Path | None = None  # Piper's .onnx
    digest: str = ""  # the model's sha256: a changed model never reads old clips

    @property
    def version(self) -> str:
        return piper.engine_version() if self.engine == "piper" else espeak.engine_version()


def piper_voices() -> list[VoiceInfo]:
    return [
        VoiceInfo(v.name, v.speaker or v.name, (v.language,), engine="piper", quality=v.quality) for v in piper.installed_piper_voices()
    ]


def installed_voices(language: str | None = None) -> list[VoiceInfo]:
    """Every voice a user can name, Piper's first (those for `language` and its regions, if given), then espeak-ng's variants."""
    espeak_known = espeak_voices()
    piper_known = [v for v in piper_voices() if language is None or v.speaks(language)]
    return [*piper_known, *espeak_known.speaking(language), *espeak_known.variants]


def resolve_voice(spec: str | None = None, language: str | None = None) -> Voice:
    """The voice a session speaks with.

    spec (what the user wrote, --voice): a path to a Piper .onnx, a Piper voice's name or speaker
    ("en_US-joe-medium", "joe"), or an espeak voice id, language or name, with an espeak variant
    ("de+f2"; "+f2" alone goes on the language's espeak voice). Without one: the language's
    natural (Piper) voice where one is installed (unless VOICEGUIDE_ENGINE=espeak), else espeak's
    voice of the language; if Piper cannot load, espeak with a one-line notice. Raises
    VoiceguideError for an unknown voice.
    """
    wanted = " ".join(spec.split()) if spec else ""
    if wanted.lower().endswith(".onnx"):
        return _piper(piper.read_voice(Path(wanted).expanduser()))
    if wanted and not wanted.startswith("+"):
        named = next((v for v in piper.installed_piper_voices() if wanted.lower() in (v.name.lower(), v.speaker)), None)
        if named is not None:
            return _piper(named)
        return _espeak_voice(wanted)
    tag = (language or DEFAULT_BASE).lower()
    if not wanted and _default_engine() == "piper":
        natural = _natural(tag)
        if natural is not None:
            return natural
    if espeak_voices().voice(tag) is None:  # the session's language, not a voice anyone typed
        raise VoiceguideError(
            f"no installed voice speaks language '{tag}' ('voiceguide voices' lists those that do): "
            "name a voice with --voice, or another language"
        )
    return _espeak_voice(tag + wanted)


def _default_engine() -> str:
    """VOICEGUIDE_ENGINE=espeak makes espeak the default engine (quick to synthesize, robotic); unset: the natural voice."""
    engine = os.environ.get("VOICEGUIDE_ENGINE", "piper").strip().lower() or "piper"
    if engine not in ("piper", "espeak"):
        raise VoiceguideError(f"VOICEGUIDE_ENGINE must be piper or espeak, not {engine!r}")
    return engine


def _natural(tag: str) -> Voice | None:
    """The installed Piper voice for a language tag, its own region first (en-gb before en-us), if it loads."""
    base = tag.split("-")[0]
    speaking = sorted(
        (v for v in piper.installed_piper_voices() if v.language.split("-")[0] == base), key=lambda v: v.language != tag
    )
    if not speaking:
        return None
    try:
        return _piper(speaking[0])
    except piper.PiperUnavailable as exc:
        print(f"voiceguide: speaking with espeak-ng: {exc}", file=sys.stderr)
        return None


def _piper(found: piper.PiperVoiceFile) -> Voice:
    piper.check_installed()
    digest = piper.check_model(found, cache_dir().parent / "voice-digests.json")
    return Voice("piper", found.name, found.language, found.model, digest)


def _espeak_voice(spec: str) -> Voice:
    voices = espeak_voices()
    try:
        ident = voices.resolve(spec)
    except UnknownVoice as exc:
        names = [v.id for v in piper_voices()]
        raise VoiceguideError(str(exc) + (f"; natural voices: {', '.join(names)}" if names else "")) from None
    return Voice("espeak", ident, voices.language_of(ident))


def session_speech(routine: Routine, options: Options, speech: Speech | None = None) -> Speech:
    """The speech of a session (its voice, or its language's, at its rate; or the one given), already
    synthesizing every text the session will ask for, on all the engine's workers."""
    speech = speech or Speech(options.voice, options.rate, language=options.language)
    speech.prefetch(texts_to_speak(routine, options))  # with the built-in cues' lengths: a guess either way
    return speech


class Speech:
    """Speech clips for one voice and rate; thread-safe, requests go to the engine's own threads."""

    def __init__(self, voice: str | None = None, rate: int = 150, cache: Path | None = None, language: str | None = None) -> None:
        self.spec = voice  # as the user wrote it: resolved once, on first need
        self.language = language
        self.rate = rate
        self.cache = cache or cache_dir()
        self._voice: Voice | None = None
        self._phrases: Phrases | None = None
        self._pending: dict[str, Future[Path]] = {}
        self._lengths: dict[str, float] = {}
        self._lock = threading.Lock()

    @property
    def voice(self) -> Voice:
        """The resolved voice (resolving it may start espeak to list its voices, ~30 ms; Piper's model loads only to speak)."""
        if self._voice is None:
            self._voice = resolve_voice(self.spec, self.language)
        return self._voice

    def spoken(self, text: str) -> str:
        """What the engine reads for a text: its abbreviations written out in the session's language (or the
        voice's): 'ca. 2 Min.' -> 'circa 2 Minuten'. The timeline keeps the text as the routine wrote it."""
        if self._phrases is None:
            self._phrases = Phrases(self.language or self.voice.language)
        return self._phrases.spoken(text)

    def key(self, text: str) -> str:
        voice = self.voice
        ident = {
            "engine": voice.version, "voice": voice.id, "model": voice.digest, "rate": self.rate, "text": self.spoken(text),
            "format": CLIP_FORMAT,
        }  # fmt: skip
        return hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()

    def path(self, text: str) -> Path:
        key = self.key(text)
        return self.cache / key[:2] / f"{key}.wav"

    def _workers(self) -> Workers:
        voice = self.voice
        if voice.engine == "espeak":
            return _espeak()
        model = voice.model
        assert model is not None  # a Piper voice has its model
        # The voice's files are read only when its workers first start, not on every clip asked for.
        return _engine(("piper", model), lambda: piper.PiperProcesses(piper.read_voice(model)), piper.WORKERS, "voiceguide-piper")

    def _synthesize(self, engine: Any, text: str) -> Path:
        samples = trim_silence(engine.synthesize(self.spoken(text), self.voice.id, self.rate))
        if samples.size == 0:
            raise VoiceguideError(f"the speech engine produced no sound for {text!r}")
        target = self.path(text)
        write_clip(target, samples)
        return target

    def request(self, text: str) -> Future[Path]:
        """Start synthesizing text (unless cached) and return a future of its clip's path."""
        if len(text) > ENGINE_MAX_CHARS:  # routines are checked far below this; the API is not
            raise VoiceguideError(f"cannot speak a text of {len(text):,} characters; at most {ENGINE_MAX_CHARS:,}")
        with self._lock:
            future = self._pending.get(text)
            if future is None:
                path = self.path(text)
                if valid_clip(path):
                    clip_cache.used(path)
                    future = Future()
                    future.set_result(path)
                else:
                    future = _synthesizing(path, lambda: self._workers().submit(lambda engine: self._synthesize(engine, text)))
                    _evict_once(self.cache)
                self._pending[text] = future
            return future

    def prefetch(self, texts: Iterable[str]) -> None:
        """Start synthesizing every text now, so the engine's workers make them all while the caller goes on."""
        for text in dict.fromkeys(texts):
            self.request(text)

    def clip(self, text: str) -> Path:
        return self.request(text).result()

    def samples(self, text: str) -> np.ndarray:
        """The clip as int16 mono samples at SAMPLE_RATE, as the voice said it (trimmed)."""
        return read_clip(self.clip(text))

    def duration(self, text: str) -> float:
        """Seconds the clip lasts: the compiler's duration function."""
        length = self._lengths.get(text)
        if length is None:
            with wave.open(str(self.clip(text)), "rb") as clip:
                length = clip.getnframes() / clip.getframerate()
            self._lengths[text] = length
        return length


_inflight: dict[Path, Future[Path]] = {}  # clips being made, whichever Speech asked: each is made once
_inflight_lock = threading.RLock()  # a future already done runs its callback at once, under the lock


def _synthesizing(path: Path, start: Callable[[], Future[Path]]) -> Future[Path]:
    """The future of the clip at path: one already on its way (a fitted session asks again), or start()'s."""
    with _inflight_lock:
        future = _inflight.get(path)
        if future is None or (future.done() and future.exception() is not None):
            future = _inflight[path] = start()
            future.add_done_callback(lambda _: _forget(path))
        return future


def _forget(path: Path) -> None:
    with _inflight_lock:
        _inflight.pop(path, None)


_evicted: set[Path] = set()


def _evict_once(folder: Path) -> None:
    """Keep the cache under its limit, once per process and folder that synthesizes: beside the work, not before it."""
    if folder not in _evicted:
        _evicted.add(folder)
        threads.start(clip_cache.evict, "voiceguide-evict", folder)


def trim_silence(samples: np.ndarray) -> np.ndarray:
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > SILENCE_THRESHOLD)
    if loud.size == 0:
        return samples[:0]
    first = max(0, loud[0] - int(LEAD_KEEP * SAMPLE_RATE))
    last = min(samples.size, loud[-1] + 1 + int(TAIL_KEEP * SAMPLE_RATE))
    return samples[first:last]
