"""What each timeline event sounds like: the samples that render and live play both use.

Everything is mono float32 at SAMPLE_RATE, in [-1, 1]; render and play only
place these arrays at their event's start, so what is heard live is what a
file contains.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from voiceguide.audio.cue_files import cue_length, cue_path, cue_samples
from voiceguide.audio.samples import SAMPLE_RATE, to_float
from voiceguide.timeline import Event


class Clips(Protocol):
    """The voice as the mix sees it (speech.engine.Speech): a text's clip, and where the clip is kept.
    A protocol, so sounds depend on no engine: the voice sits above them (docs/architecture.md)."""

    def samples(self, text: str) -> np.ndarray: ...

    def path(self, text: str) -> Path: ...


class Sounds:
    def __init__(self, speech: Clips, cue_dir: Path | None = None) -> None:
        self.speech = speech
        self.cue_dir = cue_dir
        self._cues: dict[str, np.ndarray] = {}

    def for_event(self, event: Event) -> np.ndarray | None:
        """The event's samples, or None for events that are silence (holds, rests, breath phases)."""
        if event.kind == "speech":
            return to_float(self.speech.samples(event.text))
        if event.kind == "cue":
            return self.cue(event.text)
        return None

    def cue(self, name: str) -> np.ndarray:
        if name not in self._cues:
            path = cue_path(name, self.cue_dir)
            cue_length(path, name)  # a one-line error naming the file if it is missing or unusable
            self._cues[name] = cue_samples(path, name)
        return self._cues[name]


__all__ = ["SAMPLE_RATE", "Clips", "Sounds"]
