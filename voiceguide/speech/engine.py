"""Speech clips: pyttsx3 (espeak-ng on Linux) synthesis behind an on-disk cache.

pyttsx3 is not thread-safe and espeak can only be initialised once per process,
so one worker thread owns the engine and every request goes through its queue.
Each distinct (engine, voice, rate, text) is synthesized once; the cached clip
is trimmed of espeak's leading and trailing silence so a clip's length is the
time it is heard, which is what the compiler schedules against. A clip is
leveled (audio.leveling: one loudness for render and live play alike) by the
thread that mixes it, and kept beside the clip: the worker only synthesizes, so
the whole timeline is known as soon as espeak has spoken it, and a render's two
halves level their own clips on their own threads (rendering/pipeline.py).
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import json
import os
import queue
import shutil
import subprocess
import threading
import wave
from concurrent.futures import Future
from importlib import metadata
from pathlib import Path

import numpy as np

from voiceguide.audio.leveling import LEVEL_KEY, SPEECH_LUFS, level
from voiceguide.audio.samples import SAMPLE_RATE, read_clip, to_float, to_int16, valid_clip, write_clip
from voiceguide.errors import VoiceguideError
from voiceguide.speech.voices import UnknownVoice, VoiceInfo, Voices

CLIP_FORMAT = 5  # bump when the processing below changes what a cached clip holds
SILENCE_THRESHOLD = 200  # |sample| below this counts as silence (of 32767)
LEAD_KEEP = 0.01  # seconds of silence kept before the first sound
TAIL_KEEP = 0.05  # and after the last
ENGINE_MAX_CHARS = 20_000  # espeak's binding crashes (SIGSEGV) on texts near 40,000 characters
SYNTH_TIMEOUT = 30.0  # seconds to wait for espeak's end-of-message event before asking it directly


class SpeechUnavailable(VoiceguideError):
    pass


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "voiceguide" / "clips"


@functools.cache  # reading package metadata takes ~0.3 ms, and every clip's cache key needs it
def _engine_version() -> str:

    try:
        return "pyttsx3-" + metadata.version("pyttsx3")
    except metadata.PackageNotFoundError:
        return "pyttsx3"


class _Espeak:
    """pyttsx3's espeak driver, driven synchronously so each clip is captured whole.

    pyttsx3's own save_to_file path loses audio: its synth callback writes the
    WAV on the "message terminated" event before appending the samples that came
    with it (short texts come out empty, longer ones lose their ending), and
    setProperty between saves goes through a command queue whose ordering can
    end a run before it speaks. So we use the driver for voices and properties
    and espeak's retrieval callback (through pyttsx3's binding) for the samples.
    """

    def __init__(self) -> None:
        if os.name == "posix":
            binary = shutil.which("espeak-ng") or shutil.which("espeak")
            if binary is None:
                raise SpeechUnavailable(
                    "espeak-ng is not installed: install it with 'sudo apt-get install espeak-ng' (or run scripts/setup.sh)"
                )
            _check_espeak_data(binary)
        try:
            import pyttsx3
            from pyttsx3.drivers import _espeak

            self.driver = pyttsx3.init(driverName="espeak").proxy._driver
        except Exception as exc:  # pyttsx3 raises bare RuntimeError/OSError from the driver
            raise SpeechUnavailable(
                f"cannot start the speech engine ({exc}); install espeak-ng: 'sudo apt-get install espeak-ng'"
            ) from None
        self._espeak = _espeak
        self._chunks: list[bytes] = []
        self._finished = threading.Event()
        _espeak.SetSynthCallback(self._on_synth)  # replaces the driver's callback: we never use its playback
        self.voices = Voices(
            tuple(
                VoiceInfo(v.id, v.name, tuple(str(lang) for lang in (v.languages or ())), (v.gender or "").lower())
                for v in self.driver.getProperty("voices")
            ),
            self._variants(),
        )
        self.default_voice: str = self.driver.getProperty("voice") or "en"

    def _variants(self) -> tuple[VoiceInfo, ...]:
        """espeak-ng's voice variants (+f2, +m3, +Annie, ...): ListVoices lists them under the language 'variant'."""
        spec = self._espeak.VOICE()
        spec.languages = b"variant"
        genders = {1: "male", 2: "female"}
        return tuple(
            VoiceInfo("+" + v.identifier.decode().rsplit("/", 1)[-1], v.name.decode(), (), genders.get(v.gender, ""))
            for v in self._espeak.ListVoices(spec)
        )

    def _on_synth(self, wav, numsamples, events) -> int:  # noqa: ANN001 - ctypes callback
        if numsamples > 0:
            self._chunks.append(ctypes.string_at(wav, numsamples * ctypes.sizeof(ctypes.c_short)))
        i = 0
        while events[i].type != self._espeak.EVENT_LIST_TERMINATED:
            if events[i].type == self._espeak.EVENT_MSG_TERMINATED:  # after this call's samples: the clip is whole
                self._finished.set()
            i += 1
        return 0

    def configure(self, voice: str, rate: int) -> None:
        self.driver.setProperty("voice", voice)
        self.driver.setProperty("rate", rate)  # words per minute

    def synthesize(self, text: str) -> np.ndarray:
        self._chunks = []
        self._finished.clear()
        self._espeak.Synth(text.encode("utf-8"), flags=self._espeak.ENDPAUSE | self._espeak.CHARS_UTF8)
        # espeak's Synchronize polls every 20 ms, several times what a short clip takes to
        # synthesize; its end-of-message event comes as soon as the clip is done.
        if not self._finished.wait(SYNTH_TIMEOUT):
            self._espeak.Synchronize()
        return np.frombuffer(b"".join(self._chunks), dtype="<i2")


