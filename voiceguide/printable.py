"""Text that is safe to show: no control characters or terminal escape sequences.

A routine or article is someone else's text. Whatever of it reaches the user's
terminal, a caption file or a tag passes through here, so a routine cannot move the
cursor, retitle the window or split one error into two lines.
"""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences (CSI "ESC [ ... m", OSC "ESC ] ... BEL", and two-character
# ones), and their one-byte C1 forms: dropped whole, so no "[31m" debris is left behind.
_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI
    r"|(?:\x1b[\]PX^_]|[\x90\x9d\x98\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS and kin
    r"|\x1b[ -~]?"  # any other escape
)
# Bidirectional overrides reorder what the terminal shows ("Trojan source").
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _is_control(char: str) -> bool:
    return char in _BIDI or unicodedata.category(char) == "Cc"


def strip_controls(text: str) -> str:
    """text with escape sequences and control characters removed; line breaks and tabs become spaces."""
    text = _ESCAPE.sub("", text)
    if not any(_is_control(c) for c in text):
        return text  # the common case, without building a new string
    return "".join(" " if c in "\n\t\r" else c for c in text if c in "\n\t\r" or not _is_control(c))


def one_line(text: str) -> str:
    """A message as one printable line: whatever Python would not print as itself (controls, bidi
    overrides, unassigned code points, separators) shown as an escape (\\n, \\x1b, \\ud7fc)."""
    if text.isprintable() and not any(c in _BIDI for c in text):
        return text
    return "".join(c if c.isprintable() and c not in _BIDI else c.encode("unicode_escape").decode("ascii") for c in text)
