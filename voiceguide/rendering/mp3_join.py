"""Two MP3 encodings of a session's halves joined into one file that decodes sample-exactly to the session,
and the LAME tag of one encoding set right (`set_length`).

LAME encodes one core's worth; two encoders over halves of the session use both.
Joining MP3 streams is exact when the cut lies in digital silence and the second
half starts where the first half's frames end:

- LAME primes ENCODER_DELAY samples and pads the end to whole frames with at
  least one frame more (`frames_for`). Played one after the other, the halves'
  frames give the session up to the cut, then the first half's padding and the
  second half's priming (silence), then the second half. So the second half is
  fed from `resume_at(cut)`, where that silence ends; the session's samples
  between cut and resume are silence too, and are dropped.
- Each half starts with an empty bit reservoir, so its frames stand alone and
  the second half's frames (without its own Xing frame) follow the first's.
- The first half's Xing/LAME frame is rewritten for the whole: frame count,
  byte count, seek table, end padding (so decoders stop at the session's last
  sample), music length and both CRCs, as ffmpeg's muxer lays them out.

No library writes Xing/LAME tags (mutagen only reads them), and the fields are
plain counters; the layout is the one ffmpeg writes and reads (libavformat mp3enc.c).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SAMPLES_PER_FRAME = 576  # MPEG-2 layer III, what a 22050 Hz MP3 is
ENCODER_DELAY = 576  # LAME's priming, which its tag's delay field states
_BITRATES = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)  # kbps, MPEG-2 layer III
_XING_FLAGS = 0b1111  # frames, bytes, seek table, quality: what ffmpeg writes
_TOC = 16  # offsets from the "Xing"/"Info" mark
_LAME = 120
_DELAYS = _LAME + 21
_MUSIC_LENGTH = _LAME + 28
_MUSIC_CRC = _LAME + 32
_TAG_CRC = _LAME + 34
_TAG_CRC_SPAN = 190  # bytes of the frame the tag CRC covers


class JoinError(ValueError):
    """The halves cannot be joined as planned (not the frames expected, or not MP3 streams as ffmpeg writes them)."""


def frames_for(samples: int) -> int:
    """Frames LAME writes for this many samples: the priming, the samples, then at least a frame of padding."""
    return -(-(samples + ENCODER_DELAY + SAMPLES_PER_FRAME) // SAMPLES_PER_FRAME)


def resume_at(cut: int) -> int:
    """Where the second half starts when the first holds samples [0, cut): the first half's frames decode
    to this many samples after its priming, and the second half's priming fills the rest."""
    return frames_for(cut) * SAMPLES_PER_FRAME


@dataclass(frozen=True)
class XingInfo:
    """The Xing/LAME frame at the start of an MP3 ffmpeg wrote: ffmpeg fills it in last, once all is written."""

    mark: int  # offset of "Xing" or "Info"
    frame_length: int  # bytes of the Xing frame: the audio follows it
    frames: int  # audio frames, the Xing frame not counted
    size: int  # bytes of the MP3 stream, the Xing frame counted (an ID3 tag before it not)
    toc: bytes
    padding: int  # samples after the end of the sound in the last frame
    music_crc: int

    @property
    def samples(self) -> int:
        """What a decoder that reads the tag gives: the frames less the priming and the padding."""
        return max(0, self.frames * SAMPLES_PER_FRAME - ENCODER_DELAY - self.padding)


def xing_info(data: bytes | bytearray) -> XingInfo:
    """The Xing/LAME frame at the start of data (a 22050 Hz mono MP3 stream); ValueError if it has none."""
    header = int.from_bytes(data[:4], "big")
    if header >> 21 != 0x7FF or (header >> 17) & 3 != 1:  # frame sync, layer III
        raise ValueError("not an MP3 frame at the start")
    mpeg2, mono = (header >> 19) & 3 == 2, (header >> 6) & 3 == 3
    if not (mpeg2 and mono and (header >> 10) & 3 == 0):  # 22050 Hz
        raise ValueError("not a 22050 Hz mono MP3")
    frame_length = 72000 * _BITRATES[(header >> 12) & 15] // 22050 + ((header >> 9) & 1)
    mark = 4 + 9  # header, then MPEG-2 mono side information
    if bytes(data[mark : mark + 4]) not in (b"Xing", b"Info") or int.from_bytes(data[mark + 4 : mark + 8], "big") != _XING_FLAGS:
        raise ValueError("no Xing/LAME frame")
    def number(at: int, size: int) -> int:
        return int.from_bytes(data[mark + at : mark + at + size], "big")

    return XingInfo(
        mark, frame_length, number(8, 4), number(12, 4), bytes(data[mark + _TOC : mark + _TOC + 100]),
        number(_DELAYS, 3) & 0xFFF, number(_MUSIC_CRC, 2),
    )


