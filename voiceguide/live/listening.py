"""Voice commands in live play: the microphone, heard offline by pocketsphinx, steering the session.

Why this way: pocketsphinx 5 runs on the CPU, offline, with its English model in the
wheel. Its keyword spotter, tried first, fired on the guide's own phrases and on the
rain bed and missed half the commands spoken by espeak voices; a closed grammar of the
commands, decoded once per utterance, named most of them right and nothing in the rain.
So: a voice activity detector (pocketsphinx's Endpointer) cuts the microphone's stream
into utterances; an utterance too long to be a command is dropped; one said while the
guide's own voice or a cue sounded is dropped (the guard: the guide never commands
itself); the rest is decoded against the command grammar, and scored against a free
phone loop over the same frames. A close fit is obeyed; a poor one is shown, not obeyed.

One thread reads the microphone and does all of this; it touches the session only
through `Listened`. Audio is never stored or sent: each utterance lives in memory until
it is decoded.
"""

from __future__ import annotations

import bisect
import collections
import contextlib
import math
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from voiceguide import threads
from voiceguide.errors import VoiceguideError
from voiceguide.timeline import Event

RATE = 16000  # the acoustic model's rate
# What is said -> the Session control it calls (the keys' controls: voiceguide/cli/keys.py).
COMMANDS = {
    "pause": "pause", "resume": "resume", "go on": "resume", "next": "next", "back": "previous",
    "repeat": "repeat", "longer": "stay_longer", "stop": "quit",
}  # fmt: skip
GUIDE_KINDS = ("speech", "cue")  # events the guide sounds itself
GUARD = 0.4  # seconds around the words in which the guide must have been silent (output latency, echo, the VAD's edges)
LONGEST_COMMAND = 2.0  # seconds: a longer utterance is talk, not a command
VAD_WINDOW = 0.3  # seconds of speech (or of quiet) the voice activity detector needs to start (or end) an utterance
NOISE_FLOOR = 30.0  # rms, in int16 steps (-61 dBFS): what every microphone hears at least; see Recognizer.recognize
SURE = -3.5  # per-frame log-likelihood against a free phone loop: commands fit at -1.2 to -4.5, other speech at -3.8 and below
SAMPLED_EVERY = 0.05  # seconds: the listener notes the position heard at least this often (each 30 ms frame)
HISTORY = 10.0  # seconds of (time, position heard) kept for the guard
Verdict = Literal["obeyed", "unsure"]


class MicrophoneUnavailable(VoiceguideError):
    """No microphone to listen to: play goes on with keys."""


@dataclass(frozen=True)
class Heard:
    """A command heard: the words, when (time.monotonic(), from the start to the end of the words),
    how well they fit (per-frame log-likelihood against a free phone loop), and what was done."""

    words: str
    began: float
    ended: float
    fit: float
    verdict: Verdict


class Listened(Protocol):
    """What the listener needs of a session."""

    def heard_position(self) -> float | None:
        """The plan position being heard now, None while nothing plays."""

    def guide_events(self) -> Sequence[Event]:
        """The session's events known so far, in order of start."""

    def obey(self, heard: Heard) -> None: ...


def over_the_guide(events: Sequence[Event], heard: Iterable[tuple[float, float | None]], began: float, ended: float,
                   guard: float = GUARD) -> bool:  # fmt: skip
    """Whether the guide's own voice or a cue sounded while words were said from `began` to `ended`.

    `heard` is (time, plan position heard then, None while nothing played), sampled every
    frame; every sample from `guard` before the words to `guard` after them is looked at,
    each widened by SAMPLED_EVERY, so a sound between two samples is not missed.
    """
    sounds = [e for e in events if e.kind in GUIDE_KINDS]
    starts = [e.start for e in sounds]
    for at, position in heard:
        if position is None or not began - guard <= at <= ended + guard:
            continue
        last = bisect.bisect_right(starts, position + SAMPLED_EVERY)
        if any(e.end + SAMPLED_EVERY >= position for e in sounds[:last]):
            return True
    return False


