"""Rendering a session to an audio file (MP3, OGG, FLAC or WAV), with tags, chapters and captions.

Streamed: the timeline is compiled on a thread (so speech synthesis runs ahead on
the speech engine's worker), mixed chunk by chunk and piped into
ffmpeg as the same 16-bit samples a WAV gets, so memory does not grow with the
session and ffmpeg encodes on another core while we mix.
WAV is written here, so it needs no ffmpeg. Every output goes to a temp file
beside its target and is renamed into place only once complete: an error or
Ctrl-C leaves no partial file and any existing file untouched, and the file is
verified (rendering.verify) before the rename.
"""

from __future__ import annotations

import contextlib
import functools
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import wave
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voiceguide import stalls, threads
from voiceguide.audio.ambience import Bed
from voiceguide.audio.cue_files import session_cue_lengths
from voiceguide.audio.leveling import Leveled, leveled_path
from voiceguide.audio.mixing import CHUNK, stream
from voiceguide.audio.samples import SAMPLE_RATE, sample_at, to_int16, valid_clip
from voiceguide.audio.sounds import Sounds
from voiceguide.compiler import DurationFn, iter_events, timeline_of
from voiceguide.errors import VoiceguideError
from voiceguide.files import Staging, check_target
from voiceguide.options import Options
from voiceguide.rendering import captions
from voiceguide.rendering.halves import Cut, balanced_target, find_cut
from voiceguide.rendering.mp3_join import JoinError, join, set_length
from voiceguide.rendering.page import page_html
from voiceguide.rendering.peaks import Dips, overshoots_in
from voiceguide.rendering.tags import check_chapter_count, tags_for, write_tags
from voiceguide.rendering.verify import check_encoder_log, verify_render
from voiceguide.routine import Routine
from voiceguide.speech.engine import Speech, session_speech
from voiceguide.timeline import Event, Timeline

Progress = Callable[[float, "float | None"], None]  # (session seconds done, session length once known)
PEAK_PASSES = 3  # encodings at most: two rounds of dips have always been enough (a third is kept as it is)

FFMPEG_HINT = "install it with 'sudo apt-get install ffmpeg' (or run scripts/setup.sh)"
ABORT_WAIT = 2.0  # seconds a stopped render gives a thread of its own to end before it leaves it (a daemon)


@contextlib.contextmanager
def _signals_held(done_wins: bool = False) -> Iterator[None]:
    """Ctrl-C, kill and hang-up wait (recorded, not lost) until the block ends, then stop the render as ever.

    Around making a temp file and starting the encoder that writes it, and recording both where
    close() finds them: a stop in between once left an encoder no one stopped, writing a `.part`
    file after the clean-up had removed it. Held, the signal lands once both are recorded, and
    close() stops the one and removes the other. Held by swapping the handlers, not by a signal
    mask: the kernel may hand a signal to any thread that does not block it (numpy's and ONNX
    runtime's own threads among them), and Python then runs the handler on the main thread
    whatever that thread's mask (a .part was still left in 2 of 3 CI runs with a mask).
    done_wins: a stop that lands while the block runs to its end is dropped: around the final renames,
    where it would cut the set of outputs in two, or say "nothing written" of files already in place.
    """
    if threading.current_thread() is not threading.main_thread():  # handlers belong to the main thread
        yield
        return
    caught: list[int] = []
    previous = {stop: signal.signal(stop, lambda signum, _frame: caught.append(signum)) for stop in threads.STOP_SIGNALS}
    finished = False
    try:
        yield
        finished = True
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)
        if caught and not (done_wins and finished):
            signal.raise_signal(caught[0])  # now, to the handler it was meant for


