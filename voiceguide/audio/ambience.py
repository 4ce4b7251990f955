"""Background ambience: a sound looped under the whole session, ducked under the voice.

The bed is made from the timeline, not from the mix: speech events say where the
voice is, so the bed dips *before* each sentence (attack) and comes back after it
(release) along raised-cosine ramps — no pumping, and render and live play get the
same samples for the same session position.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from voiceguide.audio.decoding import decode_audio
from voiceguide.audio.loudness import integrated_loudness, true_peak
from voiceguide.audio.samples import SAMPLE_RATE, sample_at
from voiceguide.errors import VoiceguideError
from voiceguide.timeline import Event

AMBIENCE_PACKAGE = "voiceguide.ambience"
BUILTIN_PREFIX = "builtin:"
DEFAULT_LEVEL = -30.0  # LUFS of the bed between sentences: 14 LU under the voice (see audio/balance.py)
DUCK_DB = 10.0  # the bed sits this much lower under speech
ATTACK = 0.35  # seconds: the bed starts dipping this long before a sentence
RELEASE = 0.9  # and takes this long to come back after it
FADE_IN = 3.0
FADE_OUT = 4.0
LOOP_CROSSFADE = 1.5  # seconds the loop's end overlaps its start (less for short sources)
MIN_SECONDS = 1.0  # a shorter source would loop audibly
BED_PEAK = 10 ** (-10 / 20)  # a spiky source keeps its true peak 10 dB under full scale

Span = tuple[int, int]  # a sentence's first and last sample


def span_of(event: Event) -> Span:
    return sample_at(event.start), sample_at(event.end)


def builtin_names() -> list[str]:
    return sorted(Path(p.name).stem for p in resources.files(AMBIENCE_PACKAGE).iterdir() if p.name.endswith(".ogg"))


def source_path(ref: str | Path) -> Path:
    """A file path, or `builtin:NAME` for an ambience that ships with voiceguide."""
    text = str(ref)
    if text.startswith(BUILTIN_PREFIX):
        name = text[len(BUILTIN_PREFIX) :]
        if name not in builtin_names():
            raise VoiceguideError(f"no built-in ambience '{name}' (built-ins: {', '.join(builtin_names())})")
        return Path(str(resources.files(AMBIENCE_PACKAGE).joinpath(f"{name}.ogg")))
    return Path(text).expanduser()


def check_background(ref: str | Path) -> Path:
    """The background's file, if there is one (a cheap check before any work; decoding comes later)."""
    path = source_path(ref)
    if not path.is_file():
        raise VoiceguideError(f"{path}: background sound is missing")
    return path


def seamless_loop(source: np.ndarray) -> np.ndarray:
    """The source with its end crossfaded (equal power) into its start, so it repeats without a seam."""
    overlap = min(int(LOOP_CROSSFADE * SAMPLE_RATE), source.size // 4)
    if overlap == 0:
        return source
    t = np.linspace(0.0, math.pi / 2, overlap, dtype=np.float32)
    body = source[: source.size - overlap].copy()
    body[:overlap] = source[:overlap] * np.sin(t) + source[source.size - overlap :] * np.cos(t)
    return body


def _ramp(x: np.ndarray) -> np.ndarray:
    """0 -> 1 along a raised cosine for x in [0, 1]."""
    return 0.5 - 0.5 * np.cos(np.pi * np.clip(x, 0.0, 1.0))


def duck_envelope(start: int, count: int, spans: Sequence[Span]) -> np.ndarray:
    """How far ducked (0 = not, 1 = fully) each sample from `start` is, given the sentences' spans."""
    envelope = np.zeros(count, dtype=np.float32)
    attack, release = int(ATTACK * SAMPLE_RATE), int(RELEASE * SAMPLE_RATE)
    for first, last in spans:
        lo, hi = max(first - attack, start), min(last + release, start + count)
        if lo >= hi:
            continue
        at = np.arange(lo, hi, dtype=np.float64)
        shape = np.minimum(_ramp((at - (first - attack)) / attack), _ramp(((last + release) - at) / release))
        np.maximum(envelope[lo - start : hi - start], shape.astype(np.float32), out=envelope[lo - start : hi - start])
    return envelope


@dataclass
class Bed:
    """The looped ambience at its level; `samples` gives any stretch of the session's bed."""

    loop: np.ndarray
    peak: float = 0.0  # its true peak, linear

    def under_voice(self) -> float:
        """The most the bed adds to a peak of the voice's: its true peak, ducked."""
        return self.peak * 10 ** (-DUCK_DB / 20)

    @classmethod
    def load(cls, ref: str | Path, level: float = DEFAULT_LEVEL) -> Bed:
        path = check_background(ref)
        source = decode_audio(path, "background sound")
        if source.size < MIN_SECONDS * SAMPLE_RATE:
            raise VoiceguideError(f"{path}: background sound is shorter than {MIN_SECONDS:g} s; it would loop audibly")
        loop = seamless_loop(source)
        loudness = integrated_loudness(loop, SAMPLE_RATE)
        if not math.isfinite(loudness):
            raise VoiceguideError(f"{path}: background sound is silent")
        gain = 10 ** ((level - loudness) / 20)
        peak = true_peak(loop) * gain
        if peak > BED_PEAK:  # a spiky source: keep its peaks under the voice's rather than its loudness
            gain *= BED_PEAK / peak
        return cls((loop * np.float32(gain)).astype(np.float32), float(min(peak, BED_PEAK)))

    def samples(self, start: int, count: int, spans: Sequence[Span], end: int | None) -> np.ndarray:
        """The bed from sample `start` for `count` samples: looped, ducked under `spans`, faded in
        at the session's start and out before `end` (its last sample, once known)."""
        if count <= 0:
            return np.zeros(0, dtype=np.float32)
        out = self.loop[np.arange(start, start + count) % self.loop.size]
        gain = np.power(np.float32(10), -DUCK_DB * duck_envelope(start, count, spans) / 20, dtype=np.float32)
        at = np.arange(start, start + count, dtype=np.float64)
        gain *= _ramp(at / (FADE_IN * SAMPLE_RATE)).astype(np.float32)
        if end is not None:
            gain *= _ramp((end - at) / (FADE_OUT * SAMPLE_RATE)).astype(np.float32)
        return out * gain


LOOKAHEAD = max(ATTACK, FADE_OUT)  # seconds of events a mixer must know past the stretch it makes
