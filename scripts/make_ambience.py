"""Make voiceguide's built-in ambience: python scripts/make_ambience.py [OUT_DIR] (default: voiceguide/ambience/).

`rain`: soft rain on a roof, 24 s: pink noise shaped like rain's hiss, a low
rumble, and sparse droplets, from a fixed random seed (numpy's PCG64: the same
samples on every machine), encoded to Ogg Vorbis by ffmpeg (which also makes the
file small enough to ship). The player loops it with a crossfade, so it needs
no seamless ends of its own.
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

import numpy as np

from voiceguide.audio.samples import SAMPLE_RATE, to_int16

SECONDS = 24.0
SEED = 20261125


def _shaped_noise(rng: np.random.Generator, n: int, shape) -> np.ndarray:
    spectrum = np.fft.rfft(rng.standard_normal(n))
    frequencies = np.fft.rfftfreq(n, 1 / SAMPLE_RATE)
    noise = np.fft.irfft(spectrum * shape(np.maximum(frequencies, 1.0)), n)
    return noise / np.max(np.abs(noise))


def rain() -> np.ndarray:
    rng = np.random.default_rng(SEED)
    n = int(SECONDS * SAMPLE_RATE)
    # Hiss: pink (1/f power) between ~400 Hz and ~3 kHz (soft rain; and little for an MP3 encoder to drop), where rain on a roof sits.
    hiss = _shaped_noise(rng, n, lambda f: 1 / np.sqrt(f) / (1 + (400 / f) ** 2) / (1 + (f / 3000) ** 4))
    rumble = _shaped_noise(rng, n, lambda f: 1 / f / (1 + (f / 250) ** 4))
    # Droplets: short decaying noise bursts at random moments, a few a second.
    drops = np.zeros(n)
    burst = np.exp(-np.arange(int(0.03 * SAMPLE_RATE)) / (0.006 * SAMPLE_RATE))
    for at in rng.integers(0, n - burst.size, size=int(SECONDS * 6)):
        drops[at : at + burst.size] += burst * rng.uniform(0.2, 1.0) * rng.standard_normal(burst.size)
    drops = np.convolve(drops, np.ones(3) / 3, mode="same")  # soften the clicks
    swell = 1 + 0.15 * np.sin(2 * np.pi * np.arange(n) / n * 3)  # a slow breath in the rain's strength
    sound = (0.6 * hiss * swell + 0.35 * rumble + 0.12 * drops / np.max(np.abs(drops))) / 1.07
    return (sound * 10 ** (-12 / 20)).astype(np.float32)


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    samples = to_int16(rain())
    command = [
        "ffmpeg", "-v", "error", "-y", "-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", "-",
        "-c:a", "libvorbis", "-q:a", "2", "-fflags", "+bitexact", "-map_metadata", "-1", str(out_dir / "rain.ogg"),
    ]  # fmt: skip
    subprocess.run(command, input=samples.tobytes(), check=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", nargs="?", type=Path, default=Path(__file__).resolve().parent.parent / "voiceguide" / "ambience")
    main(parser.parse_args().out_dir)