@dataclass(frozen=True)
class Format:
    kind: str  # mp3 | ogg | flac | wav: also ffmpeg's name for the container
    codec: str | None  # ffmpeg's encoder; None for WAV, which we write ourselves
    bitrate: str | None  # default for lossy formats: plenty for one voice at 22050 Hz
    extra: tuple[str, ...] = ()
    bitrates: tuple[int, int] | None = None  # kbps the encoder accepts for 22050 Hz mono

    @property
    def lossy(self) -> bool:
        """Decoded, it is not the mix's own samples: its true peak is measured once written (rendering/peaks.py)."""
        return self.bitrates is not None


FORMATS = {
    # MPEG-2 layer III at 22050 Hz stops at 160k (LAME quietly clamps higher asks);
    # libvorbis refuses to set up below 16k or above 90k for 22050 Hz mono.
    # Our ID3 tag replaces ffmpeg's. Average bitrate (ABR), not constant: at 64 kbps CBR, LAME starves the
    # frame after a loud consonant and its noise overshoots by up to 3 dB true peak; ABR keeps it under 0.5 dB.
    # LAME scales what it encodes by -0.446 dB (measured on a sine and on sessions, any bitrate, as ffmpeg
    # and miniaudio decode it): the volume filter gives it back, in float, so the MP3 measures as the WAV.
    ".mp3": Format("mp3", "libmp3lame", "64k", ("-id3v2_version", "0", "-abr", "1", "-af", "volume=0.446dB"), (8, 160)),
    ".ogg": Format("ogg", "libvorbis", "64k", (), (16, 90)),
    ".flac": Format("flac", "flac", None, ("-sample_fmt", "s16")),
    ".wav": Format("wav", None, None),
}
WAV_MAX_BYTES = 2**32 - 1 - 44 - 2**16  # RIFF sizes are 32-bit; room left for the header and INFO tags


def format_for(path: Path) -> Format:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise VoiceguideError(f"cannot tell the format of {path}: name it .mp3, .ogg, .flac or .wav")
    return fmt


def check_bitrate(fmt: Format, bitrate: str | None) -> str | None:
    """The bitrate to ask ffmpeg for ("64k"), or None for lossless formats."""
    if bitrate is None:
        return fmt.bitrate
    if fmt.bitrates is None:
        raise VoiceguideError(f"--bitrate applies to MP3 and OGG, not {fmt.kind.upper()}")
    match = re.fullmatch(r"(\d+)(k?)", bitrate.strip().lower())
    if not match:
        raise VoiceguideError(f"bitrate must be kilobits per second like 64k, not '{bitrate}'")
    kbps = int(match[1]) if match[2] else int(match[1]) / 1000
    low, high = fmt.bitrates
    if not low <= kbps <= high:
        raise VoiceguideError(f"{fmt.kind.upper()} bitrate must be between {low}k and {high}k, not {bitrate}")
    return f"{kbps:g}k"


