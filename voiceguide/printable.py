"""Text that is safe to show: no control characters, terminal escape sequences or bidi controls.

A routine, an article, a path or ffmpeg's output is someone else's text. Whatever of it
reaches the user's terminal, a caption file or a tag passes through here, so it cannot
move the cursor, retitle the window (OSC), reorder what the line shows (a U+202E
right-to-left override, "Trojan source") or split one error into two lines.

One filter, two ways to apply it: `for_terminal` (alias `strip_controls`) removes what it
finds, for text shown as text (a title, a cue, a file name in "wrote ..."); `one_line`
shows it as a visible escape (\\x1b, \\u202e, \\n), for error messages, which should show
the user exactly what a bad name or key holds.
"""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences (CSI "ESC [ ... m"; OSC "ESC ] ... BEL" or "... ESC \\"; DCS, SOS, PM,
# APC alike; two-character ones), and their one-byte C1 forms: dropped whole, so no "[31m" or
# "0;title" debris is left behind. An unterminated string sequence runs to the end of the text.
_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI
    r"|(?:\x1b[\]PX^_]|[\x90\x9d\x98\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS and kin
    r"|\x1b[ -~]?"  # any other escape
)
# Bidirectional controls reorder what the terminal shows: the embeddings and overrides
# (U+202A-U+202E), the isolates (U+2066-U+2069) and the marks (LRM, RLM, ALM).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_LINE_BREAKS = "\n\t\r"
_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_CONTROLS = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")  # is_control's characters (Cc is C0, DEL and C1), found at C speed
_OTHER_CONTROLS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")  # all but \n, \t and \r


def is_control(char: str) -> bool:
    """A C0 or C1 control character (ESC, BEL, CSI ...) or a bidi control."""
    return char in BIDI_CONTROLS or unicodedata.category(char) == "Cc"


def for_terminal(text: str, *, lines: bool = False) -> str:
    """text with escape sequences, control characters and bidi controls removed.

    Line breaks and tabs become spaces, or with lines=True stay as they are ("\\r\\n" and a lone
    "\\r" becoming "\\n"): for text of many lines (an imported routine, a table of voices).
    """
    text = _ESCAPE.sub("", text)
    if not _CONTROLS.search(text):
        return text  # the common case, without building a new string
    if lines:
        return _OTHER_CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _OTHER_CONTROLS.sub("", text.replace("\n", " ").replace("\t", " ").replace("\r", " "))


strip_controls = for_terminal  # its first name, used where routine text is read


def one_line(text: str) -> str:
    """A message as one printable line: whatever Python would not print as itself (controls, bidi
    controls, unassigned code points, separators) shown as an escape (\\n, \\x1b, \\u202e, \\ud7fc)."""
    if text.isprintable() and not any(c in BIDI_CONTROLS for c in text):
        return text
    return "".join(
        c if c.isprintable() and c not in BIDI_CONTROLS else c.encode("unicode_escape").decode("ascii") for c in text
    )


def json_for_terminal(text: str) -> str:
    """JSON text with the controls json.dumps leaves raw (DEL, C1, bidi controls) written as \\uXXXX
    escapes: the same JSON to a parser, nothing for a terminal to act on. They only occur inside strings."""
    return _OTHER_CONTROLS.sub(lambda raw: f"\\u{ord(raw.group()):04x}", text)  # line breaks and tabs: the JSON's own layout
