"""voiceguide's threads leave Ctrl-C, kill and hang-up to the main thread, which is the one that stops a session."""

import signal
import threading
from concurrent.futures import Future

from voiceguide import threads


def test_a_worker_thread_and_what_it_starts_never_take_the_stop_signals():
    masks: Future = Future()

    def child() -> None:
        masks.set_result(signal.pthread_sigmask(signal.SIG_BLOCK, []))

    threads.start(lambda: threading.Thread(target=child).start(), "outer")  # as a process pool starts its own
    assert masks.result(timeout=10) >= threads.STOP_SIGNALS
    assert not threads.STOP_SIGNALS & signal.pthread_sigmask(signal.SIG_BLOCK, [])  # the main thread still takes them