def default_output(title: str, directory: Path = Path()) -> Path:
    """lower-back-spasm-relief.mp3 for "Lower back spasm relief"."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "session"
    return directory / f"{slug}.mp3"


def find_ffmpeg(fmt: Format) -> str:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise VoiceguideError(
            f"{fmt.kind.upper()} output needs ffmpeg, which is not installed: {FFMPEG_HINT}, or render to .wav"
        )
    return ffmpeg


# --- the pipeline ------------------------------------------------------------


class _Compiling:
    """The timeline compiled on a thread: synthesis runs ahead of the mix, and the total is known early."""

    _END = object()

    def __init__(
        self, routine: Routine, options: Options, duration: DurationFn, cue_lengths: Mapping[str, float]
    ) -> None:
        self.routine, self.language = routine, options.language or "en"
        self.total: float | None = None
        self.compiled: list[Event] = []  # all of them once total is set
        self._queue: queue.Queue[object] = queue.Queue()
        self._stopped = threading.Event()
        threads.start(self._run, "voiceguide-compile", options, duration, cue_lengths)

    def _run(self, options: Options, duration: DurationFn, cue_lengths: Mapping[str, float]) -> None:
        end = 0.0
        try:
            for event in iter_events(self.routine, options, duration, cue_lengths):
                if self._stopped.is_set():
                    return
                end = max(end, event.end)
                self.compiled.append(event)
                self._queue.put(event)
            self.total = end
            self._queue.put(self._END)
        except BaseException as exc:  # noqa: BLE001 - handed to the mixing thread
            self._queue.put(exc)

    def __iter__(self) -> Iterator[Event]:
        while True:
            item = self._queue.get()
            if item is self._END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]

    def stop(self) -> None:
        self._stopped.set()

    def timeline(self) -> Timeline:
        """The whole timeline: once the mix has read to its end, or total is set."""
        return timeline_of(self.routine, self.compiled, self.language)


class _WavSink:
    """16-bit mono WAV, written here: WAV needs no ffmpeg."""

    def __init__(self, path: Path, target: Path) -> None:
        self.target = target
        self._written = 0
        self._wav = wave.open(str(path), "wb")  # noqa: SIM115 - open for the sink's life
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(SAMPLE_RATE)

    def expect(self, seconds: float) -> None:
        """Told the session's length as soon as it is known: one too long for a WAV is refused then, not at its end."""
        self._check(int(seconds * SAMPLE_RATE) * 2)

    def write(self, chunk: np.ndarray) -> None:
        self._written += chunk.size * 2
        self._check(self._written)
        self._wav.writeframesraw(to_int16(chunk).tobytes())

    def _check(self, size: int) -> None:
        if size > WAV_MAX_BYTES:  # the header could not say how long it is
            hours = WAV_MAX_BYTES / 2 / SAMPLE_RATE / 3600
            raise VoiceguideError(f"cannot write {self.target}: a WAV file holds at most {hours:.0f} hours; render to .flac")

    def finish(self) -> str:
        self._wav.close()  # writes the final sizes into the header
        return ""  # nothing to report: Python wrote it

    def backlog(self) -> int:
        return 0  # written as it comes

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self._wav.close()


class _FfmpegSink:
    """Raw 16-bit samples into ffmpeg's stdin; ffmpeg encodes and writes the file.

    A thread feeds the pipe from a queue: the pipe holds only 64 KiB, so writing
    from the mixing thread would leave ffmpeg idle whenever we mix or wait for a
    clip. Queued, mixing runs ahead and ffmpeg's core stays busy. 16-bit is what
    the WAV holds (the encoder gets exactly those samples) and half the bytes of
    float through the pipe.
    """

    QUEUE_CHUNKS = 8  # 32 s of samples (1.4 MB): ~0.05 s of ffmpeg's work, ten times leveling a clip

    def __init__(self, ffmpeg: str, fmt: Format, bitrate: str | None, path: Path, target: Path) -> None:
        self.path, self.target = path, target
        command = [
            ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error",
            "-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", "pipe:0",
            "-c:a", str(fmt.codec), *(["-b:a", bitrate] if bitrate else []), *fmt.extra,
            "-f", fmt.kind, "-y", str(path),
        ]  # fmt: skip
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 - open for the sink's life
        # Its own session: Ctrl-C in the terminal reaches us, and we stop ffmpeg and clean up.
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._errors, start_new_session=True
        )
        self._watchdog = stalls.Watchdog(self._process, "ffmpeg")
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue(self.QUEUE_CHUNKS)
        self._broken = threading.Event()
        self.written = 0  # samples
        self._feeder = threads.start(self._feed, "voiceguide-ffmpeg-feed")

    def _feed(self) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        while (chunk := self._queue.get()) is not None:
            if not self._broken.is_set():
                try:
                    with self._watchdog.waiting():
                        stdin.write(chunk.data)
                except OSError:  # ffmpeg is gone; keep taking chunks so the mixer never blocks on a full queue
                    self._broken.set()
        try:
            with self._watchdog.waiting():
                stdin.close()  # flushes
        except OSError:
            self._broken.set()

    def expect(self, seconds: float) -> None:
        """ffmpeg's formats hold any session voiceguide makes."""

    def write(self, chunk: np.ndarray) -> None:
        if self._broken.is_set():
            raise self._failure()
        self._queue.put(to_int16(chunk))
        self.written += chunk.size

    def backlog(self) -> int:
        """About how many samples are written but not yet taken by ffmpeg."""
        return self._queue.qsize() * CHUNK

    def finish(self) -> str:
        """Wait for ffmpeg; return what it said (it can fail to write the file yet exit 0)."""
        self._queue.put(None)
        self._feeder.join()
        code = self._watchdog.wait()
        self._watchdog.close()
        if code != 0 or self._broken.is_set():
            raise self._failure()
        self._errors.seek(0)
        log = self._errors.read().decode(errors="replace")
        self._errors.close()
        return log

    def abort(self) -> None:
        """Stop ffmpeg and the feeder. Bounded: a Ctrl-C that landed inside the queue's own locking can
        leave the feeder asleep for good, and an abort must never wait on it (it is a daemon)."""
        self._watchdog.close()
        self._process.kill()
        self._process.wait()
        self._broken.set()
        with contextlib.suppress(queue.Full):
            self._queue.put(None, timeout=ABORT_WAIT)
        self._feeder.join(ABORT_WAIT)
        self._errors.close()

    def _failure(self) -> VoiceguideError:
        code = self._watchdog.wait()
        if self._watchdog.stalled:
            return VoiceguideError(f"could not encode {self.target}: {stalls.stopped('ffmpeg')}")
        self._errors.seek(0)
        lines = [line for line in self._errors.read().decode(errors="replace").splitlines() if line.strip()]
        if lines:
            why = lines[-1].strip()
        elif code < 0:
            why = f"it was stopped by {signal.Signals(-code).name}"
        else:
            why = f"it stopped with code {code}"
        return VoiceguideError(f"ffmpeg could not encode {self.target}: {why}")


