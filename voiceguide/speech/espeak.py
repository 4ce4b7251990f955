"""espeak-ng, the formant voice of every language espeak knows, through pyttsx3's binding.

pyttsx3 is not thread-safe and espeak can only be initialised once per process, so
speech/engine.py gives this engine one thread of its own (workers.Workers).
"""

from __future__ import annotations

import ctypes
import functools
import os
import shutil
import subprocess
import threading
from importlib import metadata

import numpy as np

from voiceguide.errors import VoiceguideError
from voiceguide.speech.voices import VoiceInfo, Voices

SYNTH_TIMEOUT = 30.0  # seconds to wait for espeak's end-of-message event before asking it directly
GENDERS = {1: "male", 2: "female"}


class SpeechUnavailable(VoiceguideError):
    pass


@functools.cache  # reading package metadata takes ~0.3 ms, and every clip's cache key needs it
def engine_version() -> str:
    try:
        return "pyttsx3-" + metadata.version("pyttsx3")
    except metadata.PackageNotFoundError:
        return "pyttsx3"


class Espeak:
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
        self._current: tuple[str, int] | None = None
        _espeak.SetSynthCallback(self._on_synth)  # replaces the driver's callback: we never use its playback
        self.voices = Voices(
            tuple(VoiceInfo(v.id, v.name, tuple(str(lang) for lang in (v.languages or ()))) for v in self.driver.getProperty("voices")),
            self._variants(),
        )
        self.default_voice: str = self.driver.getProperty("voice") or "en"

    def _variants(self) -> tuple[VoiceInfo, ...]:
        """espeak-ng's voice variants (+f2, +m3, +Annie, ...): ListVoices lists them under the language 'variant'.
        Only variants get a gender: espeak's language voices all say "male" by default, not because their data does."""
        spec = self._espeak.VOICE()
        spec.languages = b"variant"
        return tuple(
            VoiceInfo("+" + v.identifier.decode().rsplit("/", 1)[-1], v.name.decode(), (), GENDERS.get(v.gender, ""))
            for v in self._espeak.ListVoices(spec)
        )

    def _on_synth(self, wav, numsamples, events) -> int:  # ctypes callback
        if numsamples > 0:
            self._chunks.append(ctypes.string_at(wav, numsamples * ctypes.sizeof(ctypes.c_short)))
        i = 0
        while events[i].type != self._espeak.EVENT_LIST_TERMINATED:
            if events[i].type == self._espeak.EVENT_MSG_TERMINATED:  # after this call's samples: the clip is whole
                self._finished.set()
            i += 1
        return 0

    def synthesize(self, text: str, voice: str, rate: int) -> np.ndarray:
        """int16 samples at espeak's 22050 Hz, the session's SAMPLE_RATE."""
        if self._current != (voice, rate):
            self.driver.setProperty("voice", voice)
            self.driver.setProperty("rate", rate)  # words per minute
            self._current = (voice, rate)
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
