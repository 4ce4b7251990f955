"""Cover art made from the programme's title: a square PNG podcast apps show (1400 px, their minimum).

A colour from the title's hash, and the title in block capitals from a 5x7 pixel font, drawn
with numpy and written as PNG by zlib: no image library for one picture of rectangles.
"""

from __future__ import annotations

import hashlib
import struct
import unicodedata
import zlib

import numpy as np

SIZE = 1400
MARGIN = 120
# 5x7 glyphs: each row's five pixels as bits, top row first.
GLYPHS = {
    "A": (14, 17, 17, 31, 17, 17, 17), "B": (30, 17, 17, 30, 17, 17, 30), "C": (14, 17, 16, 16, 16, 17, 14),
    "D": (30, 17, 17, 17, 17, 17, 30), "E": (31, 16, 16, 30, 16, 16, 31), "F": (31, 16, 16, 30, 16, 16, 16),
    "G": (14, 17, 16, 23, 17, 17, 15), "H": (17, 17, 17, 31, 17, 17, 17), "I": (14, 4, 4, 4, 4, 4, 14),
    "J": (7, 2, 2, 2, 2, 18, 12), "K": (17, 18, 20, 24, 20, 18, 17), "L": (16, 16, 16, 16, 16, 16, 31),
    "M": (17, 27, 21, 21, 17, 17, 17), "N": (17, 17, 25, 21, 19, 17, 17), "O": (14, 17, 17, 17, 17, 17, 14),
    "P": (30, 17, 17, 30, 16, 16, 16), "Q": (14, 17, 17, 17, 21, 18, 13), "R": (30, 17, 17, 30, 20, 18, 17),
    "S": (15, 16, 16, 14, 1, 1, 30), "T": (31, 4, 4, 4, 4, 4, 4), "U": (17, 17, 17, 17, 17, 17, 14),
    "V": (17, 17, 17, 17, 17, 10, 4), "W": (17, 17, 17, 21, 21, 21, 10), "X": (17, 17, 10, 4, 10, 17, 17),
    "Y": (17, 17, 10, 4, 4, 4, 4), "Z": (31, 1, 2, 4, 8, 16, 31), "0": (14, 17, 19, 21, 25, 17, 14),
    "1": (4, 12, 4, 4, 4, 4, 14), "2": (14, 17, 1, 2, 4, 8, 31), "3": (31, 2, 4, 2, 1, 17, 14),
    "4": (2, 6, 10, 18, 31, 2, 2), "5": (31, 16, 30, 1, 1, 17, 14), "6": (6, 8, 16, 30, 17, 17, 14),
    "7": (31, 1, 2, 4, 8, 8, 8), "8": (14, 17, 17, 14, 17, 17, 14), "9": (14, 17, 17, 15, 1, 2, 12),
    "-": (0, 0, 0, 31, 0, 0, 0), ".": (0, 0, 0, 0, 0, 12, 12), ",": (0, 0, 0, 0, 12, 4, 8),
    ":": (0, 12, 12, 0, 12, 12, 0), "!": (4, 4, 4, 4, 4, 0, 4), "?": (14, 17, 1, 2, 4, 0, 4),
    "'": (4, 4, 8, 0, 0, 0, 0), "&": (12, 18, 20, 8, 21, 18, 13), "/": (0, 1, 2, 4, 8, 16, 0), " ": (0,) * 7,
}  # fmt: skip


def _letters(title: str) -> str:
    """The title in the font's characters: capitals, accents dropped (é -> E), anything else a space."""
    plain = unicodedata.normalize("NFKD", title.upper())
    return " ".join("".join(c if c in GLYPHS else " " for c in plain if not unicodedata.combining(c)).split())


def _lines(words: list[str], width: int) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines += [word[i : i + width] for i in range(0, len(word), width)]
    return lines


def cover_png(title: str) -> bytes:
    digest = hashlib.sha256(title.encode()).digest()
    hue = np.array([digest[0], digest[1], digest[2]], dtype=np.float64) / 255
    background = (40 + hue * 120).astype(np.uint8)  # dark enough for white letters
    image = np.empty((SIZE, SIZE, 3), dtype=np.uint8)
    image[:] = background
    image[SIZE - MARGIN // 2 :, :] = 255 - background // 2  # a band along the foot
    words = _letters(title).split() or ["VOICEGUIDE"]
    for width in range(8, 40):  # the largest letters that fit the square
        lines = _lines(words, width)
        scale = (SIZE - 2 * MARGIN) // (6 * max(len(line) for line in lines))
        if len(lines) * 9 * scale <= SIZE - 2 * MARGIN and scale >= 8:
            break
    top = (SIZE - len(lines) * 9 * scale) // 2
    for row, line in enumerate(lines):
        left = (SIZE - (6 * len(line) - 1) * scale) // 2
        for column, char in enumerate(line):
            for y, bits in enumerate(GLYPHS[char]):
                for x in range(5):
                    if bits >> (4 - x) & 1:
                        y0, x0 = top + (row * 9 + y) * scale, left + (column * 6 + x) * scale
                        image[y0 : y0 + scale, x0 : x0 + scale] = 255
    return _png(image)


def _png(image: np.ndarray) -> bytes:
    height, width, _ = image.shape
    raw = np.concatenate([np.zeros((height, 1), dtype=np.uint8), image.reshape(height, width * 3)], axis=1)  # filter 0 a row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw.tobytes(), 6)) + chunk(b"IEND", b"")
