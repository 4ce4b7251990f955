"""Errors a user can act on: each prints as one line and exits with code 2."""

from __future__ import annotations

from voiceguide.printable import one_line


class VoiceguideError(Exception):
    """A problem with the user's input or machine, reported without a traceback.

    The message is made one printable line here, so no input it quotes (a key with a
    newline, an escape sequence) can split it or reach the terminal raw.
    """

    exit_code = 2

    def __init__(self, message: str = "") -> None:
        super().__init__(one_line(str(message)))


class RoutineError(VoiceguideError):
    """A routine file that cannot be used, located at FILE:LINE."""

    def __init__(self, source: str, line: int | None, message: str) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


class Interrupted(VoiceguideError):
    """Ctrl-C (exit 130) or a kill (128 + signal) that stopped the work cleanly."""

    def __init__(self, message: str, exit_code: object = 130) -> None:
        super().__init__(message)
        self.exit_code = exit_code if isinstance(exit_code, int) else 130
