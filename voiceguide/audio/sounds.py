"""What each timeline event sounds like: the samples that render and live play both use.

Everything is mono float32 at SAMPLE_RATE, in [-1, 1]; render and play only
place these arrays at their event's start, so what is heard live is what a
file contains.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from voiceguide.audio.cue_files import cue_length, cue_path, cue_samples
from voiceguide.audio.samples import SAMPLE_RATE, to_float
from voiceguide.speech.engine import Speech
from voiceguide.timeline import Event


class Sounds:
    def __init__(self, speech: Speech, cue_dir: Path | None = None) -> None:
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


__all__ = ["SAMPLE_RATE", "Sounds"]
