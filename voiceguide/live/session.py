"""Live play: a session's timeline, compiled as it plays, heard on time, with controls.

A feeder thread walks `iter_events` (which synthesizes each clip when it reaches
it) and adds every sound to the session's Score; the Player's thread
(voiceguide.live.output) mixes the score into the device a little ahead of what
is heard, so the first words are heard as soon as they exist. A conductor thread
ends the session. The controls (pause, resume, next, previous, repeat, stay longer,
quit) may be called from any thread; they are what the terminal front end
(voiceguide.cli.live_panel), the voice commands (voiceguide.live.listening) and tests drive.

Two clocks: plan positions (the timeline's seconds, what next/previous and the
history speak in) and stream seconds (what is heard, which includes any time
added to a hold with `stay_longer`). Timing maps one to the other.
"""

from __future__ import annotations

import bisect
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from voiceguide import threads
from voiceguide.audio.ambience import LOOKAHEAD, Bed
from voiceguide.audio.cue_files import session_cue_lengths
from voiceguide.audio.leveling import Leveled
from voiceguide.audio.samples import SAMPLE_RATE, to_int16
from voiceguide.audio.sounds import Sounds
from voiceguide.compiler import iter_events
from voiceguide.errors import VoiceguideError
from voiceguide.live.listening import COMMANDS, Heard, Listener, Microphone
from voiceguide.live.output import AudioLost, Device, Player
from voiceguide.now import EventIndex, Now
from voiceguide.options import Options
from voiceguide.routine import Routine
from voiceguide.speech.engine import Speech, session_speech
from voiceguide.timeline import Event, session_total

PREVIOUS_WINDOW = 1.5  # a second 'previous' this soon after the first goes to the exercise before
FINISH_AFTER = 0.3  # the session is over this long after its last sound, once the device has played it
STAY_LONGER = 10.0  # seconds one press of 'stay longer' adds to the hold in progress
SEEK_GAP = 0.15  # quiet before the new place after a skip, so it is heard as a new start
VOLUME_STEP = 3.0  # dB one press of the volume keys moves
VOLUME_RANGE = (-30.0, 3.0)  # dB around the leveled mix: its peaks sit at -3 dBTP, so +3 reaches full scale
STARTED_WITHIN = 0.5  # a stream has begun to be heard this soon after it was asked for
STRETCHABLE = ("hold", "rest")  # kinds of event 'stay longer' extends
COUNT_BEAT = 1.5  # seconds: a closing count's ticks and words come at most this far apart
INSTRUCTIONS = ("announce", "setup", "side", "teach", "step", "note", "release")  # speech roles 'repeat' goes back to

State = Literal["ready", "playing", "paused", "finished", "stopped"]
Part = Literal["intro", "exercise", "closing"]


@dataclass(frozen=True)
class Mark:
    """Something the session did, when (time.monotonic()) and where (plan position)."""

    at: float
    position: float
    action: Literal["play", "pause", "seek", "extend", "finish", "quit"]  # "play": heard from `position` at `at`


@dataclass(frozen=True)
class Status:
    """What a display shows: where the session is, and what is going on there."""

    state: State
    position: float  # plan position
    total: float | None  # None until the whole timeline is known (it is compiled while playing)
    title: str
    exercises: int
    clock: float | None = None  # seconds heard so far, added time included (None: same as position)
    length: float | None = None  # the session's length as heard, added time included (None: same as total)
    part: Part = "intro"
    role: str = ""  # of the latest event
    exercise: str | None = None
    index: int | None = None
    side: str | None = None
    rep: int | None = None
    reps: int | None = None
    set: int | None = None  # set N of M, in an exercise of more than one set
    sets: int | None = None
    speaking: str | None = None  # the cue being spoken
    speaking_at: float | None = None  # where it started: tells two cues with the same words apart
    hold: str | None = None  # the hold as said ("30 seconds", "6 breaths")
    hold_left: float | None = None  # seconds, added time included
    breath: str | None = None  # the phase: "inhale", "hold", "exhale", ...
    breath_left: float | None = None
    breath_number: int | None = None  # breath N of the hold in progress
    breaths: int | None = None  # of M (None until the whole hold is known)
    resting: bool = False  # a real rest: the exercise has nothing more to do
    next_up: str | None = None  # "3. Bridge": shown in a real rest and the last seconds of an exercise
    next_index: int | None = None  # the exercise next_up names; 0: the end of the session is next
    instruction: str | None = None  # the instruction in force (voiceguide.now)
    phase: str | None = None  # the phase in progress: a breath's, a tempo's, "hold", "work", or a rest's role
    phase_kind: str | None = None  # "breath", "move", "hold" or "rest"
    phase_left: float | None = None  # seconds, added time included
    dropouts: int = 0
    volume: float = 0.0  # dB the listener moved the volume by (0: as leveled)
    listening: bool = False  # voice commands are being listened for
    heard: Heard | None = None  # the latest command heard (its verdict: obeyed, or unsure and not obeyed)


