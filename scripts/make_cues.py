"""Make voiceguide's cue sounds: python scripts/make_cues.py [OUT_DIR] (default: audio_cues/).

Plain additive synthesis, no randomness and no timestamps, so the committed WAVs
are exactly what this script writes (a test regenerates them and compares bytes).
Every sound starts and ends at zero through a smooth fade (no clicks) and peaks
well below speech, which is normalized to peak near full scale.
"""

from __future__ import annotations

import argparse
import wave
from pathlib import Path

import numpy as np

from voiceguide.audio.samples import SAMPLE_RATE
from voiceguide.cue_places import BUILTIN_LENGTHS, CUE_NAMES

# (frequency ratio, amplitude, decay time constant in seconds) per partial.
BELL = ((1.0, 1.0, 0.8), (1.004, 0.35, 0.8), (2.0, 0.4, 0.5), (2.76, 0.22, 0.35), (4.07, 0.1, 0.22), (5.4, 0.05, 0.15))
CHIME = ((1.0, 1.0, 0.35), (2.0, 0.18, 0.2), (3.0, 0.06, 0.12))
TONE = ((1.0, 1.0), (2.0, 0.22), (3.0, 0.06))  # breath tones: soft, flute-like
ONSET = 0.006  # seconds a struck sound takes to reach full strength

PEAK_DBFS = {"bell": -14.0, "chime": -16.0, "switch": -16.0, "tick": -18.0, "inhale": -22.0, "exhale": -22.0}


def times(seconds: float) -> np.ndarray:
    return np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE


def fade(n: int, seconds: float) -> np.ndarray:
    """A raised-cosine ramp from 0 to 1 over `seconds` (no corner to click on)."""
    ramp = np.ones(n)
    k = min(n, max(2, round(seconds * SAMPLE_RATE)))
    ramp[:k] = 0.5 - 0.5 * np.cos(np.pi * np.arange(k) / (k - 1))
    return ramp


def shaped(x: np.ndarray, attack: float, release: float) -> np.ndarray:
    return x * fade(x.size, attack) * fade(x.size, release)[::-1]


def struck(f0: float, partials: tuple[tuple[float, float, float], ...], seconds: float, at: float = 0.0) -> np.ndarray:
    """A struck tone (bell, chime): quick soft attack, each partial decaying exponentially."""
    t = times(seconds)
    x = np.zeros(t.size)
    u = np.clip(t - at, 0, None)
    for ratio, amp, tau in partials:
        x += amp * np.sin(2 * np.pi * f0 * ratio * u) * np.exp(-u / tau)
    onset = np.clip(u / ONSET, 0, 1)
    return x * (0.5 - 0.5 * np.cos(np.pi * onset))  # silent until `at`, then a soft mallet


def glide(f_from: float, f_to: float, seconds: float, attack: float, release: float) -> np.ndarray:
    """A breath tone: pitch eases from f_from to f_to, swelling in and fading out."""
    t = times(seconds)
    ease = 0.5 - 0.5 * np.cos(np.pi * t / seconds)
    phase = 2 * np.pi * np.cumsum(f_from + (f_to - f_from) * ease) / SAMPLE_RATE
    x = sum(amp * np.sin(ratio * phase) for ratio, amp in TONE)
    return shaped(x, attack, release)


def design(name: str) -> np.ndarray:
    seconds = BUILTIN_LENGTHS[name]
    if name == "bell":
        return shaped(struck(392.0, BELL, seconds), 0.0, 0.4)  # G4
    if name == "chime":
        return shaped(struck(1046.5, CHIME, seconds), 0.0, 0.3)  # C6
    if name == "switch":  # two light notes, E5 then A5
        notes = ((659.3, 0.0), (880.0, 0.16))
        return shaped(sum(struck(f, CHIME[:2], seconds, at) for f, at in notes), 0.0, 0.15)
    if name == "tick":  # a short woody knock
        return shaped(struck(1500.0, ((1.0, 1.0, 0.014), (1.6, 0.4, 0.008)), seconds), 0.0, 0.03)
    if name == "inhale":
        return glide(392.0, 587.3, seconds, 0.35, 0.6)  # rising G4 -> D5
    if name == "exhale":
        return glide(587.3, 392.0, seconds, 0.25, 0.9)  # falling D5 -> G4
    raise ValueError(name)


def pcm(x: np.ndarray, peak_dbfs: float) -> bytes:
    scaled = x * (10 ** (peak_dbfs / 20) * 32767 / np.max(np.abs(x)))
    return np.round(scaled).astype("<i2").tobytes()


def write(path: Path, frames: bytes) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(frames)


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in CUE_NAMES:
        write(out_dir / f"{name}.wav", pcm(design(name), PEAK_DBFS[name]))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", nargs="?", type=Path, default=Path(__file__).resolve().parent.parent / "audio_cues")
    main(parser.parse_args().out_dir)
