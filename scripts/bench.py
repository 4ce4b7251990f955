#!/usr/bin/env python3
"""voiceguide benchmarks: figures and ratios against baselines measured in the same run.

    .venv/bin/python scripts/bench.py               # every section
    .venv/bin/python scripts/bench.py --only render   # or --only live (plays into a PulseAudio null sink)

Each section is a function in SECTIONS. Timed commands run as subprocesses, as a
user runs them; rival runs are interleaved and repeated, and the ratio uses the
medians (the minimum, least disturbed by other load on the machine, is shown too).
Peak memory is the child's maximum resident set (os.wait4), which covers the
ffmpeg it waits for.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOUR = ["--hold-scale", "5", "--reps", "high", "--rest", "35"]  # the built-in routine stretched to about an hour
BITRATE = "64k"  # voiceguide's MP3 default; the floors encode at the same bitrate


def run(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident MB of a command (its waited-for children included)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    errors = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed: {errors.strip()}")
    return seconds, usage.ru_maxrss / 1024


def voiceguide(*args: str, cache: str) -> tuple[float, float]:
    return run([PYTHON, "-m", "voiceguide", *args], env={"XDG_CACHE_HOME": cache})


def floor(wav: Path, out: Path) -> tuple[float, float]:
    return run(["ffmpeg", "-v", "error", "-y", "-i", str(wav), "-codec:a", "libmp3lame", "-b:a", BITRATE, str(out)])


def session_seconds(wav: Path) -> float:
    import wave

    with wave.open(str(wav)) as audio:
        return audio.getnframes() / audio.getframerate()


def median(values: list[float]) -> float:
    return statistics.median(values)


def line(name: str, seconds: list[float], extra: str = "") -> None:
    print(f"  {name:<44} median {median(seconds):6.2f} s   min {min(seconds):6.2f} s   {extra}")


def verdict(ratio: float, target: float, lower_is_better: bool = True) -> str:
    met = ratio <= target if lower_is_better else ratio >= target
    return f"target {'<=' if lower_is_better else '>='} {target:g}: {'met' if met else 'NOT MET'}"


# A user's first attempt: one pyttsx3 save_to_file per cue, pydub's + to join, export.
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


def render_section(repeat: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="voiceguide-bench-render-"))
    try:
        _render_section(work, repeat)
    finally:
        shutil.rmtree(work)


def _render_section(work: Path, repeat: int) -> None:
    warm = str(work / "warm-cache")
    print(f"render (built-in routine; MP3 at {BITRATE}, mono 22050 Hz; {repeat} interleaved runs each)")

    # Cold render against the floor: ffmpeg alone encoding the same audio from a WAV.
    voiceguide("render", "-q", "-o", str(work / "same.wav"), cache=warm)
    length = session_seconds(work / "same.wav")
    cold, floors, cold_rss = [], [], []
    for i in range(repeat):
        floors.append(floor(work / "same.wav", work / "floor.mp3")[0])
        seconds, rss = voiceguide("render", "-q", "-o", str(work / "cold.mp3"), cache=str(work / f"cold-cache-{i}"))
        cold.append(seconds)
        cold_rss.append(rss)
    print(f"  session length {length:.1f} s")
    line("ffmpeg -i same.wav -codec:a libmp3lame (floor)", floors)
    line("voiceguide render, empty clip cache", cold, f"peak RSS {max(cold_rss):.0f} MB")
    ratio = median(cold) / median(floors)
    print(f"  cold render / floor: {ratio:.2f} (min/min {min(cold) / min(floors):.2f})   {verdict(ratio, 1.3)}")

    # The naive approach, once: it is slow.
    plan = work / "plan.json"
    plan.write_text(subprocess.run(
        [PYTHON, "-m", "voiceguide", "plan", "--json"], env={**os.environ, "XDG_CACHE_HOME": warm},
        capture_output=True, text=True, check=True,
    ).stdout)
    clips = work / "naive-clips"
    clips.mkdir()
    naive = run([PYTHON, "-c", NAIVE, str(plan), str(clips), str(work / "naive.mp3"), BITRATE])[0]
    line("naive: pyttsx3 save_to_file per cue + pydub +", [naive])
    print(f"  naive / cold render: {naive / median(cold):.1f}x slower")

    # An hour-long session: memory must not grow with length, speed must stay near the floor.
    voiceguide("render", "-q", "-o", str(work / "hour.wav"), *HOUR, cache=warm)
    hour_length = session_seconds(work / "hour.wav")
    hours, hour_floors, hour_rss = [], [], []
    for i in range(repeat):
        hour_floors.append(floor(work / "hour.wav", work / "hour-floor.mp3")[0])
        seconds, rss = voiceguide("render", "-q", "-o", str(work / "hour.mp3"), *HOUR, cache=str(work / f"hour-cache-{i}"))
        hours.append(seconds)
        hour_rss.append(rss)
    print(f"  hour session length {hour_length:.1f} s ({' '.join(HOUR)})")
    line("floor, hour session", hour_floors)
    line("voiceguide render, hour session, empty cache", hours)
    ratio = median(hours) / median(hour_floors)
    print(f"  hour render / floor: {ratio:.2f} (min/min {min(hours) / min(hour_floors):.2f})   {verdict(ratio, 1.3)}")
    print(f"  hour render peak RSS: {max(hour_rss):.0f} MB (18-minute render: {max(cold_rss):.0f} MB)   "
          f"{verdict(max(hour_rss), 100)}")

    # Warm render to WAV: clips cached, no encoder.
    warm_runs = [voiceguide("render", "-q", "-o", str(work / "warm.wav"), cache=warm)[0] for _ in range(repeat + 2)]
    speed = length / median(warm_runs)
    line("voiceguide render to WAV, clips cached", warm_runs)
    print(f"  warm WAV render: {speed:.0f}x real time (best {length / min(warm_runs):.0f}x)   {verdict(speed, 2000, False)}")
    hour_warm = [voiceguide("render", "-q", "-o", str(work / "hour-warm.wav"), *HOUR, cache=warm)[0] for _ in range(repeat)]
    print(f"  warm WAV render, hour session: {hour_length / median(hour_warm):.0f}x real time")
    print(json.dumps({
        "cold_s": median(cold), "floor_s": median(floors), "naive_s": naive, "hour_s": median(hours),
        "hour_floor_s": median(hour_floors), "hour_rss_mb": max(hour_rss), "warm_wav_x_realtime": speed,
    }))


def live_section(repeat: int) -> None:
    """Live play into a PulseAudio null sink (scripts/bench_live.py): one session, so `repeat` does not apply."""
    import bench_live  # beside this script

    bench_live.run()


SECTIONS: dict[str, Callable[[int], None]] = {"render": render_section, "live": live_section}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append", help="run only this section (repeatable)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each timed command [default: 5]")
    args = parser.parse_args()
    for name in args.only or list(SECTIONS):
        SECTIONS[name](args.repeat)


if __name__ == "__main__":
    main()