class Recognizer:
    """Utterances -> (command, fit): the command grammar's best path, scored against a free phone loop."""

    def __init__(self) -> None:
        from pocketsphinx import Decoder, get_model_path

        model = get_model_path()
        self.decoder = Decoder(hmm=f"{model}/en-us/en-us", dict=f"{model}/en-us/cmudict-en-us.dict", lm=None, loglevel="FATAL")
        grammar = "#JSGF V1.0;\ngrammar commands;\npublic <command> = " + " | ".join(COMMANDS) + ";\n"
        self.decoder.add_jsgf_string("commands", grammar)
        self.decoder.add_allphone_file("phones", f"{model}/en-us/en-us-phone.lm.bin")

    def _decode(self, audio: bytes, search: str) -> list[tuple[str, int, int, float]]:
        """(word, first frame, last frame, natural-log acoustic score) of the best path."""
        self.decoder.activate_search(search)
        self.decoder.start_utt()
        self.decoder.process_raw(audio, full_utt=True)
        self.decoder.end_utt()
        if self.decoder.hyp() is None:
            return []
        return [(s.word, s.start_frame, s.end_frame, math.log(max(s.ascore, 1e-300))) for s in self.decoder.seg()]

    def recognize(self, audio: bytes) -> tuple[str, float] | None:
        """The command said in `audio` (16 kHz mono int16) and how well it fits, or None.

        A faint noise floor is laid under the audio first: the model's front end, given true digital silence
        (a microphone that gates, a virtual source), hears the words wrong or not at all (measured on 18
        espeak voices at two rates: 79 of 288 commands named nothing; with the floor, 3); under a real
        microphone's own noise the floor changes nothing."""
        samples = np.frombuffer(audio, "<i2").astype(np.float32)
        samples += np.random.default_rng(len(audio)).normal(0.0, NOISE_FLOOR, samples.size).astype(np.float32)
        audio = np.clip(samples, -32768, 32767).astype("<i2").tobytes()
        words = [w for w in self._decode(audio, "commands") if not w[0].startswith(("<", "["))]
        if not words:
            return None
        said = " ".join(w[0].split("(")[0] for w in words)  # "next(2)": the dictionary's second pronunciation
        if said not in COMMANDS:
            return None
        first, last = words[0][1], words[-1][2]
        phones = [p for p in self._decode(audio, "phones") if first <= (p[1] + p[2]) / 2 <= last]
        frames = last - first + 1
        return said, (sum(w[3] for w in words) - sum(p[3] for p in phones)) / frames


class Microphone:
    """The default ALSA capture device (under PulseAudio: the default source), mono int16 at RATE."""

    FRAME = 480  # 30 ms: the voice activity detector's frame

    def __init__(self, name: str = "default") -> None:
        from voiceguide.live.output import alsa_messages

        alsa_messages.install()
        try:
            import alsaaudio

            self._pcm = alsaaudio.PCM(
                alsaaudio.PCM_CAPTURE, rate=RATE, channels=1, format=alsaaudio.PCM_FORMAT_S16_LE,
                periodsize=self.FRAME, periods=8, device=name,
            )  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - alsaaudio.ALSAAudioError, or the binding missing
            reason = str(exc).split(" [")[0].strip() or type(exc).__name__
            raise MicrophoneUnavailable(f"--listen: no microphone to listen to ({reason}); play goes on with keys") from None

    def read(self) -> bytes:
        """The next frames, as they are captured (blocks)."""
        length, data = self._pcm.read()
        return data if length > 0 else b""

    def close(self) -> None:
        self._pcm.close()


class Listener:
    """The listening thread: microphone -> utterances -> commands, guarded, handed to the session."""

    def __init__(self, microphone: Microphone, session: Listened, recognizer: Recognizer | None = None) -> None:
        from pocketsphinx import Endpointer

        self.microphone = microphone
        self.session = session
        self.recognizer = recognizer or Recognizer()
        self.endpointer = Endpointer(window=VAD_WINDOW, ratio=0.9, vad_mode=3)  # 3: the most aggressive: rain is not speech
        self.heard: collections.deque[tuple[float, float | None]] = collections.deque(maxlen=int(HISTORY * 1000 / 30))
        self.listening = False
        self.ignored = 0  # utterances dropped unheard: said over the guide's own sounds, or too long for a command
        self._stop = threading.Event()

    def start(self) -> Listener:
        self.listening = True
        threads.start(self._run, "voiceguide-listener")
        return self

    def stop(self) -> None:
        """Stop within a frame (30 ms); not waited for: 'stop' said ends the session from this very thread."""
        self._stop.set()

    def _run(self) -> None:
        frame_bytes = self.endpointer.frame_bytes
        pending, taken, began_at = b"", 0, math.inf  # taken: samples read; began_at: monotonic time of sample 0
        speech: list[bytes] = []
        try:
            while not self._stop.is_set():
                data = self.microphone.read()
                now = time.monotonic()
                taken += len(data) // 2
                began_at = min(began_at, now - taken / RATE)  # data arrives late, never early: the earliest is closest
                self.heard.append((now, self.session.heard_position()))
                pending += data
                while len(pending) >= frame_bytes:
                    frame, pending = pending[:frame_bytes], pending[frame_bytes:]
                    was_speech = self.endpointer.in_speech
                    said = self.endpointer.process(frame)
                    if said is not None:
                        speech.append(said)
                    if was_speech and not self.endpointer.in_speech:  # an utterance ended
                        start, end = self.endpointer.speech_start, self.endpointer.speech_end
                        self._utterance(b"".join(speech), began_at + start, began_at + end)
                        speech = []
        except Exception:  # noqa: BLE001 - the microphone went away: play goes on with keys
            pass
        finally:
            self.listening = False
            with contextlib.suppress(Exception):
                self.microphone.close()

    def _utterance(self, audio: bytes, began: float, ended: float) -> None:
        if ended - began > LONGEST_COMMAND or over_the_guide(self.session.guide_events(), self.heard, began, ended):
            self.ignored += 1
            return
        result = self.recognizer.recognize(audio)
        if result is not None:
            words, fit = result
            self.session.obey(Heard(words, began, ended, fit, "obeyed" if fit >= SURE else "unsure"))
