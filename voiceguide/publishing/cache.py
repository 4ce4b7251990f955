"""Which sessions need rendering again: a key over everything that changes a session's audio.

The key covers the routine as parsed (not its file's name or comments), the resolved options,
the voice (engine version, voice, model digest), the files the render reads (a background, the
cue sounds: by name, size and modification time), the bitrate and voiceguide's version. An
episode whose key is unchanged keeps its files; identical sessions share one render.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, replace
from importlib.metadata import version
from pathlib import Path

from voiceguide.options import Options
from voiceguide.routine import Routine
from voiceguide.speech.engine import resolve_voice

KEY_LENGTH = 12  # hex digits of the key in an episode's file names: 48 bits, no two sessions of a programme alike


def render_key(routine: Routine, options: Options, inputs: Iterable[Path], bitrate: str | None) -> str:
    voice = resolve_voice(options.voice, options.language)
    files = []
    for path in inputs:
        try:
            found = path.stat()
            files.append([str(path), found.st_size, found.st_mtime_ns])
        except OSError:
            files.append([str(path), None, None])  # the render will say what is wrong with it
    ident = {
        "voiceguide": version("voiceguide"),
        "routine": asdict(replace(routine, source="")),
        "options": asdict(options),
        "voice": [voice.engine, voice.version, voice.id, voice.digest],
        "files": files,
        "bitrate": bitrate,
    }
    return hashlib.sha256(json.dumps(ident, sort_keys=True, default=str).encode()).hexdigest()[:KEY_LENGTH]
