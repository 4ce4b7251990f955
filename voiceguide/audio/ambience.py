"""Background ambience: a sound looped under the whole session, ducked under the voice.

The bed is made from the timeline, not from the mix: speech events say where the
voice is, so the bed dips *before* each sentence (attack) and comes back after it
(release) along raised-cosine ramps, and render and live play get the same samples
for the same session position. Sentences less than HOLD apart count as one: in a
paced section (a count every few seconds) the bed stays down instead of pumping.

The loop joins its end to its start at the point where the two match best, and
crossfades them with gains that keep the level whatever their correlation: equal
power for unrelated material (rain), equal gain for material in phase (a chord).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import IO

import numpy as np

from voiceguide.audio.decoding import SAMPLE_BYTES, decode_to_file
from voiceguide.audio.leveling import SESSION_LUFS
from voiceguide.audio.loudness import HOP, gated_loudness, k_weighted, peak_envelope, powers_from_hops
from voiceguide.audio.samples import SAMPLE_RATE, sample_at
from voiceguide.errors import VoiceguideError
from voiceguide.files import require_file
from voiceguide.timeline import Event

AMBIENCE_PACKAGE = "voiceguide.ambience"
BUILTIN_PREFIX = "builtin:"
DEFAULT_LEVEL = -30.0  # LUFS of the bed between sentences: 14 LU under the voice
DUCK_DB = 10.0  # the bed sits at least this much lower under speech
SPEECH_OVER_BED = 24.0  # dB: the voice over the ducked bed at least (WCAG 1.4.7 asks 20), a louder bed dips further
ATTACK = 0.35  # seconds: the bed starts dipping this long before a sentence
RELEASE = 1.5  # and takes this long to come back after it
HOLD = 5.0  # seconds: a gap between sentences shorter than this keeps the bed down
MATCH_SEARCH = 1.0  # seconds before the source's end searched for the point that best matches its start
FADE_IN = 3.0
FADE_OUT = 4.0
LOOP_CROSSFADE = 1.5  # seconds the loop's end overlaps its start (less for short sources)
MIN_SECONDS = 1.0  # a shorter source would loop audibly
BED_PEAK = 10 ** (-10 / 20)  # a spiky source keeps its true peak 10 dB under full scale
MAX_SECONDS = 4 * 3600.0  # a longer source is not a loop; it would fill the disk its decoded samples wait on
MEASURE_HOPS = 100  # loudness and peak are measured this many gating hops (10 s) at a time: memory stays flat
WARM_UP = int(0.5 * SAMPLE_RATE)  # samples before a stretch that settle the K-weighting filter (its tail is shorter)

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
    require_file(path, "background sound")
    return path


def loop_overlap(size: int) -> int:
    """Samples the loop's end overlaps its start, for a source of `size` samples."""
    return min(int(LOOP_CROSSFADE * SAMPLE_RATE), size // 4)


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Normalized correlation of two stretches of equal length, in [-1, 1] (0 for silence)."""
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    norm = math.sqrt(float(np.dot(a64, a64)) * float(np.dot(b64, b64)))
    return float(np.dot(a64, b64)) / norm if norm > 0 else 0.0


def crossfade(head: np.ndarray, tail: np.ndarray) -> np.ndarray:
    """The source's first samples with its last ones faded into them: where the loop restarts.

    Sine and cosine ramps scaled so the sum keeps its level for the two stretches' measured
    correlation r: fade_in^2 + fade_out^2 + 2 r fade_in fade_out = 1 throughout (equal power
    for r = 0, equal gain for r = 1), so a seam neither dips nor swells.
    """
    r = max(0.0, correlation(head, tail))  # anti-correlated stretches are not joined: the match point avoids them
    t = np.linspace(0.0, math.pi / 2, head.size, dtype=np.float64)
    fade_in, fade_out = np.sin(t), np.cos(t)
    norm = np.sqrt(fade_in**2 + fade_out**2 + 2 * r * fade_in * fade_out)
    return (head * (fade_in / norm) + tail * (fade_out / norm)).astype(np.float32)


def match_end(head: np.ndarray, before_end: np.ndarray) -> int:
    """Where in `before_end` (the source's last stretch) a stretch ending there best matches `head` (the start):
    the loop's end, so the crossfade joins material in phase. Measured by normalized cross-correlation."""
    n = head.size
    if before_end.size <= n:
        return before_end.size
    size = 1 << (before_end.size + n).bit_length()
    head64, tail64 = head.astype(np.float64), before_end.astype(np.float64)
    dots = np.fft.irfft(np.fft.rfft(tail64, size) * np.conj(np.fft.rfft(head64, size)), size)[: before_end.size - n + 1]
    energy = np.concatenate(([0.0], np.cumsum(tail64**2)))
    windows = energy[n:] - energy[:-n]
    scores = dots / np.sqrt(np.maximum(windows * float(np.dot(head64, head64)), 1e-30))
    return int(np.argmax(scores)) + n  # the end of the best window; the source's last sample if it is the best


def _loop_end(read: Callable[[int, int], np.ndarray], frames: int) -> tuple[int, int]:
    """The loop's overlap and where its source ends (the best match point within MATCH_SEARCH of the end)."""
    overlap = loop_overlap(frames)
    if overlap == 0:
        return 0, frames
    search = min(int(MATCH_SEARCH * SAMPLE_RATE), frames - 2 * overlap)
    if search <= 0:
        return overlap, frames
    first = frames - overlap - search
    end = first + match_end(read(0, overlap), read(first, frames - first))
    return overlap, end


def seamless_loop(source: np.ndarray) -> np.ndarray:
    """The source with its end crossfaded into its start at the best matching point, so it repeats without a seam."""
    overlap, end = _loop_end(lambda first, count: source[first : first + count], source.size)
    if overlap == 0:
        return source
    body = source[: end - overlap].copy()
    body[:overlap] = crossfade(source[:overlap], source[end - overlap : end])
    return body


class LoopFile:
    """A seamless loop (as seamless_loop makes) of a source decoded to a file of 16-bit samples.

    Read a stretch at a time with os.pread (no shared position, so any thread may read), never mapped:
    memory holds the stretch asked for and the crossfaded start, however long the source.
    """

    def __init__(self, file: IO[bytes], frames: int) -> None:
        self.file = file  # nameless (decoding.decode_to_file): it goes when this does
        self._fd = file.fileno()
        overlap, end = _loop_end(self._source, frames)
        self.size = end - overlap
        self._head = crossfade(self._source(0, overlap), self._source(self.size, overlap))

    def _source(self, first: int, count: int) -> np.ndarray:
        data = os.pread(self._fd, count * SAMPLE_BYTES, first * SAMPLE_BYTES)
        return np.frombuffer(data, dtype="<i2").astype(np.float32) / np.float32(32768)

    def read(self, first: int, count: int) -> np.ndarray:
        """The loop's samples first .. first + count (within one pass of it)."""
        head = self._head.size
        if first >= head:
            return self._source(first, count)
        if first + count <= head:
            return self._head[first : first + count].copy()
        return np.concatenate([self._head[first:], self._source(head, first + count - head)])


def _stretch(loop: np.ndarray | LoopFile, first: int, count: int) -> np.ndarray:
    return loop.read(first, count) if isinstance(loop, LoopFile) else loop[first : first + count]


def looped(loop: np.ndarray | LoopFile, start: int, count: int) -> np.ndarray:
    """`count` samples of the loop repeated for ever, from sample `start` on."""
    size = loop.size
    first = start % size
    if first + count <= size:
        return np.array(_stretch(loop, first, count), dtype=np.float32)
    pieces, left = [], count
    while left > 0:
        take = min(left, size - first)
        pieces.append(_stretch(loop, first, take))
        left, first = left - take, 0
    return np.concatenate(pieces).astype(np.float32, copy=False)


def measure(loop: np.ndarray | LoopFile) -> tuple[float, float]:
    """The loop's integrated loudness (LUFS) and true peak (linear), as loudness.integrated_loudness
    and true_peak measure it whole, but a stretch at a time: memory does not grow with its length."""
    hop = int(HOP * SAMPLE_RATE)
    step = MEASURE_HOPS * hop
    energies, peak = [], 0.0
    for first in range(0, loop.size, step):
        count = min(step, loop.size - first)
        lead, after = min(first, WARM_UP), min(WARM_UP, loop.size - first - count)
        piece = _stretch(loop, first - lead, lead + count + after).astype(np.float32, copy=False)
        weighted = k_weighted(piece[: lead + count], SAMPLE_RATE)[lead:]  # the filter warmed up on what came before
        whole = weighted[: count // hop * hop]  # whole hops: a stretch is, but the last
        energies.append(np.square(whole, dtype=np.float32).reshape(-1, hop).sum(axis=1, dtype=np.float64))
        peak = max(peak, float(peak_envelope(piece)[lead : lead + count].max(initial=0.0)))
    hops = np.concatenate(energies)
    return gated_loudness(powers_from_hops(hops, SAMPLE_RATE)), peak


def _ramp(x: np.ndarray) -> np.ndarray:
    """0 -> 1 along a raised cosine for x in [0, 1]."""
    return 0.5 - 0.5 * np.cos(np.pi * np.clip(x, 0.0, 1.0))


def held(spans: Sequence[Span]) -> list[Span]:
    """The sentences with gaps shorter than HOLD bridged: the stretches the bed stays down through."""
    merged: list[Span] = []
    for first, last in sorted(spans):
        if merged and first - merged[-1][1] < HOLD * SAMPLE_RATE:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def duck_envelope(start: int, count: int, spans: Sequence[Span]) -> np.ndarray:
    """How far ducked (0 = not, 1 = fully) each sample from `start` is, given the sentences' spans
    (those within LOOKAHEAD of the stretch: a gap shorter than HOLD is bridged, so the caller must pass them)."""
    envelope = np.zeros(count, dtype=np.float32)
    attack, release = int(ATTACK * SAMPLE_RATE), int(RELEASE * SAMPLE_RATE)
    for first, last in held(spans):
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

    loop: np.ndarray | LoopFile  # in memory, or (a user's background, of any length) on disk
    peak: float = 0.0  # its true peak at its level, linear
    gain: float = 1.0  # from the loop's samples to the bed's level
    duck_db: float = DUCK_DB  # how far it dips under speech

    @classmethod
    def load(cls, ref: str | Path, level: float = DEFAULT_LEVEL) -> Bed:
        path = check_background(ref)
        file, frames = decode_to_file(path, "background sound", MAX_SECONDS)
        if frames < MIN_SECONDS * SAMPLE_RATE:
            file.close()
            raise VoiceguideError(f"{path}: background sound is shorter than {MIN_SECONDS:g} s; it would loop audibly")
        loop = LoopFile(file, frames)
        loudness, source_peak = measure(loop)
        if not math.isfinite(loudness):
            file.close()
            raise VoiceguideError(f"{path}: background sound is silent")
        gain = 10 ** ((level - loudness) / 20)
        peak = source_peak * gain
        if peak > BED_PEAK:  # a spiky source: keep its peaks under the voice's rather than its loudness
            gain *= BED_PEAK / peak
        # Under the voice by SPEECH_OVER_BED at least: a bed louder than -30 LUFS dips further.
        duck = max(DUCK_DB, level - (SESSION_LUFS - SPEECH_OVER_BED))
        return cls(loop, float(min(peak, BED_PEAK)), gain, duck)

    def samples(self, start: int, count: int, spans: Sequence[Span], end: int | None) -> np.ndarray:
        """The bed from sample `start` for `count` samples: looped, ducked under `spans`, faded in
        at the session's start and out before `end` (its last sample, once known)."""
        if count <= 0:
            return np.zeros(0, dtype=np.float32)
        out = looped(self.loop, start, count) * np.float32(self.gain)
        gain = np.power(np.float32(10), -np.float32(self.duck_db) * duck_envelope(start, count, spans) / 20, dtype=np.float32)
        at = np.arange(start, start + count, dtype=np.float64)
        gain *= _ramp(at / (FADE_IN * SAMPLE_RATE)).astype(np.float32)
        if end is not None:
            gain *= _ramp((end - at) / (FADE_OUT * SAMPLE_RATE)).astype(np.float32)
        return out * gain


LOOKAHEAD = max(ATTACK + HOLD, FADE_OUT)  # seconds of events a mixer must know past (and before) the stretch it makes
