#!/usr/bin/env python3
"""voiceguide benchmarks: every ratio against a baseline measured in the same run, with its spread.

    .venv/bin/python scripts/bench.py                  # every section
    .venv/bin/python scripts/bench.py --only start     # start, render, lengths, naive or live (repeatable)
    .venv/bin/python scripts/bench.py --pairs 9        # more pairs: a tighter median on a busy machine

Timed commands run as subprocesses, as a user runs them. The two sides of a
ratio alternate (A B A B ...), so load that comes and goes hits both alike; each
side prints min / median / max, and so does the ratio of each pair. A ratio
whose pairs spread wider than NOISY says "noisy" instead of a verdict: on a
busy machine the verdict would follow the load, not the code. The load average
is printed at the start and end of every section.

Memory is sampled from /proc every SAMPLE seconds over the whole process tree
(voiceguide and its ffmpeg): peak RSS and PSS of the tree's sum, and Python's
own peak (its VmHWM, exact). Sampling costs the bench process CPU, which a
render using both cores would pay for and ffmpeg alone (one core) would not, so
memory is measured in runs of its own (MEMORY_RUNS), never in the timed pairs.
CPU is user + sys of the tree (wait4).
"""

from __future__ import annotations

import argparse
import os
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


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + sys seconds of the process and its waited-for children (ffmpeg)
    python_peak: float = 0.0  # MB: the top process's VmHWM
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
                if pid == process.pid:
                    peaks["python"] = max(peaks["python"], figures.get("VmHWM", 0.0))
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


def voiceguide(*args: str, cache: str | Path, sampled: bool = False) -> Run:
    return run([PYTHON, "-m", "voiceguide", *args], env={"XDG_CACHE_HOME": str(cache)}, sampled=sampled)


def sampled_runs(side: Callable[[int], Run]) -> list[Run]:
    """MEMORY_RUNS more runs of one side (numbered after the pairs' own), for memory."""
    return [side(1000 + i) for i in range(MEMORY_RUNS)]


def floor(wav: Path, out: Path) -> Run:
    """ffmpeg alone encoding the session's audio from a WAV, with the render's own encoder settings:
    what a render cannot beat with one encoder."""
    from voiceguide.rendering.pipeline import FORMATS

    mp3 = FORMATS[".mp3"]
    command = ["ffmpeg", "-v", "error", "-y", "-i", str(wav), "-codec:a", str(mp3.codec), "-b:a", BITRATE, *mp3.extra, str(out)]
    return run(command)


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
    print(f"  {name:<46} Python {max(r.python_peak for r in runs):.0f} MB; tree RSS "
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
    """The built-in routine to MP3, cold (empty clip cache) and warm, against the floor."""
    warm = work / "warm-cache"
    voiceguide("render", "-q", "-o", str(work / "same.wav"), cache=warm)
    print(f"  session: built-in routine, {session_seconds(work / 'same.wav') / 60:.1f} min, MP3 {BITRATE} mono 22050 Hz")
    def cold_render(i: int, sampled: bool = False) -> Run:
        return voiceguide("render", "-q", "-o", str(work / "cold.mp3"), cache=work / f"cold-{i}", sampled=sampled)

    cold = Pairs("voiceguide render, empty clip cache", "floor: ffmpeg -i same.wav -codec:a libmp3lame").measure(
        pairs, cold_render, lambda _: floor(work / "same.wav", work / "floor.mp3")
    )
    cold.report(1.15, "cold render / floor")
    line("  CPU, cold render (tree)", [r.cpu for r in cold.a])
    line("  CPU, floor", [r.cpu for r in cold.b])
    memory_line("memory, cold render", sampled_runs(lambda i: cold_render(i, sampled=True)))
    warmed = Pairs("voiceguide render, clips cached", "floor").measure(
        pairs,
        lambda _: voiceguide("render", "-q", "-o", str(work / "warm.mp3"), cache=warm),
        lambda _: floor(work / "same.wav", work / "floor.mp3"),
    )
    warmed.report(1.05, "warm render / floor")


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
    for label, exercises in LENGTHS.items():
        routine = work / f"speech-{exercises}.yaml"
        routine.write_text(speech_heavy(exercises))
        wav = work / f"speech-{exercises}.wav"
        voiceguide("render", str(routine), "-q", "-o", str(wav), cache=work / "lengths-warm")
        minutes = session_seconds(wav) / 60
        print(f"  {label} session: {minutes:.1f} min")
        def render(i: int, sampled: bool = False, r: Path = routine, e: int = exercises) -> Run:
            return voiceguide(
                "render", str(r), "-q", "-o", str(work / "speech.mp3"), cache=work / f"lengths-{e}-{i}", sampled=sampled
            )

        timed = Pairs(f"voiceguide render {label}, empty clip cache", f"floor {label}").measure(
            pairs, render, lambda _, w=wav: floor(w, work / "speech-floor.mp3")
        )
        timed.report(None, f"{label} render / floor")
        line(f"CPU per session minute, {label} (tree)", [r.cpu / minutes for r in timed.a], " s", 3)
        line(f"wall per session minute, {label}", [r.wall / minutes for r in timed.a], " s", 3)
        memory = sampled_runs(lambda i, render=render: render(i, sampled=True))
        memory_line(f"memory, {label}", memory)
        peak = max(r.python_peak for r in memory)
        print(f"  {'Python peak RSS target <= 100 MB':<46} {'met' if peak <= 100 else 'NOT MET'} ({peak:.0f} MB)")
        shutil.rmtree(work / "lengths-warm", ignore_errors=True)
        for i in [*range(pairs), *range(1000, 1000 + MEMORY_RUNS)]:
            shutil.rmtree(work / f"lengths-{exercises}-{i}", ignore_errors=True)


def naive_section(work: Path, pairs: int) -> None:
    """The naive pyttsx3 + pydub peer and voiceguide, interleaved: same session, same bitrate, both cold."""
    warm = work / "warm-cache"
    plan = work / "plan.json"
    plan.write_text(subprocess.run(
        [PYTHON, "-m", "voiceguide", "plan", "--json"], env={**os.environ, "XDG_CACHE_HOME": str(warm)},
        capture_output=True, text=True, check=True,
    ).stdout)

    def naive(i: int, sampled: bool = False) -> Run:
        clips = work / f"naive-clips-{i}"
        clips.mkdir(exist_ok=True)
        return run([PYTHON, "-c", NAIVE, str(plan), str(clips), str(work / "naive.mp3"), BITRATE], sampled=sampled)

    def ours(i: int, sampled: bool = False) -> Run:
        return voiceguide("render", "-q", "-o", str(work / "ours.mp3"), cache=work / f"naive-ours-{i}", sampled=sampled)

    timed = Pairs("naive: pyttsx3 save_to_file per cue + pydub +", "voiceguide render, empty clip cache").measure(
        pairs, naive, ours
    )
    timed.report(None, "naive / voiceguide (times slower)")
    memory_line("memory, naive", sampled_runs(lambda i: naive(i, sampled=True)))
    memory_line("memory, voiceguide", sampled_runs(lambda i: ours(i, sampled=True)))


def live_section(work: Path, pairs: int) -> None:
    """Live play into a PulseAudio null sink (scripts/bench_live.py)."""
    import bench_live  # beside this script

    bench_live.run()


SECTIONS: dict[str, Callable[[Path, int], None]] = {
    "start": start_section, "render": render_section, "lengths": lengths_section, "naive": naive_section,
    "live": live_section,
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
