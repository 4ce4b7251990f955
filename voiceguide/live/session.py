"""Live play: a session's timeline, compiled as it plays, heard on time, with controls.

A feeder thread walks `iter_events` (which synthesizes each clip when it reaches
it) and mixes every sound into the tape that is playing, well ahead of the play
head; so the first words are heard as soon as they exist. A conductor thread
ends the session and hands over to a fresh tape when one runs out. The controls
(pause, resume, next, previous, quit) may be called from any thread; they are
what the terminal front end (voiceguide.cli.live_panel) and tests drive.
"""

from __future__ import annotations

import bisect
import math
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from voiceguide.api import resolve
from voiceguide.audio.cue_files import session_cue_lengths
from voiceguide.audio.leveling import Leveled
from voiceguide.audio.sounds import Sounds
from voiceguide.compiler import iter_events
from voiceguide.live.output import SEEK_GAP, Output, Tape, tape_length
from voiceguide.options import Options
from voiceguide.routine import Routine
from voiceguide.speech.engine import Speech
from voiceguide.timeline import Event, session_total

PREVIOUS_WINDOW = 1.5  # a second 'previous' this soon after the first goes to the exercise before
HANDOVER_LEAD = 5.0  # prepare the next tape this long before the playing one runs out
FINISH_AFTER = 0.3  # the session is over this long after its last sound, once the device has played it

State = Literal["ready", "playing", "paused", "finished", "stopped"]


@dataclass(frozen=True)
class Mark:
    """Something the session did, when (time.monotonic()) and where (session position)."""

    at: float
    position: float
    action: Literal["play", "pause", "seek", "finish", "quit"]  # "play": a stream started at `position`


@dataclass(frozen=True)
class Status:
    """What a display shows: where the session is, and what is going on there."""

    state: State
    position: float
    total: float | None  # None until the whole timeline is known (it is compiled while playing)
    title: str
    exercises: int
    role: str = ""  # of the latest event: "closing" for the final words
    exercise: str | None = None
    index: int | None = None
    side: str | None = None
    rep: int | None = None
    reps: int | None = None
    speaking: str | None = None  # the cue being spoken
    speaking_at: float | None = None  # where it started: tells two cues with the same words apart
    hold: str | None = None  # the hold as said ("30 seconds", "6 breaths")
    hold_left: float | None = None
    breath: str | None = None  # the breath phase: "inhale", "hold" or "exhale"
    breath_left: float | None = None