def status_from(status: Status, now: Now, names: list[str], left: Callable[[float], float]) -> Status:
    """What a display shows of the session's one answer (voiceguide.now): `left` turns a plan time into the
    seconds heard until it (added time included); `names` are the exercises'."""
    nxt = now.next_index
    return replace(
        status,
        part=now.part, role=now.role, exercise=now.exercise, index=now.index, side=now.side, rep=now.rep, reps=now.reps,
        set=now.set, sets=now.sets,
        speaking=now.speaking, speaking_at=now.speaking_at,
        hold=now.hold, hold_left=left(now.hold_end) if now.hold_end is not None else None,
        breath=now.phase if now.phase_kind == "breath" else None,
        breath_left=left(now.phase_end) if now.phase_kind == "breath" and now.phase_end is not None else None,
        breath_number=now.breath_number, breaths=now.breaths, resting=now.resting,
        next_up=f"{nxt}. {names[nxt - 1]}" if nxt and nxt <= len(names) else None, next_index=nxt,
        instruction=now.instruction, phase=now.phase, phase_kind=now.phase_kind,
        phase_left=left(now.phase_end) if now.phase_end is not None else None,
    )  # fmt: skip


@dataclass(frozen=True)
class Stretch:
    at: float  # plan position where the time is added (sounds from here on move later)
    seconds: float


class Timing:
    """Plan positions <-> stream seconds, with the time 'stay longer' added."""

    def __init__(self) -> None:
        self.stretches: list[Stretch] = []  # by position

    def add(self, stretch: Stretch) -> None:
        bisect.insort(self.stretches, stretch, key=lambda s: s.at)

    def to_stream(self, position: float) -> float:
        return position + sum(s.seconds for s in self.stretches if s.at <= position)

    def to_plan(self, seconds: float) -> float:
        """The plan position heard at stream `seconds` (within added time: where it was added)."""
        added = 0.0
        for s in self.stretches:
            if seconds < s.at + added:
                break
            if seconds < s.at + added + s.seconds:
                return s.at
            added += s.seconds
        return seconds - added


FIRST_SOUND_AHEAD = 0.5  # seconds the first sound may take to start before the rest of the session is prepared
KNOWN_MARGIN = 0.01  # seconds short of a sound's planned end the score counts as known: rounding never loses a sample


