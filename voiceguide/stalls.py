"""A child process that makes no progress is stopped, not waited on for ever.

ffmpeg and ffprobe can hang: a stalled network mount, a file system that stops
answering, a decoder stuck in a malformed file, a process someone stopped. We
talk to them through pipes, so a hang would hang voiceguide too. The watchdog
kills a process once one wait on it (a write it does not take, a read it does
not answer, its exit) has lasted STALL_SECONDS; the caller then reports
`stopped(name)` in one line. Only a wait counts: while we are busy ourselves (a
clip being synthesized) the process is not blamed.
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
import time
from collections.abc import Iterator

from voiceguide import threads

STALL_SECONDS = 60.0  # far above any single step's time on a busy machine: a chunk takes ffmpeg milliseconds


class Watchdog:
    """Kills `process` when a wait on it inside `waiting()` lasts more than STALL_SECONDS."""

    def __init__(self, process: subprocess.Popen[bytes], name: str) -> None:
        self.name = name  # "ffmpeg", "ffprobe": for the message
        self.stalled = False
        self._process = process
        self._since: float | None = None  # when the wait in progress began
        self._closed = threading.Event()
        threads.start(self._watch, f"voiceguide-watchdog-{name}")

    @contextlib.contextmanager
    def waiting(self) -> Iterator[None]:
        self._since = time.monotonic()
        try:
            yield
        finally:
            self._since = None

    def wait(self) -> int:
        """The process's exit code, once it ends (or is killed for making no progress)."""
        with self.waiting():
            return self._process.wait()

    def close(self) -> None:
        self._closed.set()

    def _watch(self) -> None:
        while not self._closed.wait(min(1.0, STALL_SECONDS / 4)):
            since = self._since
            if since is not None and time.monotonic() - since > STALL_SECONDS and self._process.poll() is None:
                self.stalled = True
                self._process.kill()
                return


def stopped(name: str) -> str:
    """The reason a render or a decode failed when `name` hung: for the caller's one line."""
    return f"{name} made no progress for {STALL_SECONDS:g} s and was stopped"
