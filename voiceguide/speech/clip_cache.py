"""The clip cache's folder, its size, and keeping it under a limit.

Neural clips are several times larger than the time it takes to make them is long, so the
cache is bounded: past LIMIT_BYTES, the clips used longest ago go first (a clip's mtime is
set each time a session uses it). `voiceguide cache` shows it and clears it.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

LIMIT_BYTES = 500 * 1024 * 1024  # about thirty hour-long sessions' distinct phrases in one voice
KEEP_RECENT = 3600.0  # seconds: what a running session used lately is never evicted under it


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "voiceguide" / "clips"


@dataclass(frozen=True)
class CacheSize:
    folder: Path
    files: int
    bytes: int
    limit: int = LIMIT_BYTES


def _clips(folder: Path) -> list[tuple[float, int, Path]]:
    """(mtime, size, path) of every clip: named WAVs two levels down, never another process's temp file."""
    found = []
    for clip in folder.glob("??/*.wav"):
        try:
            stat = clip.stat()
        except OSError:  # removed meanwhile by another run's eviction
            continue
        found.append((stat.st_mtime, stat.st_size, clip))
    return found


def size(folder: Path | None = None) -> CacheSize:
    folder = folder or cache_dir()
    clips = _clips(folder)
    return CacheSize(folder, len(clips), sum(size for _, size, _ in clips))


def clear(folder: Path | None = None) -> CacheSize:
    """Remove every clip; returns what was removed."""
    folder = folder or cache_dir()
    removed = 0
    clips = _clips(folder)
    for _, bytes_, clip in clips:
        try:
            clip.unlink()
            removed += bytes_
        except FileNotFoundError:
            continue
    return CacheSize(folder, len(clips), removed)


def evict(folder: Path | None = None, limit: int = LIMIT_BYTES) -> int:
    """Remove the clips used longest ago until the cache is under limit; returns the bytes removed."""
    clips = sorted(_clips(folder or cache_dir()))
    total = sum(size for _, size, _ in clips)
    removed = 0
    recent = time.time() - KEEP_RECENT
    for mtime, bytes_, clip in clips:
        if total - removed <= limit or mtime >= recent:
            break
        try:
            clip.unlink()
            removed += bytes_
        except FileNotFoundError:
            continue
    return removed


def used(clip: Path) -> None:
    """Mark a cached clip as used now, so eviction keeps it longer than clips no session asks for."""
    with contextlib.suppress(OSError):  # a read-only cache is still a cache
        os.utime(clip)
