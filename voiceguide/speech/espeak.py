"""espeak-ng, the formant voice of every language espeak knows, through its own program: its
voices and variants listed once, each clip spoken by a process of its own.

A clip is synthesized by espeak-ng's command-line program, not in our process:
- the same text always gives the same clip. In one process espeak's output depends on
  what it said before (its waveform phase and pitch flutter carry over), so a clip would
  differ with the order a session, a test run or a cache asked for it;
- a crash inside libespeak (1.51 has known overflows on hostile text) fails that clip
  with one line, instead of ending voiceguide;
- clips can be made on every core at once (libespeak in our process is not thread-safe).
It costs about 10 ms a clip, against the ~20-100 ms espeak takes to speak one. Not pyttsx3:
its engine starts libespeak in our process, which also opens the sound server.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import subprocess
from typing import Any

import numpy as np

from voiceguide.errors import VoiceguideError
from voiceguide.speech.voices import VoiceInfo, Voices

SYNTH_TIMEOUT = 60.0  # seconds: a clip of the longest allowed text takes espeak about 2 s
GENDERS = {"M": "male", "F": "female"}
LANGUAGE_ROW = re.compile(r"\s*\d+\s+(\S+)\s+\S*/[MF-]\s+(\S+)\s+(\S+)((?:\s*\(\S+ \d+\))*)\s*$")  # a row of `espeak-ng --voices`
OTHER_LANGUAGE = re.compile(r"\((\S+) (\d+)\)")  # its "Other Languages": (zh 5) - Mandarin's voice speaks for zh too
VARIANT_ROW = re.compile(r"\s*\d+\s+variant\s+\S*/([MF-])\s+(.*?)\s+!v/(.+?)(?:\s+\(.*\))?\s*$")  # a row of `espeak-ng --voices=variant`
WAV_HEADER = 44  # espeak-ng --stdout writes the canonical header, then 16-bit mono samples
ESPEAK_RATE = 22050  # Hz: every espeak-ng voice's rate (mbrola voices, which differ, are not listed)


class SpeechUnavailable(VoiceguideError):
    pass


def _binary() -> str:
    binary = shutil.which("espeak-ng") or shutil.which("espeak")
    if binary is None:
        raise SpeechUnavailable("espeak-ng is not installed: install it with 'sudo apt-get install espeak-ng' (or run scripts/setup.sh)")
    return binary


@functools.cache  # one short run of espeak-ng; every clip's cache key needs it
def engine_version() -> str:
    """'espeak-ng 1.51' or so: what makes the clips, part of each clip's cache key."""
    try:
        said = _run([_binary(), "--version"], text=True).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "espeak-ng"
    return " ".join(said.split()[:4]) or "espeak-ng"  # "eSpeak NG text-to-speech: 1.51"


