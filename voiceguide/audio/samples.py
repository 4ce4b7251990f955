"""The one sample format every sound is in: mono, 16-bit, SAMPLE_RATE; float32 in the mix.

What espeak produces, what cue sounds are converted to, what the mix and both
players carry. WAV clips are read, written (whole or not at all) and checked here.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from voiceguide.audio import SAMPLE_RATE  # defined numpy-free, so checking cue files does not load numpy
from voiceguide.errors import VoiceguideError
from voiceguide.files import Staging

__all__ = ["SAMPLE_RATE", "read_clip", "to_float", "to_int16", "valid_clip", "write_clip"]


def sample_at(seconds: float) -> int:
    """The sample where a time on the timeline falls."""
    return round(seconds * SAMPLE_RATE)


def to_float(samples: np.ndarray) -> np.ndarray:
    """int16 samples -> float32 in [-1, 1): how every sound enters the mix."""
    return samples.astype(np.float32) / np.float32(32768)


def to_int16(sound: np.ndarray) -> np.ndarray:
    """float samples -> int16, rounded and clipped: how render and live play both leave the mix."""
    return np.clip(np.rint(sound * np.float32(32768)), -32768, 32767).astype("<i2")


def read_clip(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as clip:
        if clip.getnchannels() != 1 or clip.getsampwidth() != 2:
            raise ValueError(f"{path}: not a mono 16-bit WAV")
        return np.frombuffer(clip.readframes(clip.getnframes()), dtype="<i2").copy()


def write_clip(path: Path, samples: np.ndarray) -> None:
    """Write a clip whole or not at all (the cache never holds a cut clip). An unwritable cache is a user error."""
    staging = Staging(durable=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = staging.temp_for(path)
        with wave.open(str(temp), "wb") as clip:
            clip.setnchannels(1)
            clip.setsampwidth(2)
            clip.setframerate(SAMPLE_RATE)
            clip.writeframes(samples.astype("<i2").tobytes())
        staging.commit()
    except OSError as exc:
        raise VoiceguideError(f"cannot write the speech cache {path.parent}: {exc.strerror or exc}") from None
    finally:
        staging.discard()


def valid_clip(path: Path) -> bool:
    """A cached clip is usable if its header is ours and its data is all there."""
    try:
        with wave.open(str(path), "rb") as clip:
            frames = clip.getnframes()
            ok = clip.getnchannels() == 1 and clip.getsampwidth() == 2 and clip.getframerate() == SAMPLE_RATE
            return ok and frames > 0 and len(clip.readframes(frames)) == frames * 2
    except (OSError, EOFError, wave.Error):
        return False