def open_sink(fmt: Format, rate: str | None, ffmpeg: str | None, temp: Path, output: Path) -> _WavSink | _FfmpegSink:
    """Where the samples go: ffmpeg encoding into temp, or (WAV) our own writer."""
    return _FfmpegSink(ffmpeg, fmt, rate, temp, output) if ffmpeg else _WavSink(temp, output)


class _SecondHalf:
    """The session from a cut on, mixed on its own thread into a second encoder (rendering/halves.py)."""

    def __init__(self, sink: _FfmpegSink, events: list[Event], sounds: Leveled, cut: Cut, dips: Dips) -> None:
        self.sink, self.cut, self.dips = sink, cut, dips
        self.written = 0  # samples mixed, from cut.resume on
        self._error: BaseException | None = None
        self._stopped = threading.Event()
        after = [event for event in events if sample_at(event.start) >= cut.resume]
        self._thread = threads.start(self._run, "voiceguide-second-half", after, sounds)

    def _run(self, events: list[Event], sounds: Leveled) -> None:
        try:
            for chunk in stream(events, sounds, start=self.cut.resume):
                if self._stopped.is_set():
                    return
                self.sink.write(self.dips.apply(chunk, self.cut.resume + self.written))
                self.written += chunk.size
        except BaseException as exc:  # noqa: BLE001 - raised on the rendering thread by finish()
            self._error = exc

    def finish(self, progress: Callable[[int], None] | None = None) -> str:
        """Wait for the mix (telling progress the samples mixed) and the encoder; return what the encoder said."""
        while self._thread.is_alive():
            self._thread.join(0.25)
            if progress:
                progress(self.written)
        if self._error is not None:
            raise self._error
        return self.sink.finish()

    def abort(self) -> None:
        self._stopped.set()
        self.sink.abort()  # unblocks a write waiting on the full queue
        self._thread.join(ABORT_WAIT)  # bounded, as the sink's