class Espeak:
    """espeak-ng's voices (listed once) and its clips (a process each)."""

    def __init__(self) -> None:
        self.binary = _binary()
        _check_espeak_data(self.binary)
        self.voices = Voices(_languages(self.binary), _variants(self.binary))
        if not self.voices.voices:
            raise SpeechUnavailable("espeak-ng lists no voices: reinstall it with 'sudo apt-get install --reinstall espeak-ng-data'")

    def synthesize(self, text: str, voice: str, rate: int) -> np.ndarray:
        """int16 samples at espeak's 22050 Hz, the session's SAMPLE_RATE; rate in words per minute."""
        command = [self.binary, "-b", "1", "-v", voice, "-s", str(rate), "--stdout"]  # -b 1: the text is UTF-8
        try:  # the text on stdin: one starting with "-" is never read as an option
            done = _run(command, input=text.encode("utf-8"))
        except subprocess.TimeoutExpired:
            raise SpeechUnavailable(f"espeak-ng took over {SYNTH_TIMEOUT:.0f} s to speak {_short(text)}") from None
        except OSError as exc:
            raise SpeechUnavailable(f"the speech engine does not start ({exc})") from None
        if done.returncode == -signal.SIGINT:
            raise KeyboardInterrupt  # the user's Ctrl-C reached espeak too
        wav = done.stdout
        if done.returncode != 0 or wav[:4] != b"RIFF" or wav[36:40] != b"data":
            raise SpeechUnavailable(f"espeak-ng failed to speak {_short(text)}: {_why(done)}")
        if int.from_bytes(wav[24:28], "little") != ESPEAK_RATE:
            raise SpeechUnavailable(f"espeak-ng's voice {voice!r} speaks at {int.from_bytes(wav[24:28], 'little')} Hz, not {ESPEAK_RATE}")
        body = wav[WAV_HEADER:]
        return np.frombuffer(body[: len(body) // 2 * 2], dtype="<i2")


def _languages(binary: str) -> tuple[VoiceInfo, ...]:
    """espeak-ng's language voices, as its `--voices` table lists them (names there have _ for spaces)."""
    rows = (LANGUAGE_ROW.match(row) for row in _run([binary, "--voices"], text=True).stdout.splitlines()[1:])
    return tuple(
        VoiceInfo(ident.lower(), name.replace("_", " "), (language,),
                  other_languages=tuple((code.lower(), int(priority)) for code, priority in OTHER_LANGUAGE.findall(others)))
        for language, name, ident, others in (r.groups() for r in rows if r)
    )


def _variants(binary: str) -> tuple[VoiceInfo, ...]:
    """espeak-ng's voice variants (+f2, +m3, +Annie, ...), as its `--voices=variant` table lists them.
    Only variants get a gender: espeak's language voices all say "male" by default, not because their data does."""
    try:
        table = _run([binary, "--voices=variant"], text=True).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ()
    variants = []
    for row in table.splitlines()[1:]:  # Pty, Language, Age/Gender, VoiceName, File: names and files may hold spaces
        match = VARIANT_ROW.match(row)
        if match:
            gender, name, ident = match.groups()
            variants.append(VoiceInfo("+" + ident, name, (), GENDERS.get(gender, "")))
    return tuple(variants)


def _run(command: list[str], **how: Any) -> subprocess.CompletedProcess:
    """espeak-ng's program, bounded, its output kept. It opens the sound server at start even when it writes
    to stdout (libpcaudio), so a clip would reach for PulseAudio (79 connections in one plan) and wait on one
    that hangs: an explicit server that cannot exist fails at once, and nothing is spawned in its place."""
    environment = {**os.environ, "PULSE_SERVER": "unix:/nonexistent/voiceguide-no-sound-server"}
    return subprocess.run(command, capture_output=True, timeout=SYNTH_TIMEOUT, env=environment, check=False, **how)


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _why(done: subprocess.CompletedProcess) -> str:
    if done.returncode < 0:
        return f"it crashed ({signal.Signals(-done.returncode).name})"
    said = done.stderr.decode(errors="replace").strip().splitlines()
    return said[-1] if said else f"exit code {done.returncode}, no sound"


def _check_espeak_data(binary: str) -> None:
    """Fail with one line if espeak cannot load its data files.

    libespeak calls exit() when its phoneme data is missing or unreadable (a broken
    install, a wrong ESPEAK_DATA_PATH), which would end our process mid-render with
    espeak's own message. Its command-line program, on the same library and
    environment, tells us first (~40 ms, only when a clip is not cached).
    """
    try:
        probe = _run([binary, "-q", "x"], stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SpeechUnavailable(f"the speech engine does not start ({exc})") from None
    if probe.returncode != 0:
        said = probe.stderr.decode(errors="replace").strip().splitlines()
        raise SpeechUnavailable(
            f"the speech engine cannot load its data ({said[-1].rstrip('.') if said else f'exit code {probe.returncode}'}): "
            "check ESPEAK_DATA_PATH, or reinstall with 'sudo apt-get install --reinstall espeak-ng-data'"
        )
