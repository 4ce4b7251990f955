"""The first line of an imported routine, naming the article it came from.

Kept apart from the importer: `render` reads it to refuse an output that would replace that
article, and must not pay for loading the importer (a tenth of a second) to do so.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

HEADER = "# Imported by `voiceguide import` from {name}."  # a routine's first line, naming its article
_HEADER = re.compile(re.escape(HEADER).replace(re.escape("{name}"), "(.+)"))


def imported_from(routine_file: Path) -> Path | None:
    """The article a routine file says (in its first line) it was imported from, beside it; None if it says nothing."""
    try:
        descriptor = os.open(routine_file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None  # a built-in: no file
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        first = handle.readline(1024)
    match = _HEADER.fullmatch(first.decode("utf-8", errors="replace").removeprefix("\ufeff").rstrip("\r\n"))
    return routine_file.parent / match[1] if match else None
