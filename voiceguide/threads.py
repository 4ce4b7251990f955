"""voiceguide's own threads: daemons that never take the signals meant for the main thread.

The kernel hands a process's Ctrl-C, kill or hang-up to any thread that does not block it.
Python runs the handler on the main thread, but only once that thread wakes: a main thread
waiting on a lock (a clip, a queue, a join) sleeps on while a worker took the signal, and
a render meant to stop runs on, or waits forever. Blocked here, the signals always reach
the main thread and interrupt its wait. Threads and processes started from these threads
inherit the mask (espeak-ng's clips, Piper's workers: they end with their parent).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import Any

STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT})


class _Thread(threading.Thread):
    def run(self) -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        super().run()


def start(target: Callable[..., Any], name: str, *args: Any) -> threading.Thread:
    """Start target(*args) on a daemon thread called name; the thread is returned, running."""
    thread = _Thread(target=target, args=args, name=name, daemon=True)
    thread.start()
    return thread