def _mix_into(
    sink: _WavSink | _FfmpegSink, compiling: _Compiling, sounds: Leveled, bed: Bed | None,
    split: Callable[[int], _SecondHalf | None] | None, progress: Progress | None, dips: Dips,
) -> None:
    """Mix the session into sink, dipped where an encoding passed the peak limit (rendering/peaks.py). With split,
    once the whole timeline is known, ask it once (with the samples mixed so far) for a second encoder to take the
    session from a cut on, and stop this one at the cut."""
    position, second, told = 0, None, False
    for mixed in stream(compiling, sounds, bed=bed):
        chunk = dips.apply(mixed, position)
        if not told and compiling.total is not None:
            sink.expect(compiling.total)
            told = True
        if split is not None and compiling.total is not None:
            second, split = split(position), None
        if second is not None and position + chunk.size >= second.cut.cut:
            sink.write(chunk[: second.cut.cut - position])  # the rest up to the resume point is silence
            return
        sink.write(chunk)
        position += chunk.size
        if progress:
            progress((position + (second.written if second else 0)) / SAMPLE_RATE, compiling.total)


@dataclass(frozen=True)
class _Encoding:
    """How the samples become a file: the format, the bitrate asked of ffmpeg, and ffmpeg (None for WAV)."""

    fmt: Format
    rate: str | None
    ffmpeg: str | None

    def open(self, temp: Path, output: Path) -> _WavSink | _FfmpegSink:
        return open_sink(self.fmt, self.rate, self.ffmpeg, temp, output)


@dataclass(frozen=True)
class Outputs:
    """The files a render writes: the audio, and the companions asked for beside it."""

    audio: Path
    captions: bool = False  # FILE.srt and FILE.vtt
    timeline: bool = False  # FILE.json
    page: str | None = None  # FILE.html: "link" plays the audio beside it, "embed" holds it

    def companions(self) -> list[str]:
        """The suffixes of the text files asked for, in the order they are written."""
        wanted = {".srt": self.captions, ".vtt": self.captions, ".json": self.timeline, ".html": bool(self.page)}
        return [suffix for suffix, asked in wanted.items() if asked]

    def paths(self) -> list[Path]:
        """Every file written: the audio, then its companions."""
        return [self.audio, *(self.audio.with_suffix(suffix) for suffix in self.companions())]


def render_session(
    routine: Routine, options: Options, outputs: Outputs, *, bitrate: str | None = None, progress: Progress | None = None
) -> None:
    """Render the routine's session to outputs.audio (format from its extension) and the companions asked for; see
    the module doc."""
    try:
        _render(routine, options, outputs, bitrate, progress, split=True)
    except JoinError:  # an encoder that frames the halves otherwise than LAME does: one encoder, as always
        _render(routine, options, outputs, bitrate, progress, split=False)


def _render(
    routine: Routine, options: Options, outputs: Outputs, bitrate: str | None, progress: Progress | None, split: bool
) -> None:
    """Render once; where the encoded file's true peak passes the limit, again with the mix dipped there (the dips
    are placed by the session's sample, in either half), up to PEAK_PASSES encodings in all (the last is kept)."""
    output = outputs.audio
    fmt = format_for(check_target(output))  # "-o somefolder" is a folder before it is a missing extension
    rate = check_bitrate(fmt, bitrate)
    check_chapter_count(routine, fmt.kind)
    ffmpeg = find_ffmpeg(fmt) if fmt.codec else None
    dips = Dips()
    for passes_left in reversed(range(PEAK_PASSES if fmt.lossy else 1)):
        told = progress if not dips else None  # a pass with dips is the same session again: the bar stays at its end
        job = _Render(routine, options, outputs, _Encoding(fmt, rate, ffmpeg), told, dips, measure=passes_left > 0)
        try:
            over = job.run(split)
        except OSError as exc:  # the output's folder, a full disk
            where = job.staging.target_of(exc.filename) if exc.filename else output
            raise VoiceguideError(f"cannot write {where}: {exc.strerror or exc}") from None
        finally:
            job.close()
        if not over:
            return
        dips.add(over)