class Session:
    """One live session of a routine; `start()` plays it, the controls steer it."""

    def __init__(
        self,
        routine: Routine,
        options: Options,
        speech: Speech | None = None,
        output: Output | None = None,
    ) -> None:
        self.routine = routine
        self.options = options
        self.speech = speech or Speech(options.voice, options.rate)
        self.sounds = Leveled(Sounds(self.speech, options.cue_dir))  # as render mixes them: live sounds like the file
        self.cue_lengths = session_cue_lengths(options)
        self.output = output
        self.history: list[Mark] = []
        self._events: list[Event] = []
        self._starts: list[float] = []
        self._by_kind: dict[str, tuple[list[float], list[Event]]] = {k: ([], []) for k in ("speech", "hold", "breath")}
        self._audible: list[tuple[Event, np.ndarray]] = []
        self._total: float | None = None
        self._error: BaseException | None = None
        self._state: State = "ready"
        self._position = 0.0  # while not playing
        self._previous_at = -math.inf  # when previous() was last called
        self._tape: Tape | None = None  # the one playing
        self._next: Tape | None = None  # prepared to take over when the playing one runs out
        self._cond = threading.Condition(threading.RLock())
        self._done = threading.Event()

    # --- running -------------------------------------------------------------

    def start(self) -> Session:
        """Start playing (returns at once); raises AudioUnavailable if there is no sound device."""
        with self._cond:
            if self._state != "ready":
                return self
            self._state = "paused"
        threading.Thread(target=self._feed, name="voiceguide-feeder", daemon=True).start()
        try:
            if self.output is None:
                self.output = Output()  # probes the device while the first clip is synthesized
            with self._cond:
                self._cond.wait_for(lambda: self._audible or self._total is not None or self._error is not None)
                self._raise_error()
                self._play_from(0.0)
        except BaseException:
            self.quit()
            raise
        threading.Thread(target=self._conduct, name="voiceguide-conductor", daemon=True).start()
        return self

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the session has finished or was quit; True if it has. Raises what stopped it, if anything."""
        done = self._done.wait(timeout)
        self._raise_error()
        return done

    def run(self) -> Session:
        """Play the session to its end without a terminal. Ctrl-C stops the sound before it propagates."""
        try:
            self.start()
            while not self.wait(0.2):  # short waits, so Ctrl-C is seen at once
                pass
        except BaseException:
            self.quit()
            raise
        return self

    # --- controls --------------------------------------------------------------

    def pause(self) -> float:
        """Pause (silence within ~100 ms); returns the position it will resume from."""
        with self._cond:
            if self._state == "playing":
                position = self._halt()
                self._state = "paused"
                self._mark(position, "pause")
            return self._position

    def resume(self) -> float:
        """Resume where it paused, the rest of the timeline shifted by the pause."""
        with self._cond:
            if self._state == "paused":
                self._play_from(self._position)
            return self.position()

    def toggle(self) -> float:
        with self._cond:
            return self.resume() if self._state == "paused" else self.pause()

    def next(self) -> float:
        """Skip to the start of the next exercise (from the last one: the closing words; from those: the end)."""
        with self._cond:
            if self._state in ("finished", "stopped"):  # nothing left to steer
                return self.position()
            segment = self._segment(self.position())
            starts = self._segment_starts(wanted=segment + 2)
            if segment + 1 >= len(starts):  # in the closing words: the feeder is done, there is nothing after
                if self._state == "playing":
                    self._halt()
                self._finish()
            else:
                self._seek(starts[segment + 1])
            return self.position()

    def previous(self) -> float:
        """Back to the start of this exercise; pressed again within PREVIOUS_WINDOW seconds: the one before."""
        with self._cond:
            if self._state in ("finished", "stopped"):
                return self.position()
            now = time.monotonic()
            segment = self._segment(self.position())
            starts = self._segment_starts(wanted=segment + 1)
            if segment > 0 and now - self._previous_at < PREVIOUS_WINDOW:
                segment -= 1
            self._previous_at = now
            self._seek(starts[segment])
            return self.position()

    def quit(self) -> None:
        """Stop the sound at once and end the session."""
        with self._cond:
            if self._state in ("finished", "stopped"):
                return
            position = self._halt() if self._state == "playing" else self._position
            self._state = "stopped"
            self._mark(position, "quit")
            self._done.set()
            self._cond.notify_all()

    # --- what is going on ----------------------------------------------------------

    @property
    def state(self) -> State:
        return self._state

    def position(self) -> float:
        """Seconds into the session's timeline (pauses not counted)."""
        with self._cond:
            if self._state == "playing" and self._tape is not None:
                return self._tape.position(time.monotonic())
            return self._position

    def status(self) -> Status:
        with self._cond:
            position = self.position()
            status = Status(self._state, position, self._total, self.routine.title, len(self.routine.exercises))
            at = bisect.bisect_right(self._starts, position) - 1
            if at < 0:
                return status
            event = self._events[at]
            context = {k: getattr(event, k) for k in ("role", "exercise", "index", "side", "rep", "reps")}
            speech, hold, breath = (self._around(kind, position) for kind in ("speech", "hold", "breath"))
            return Status(
                self._state, position, self._total, self.routine.title, len(self.routine.exercises), **context,
                speaking=speech.text if speech else None,
                speaking_at=speech.start if speech else None,
                hold=hold.text if hold else None,
                hold_left=hold.end - position if hold else None,
                breath=breath.text if breath else None,
                breath_left=breath.end - position if breath else None,
            )  # fmt: skip

    # --- inside ------------------------------------------------------------------

    def _feed(self) -> None:
        try:
            for event in iter_events(self.routine, self.options, self.speech.duration, self.cue_lengths):
                sound = self.sounds(event)
                with self._cond:
                    if self._state == "stopped":
                        return
                    self._add(event, sound)
            with self._cond:
                self._total = session_total(self._events)
                self._cond.notify_all()
        except BaseException as exc:  # handed to the threads that wait on the session
            with self._cond:
                self._error = exc
                self._cond.notify_all()

    def _add(self, event: Event, sound: np.ndarray | None) -> None:
        self._events.append(event)
        self._starts.append(event.start)
        if event.kind in self._by_kind:
            starts, events = self._by_kind[event.kind]
            starts.append(event.start)
            events.append(event)
        if sound is not None:
            self._audible.append((event, sound))
            for tape in (self._tape, self._next):
                if tape is not None:
                    tape.put(event.start, sound)
        self._cond.notify_all()

    def _conduct(self) -> None:
        with self._cond:
            while self._state not in ("finished", "stopped"):
                if self._error is not None:
                    self.quit()
                    return
                timeout = 0.5
                tape = self._tape
                if self._state == "playing" and tape is not None:
                    now = time.monotonic()
                    position = tape.position(now)
                    if self._total is not None and position >= self._total + FINISH_AFTER:
                        self._finish()
                        return
                    timeout = self._hand_over(tape, now, position) or timeout
                self._cond.wait(timeout)

    def _hand_over(self, tape: Tape, now: float, position: float) -> float | None:
        """Keep the sound going past the end of the playing tape; returns how long until the next step."""
        if self._total is not None and tape.end >= self._total + FINISH_AFTER:
            return None
        if tape.end - position > HANDOVER_LEAD:
            return tape.end - position - HANDOVER_LEAD
        if self._next is None:
            self._next = self._fill(Tape(tape.end, tape_length(tape.end, self._total)))
        assert self.output is not None and tape.began is not None
        # Start the new stream early by what opening the device takes, so it sounds on the sample.
        due = tape.began + (tape.end - tape.start) - self.output.open_latency
        if now < due:
            return due - now
        self._next.play(self.output)
        self._tape, self._next = self._next, None
        self._mark(self._tape.start, "play", self._tape.began)
        return None

    def _fill(self, tape: Tape) -> Tape:
        """Mix every sound known so far that reaches into the tape's stretch."""
        for event, sound in self._audible:
            if event.end > tape.start and event.start < tape.end:
                tape.put(event.start, sound)
        return tape

    def _play_from(self, position: float, gap: float = 0.0) -> None:
        assert self.output is not None
        tape = self._fill(Tape(position - gap, tape_length(position - gap, self._total), quiet_until=position))
        tape.play(self.output)
        self._tape, self._next = tape, None
        self._state = "playing"
        self._mark(tape.start, "play", tape.began)
        self._cond.notify_all()

    def _halt(self) -> float:
        """Silence the playing tape where it is now; returns that position."""
        tape = self._tape
        assert tape is not None
        position = tape.position(time.monotonic())
        tape.silence_from(position)
        tape.stop()
        self._tape = self._next = None
        self._position = position
        return position

    def _seek(self, position: float) -> None:
        if self._state == "playing":
            self._halt()
            self._mark(position, "seek")
            self._play_from(position, gap=SEEK_GAP)
        elif self._state == "paused":
            self._position = position
            self._mark(position, "seek")

    def _finish(self) -> None:
        if self._tape is not None:
            self._tape.stop()  # only quiet is left on it: let the device play out what it has
        self._tape = self._next = None
        self._position = self._total if self._total is not None else self._position
        self._state = "finished"
        self._mark(self._position, "finish")
        self._done.set()
        self._cond.notify_all()

    def _mark(self, position: float, action: str, at: float | None = None) -> None:
        self.history.append(Mark(time.monotonic() if at is None else at, position, action))  # type: ignore[arg-type]

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error

    def _around(self, kind: str, position: float) -> Event | None:
        """The event of this kind going on at `position`, if any (events of one kind never overlap)."""
        starts, events = self._by_kind[kind]
        at = bisect.bisect_right(starts, position) - 1
        return events[at] if at >= 0 and events[at].end > position else None

    def _segment_starts(self, wanted: int) -> list[float]:
        """Where the intro, each exercise and the closing words start; waits for the feeder to reach `wanted` of them."""
        while True:
            starts, seen = [0.0], set()
            for event in self._events:
                if event.index is not None and event.index not in seen:
                    seen.add(event.index)
                    starts.append(event.start)
                elif event.index is None and seen:
                    starts.append(event.start)  # the closing words
                    break
            if len(starts) >= wanted or self._total is not None or self._error is not None:
                self._raise_error()
                return starts
            self._cond.wait()

    def _segment(self, position: float) -> int:
        starts = self._segment_starts(wanted=0)
        return max(0, bisect.bisect_right(starts, position) - 1)


def play(
    routine: str | Path | Routine = "lower-back",
    *,
    wait: bool = True,
    speech: Speech | None = None,
    **choices: object,
) -> Session:
    """Play a routine live. wait=False returns the running Session at once, to steer it."""
    loaded, options = resolve(routine, **choices)
    session = Session(loaded, options, speech=speech)
    return session.run() if wait else session.start()
