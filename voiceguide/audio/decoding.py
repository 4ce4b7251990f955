"""User audio in any format ffmpeg reads (cue sounds, background ambience), in the one sample format.

pydub hands the file to ffmpeg and gives back samples; we convert them once to
mono float32 at SAMPLE_RATE. Anything ffmpeg cannot read is one line naming the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from voiceguide.audio import SAMPLE_RATE
from voiceguide.errors import VoiceguideError

if TYPE_CHECKING:
    import numpy as np

AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".m4a", ".aac")
MAX_DECODED_SECONDS = 15 * 60.0  # longer files are not cue sounds or loops: refuse before filling memory


def decode_audio(path: Path, what: str) -> np.ndarray:
    """The file's sound as mono float32 at SAMPLE_RATE; `what` names it in errors ("cue sound 'bell'")."""
    if not path.is_file():
        raise VoiceguideError(f"{path}: {what} is missing")
    import numpy as np  # imported here, as pydub: only sessions with user sounds pay for them
    from pydub import AudioSegment
    from pydub.exceptions import CouldntDecodeError

    try:
        # ffmpeg resamples and mixes down (better than pydub's own resampler); WAV files pydub reads itself.
        segment = AudioSegment.from_file(
            str(path), duration=MAX_DECODED_SECONDS + 1, parameters=["-ac", "1", "-ar", str(SAMPLE_RATE)]
        )
    except (CouldntDecodeError, IndexError, OSError) as exc:
        detail = str(exc).strip().splitlines()
        reason = f" ({detail[0][:120]})" if detail and isinstance(exc, OSError) else ""
        raise VoiceguideError(f"{path}: {what} is not an audio file ffmpeg can read{reason}") from None
    if segment.duration_seconds > MAX_DECODED_SECONDS:
        raise VoiceguideError(f"{path}: {what} is longer than {MAX_DECODED_SECONDS / 60:g} minutes")
    segment = segment.set_channels(1).set_frame_rate(SAMPLE_RATE).set_sample_width(2)
    return np.frombuffer(segment.raw_data, dtype="<i2").astype(np.float32) / np.float32(32768)