def join(first: Path, second: Path, cut: int, samples: int) -> None:
    """Append second's audio frames to first, which held the session's samples [0, cut); samples in all.

    Raises JoinError, leaving first untouched, if first's frames do not end where the second half began.
    """
    with open(first, "rb") as handle:
        head = bytearray(handle.read(_TAG_CRC_SPAN + 64))
    with open(second, "rb") as handle:
        try:
            a, b = xing_info(head), xing_info(handle.read(_TAG_CRC_SPAN + 64))
        except ValueError as exc:
            raise JoinError(str(exc)) from None
    if a.frames != frames_for(cut):
        raise JoinError(f"the first half has {a.frames} frames, not {frames_for(cut)}")
    if (a.size, b.size) != (first.stat().st_size, second.stat().st_size):
        raise JoinError("a half is not the size its Xing frame counts")
    body = b.size - b.frame_length
    frames, size = a.frames + b.frames, a.size + body
    padding = frames * SAMPLES_PER_FRAME - ENCODER_DELAY - samples
    if not 0 <= padding < 4096:  # 12 bits; the second half's own padding is under two frames
        raise JoinError(f"the halves hold {frames} frames, not room for {samples} samples")
    m = a.mark
    head[m + 8 : m + 16] = frames.to_bytes(4, "big") + size.to_bytes(4, "big")
    head[m + _TOC : m + _TOC + 100] = _joined_toc(a, b, body)
    head[m + _MUSIC_LENGTH : m + _MUSIC_LENGTH + 4] = size.to_bytes(4, "big")
    music_crc = crc16_combine(a.music_crc, b.music_crc, body)  # CRC of the audio after the Xing frame
    head[m + _MUSIC_CRC : m + _MUSIC_CRC + 2] = music_crc.to_bytes(2, "big")
    _set_padding(head, m, padding)
    with open(first, "r+b") as handle, open(second, "rb") as source:
        handle.seek(0, 2)
        source.seek(b.frame_length)
        shutil.copyfileobj(source, handle, 1 << 20)  # a megabyte at a time: a half can be tens of megabytes
        handle.seek(0)
        handle.write(head)


def _set_padding(head: bytearray, mark: int, padding: int) -> None:
    """Write the end padding (samples) into the LAME tag at `mark`, and the tag's CRC over it."""
    head[mark + _DELAYS : mark + _DELAYS + 3] = (ENCODER_DELAY << 12 | padding).to_bytes(3, "big")
    head[mark + _TAG_CRC : mark + _TAG_CRC + 2] = b"\0\0"
    head[mark + _TAG_CRC : mark + _TAG_CRC + 2] = crc16(bytes(head[:_TAG_CRC_SPAN])).to_bytes(2, "big")


def set_length(path: Path, samples: int) -> None:
    """Make the MP3 ffmpeg wrote at `path` decode to exactly `samples` samples: ffmpeg 5.1 puts the
    encoder's own end padding in the LAME tag, not what is left after the samples it was given
    (its decoders then give a few dozen samples more). A file whose frames cannot hold them (cut short by
    a full disk) is left as it is, for rendering/verify.py to name; ValueError if it has no LAME tag."""
    with open(path, "r+b") as handle:
        head = bytearray(handle.read(_TAG_CRC_SPAN + 64))
        info = xing_info(head)
        padding = info.frames * SAMPLES_PER_FRAME - ENCODER_DELAY - samples
        if 0 <= padding < 4096 and padding != info.padding:
            _set_padding(head, info.mark, padding)
            handle.seek(0)
            handle.write(head)


def _joined_toc(a: XingInfo, b: XingInfo, body: int) -> bytes:
    """The seek table of the joined file: each percent of its frames at its byte offset, from the halves' tables."""
    size = a.size + body
    steps = np.arange(101)

    def offset(info: XingInfo, fraction: float) -> float:  # bytes into a half at a fraction of its frames
        return info.size * float(np.interp(fraction * 100, steps, [*info.toc, 256])) / 256

    table = bytearray(100)
    for percent in range(1, 100):
        frame = percent / 100 * (a.frames + b.frames)
        if frame <= a.frames:
            at = offset(a, frame / a.frames)
        else:
            at = a.size + max(0.0, offset(b, (frame - a.frames) / b.frames) - b.frame_length)
        table[percent] = min(255, int(256 * at / size))
    return bytes(table)


# CRC-16/ARC (reflected 0x8005, initial 0), the CRC LAME tags carry. Linear: the CRC of A then B is
# A's CRC run through len(B) zero bytes, xor B's; running through n zero bytes is a 16x16 bit matrix
# raised to the n-th power, so joining costs no pass over the audio (as zlib's crc32_combine).


def crc16(data: bytes, crc: int = 0) -> int:
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def _apply(matrix: list[int], vector: int) -> int:
    out, bit = 0, 0
    while vector:
        if vector & 1:
            out ^= matrix[bit]
        vector, bit = vector >> 1, bit + 1
    return out


def crc16_combine(first: int, second: int, second_length: int) -> int:
    """The CRC of A followed by B, from the CRCs of A and B and the length of B."""
    zero_bit = [(1 << i >> 1) ^ (0xA001 if i == 0 else 0) for i in range(16)]  # one zero bit: shift, fold bit 0
    step = zero_bit
    for _ in range(3):  # eight zero bits: one zero byte
        step = [_apply(step, column) for column in step]
    n = second_length
    while n:
        if n & 1:
            first = _apply(step, first)
        step = [_apply(step, column) for column in step]
        n >>= 1
    return first ^ second
