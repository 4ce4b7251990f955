"""Single keys in live play: the terminal in cbreak mode while playing, given back whole, and taken again after fg."""

from __future__ import annotations

import os
import pty
import signal
import termios

from voiceguide.cli.keys import KeyReader


def canonical(fd: int) -> bool:
    return bool(termios.tcgetattr(fd)[3] & termios.ICANON)


def test_after_ctrl_z_and_fg_keys_are_single_again_and_the_terminal_is_given_back_on_close() -> None:
    main, other = pty.openpty()
    try:
        with os.fdopen(other, "r", closefd=False) as terminal:
            reader = KeyReader(terminal)
            assert canonical(other)
            with reader:
                assert not canonical(other)
                modes = termios.tcgetattr(other)  # what the shell leaves when it stops the job: line mode, echo
                modes[3] |= termios.ICANON | termios.ECHO
                termios.tcsetattr(other, termios.TCSANOW, modes)
                assert canonical(other)
                os.kill(os.getpid(), signal.SIGCONT)  # fg
                assert not canonical(other)
                os.write(main, b"n")
                assert reader.read(2.0) == ["n"]
            assert canonical(other)
            assert signal.getsignal(signal.SIGCONT) == signal.SIG_DFL
    finally:
        os.close(main)
        os.close(other)