class Score:
    """Every sound known so far, mixed on request for any stretch of stream time (the Player's source)."""

    def __init__(self, timing: Timing, bed: Bed | None = None) -> None:
        self.timing = timing
        self.bed = bed  # background ambience under it all, ducked under speech as render does
        self.end: float | None = None  # plan position the session ends, once every sound is known
        self.lock = threading.Lock()
        self.starts: list[float] = []  # plan positions, in order
        self.sounds: list[tuple[Event, np.ndarray]] = []
        self.longest = 0.0
        self.known_until = 0.0  # plan position up to which every sound is known
        self.complete = False  # every sound of the session is known
        self.gain = 1.0  # the listener's volume (Session.louder/softer), on the whole mix

    def add(self, event: Event, sound: np.ndarray | None) -> None:
        """Every event, in order of start. No speech or cue starts under an earlier one (the compiler's promise,
        tests/test_cue_placement.py), so the score is known to the end of the latest sound, or to the latest start:
        the opening bell plays while the title after it is still being synthesized."""
        with self.lock:
            reach = event.end - KNOWN_MARGIN if event.kind in ("speech", "cue") else event.start
            self.known_until = max(self.known_until, event.start, reach)
            if sound is not None:
                self.starts.append(event.start)
                self.sounds.append((event, sound))
                self.longest = max(self.longest, sound.size / SAMPLE_RATE)

    def close(self, end: float | None = None) -> None:
        with self.lock:
            self.complete = True
            self.end = end

    def sounding(self, position: float) -> list[tuple[Event, np.ndarray]]:
        """The sounds heard at plan `position`."""
        with self.lock:
            first = bisect.bisect_left(self.starts, position - self.longest)
            last = bisect.bisect_right(self.starts, position)
            return [(e, s) for e, s in self.sounds[first:last] if e.start + s.size / SAMPLE_RATE > position]

    def mix(self, first: int, count: int) -> np.ndarray | None:
        """The sound of stream frames first .. first + count; None if the session is not compiled that far."""
        out = np.zeros(count, dtype=np.float32)
        with self.lock:
            since = self.timing.to_plan(first / SAMPLE_RATE) - self.longest
            until = self.timing.to_plan((first + count) / SAMPLE_RATE)
            if until > self.known_until and not self.complete:
                return None
            if self.bed is not None and until + LOOKAHEAD > self.known_until and not self.complete:
                return None  # the bed dips before a sentence: it needs to know what comes next
            lo, hi = bisect.bisect_left(self.starts, since), bisect.bisect_right(self.starts, until)
            for event, sound in self.sounds[lo:hi]:
                at = round(self.timing.to_stream(event.start) * SAMPLE_RATE) - first
                a, b = max(at, 0), min(at + sound.size, count)
                if a < b:
                    out[a:b] += sound[a - at : b - at]
            if self.bed is not None:
                out += self._bed(first, count, since, until)
            if self.gain != 1.0:
                out *= np.float32(self.gain)
        return to_int16(out)

    def _bed(self, first: int, count: int, since: float, until: float) -> np.ndarray:
        """The bed for these stream frames, ducked under the sentences around them (in stream frames)."""
        assert self.bed is not None
        # A sentence counts while it ends within LOOKAHEAD of these frames (the bed holds its dip past a
        # sentence's end): one that began longer ago may still be speaking.
        lo = bisect.bisect_left(self.starts, since - LOOKAHEAD - self.longest)
        hi = bisect.bisect_right(self.starts, until + LOOKAHEAD)
        spans = []
        for event, sound in self.sounds[lo:hi]:
            if event.kind == "speech" and event.start + sound.size / SAMPLE_RATE + LOOKAHEAD >= since:
                at = round(self.timing.to_stream(event.start) * SAMPLE_RATE)
                spans.append((at, at + sound.size))
        end = None if self.end is None else round(self.timing.to_stream(self.end) * SAMPLE_RATE)
        return self.bed.samples(first, count, spans, end)


def exercise_number(routine: Routine, wanted: str | int) -> int:
    """`--start`'s exercise, by number (1-based) or name (exact, else the one name it begins)."""
    names = [e.name for e in routine.exercises]
    text = str(wanted).strip()
    if text.isdigit() and len(text.lstrip("0")) <= 9 and 1 <= int(text) <= len(names):  # 5,000 digits: no int()
        return int(text)
    lowered = [n.casefold() for n in names]
    if text.casefold() in lowered:
        return lowered.index(text.casefold()) + 1
    begun = [i for i, n in enumerate(lowered) if n.startswith(text.casefold())]
    if len(begun) == 1 and text:
        return begun[0] + 1
    choices = ", ".join(f"{i}. {n}" for i, n in enumerate(names, 1))
    raise VoiceguideError(f"--start {text}: no such exercise in '{routine.title}' (1-{len(names)}, or a name: {choices})")


