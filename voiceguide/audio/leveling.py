"""Leveling: every sound brought to its loudness in the session, peak-limited and faded.

`Leveled` is the sound function render and live play both mix with (see
audio/mixing.py): speech at one loudness, cues a fixed step under it, so the
session is even and no join clicks.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

import numpy as np

from voiceguide.audio.loudness import (
    HOP,
    INTERPOLATOR_TAPS,
    gated_loudness,
    k_weighted,
    loudest_block,
    peak_envelope,
    powers_from_hops,
)
from voiceguide.audio.samples import SAMPLE_RATE, read_clip, to_float, to_int16, valid_clip, write_clip
from voiceguide.timeline import Event

if TYPE_CHECKING:
    from pathlib import Path

    from voiceguide.audio.sounds import Clips, Sounds

# Speech should measure -16 LUFS over the speech (the blocks the voice speaks in, as dialogue-gated
# loudness measures it), the level spoken-word podcasts and audiobook players expect; without a bed the
# session then measures about that integrated. Each clip is brought to a level measured amid silence;
# gating blocks that straddle a clip's edges pull what a meter hears over the voice about 0.9 LU below
# its clips' (scripts/soundcheck.py measures it on every routine and rate).
SESSION_LUFS = -16.0
SPEECH_LUFS = SESSION_LUFS + 0.9
CUE_BELOW = 8.0  # LU: a cue's loudest 400 ms sits this far under the voice, marking time without masking words
CUE_MARGIN = 1.0  # LU more, so a cue stays under CUE_BELOW however its edges fall on a meter's blocks
# Every sound's (and the mix's) true-peak ceiling: the lossy encoders overshoot it by up to about
# 1.8 dB on speech and noise at 64 kbps (soundcheck), and the file must stay under -1 dBTP.
CEILING_DBTP = -3.0
FADE = 0.004  # seconds of fade at each sound's edges
# seconds: how far ahead the limiter starts turning down, and holds after. Not shorter: a single word at
# 300 wpm (up to 20 dB from peak to loudness) must lose 5 dB of peak under the ceiling, and held for 10 ms
# the limiter leaves it 2.4 LU short (the sound check circuit's words on average), but held for 5 or 3 ms
# (1.4, 0.9 LU short) it distorts plosives enough that LAME overshoots them by up to 3 dB (-0.7 dBTP).
LIMITER_WINDOW = 0.01
LIMITER_STEP = 15  # samples: the limiter's gain is worked out per step and interpolated; divides a gating hop
CACHE_BYTES = 3 * 2**20  # leveled sounds kept in memory, per mixing thread; a miss costs a read of the cached clip
_SILENCE_AROUND = 0.4  # measure a clip with this much silence each side, as it sits in the session


def fade_edges(sound: np.ndarray, seconds: float = FADE) -> np.ndarray:
    """Raised-cosine fade in and out, so a sound starts and ends at zero."""
    n = min(int(seconds * SAMPLE_RATE), sound.size // 2)
    if n == 0:
        return sound
    ramp = (0.5 - 0.5 * np.cos(np.linspace(0, np.pi, n + 2)[1:-1])).astype(np.float32)
    out = sound.copy()
    out[:n] *= ramp
    out[-n:] *= ramp[::-1]
    return out


def _running_min(values: np.ndarray, radius: int) -> np.ndarray:
    """Minimum over [i - radius, i + radius] for every i, in O(n log radius)."""
    out, covered = np.pad(values, radius, constant_values=np.inf), 0  # so windows at the ends see past them
    while covered < radius:
        step = min(2 * covered + 1, radius - covered)  # keeps the covered span contiguous
        wider = out.copy()
        np.minimum(wider[step:], out[:-step], out=wider[step:])
        np.minimum(wider[:-step], out[step:], out=wider[:-step])
        out, covered = wider, covered + step
    return out[radius:-radius]


def _moving_average(values: np.ndarray, radius: int) -> np.ndarray:
    padded = np.concatenate(([0.0], np.cumsum(np.pad(values.astype(np.float64), radius, mode="edge"))))
    return (padded[2 * radius + 1 :] - padded[: -2 * radius - 1]) / (2 * radius + 1)


def limiter_steps(step_peaks: np.ndarray, ceiling: float | np.float32) -> np.ndarray:
    """The gain per step of LIMITER_STEP samples that brings every step's peak under the ceiling.

    A look-ahead peak limiter: the gain a step needs is held for a window each
    side (running minimum) and smoothed by a moving average half as wide. So
    neither a step's value nor its neighbours' exceed what the step needs, and
    the gain changes slowly enough not to distort.
    """
    needed = np.minimum(1.0, ceiling / np.maximum(step_peaks, 1e-12))
    radius = max(2, round(LIMITER_WINDOW * SAMPLE_RATE / LIMITER_STEP))
    return _moving_average(_running_min(needed, radius), radius // 2).astype(np.float32)


def _step_peaks(peaks: np.ndarray) -> np.ndarray:
    """The largest peak in each step of LIMITER_STEP samples."""
    steps = -(-peaks.size // LIMITER_STEP)
    padded = np.zeros(steps * LIMITER_STEP, dtype=np.float32)
    padded[: peaks.size] = peaks
    per_step = padded[::LIMITER_STEP].copy()
    for offset in range(1, LIMITER_STEP):  # strided maximum: numpy reduces a short last axis slowly
        np.maximum(per_step, padded[offset::LIMITER_STEP], out=per_step)
    return per_step


def _per_sample(steps: np.ndarray, size: int) -> np.ndarray:
    """Step values interpolated between step centres: never above a step's or its neighbour's value.

    Built a step at a time in float32 (np.interp would take int64 positions and give float64: four
    times the memory, in both mixing threads at once)."""
    steps = steps.astype(np.float32)
    ramp = np.arange(LIMITER_STEP, dtype=np.float32) / LIMITER_STEP
    between = (steps[:-1, None] + (steps[1:] - steps[:-1])[:, None] * ramp).reshape(-1)
    before, after = (LIMITER_STEP - 1) // 2, max(0, size - (LIMITER_STEP - 1) // 2 - between.size)
    return np.concatenate((np.full(before, steps[0]), between, np.full(after, steps[-1])))[:size]


def level(sound: np.ndarray, lufs: float, ceiling_dbtp: float = CEILING_DBTP, loudest: bool = False) -> np.ndarray:
    """The sound at the given loudness (as heard amid silence), true peak under the ceiling, faded at the edges.
    loudest: the loudness of its loudest 400 ms (momentary loudness), as a short cue is heard, instead of integrated.

    The loudness after limiting is worked out per limiter step: the gain changes
    slowly against the K-filter, so each step's filtered energy scales by its gain squared.
    """
    sound = sound.astype(np.float32)
    quiet = int(_SILENCE_AROUND * SAMPLE_RATE)
    weighted = k_weighted(sound, SAMPLE_RATE, tail=quiet)
    peaks = peak_envelope(sound)
    step_peaks = _step_peaks(peaks)
    steps = step_peaks.size
    hop = int(HOP * SAMPLE_RATE)
    # Energy per step of: silence, the sound, its ringing; padded to whole hops.
    lead, tail = quiet // LIMITER_STEP, -(-(quiet + steps * LIMITER_STEP + quiet) // hop) * hop // LIMITER_STEP
    squares = np.zeros(tail * LIMITER_STEP, dtype=np.float32)
    squares[quiet : quiet + weighted.size] = np.square(weighted)
    energy = squares.reshape(-1, LIMITER_STEP).sum(axis=1, dtype=np.float64)
    ceiling = np.float32(10 ** (ceiling_dbtp / 20))
    # Limiting takes away some of what a gain adds: find the gain (dB) that reaches lufs by the secant
    # method, each step measuring what the last one added (a few steps, where giving back the shortfall
    # alone crept up on it in seven or eight).
    gain_db, last = 0.0, None
    for _ in range(8):
        gain = np.float32(10 ** (gain_db / 20))
        per_step = gain * limiter_steps(step_peaks * gain, ceiling)
        padded = np.concatenate((np.full(lead, per_step[0]), per_step, np.full(tail - lead - steps, per_step[-1])))
        hops = (energy * np.square(padded, dtype=np.float64)).reshape(-1, hop // LIMITER_STEP).sum(axis=1)
        powers = powers_from_hops(hops, SAMPLE_RATE)
        reached = loudest_block(powers) if loudest else gated_loudness(powers)
        if not np.isfinite(reached):
            return fade_edges(sound)
        if abs(lufs - reached) < 0.1:
            break
        slope = 1.0  # LU per dB of gain: 1 until limiting starts
        if last is not None and gain_db != last[0]:
            slope = min(1.0, max(0.1, (reached - last[1]) / (gain_db - last[0])))
        last = (gain_db, reached)
        gain_db += (lufs - reached) / slope
    curve = _per_sample(per_step, sound.size)
    peak = float(np.max(peaks * curve))  # the curve is below ceiling / peaks, but for rounding
    if peak > ceiling:
        curve *= ceiling / np.float32(peak)
    return fade_edges(sound * curve)


# Names leveled clips in the speech cache, so a change to how sounds are leveled never reads old ones.
LEVEL_KEY = "level-" + hashlib.sha256(
    repr((SPEECH_LUFS, CEILING_DBTP, FADE, LIMITER_WINDOW, LIMITER_STEP, _SILENCE_AROUND, INTERPOLATOR_TAPS, "secant")).encode()
).hexdigest()[:10]


class Leveled:
    """Sounds as they go into the mix: speech at SPEECH_LUFS, cues' loudest 400 ms CUE_BELOW under the voice, all faded.

    Speech clips are leveled once and kept beside the clip (leveled_speech, on the
    thread that mixes them); cues are leveled here. Recent sounds are kept in memory
    (least recently used first out, within cache_bytes).
    """

    def __init__(self, sounds: Sounds, cache_bytes: int = CACHE_BYTES) -> None:
        self.sounds = sounds
        self.cache_bytes = cache_bytes
        self._recent: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._bytes = 0

    def __call__(self, event: Event) -> np.ndarray | None:
        key = (event.kind, event.text)
        sound = self._recent.get(key)
        if sound is not None:
            self._recent.move_to_end(key)
            return sound
        sound = self._speech(event) if event.kind == "speech" else self._other(event)
        if sound is None:
            return None
        self._recent[key] = sound
        self._bytes += sound.nbytes
        while self._bytes > self.cache_bytes and len(self._recent) > 1:
            _, dropped = self._recent.popitem(last=False)
            self._bytes -= dropped.nbytes
        return sound

    def _speech(self, event: Event) -> np.ndarray:
        return to_float(leveled_speech(self.sounds.speech, event.text))

    def _other(self, event: Event) -> np.ndarray | None:
        raw = self.sounds.for_event(event)
        return None if raw is None else leveled_cue(raw)


_cues: dict[bytes, np.ndarray] = {}  # leveled cue sounds by their samples' digest, shared by a render's two mixing threads
_cues_lock = threading.Lock()


def leveled_cue(raw: np.ndarray) -> np.ndarray:
    """A cue sound as the mix takes it: its loudest 400 ms CUE_BELOW (and a margin) under the voice, its peaks as far
    under the ceiling; leveled once per process (a few short sounds, kept)."""
    key = hashlib.blake2b(raw.tobytes(), digest_size=16).digest()
    with _cues_lock:
        found = _cues.get(key)
    if found is None:
        # Under the voice in loudness and in peaks: a short tick at the loudness alone would still read as sharp.
        # Its loudest 400 ms under what a meter hears of the voice: a bell's strike, not its average with its tail.
        found = level(raw, SESSION_LUFS - CUE_BELOW - CUE_MARGIN, CEILING_DBTP - CUE_BELOW, loudest=True)
        found.flags.writeable = False  # shared: the mix only reads it
        with _cues_lock:
            if len(_cues) >= 64:  # a long-lived process that met many cue folders
                _cues.clear()
            _cues[key] = found
    return found


def leveled_path(clips: Clips, text: str) -> Path:
    """Where a speech clip, leveled for the mix, is kept: beside the clip, named so a change to leveling never reads old ones."""
    clip = clips.path(text)
    return clip.with_name(f"{clip.stem}.{LEVEL_KEY}.wav")


def leveled_speech(clips: Clips, text: str) -> np.ndarray:
    """The clip leveled for the mix (at SPEECH_LUFS), int16: read from beside the clip, or leveled
    here on the caller's thread and kept there for the next time."""
    stored = leveled_path(clips, text)
    if valid_clip(stored):
        return read_clip(stored)
    samples = leveled_clip(clips.samples(text))
    write_clip(stored, samples)
    return samples


def leveled_clip(samples: np.ndarray) -> np.ndarray:
    """A speech clip (int16) as the mix takes it: at SPEECH_LUFS, peak-limited, faded; int16."""
    return to_int16(level(to_float(samples), SPEECH_LUFS))
