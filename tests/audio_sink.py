"""A real audio path for tests and the live benchmark: a private PulseAudio server with a
null sink, ALSA's default device routed to it (so the player's ALSA output plays into it),
recordings of the sink's monitor with parec, read back as samples, a busy machine
(CpuLoad) and a finder of dropouts in a recording.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

RATE = 22050  # recordings are made at the clips' own rate
FRAME = 22  # ~1 ms frames for the loudness envelope
LOUD = 300  # |sample| above this is sound (clips are trimmed at 200: their onset is where they pass it)
QUIET_BEFORE_ONSET = 0.04  # an onset is sound after at least this much quiet
SILENT = 8  # |sample| at most this in a whole DROP_FRAME: the server played nothing there
DROP_FRAME = 110  # 5 ms
MISSING_WITHIN = 0.05  # a sound is looked for from this long before its place...
LATE_WITHIN = 1.0  # ... to this long after it; not there: it was not heard at all
SLIP = 0.015  # a sound this much later than the one before it: the stream stalled in between

PULSE_CONFIG = """\
load-module module-null-sink sink_name=voiceguide_test rate=44100
set-default-sink voiceguide_test
load-module module-native-protocol-unix auth-anonymous=1
"""
# ALSA reads this instead of its usual top file: that one, then the default device set to Pulse.
ALSA_CONFIG = """\
</usr/share/alsa/alsa.conf>
pcm.!default { type pulse }
ctl.!default { type pulse }
"""


def missing_tools() -> list[str]:
    tools = [t for t in ("pulseaudio", "parec", "pactl") if shutil.which(t) is None]
    plugin = any(Path(p).glob("alsa-lib/libasound_module_pcm_pulse.so") for p in Path("/usr/lib").glob("*"))
    return tools + ([] if plugin else ["libasound2-plugins (ALSA's pulse plugin)"])


@contextlib.contextmanager
def playing_into_sink(root: Path) -> Iterator[NullSink]:
    """A started NullSink that this process and every CLI run it starts play into, for the block."""
    sink = NullSink(root).start()
    saved = {k: os.environ.get(k) for k in sink.env}
    os.environ.update(sink.env)
    try:
        yield sink
    finally:
        sink.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class NullSink:
    """Starts its own pulseaudio under `root`; `env` is what a process needs to play into it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        run = root / "run"
        for folder in (run, root / "state", root / "home"):
            folder.mkdir(parents=True, exist_ok=True)
        (root / "default.pa").write_text(PULSE_CONFIG)
        (root / "asound.conf").write_text(ALSA_CONFIG)
        self.env = {
            "PULSE_SERVER": f"unix:{run}/native",
            "PULSE_RUNTIME_PATH": str(run),
            "PULSE_STATE_PATH": str(root / "state"),
            "PULSE_COOKIE": str(root / "cookie"),
            "ALSA_CONFIG_PATH": str(root / "asound.conf"),
        }
        self._server: subprocess.Popen | None = None

    def start(self) -> NullSink:
        env = {**os.environ, **self.env, "HOME": str(self.root / "home")}
        self._server = subprocess.Popen(
            [
                "pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--system=false",
                "--use-pid-file=false", "--disallow-module-loading=false", "-F", str(self.root / "default.pa"),
                "--log-target=file:" + str(self.root / "pulseaudio.log"),
            ],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60  # a hang guard: a busy machine starts it late
        while time.monotonic() < deadline:
            if self._server.poll() is not None:
                break
            probe = subprocess.run(["pactl", "info"], env=env, capture_output=True)
            if probe.returncode == 0:
                return self
            time.sleep(0.1)
        self.stop()
        log = (self.root / "pulseaudio.log").read_text(errors="replace") if (self.root / "pulseaudio.log").exists() else ""
        raise RuntimeError(f"pulseaudio did not start: {log[-2000:]}")

    def kill(self) -> None:
        """The server dies, as when it crashes: players lose their device."""
        if self._server is not None and self._server.poll() is None:
            self._server.kill()
            self._server.wait()

    def stop(self) -> None:
        if self._server is not None and self._server.poll() is None:
            self._server.terminate()
            try:
                self._server.wait(5)
            except subprocess.TimeoutExpired:
                self._server.kill()
                self._server.wait()

    def add_microphone(self) -> None:
        """A null sink "mic" whose monitor is the default source, and what this sink plays looped into it,
        as a loudspeaker reaches a microphone in the room: play a command into it with paplay --device=mic."""
        env = {**os.environ, **self.env}
        for command in (
            ["pactl", "load-module", "module-null-sink", "sink_name=mic", "rate=16000", "channels=1"],
            ["pactl", "set-default-source", "mic.monitor"],
            ["pactl", "load-module", "module-loopback", "source=voiceguide_test.monitor", "sink=mic", "latency_msec=30"],
        ):
            subprocess.run(command, env=env, check=True, capture_output=True)

    def record(self, name: str = "recording") -> Recording:
        return Recording(self, self.root / f"{name}.raw")


@dataclass
class Recording:
    """The sink's monitor, recorded with parec from start() to stop()."""

    sink: NullSink
    path: Path
    samples: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int16))
    began: float = 0.0  # estimated time.monotonic() of the first recorded sample
    _process: subprocess.Popen | None = None
    _watch: threading.Thread | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> Recording:
        env = {**os.environ, **self.sink.env}
        self.path.unlink(missing_ok=True)
        with open(self.path, "wb") as out:  # a file, never a pipe: an unread pipe makes Pulse drop audio
            self._process = subprocess.Popen(
                ["parec", "-d", "voiceguide_test.monitor", "--format=s16le", f"--rate={RATE}", "--channels=1",
                 "--latency-msec=5", "--raw"],
                env=env, stdout=out, stderr=subprocess.DEVNULL,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while not self.path.exists() or self.path.stat().st_size < 2000:
            if time.monotonic() > deadline or self._process.poll() is not None:
                raise RuntimeError("parec recorded nothing from the null sink's monitor")
            time.sleep(0.005)
        self.began = time.monotonic()
        self._watch = threading.Thread(target=self._anchor, daemon=True)
        self._watch.start()
        return self

    def _anchor(self) -> None:
        """Pin the recording to the monotonic clock: bytes arrive late, never early, so the earliest
        start that the (time, size) pairs allow is the closest estimate."""
        while not self._stop.is_set():
            now = time.monotonic()
            size = self.path.stat().st_size
            self.began = min(self.began, now - size / 2 / RATE)
            time.sleep(0.003)

    def stop(self) -> np.ndarray:
        self._stop.set()
        if self._watch is not None:
            self._watch.join()
        if self._process is not None:
            self._process.terminate()
            self._process.wait(5)
        data = self.path.read_bytes()
        self.samples = np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2")
        return self.samples

    def __enter__(self) -> Recording:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def loud_frames(samples: np.ndarray) -> np.ndarray:
    frames = samples[: samples.size // FRAME * FRAME].astype(np.int32).reshape(-1, FRAME)
    return np.abs(frames).max(axis=1) > LOUD


def onsets(samples: np.ndarray) -> np.ndarray:
    """Seconds at which sound starts after at least QUIET_BEFORE_ONSET of quiet (or at the very start)."""
    loud = loud_frames(samples)
    quiet_needed = int(QUIET_BEFORE_ONSET * RATE / FRAME)
    found, quiet = [], quiet_needed
    for i, is_loud in enumerate(loud):
        if is_loud:
            if quiet >= quiet_needed:
                found.append(i)
            quiet = 0
        else:
            quiet += 1
    # Refine each to the first loud sample inside its frame.
    result = []
    for i in found:
        frame = np.abs(samples[i * FRAME : (i + 1) * FRAME].astype(np.int32))
        result.append((i * FRAME + int(np.argmax(frame > LOUD))) / RATE)
    return np.array(result)


def clip_onset(sound: np.ndarray) -> float:
    """Where a clip (float32) first passes the loudness threshold: what `onsets` finds when it plays."""
    loud = np.flatnonzero(np.abs(sound) * 32767 > LOUD)
    return float(loud[0]) / RATE if loud.size else 0.0


def quiet_from(samples: np.ndarray, after: float, lasting: float) -> float:
    """The first moment at or after `after` from which there is `lasting` seconds of quiet."""
    loud = loud_frames(samples)
    need = int(lasting * RATE / FRAME)
    i = int(after * RATE / FRAME)
    run = 0
    while i < loud.size:
        run = 0 if loud[i] else run + 1
        if run >= need:
            return (i - need + 1) * FRAME / RATE
        i += 1
    raise ValueError(f"no {lasting} s of quiet after {after:.2f} s")


def match(expected: list[float], found: np.ndarray) -> list[float]:
    """For each expected onset, the signed error to the nearest onset found."""
    return [float(found[np.argmin(np.abs(found - t))] - t) if found.size else float("inf") for t in expected]


class CpuLoad:
    """A busy machine: one process spinning per core (`cores`), for as long as the block runs."""

    def __init__(self, cores: int | None = None) -> None:
        self.cores = cores or os.cpu_count() or 2
        self._hogs: list[subprocess.Popen] = []

    def __enter__(self) -> CpuLoad:
        self._hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(self.cores)]
        return self

    def __exit__(self, *exc: object) -> None:
        for hog in self._hogs:
            hog.kill()
            hog.wait()


def _frames_max(samples: np.ndarray, size: int) -> np.ndarray:
    usable = samples[: samples.size // size * size].astype(np.int32)
    return np.abs(usable).reshape(-1, size).max(axis=1) if usable.size else np.zeros(0, np.int32)


def dropouts(samples: np.ndarray, planned: list[tuple[float, np.ndarray]], shift: float) -> list[float]:
    """Where sound the plan has was not heard: returns the recording times of the dropouts.

    `planned` is (start, float32 clip) in plan order; `shift` the recording time of plan
    position 0. A dropout is any of: the recording silent inside a clip where the clip is
    loud; a clip heard later than the one before it by more than SLIP (the stream stalled
    between them, and the server played silence meanwhile); a clip not heard at all.
    """
    found = onsets(samples)
    silent = _frames_max(samples, DROP_FRAME) <= SILENT
    result: list[float] = []
    for start, sound in planned:
        onset = clip_onset(sound)
        if not np.any(np.abs(sound) * 32767 > LOUD):
            continue
        due = shift + start + onset
        near = found[(found >= due - MISSING_WITHIN) & (found <= due + LATE_WITHIN)] if found.size else found
        if not near.size:
            result.append(due)
            continue
        heard = float(near[np.argmin(np.abs(near - due))])
        if heard - due > SLIP:
            result.append(due)
        shift += heard - due  # later sounds are placed after this one, as the stream now runs
        first = round((heard - onset) * RATE)  # the recording sample of the clip's first
        loud = _frames_max(np.abs(sound) * 32767, DROP_FRAME) > LOUD
        inner = loud[1:-1] & loud[:-2] & loud[2:]  # loud on both sides too: alignment may be off by a little
        frames = (first + (np.arange(inner.size) + 1) * DROP_FRAME) // DROP_FRAME
        gone = inner & np.where(frames < silent.size, silent[np.minimum(frames, silent.size - 1)], True)
        runs = np.flatnonzero(gone & ~np.concatenate(([False], gone[:-1])))  # the first frame of each silent run
        result += [(first + (k + 1) * DROP_FRAME) / RATE for k in runs]
    return result