class Session:
    """One live session of a routine; `start()` plays it, the controls steer it."""

    def __init__(
        self,
        routine: Routine,
        options: Options,
        speech: Speech | None = None,
        device: Device | None = None,
        start_at: str | int | None = None,
        microphone: Microphone | None = None,
    ) -> None:
        self.routine = routine
        self.options = options
        self.first = exercise_number(routine, start_at) if start_at is not None else 0  # 0: from the very start
        self.speech = session_speech(routine, options, speech)
        self.sounds = Leveled(Sounds(self.speech, options.cue_dir))  # as render mixes them: live sounds like the file
        self.cue_lengths = session_cue_lengths(options)
        self.device = device
        self.history: list[Mark] = []
        self.timing = Timing()
        bed = Bed.load(options.background, options.background_level) if options.background else None
        self.score = Score(self.timing, bed)
        self._player: Player | None = None
        self._events: list[Event] = []
        self._starts: list[float] = []
        self._by_kind: dict[str, tuple[list[float], list[Event]]] = {}
        self._index = EventIndex([])  # what status() reads: rebuilt as the feeder adds events
        self._total: float | None = None
        self._error: BaseException | None = None
        self._state: State = "ready"
        self._stream_at = 0.0  # stream seconds, while not playing
        self._played_from = 0.0  # stream seconds the playing stream started from
        self._previous_at = -math.inf  # when previous() was last called
        self._cond = threading.Condition(threading.RLock())
        self._done = threading.Event()
        self.volume = 0.0  # dB, VOLUME_RANGE
        self._listener = Listener(microphone, self) if microphone is not None else None
        self.heard: list[Heard] = []  # every command heard, obeyed or not

    # --- running -------------------------------------------------------------

    def start(self) -> Session:
        """Start playing (returns at once); raises AudioUnavailable if there is no sound device."""
        with self._cond:
            if self._state != "ready":
                return self
            self._state = "paused"
        threads.start(self._feed, "voiceguide-feeder")
        try:
            if self.device is None:
                self.device = Device()  # opened while the first clip is synthesized
            self._player = Player(self.device, self.score.mix, self._lost)
            with self._cond:
                starts = self._segment_starts(wanted=self.first + 1)
                begin = starts[min(self.first, len(starts) - 1)]
                self._cond.wait_for(lambda: self._known_past(begin) or self._error is not None)
                self._raise_error()
                self._play_from(self.timing.to_stream(begin))
        except BaseException:
            self.quit()
            raise
        threads.start(self._conduct, "voiceguide-conductor")
        if self._listener is not None:
            self._listener.start()
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
        """Pause (silence within ~50 ms); returns the plan position it will resume from."""
        with self._cond:
            if self._state == "playing":
                self._halt()
                self._state = "paused"
                self._mark(self.position(), "pause")
            return self.position()

    def resume(self) -> float:
        """Resume where it paused, the rest of the timeline shifted by the pause."""
        with self._cond:
            if self._state == "paused":
                self._play_from(self._stream_at)
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

    def repeat(self) -> float:
        """Back to the start of the latest instruction said (or being said), and on from there."""
        with self._cond:
            if self._state in ("finished", "stopped"):
                return self.position()
            position = self.position()
            starts, events = self._by_kind.get("speech", ([], []))
            said = [e for e in events[: bisect.bisect_right(starts, position)] if e.role in INSTRUCTIONS]
            if said:
                self._seek(said[-1].start)
            return self.position()

    def louder(self) -> float:
        return self.set_volume(self.volume + VOLUME_STEP)

    def softer(self) -> float:
        return self.set_volume(self.volume - VOLUME_STEP)

    def set_volume(self, db: float) -> float:
        """The volume, in dB around the leveled mix (within VOLUME_RANGE): heard at once, as a pause is."""
        with self._cond:
            self.volume = min(max(db, VOLUME_RANGE[0]), VOLUME_RANGE[1])
            self.score.gain = 10 ** (self.volume / 20)
            if self._state == "playing":  # what the device holds ahead was mixed at the old volume: mixed again
                self._halt()
                self._play_from(self._stream_at)
            return self.volume

    def stay_longer(self, seconds: float = STAY_LONGER) -> float | None:
        """Add time to the hold (or rest) in progress: the rest of the session moves later, as after a pause.

        The time goes in at the first quiet moment not yet handed to the device, so nothing
        already playing is cut, and before the hold's closing count ("Three. Two. One."), which moves
        with its end. Returns that plan position, or None when no hold is in progress or its count has begun.
        """
        with self._cond:
            if self._state not in ("playing", "paused"):
                return None
            position = self.position()
            stretchable = [self._around(kind, position) for kind in STRETCHABLE]
            held = max((e for e in stretchable if e is not None), key=lambda e: e.start, default=None)
            if held is None:
                return None
            counted = self._closing_count(held)
            if counted is not None and position >= counted:
                return None  # "Three. Two. One." has begun: the hold ends as counted, never split by silence
            at = position
            if self._state == "playing" and self._player is not None:
                at = max(at, self.timing.to_plan(self._player.written() / SAMPLE_RATE))
            while sounding := self.score.sounding(at):  # not in the middle of a sound
                at = max(e.start + s.size / SAMPLE_RATE for e, s in sounding)
            at = min(at, held.end if counted is None else counted)  # before the closing count, which moves with the end
            heard, added_from = self._stream_now(), self.timing.to_stream(at)  # where the new time will begin
            self.timing.add(Stretch(at, seconds))
            self._mark(at, "extend")
            if self._state == "playing" and self._player is not None and self._player.written() / SAMPLE_RATE > added_from:
                self._play_from(heard)  # the device already holds sound past that point: replay from here
            self._cond.notify_all()
            return at

    def quit(self) -> None:
        """Stop the sound at once and end the session."""
        with self._cond:
            if self._state in ("finished", "stopped"):
                return
            if self._state == "playing":
                self._halt()
            self._state = "stopped"
            self._mark(self.position(), "quit")
            self._close()

    # --- what is going on ----------------------------------------------------------

    @property
    def state(self) -> State:
        return self._state

    def position(self) -> float:
        """Seconds into the session's timeline (pauses and added time not counted)."""
        with self._cond:
            return self.timing.to_plan(self._stream_now())

    def status(self) -> Status:
        with self._cond:
            clock = self._stream_now()
            position = self.timing.to_plan(clock)
            total = self._total
            status = Status(
                self._state, position, total, self.routine.title, len(self.routine.exercises), clock=clock,
                length=self.timing.to_stream(total) if total is not None else None,
                dropouts=len(self._player.dropouts) if self._player else 0, volume=self.volume,
                listening=self._listener is not None and self._listener.listening, heard=self.heard[-1] if self.heard else None,
            )  # fmt: skip
            if len(self._events) != len(self._index.events):
                self._index = EventIndex(list(self._events))
            now = self._index.now(position, complete=total is not None)
            names = [e.name for e in self.routine.exercises]
            return status_from(status, now, names, lambda end: self.timing.to_stream(end) - clock)

    # --- voice commands (voiceguide.live.listening) ------------------------------

    def heard_position(self) -> float | None:
        """The plan position being heard, None while nothing plays: what the guard compares with the guide's sounds."""
        with self._cond:
            return self.position() if self._state == "playing" else None

    def guide_events(self) -> list[Event]:
        with self._cond:
            return list(self._events)

    def obey(self, heard: Heard) -> None:
        """A command heard: shown; obeyed when the recognizer is sure of it."""
        with self._cond:
            self.heard.append(heard)
            if heard.verdict == "obeyed":
                getattr(self, COMMANDS[heard.words])()
            self._cond.notify_all()

    # --- inside ------------------------------------------------------------------

    def _feed(self) -> None:
        heard_first = self.first != 0  # from the start: the opening sound plays before the speech engine starts
        try:
            for event in iter_events(self.routine, self.options, self.speech.duration, self.cue_lengths):
                sound = self.sounds(event)
                with self._cond:
                    if self._state == "stopped":
                        return
                    self._add(event, sound)
                    if not heard_first and sound is not None:
                        # A cold natural voice starts two processes, which would take both cores from the
                        # opening bell; they start once it plays (the first speech is seconds later).
                        self._cond.wait_for(lambda: self.history or self._state == "stopped", FIRST_SOUND_AHEAD)
                        heard_first = True
            with self._cond:
                self._total = session_total(self._events)
                self.score.close(self._total)
                self._cond.notify_all()
        except BaseException as exc:  # noqa: BLE001 - handed to the threads that wait on the session
            with self._cond:
                self._error = exc
                self._cond.notify_all()

    def _add(self, event: Event, sound: np.ndarray | None) -> None:
        self._events.append(event)
        self._starts.append(event.start)
        starts, events = self._by_kind.setdefault(event.kind, ([], []))
        starts.append(event.start)
        events.append(event)
        self.score.add(event, sound)
        self._cond.notify_all()

    def _lost(self, error: AudioLost) -> None:
        with self._cond:
            if self._error is None:
                self._error = error
            self._cond.notify_all()

    def _conduct(self) -> None:
        with self._cond:
            while self._state not in ("finished", "stopped"):
                if self._error is not None:
                    self.quit()
                    return
                ends = self.timing.to_stream(self._total) + FINISH_AFTER if self._total is not None else math.inf
                if self._state == "playing" and self._stream_now() >= ends:
                    self._finish()
                    return
                self._cond.wait(0.1)

    def _stream_now(self) -> float:
        if self._state == "playing" and self._player is not None:
            heard = self._player.heard(time.monotonic())
            if heard is not None:
                return max(self._played_from, heard / SAMPLE_RATE)
            return self._played_from
        return self._stream_at

    def _play_from(self, seconds: float, gap: float = 0.0) -> None:
        assert self._player is not None
        generation = self._player.play_from(round(seconds * SAMPLE_RATE), round(gap * SAMPLE_RATE))
        self._state, self._played_from = "playing", seconds
        began = self._player.started(generation, STARTED_WITHIN)
        self._mark(self.timing.to_plan(seconds), "play", began)
        self._cond.notify_all()

    def _halt(self) -> None:
        """Silence the stream where it is now."""
        assert self._player is not None
        self._stream_at = self._stream_now()
        self._player.halt()

    def _seek(self, position: float) -> None:
        if self._state == "playing":
            self._halt()
            self._mark(position, "seek")
            self._play_from(self.timing.to_stream(position), gap=SEEK_GAP)
        elif self._state == "paused":
            self._stream_at = self.timing.to_stream(position)
            self._mark(position, "seek")

    def _finish(self) -> None:
        if self._state == "playing":
            self._halt()
        if self._total is not None:
            self._stream_at = self.timing.to_stream(self._total)
        self._state = "finished"
        self._mark(self.position(), "finish")
        self._close()

    def _close(self) -> None:
        if self._listener is not None:
            self._listener.stop()
        if self._player is not None:
            self._player.close()
        self._done.set()
        self._cond.notify_all()

    def _mark(self, position: float, action: str, at: float | None = None) -> None:
        self.history.append(Mark(time.monotonic() if at is None else at, position, action))  # type: ignore[arg-type]

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error

    def _known_past(self, position: float) -> bool:
        """Whether the feeder has compiled the session beyond `position` (so its first sound is there): a later
        event, or a sound that plays on past it (the opening bell, while the title after it is synthesized)."""
        return self._total is not None or self.score.known_until > position  # known_until is never before the latest start

    def _closing_count(self, held: Event) -> float | None:
        """Where the count that closes a hold or rest starts: its ticks and "Three. Two. One.", a beat apart (a "Get
        ready." further before them is not part of it)."""
        starts = sorted(e.start for e in self._events if e.role == "countdown" and held.start <= e.start < held.end)
        if not starts:
            return None
        first = len(starts) - 1
        while first > 0 and starts[first] - starts[first - 1] <= COUNT_BEAT:
            first -= 1
        return starts[first]

    def _around(self, kind: str, position: float) -> Event | None:
        """The event of this kind going on at `position`, if any (events of one kind never overlap)."""
        starts, events = self._by_kind.get(kind, ([], []))
        at = bisect.bisect_right(starts, position) - 1
        return events[at] if at >= 0 and events[at].end > position else None

    def _outline(self) -> tuple[list[float], list[int], bool]:
        """Where the intro, each exercise and the closing words start (as far as compiled), the exercise
        number of each (0: the intro), and whether the closing words are among them."""
        starts, numbers = [0.0], [0]
        for event in self._events:
            if event.index is not None and event.index not in numbers:
                starts.append(event.start)
                numbers.append(event.index)
            elif event.index is None and len(starts) > 1:
                return [*starts, event.start], numbers, True
        return starts, numbers, False

    def _segment_starts(self, wanted: int) -> list[float]:
        """Where the intro, each exercise and the closing words start; waits for the feeder to reach `wanted` of them."""
        while True:
            starts = self._outline()[0]
            if len(starts) >= wanted or self._total is not None or self._error is not None:
                self._raise_error()
                return starts
            self._cond.wait()

    def _segment(self, position: float) -> int:
        starts = self._segment_starts(wanted=0)
        return max(0, bisect.bisect_right(starts, position) - 1)