def _check_espeak_data(binary: str) -> None:
    """Fail with one line if espeak cannot load its data files.

    libespeak calls exit() when its phoneme data is missing or unreadable (a broken
    install, a wrong ESPEAK_DATA_PATH), which would end our process mid-render with
    espeak's own message. Its command-line program, on the same library and
    environment, tells us first (~40 ms, only when a clip is not cached).
    """
    try:
        probe = subprocess.run([binary, "-q", "x"], capture_output=True, stdin=subprocess.DEVNULL, timeout=SYNTH_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SpeechUnavailable(f"the speech engine does not start ({exc})") from None
    if probe.returncode != 0:
        said = probe.stderr.decode(errors="replace").strip().splitlines()
        raise SpeechUnavailable(
            f"the speech engine cannot load its data ({said[-1].rstrip('.') if said else f'exit code {probe.returncode}'}): "
            "check ESPEAK_DATA_PATH, or reinstall with 'sudo apt-get install --reinstall espeak-ng-data'"
        )


class _EngineWorker:
    """The one thread that owns the process's speech engine."""

    def __init__(self) -> None:
        self.requests: queue.Queue[tuple[Speech, str, Future[Path]]] = queue.Queue()
        self.voices = Voices((), ())
        self.error: BaseException | None = None
        started = threading.Event()
        threading.Thread(target=self._run, args=(started,), name="voiceguide-tts", daemon=True).start()
        started.wait()

    def _run(self, started: threading.Event) -> None:
        try:
            engine = _Espeak()
            self.voices = engine.voices
        except BaseException as exc:  # handed to the caller's thread
            self.error = exc
            return
        finally:
            started.set()
        current: tuple[str, int] | None = None
        while True:
            speech, text, future = self.requests.get()
            try:
                if current != (speech._voice_id or engine.default_voice, speech.rate):
                    current = (speech._voice_id or engine.default_voice, speech.rate)
                    engine.configure(*current)
                samples = trim_silence(engine.synthesize(text))
                if samples.size == 0:
                    raise VoiceguideError(f"the speech engine produced no sound for {text!r}")
                target = speech.path(text)
                write_clip(target, samples)
                future.set_result(target)
            except BaseException as exc:
                future.set_exception(exc)


_worker: _EngineWorker | None = None
_worker_lock = threading.Lock()


def _engine_worker() -> _EngineWorker:
    global _worker
    with _worker_lock:
        if _worker is None or _worker.error is not None:
            _worker = _EngineWorker()
        if _worker.error is not None:
            raise _worker.error
        return _worker


class Speech:
    """Speech clips for one voice and rate; thread-safe, requests go to the engine's worker."""

    def __init__(self, voice: str | None = None, rate: int = 150, cache: Path | None = None) -> None:
        # As the user wrote it ('de', 'English_(America)+f2'): resolved to espeak's id when the engine starts.
        self.voice = " ".join(voice.lower().split()) if voice else None
        self._voice_id: str | None = None
        self.rate = rate
        self.cache = cache or cache_dir()
        self._engine: _EngineWorker | None = None
        self._pending: dict[str, Future[Path]] = {}
        self._lengths: dict[str, float] = {}
        self._lock = threading.Lock()

    @property
    def _worker(self) -> _EngineWorker:
        """The engine, started on first need: a session whose clips are all cached never waits for it."""
        if self._engine is None:
            worker = _engine_worker()
            if self.voice is not None:
                try:
                    self._voice_id = worker.voices.resolve(self.voice)
                except UnknownVoice as exc:
                    raise VoiceguideError(str(exc)) from None
            self._engine = worker
        return self._engine

    def key(self, text: str) -> str:
        ident = {"engine": _engine_version(), "voice": self.voice, "rate": self.rate, "text": text, "format": CLIP_FORMAT}
        return hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()

    def path(self, text: str) -> Path:
        key = self.key(text)
        return self.cache / key[:2] / f"{key}.wav"

    def leveled_path(self, text: str) -> Path:
        """Where the clip, leveled for the mix, is kept: named so a change to leveling never reads old ones."""
        clip = self.path(text)
        return clip.with_name(f"{clip.stem}.{LEVEL_KEY}.wav")

    def request(self, text: str) -> Future[Path]:
        """Start synthesizing text (unless cached) and return a future of its clip's path."""
        if len(text) > ENGINE_MAX_CHARS:  # routines are checked far below this; the API is not
            raise VoiceguideError(f"cannot speak a text of {len(text):,} characters; at most {ENGINE_MAX_CHARS:,}")
        with self._lock:
            future = self._pending.get(text)
            if future is None:
                future = Future()
                path = self.path(text)
                if valid_clip(path):
                    future.set_result(path)
                else:
                    self._worker.requests.put((self, text, future))
                self._pending[text] = future
            return future

    def clip(self, text: str) -> Path:
        return self.request(text).result()

    def samples(self, text: str) -> np.ndarray:
        """The clip as int16 mono samples at SAMPLE_RATE, as espeak said it (trimmed)."""
        return read_clip(self.clip(text))

    def leveled(self, text: str) -> np.ndarray:
        """The clip leveled for the mix (audio.leveling.level at SPEECH_LUFS), int16: read from the
        cache, or leveled here on the caller's thread and kept there for the next time."""
        stored = self.leveled_path(text)
        if valid_clip(stored):
            return read_clip(stored)
        samples = leveled_clip(self.samples(text))
        write_clip(stored, samples)
        return samples

    def duration(self, text: str) -> float:
        """Seconds the clip lasts: the compiler's duration function."""
        length = self._lengths.get(text)
        if length is None:
            with wave.open(str(self.clip(text)), "rb") as clip:
                length = clip.getnframes() / clip.getframerate()
            self._lengths[text] = length
        return length



def leveled_clip(samples: np.ndarray) -> np.ndarray:
    """A speech clip (int16) as the mix takes it: at SPEECH_LUFS, peak-limited, faded; int16."""
    return to_int16(level(to_float(samples), SPEECH_LUFS))


def trim_silence(samples: np.ndarray) -> np.ndarray:
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > SILENCE_THRESHOLD)
    if loud.size == 0:
        return samples[:0]
    first = max(0, loud[0] - int(LEAD_KEEP * SAMPLE_RATE))
    last = min(samples.size, loud[-1] + 1 + int(TAIL_KEEP * SAMPLE_RATE))
    return samples[first:last]


def installed_voices() -> Voices:
    """The engine's voices and variants."""
    return _engine_worker().voices
