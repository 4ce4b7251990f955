"""Single keypresses from the terminal, and what each does to a live session."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import termios
import tty
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # types only: the CLI reaches live play through api
    from voiceguide.live.session import Session

# Key -> Session method. Arrow keys arrive as escape sequences.
CONTROLS = {
    " ": "toggle",
    "n": "next",
    "\x1b[C": "next",  # right arrow
    "p": "previous",
    "\x1b[D": "previous",  # left arrow
    "r": "repeat",  # the latest instruction again
    "\x1b[A": "louder",  # up arrow
    "\x1b[B": "softer",  # down arrow
    "+": "stay_longer",
    "=": "stay_longer",  # + without shift on most keyboards
    "q": "quit",
}


class KeyReader:
    """Reads keys without waiting for Enter while open, if stdin is a terminal; restores it on close.

    cbreak rather than full raw mode: Ctrl-C still raises KeyboardInterrupt, and output
    processing stays on, so the display's lines still start at the left edge.
    """

    def __init__(self, stream: TextIO = sys.stdin) -> None:
        self.fd: int | None = None
        try:
            if stream.isatty():
                self.fd = stream.fileno()
        except (AttributeError, ValueError, OSError):  # closed or replaced stdin
            self.fd = None
        self._saved: list | None = None
        self._hung_up = False
        self._on_continue: signal.Handlers | Callable[..., object] | int | None = None  # SIGCONT's handler before ours

    def __enter__(self) -> KeyReader:
        if self.fd is not None:
            self._saved = termios.tcgetattr(self.fd)
            tty.setcbreak(self.fd, termios.TCSANOW)  # not TCSAFLUSH: a key pressed while play starts is kept
            # Ctrl-Z, then fg: the shell gave the terminal back in line mode with echo; take single keys again
            with contextlib.suppress(ValueError):  # not the main thread: no handler, and no job control to meet
                self._on_continue = signal.signal(signal.SIGCONT, self._continued)
        return self

    def _continued(self, *_: object) -> None:
        if self.fd is not None and self._saved is not None:
            with contextlib.suppress(termios.error):
                tty.setcbreak(self.fd, termios.TCSANOW)

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None and self._saved is not None:
            with contextlib.suppress(termios.error):  # the terminal is gone: nothing left to restore
                termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
            self._saved = None
            if self._on_continue is not None:
                with contextlib.suppress(ValueError):
                    signal.signal(signal.SIGCONT, self._on_continue)
                self._on_continue = None

    def read(self, timeout: float) -> list[str]:
        """Keys pressed within `timeout` seconds (none if stdin is not a terminal: it just waits)."""
        if self.fd is None or self._hung_up:
            select.select([], [], [], timeout)
            return []
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return []
        try:
            data = os.read(self.fd, 64)
        except OSError:
            data = b""
        if not data:  # the terminal hung up: no more keys will come
            self._hung_up = True
        return split_keys(data.decode("utf-8", errors="replace"))


def split_keys(text: str) -> list[str]:
    """'n\\x1b[Cq' -> ['n', '\\x1b[C', 'q']: escape sequences stay whole."""
    keys, i = [], 0
    while i < len(text):
        if text.startswith("\x1b[", i) and i + 2 < len(text):
            keys.append(text[i : i + 3])
            i += 3
        else:
            keys.append(text[i])
            i += 1
    return keys


def apply(session: Session, key: str) -> None:
    """Do what the key means; other keys do nothing."""
    action = CONTROLS.get(key if key.startswith("\x1b") else key.lower())
    if action is not None:
        getattr(session, action)()
