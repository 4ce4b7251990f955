"""English number words: spoken counts in the compiler, read amounts in the importer, plurals in messages."""

from __future__ import annotations

import math

ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}


def number_word(n: int) -> str:
    """3 -> 'three'; numbers past twenty stay digits (espeak reads them well)."""
    if 0 <= n < len(ONES):
        return ONES[n]
    return "twenty" if n == 20 else str(n)


def round_half_up(x: float) -> int:
    """2.5 -> 3 (Python's round() would give 2): how a person rounds a spoken amount."""
    return math.floor(x + 0.5)


def plural(n: int, word: str) -> str:
    """3, 'exercise' -> '3 exercises': counts in messages and labels (not spoken phrases)."""
    return f"{n} {word}{'s' if n != 1 else ''}"