class _Render:
    """One render into staged files, holding what close() must stop if it fails part way."""

    def __init__(
        self, routine: Routine, options: Options, outputs: Outputs, encoding: _Encoding, progress: Progress | None,
        dips: Dips, measure: bool,
    ) -> None:
        self.routine, self.options, self.outputs, self.encoding, self.progress = routine, options, outputs, encoding, progress
        self.dips, self.measure = dips, measure  # measure: decode the file for its peaks, and return them if over
        self.over: list[tuple[int, float]] = []  # where the encoded file passes the peak limit, measured
        self.output = outputs.audio
        self.staging = Staging()
        self.sink: _WavSink | _FfmpegSink | None = None
        self.second: _SecondHalf | None = None
        self.compiling: _Compiling | None = None

    def run(self, split: bool) -> list[tuple[int, float]]:
        """Mix and encode the session, write its companions, and put them all in place; or, measuring, return where
        the encoded file passes the peak limit, leaving nothing in place."""
        with _signals_held():  # each temp file and the encoder writing it are recorded before a stop can land
            temp = self.staging.temp_for(self.output)
            self.sink = sink = self.encoding.open(temp, self.output)  # ffmpeg loads meanwhile
            extras = {suffix: self.staging.temp_for(self.output.with_suffix(suffix)) for suffix in self.outputs.companions()}
        speech = session_speech(self.routine, self.options)
        compiling, sounds, bed = self._start(speech)
        # MP3 only (its frames join exactly); a background bed is never silent, so there is no place to cut.
        can_split = split and self.encoding.fmt.kind == "mp3" and bed is None and self.encoding.ffmpeg
        halves = functools.partial(self._second_half, speech, sink, compiling) if can_split else None
        _mix_into(sink, compiling, sounds, bed, halves, self.progress, self.dips)
        timeline = compiling.timeline()  # while ffmpeg encodes its last queued chunks
        tags = tags_for(timeline, self.routine.description)
        encoder_log = self._finish_encoding(sink, temp, compiling.total)
        if self.over:  # encoded again with dips: this file is neither tagged nor verified, only discarded
            check_encoder_log(encoder_log, self.output)
            return self.over
        write_tags(temp, self.encoding.fmt.kind, tags)
        verify_render(temp, self.encoding.fmt.kind, timeline.total, self.output, timeline.title, encoder_log)
        self._write_companions(extras, timeline, temp)
        with _signals_held(done_wins=True):  # every output in place, or none
            self.staging.commit()
        return []

    def _start(self, speech: Speech) -> tuple[_Compiling, Leveled, Bed | None]:
        """Start compiling the timeline; return it (the events to mix), the sounds they play and the bed under them."""
        options = self.options
        sounds = Leveled(Sounds(speech, options.cue_dir))
        cue_lengths = session_cue_lengths(options)
        self.compiling = compiling = _Compiling(self.routine, options, speech.duration, cue_lengths)
        # The voice is leveled as without a bed (as live play mixes it); the mix's overload guard keeps
        # voice + bed under the true-peak ceiling where they sum over it (audio/mixing.py).
        bed = Bed.load(options.background, options.background_level) if options.background else None
        return compiling, sounds, bed

    def _second_half(
        self, speech: Speech, sink: _WavSink | _FfmpegSink, compiling: _Compiling, position: int
    ) -> _SecondHalf | None:
        """A second encoder from a silence near where both would finish together, if there is one."""
        timeline, total = compiling.compiled, compiling.total
        assert total is not None  # asked once the whole timeline is known (_mix_into)
        target = balanced_target(  # the first encoder is about at position - backlog
            timeline, position - sink.backlog(), sample_at(total),
            lambda text: not valid_clip(leveled_path(speech, text)),
        )
        cut = find_cut(timeline, earliest=position, target=target)
        if cut is not None:
            fmt, rate, ffmpeg = self.encoding.fmt, self.encoding.rate, self.encoding.ffmpeg
            assert ffmpeg is not None  # only an MP3 through ffmpeg is split
            sounds = Leveled(Sounds(speech, self.options.cue_dir))  # one thread's
            with _signals_held():  # the scratch file and its encoder are recorded (self.second) before a stop lands
                part = _FfmpegSink(ffmpeg, fmt, rate, self.staging.scratch_for(self.output), self.output)
                self.second = _SecondHalf(part, timeline, sounds, cut, self.dips)
        return self.second

    def _finish_encoding(self, sink: _WavSink | _FfmpegSink, temp: Path, total: float | None) -> str:
        """Wait for the encoder (and a second half's, joined onto temp); return what they said."""
        encoder_log = sink.finish()
        self.sink = None
        second = self.second
        if second is None:
            if self.encoding.fmt.kind == "mp3" and isinstance(sink, _FfmpegSink) and not encoder_log.strip():
                set_length(temp, sink.written)  # ffmpeg's own tag gives its decoders a few samples more
            self._measure([(temp, 0)])
            return encoder_log
        cut, progress = second.cut, self.progress

        def more(written: int) -> None:
            if progress:
                progress((cut.cut + written) / SAMPLE_RATE, total)

        encoder_log += second.finish(more)
        part, samples = second.sink.path, cut.resume + second.written
        self.second = None
        check_encoder_log(encoder_log, self.output)  # before joining: a failed half is the encoder's fault
        self._measure([(temp, 0), (part, cut.resume)])  # each half on a core of its own; each file starts where it was fed
        join(temp, part, cut.cut, samples)
        return encoder_log

    def _measure(self, parts: list[tuple[Path, int]]) -> None:
        if self.measure and self.encoding.ffmpeg is not None:
            self.over = overshoots_in(parts, self.encoding.ffmpeg, self.output)

    def _write_companions(self, extras: dict[str, Path], timeline: Timeline, temp: Path) -> None:
        """The captions, timeline and page asked for, into their temp files."""
        texts = {".srt": captions.srt, ".vtt": captions.vtt, ".json": lambda t: t.to_json() + "\n"}  # only those asked for
        page = self.outputs.page
        if page:
            audio = temp.read_bytes() if page == "embed" else None
            texts[".html"] = lambda t: page_html(t, self.output.name, self.encoding.fmt.kind, audio)
        for suffix, path in extras.items():
            try:
                path.write_text(texts[suffix](timeline), encoding="utf-8")
            except OSError as exc:  # a full disk: named as the page or captions it was, not the audio
                raise OSError(exc.errno, exc.strerror, str(path)) from None

    def close(self) -> None:
        """Stop whatever still runs and remove the temp files: after a commit there is nothing left to discard.
        A second Ctrl-C or kill waits for it (bounded: see the aborts), so it cannot cut the clean-up short."""
        with _signals_held():
            if self.sink is not None:
                self.sink.abort()
            if self.second is not None:
                self.second.abort()
            if self.compiling is not None:
                self.compiling.stop()
            self.staging.discard()


def write_sound(sound: np.ndarray, output: Path, *, bitrate: str | None = None) -> None:
    """One finished sound (float samples) to an audio file, format from its extension: a voice sample."""
    fmt = format_for(output)
    rate = check_bitrate(fmt, bitrate)
    ffmpeg = find_ffmpeg(fmt) if fmt.codec else None
    staging = Staging()
    sink: _WavSink | _FfmpegSink | None = None
    try:
        with _signals_held():  # the temp file and its encoder are both recorded before a stop can land
            temp = staging.temp_for(output)
            sink = open_sink(fmt, rate, ffmpeg, temp, output)
        sink.write(sound)
        sink.finish()
        sink = None
        staging.commit()
    except OSError as exc:
        raise VoiceguideError(f"cannot write {exc.filename or output}: {exc.strerror or exc}") from None
    finally:
        with _signals_held():
            if sink is not None:
                sink.abort()
            staging.discard()
