#!/usr/bin/env python3
"""voiceguide's sound check: render a matrix of sessions and measure every file as a listener's meters would.

    .venv/bin/python scripts/soundcheck.py --quick          # a small subset (a few minutes)
    .venv/bin/python scripts/soundcheck.py                  # the whole matrix (long: every routine, bed, rate, format)
    .venv/bin/python scripts/soundcheck.py --routines box-breathing --beds rain --rates 300 --formats ogg wav

The matrix: built-in routines (lower-back, quick-neck, box-breathing) and a circuit (work/rest
rounds, a tempo set); no background, a tonal one (a sustained chord made with ffmpeg's lavfi)
and a noisy one (builtin:rain); rates 80 and 300; every format (wav, mp3, ogg, flac).
Each render is decoded with ffmpeg (MP3 also with miniaudio, if installed) and measured; where
speech, cues and silence are comes from the render's own timeline (--timeline JSON). Per render:

- int: integrated loudness (BS.1770), LUFS; a session without a bed must be -16 +- 1.
- speech: loudness over the speech (the 400 ms blocks the voice speaks in, then gated as
  BS.1770: dialogue-gated loudness), LUFS; -16 +- 1 whatever the speech density.
- dBTP: true peak of the decoded file (4x oversampled, BS.1770 annex 2); <= -1.
- vsWAV: integrated loudness less the WAV's, LU; MP3 and OGG within 0.2.
- cue: how far the loudest 400 ms of any cue sound sits under the speech, LU; >= 8 (files without a bed).
- bed: the bed's loudness between sentences (blocks 1.5 s away from any sound, outside the stretches it
  stays down through: sentences less than HOLD apart), less its set level, LU; +-1.
- S/B: speech loudness less the bed's under it, dB; >= 20 (WCAG 1.4.7).
- duck: how far the bed dips under speech, dB.
- pump: the most the bed's level moves within a paced section (a spoken cue every 5 s or less), dB; <= 1.
- seam: the most a loop seam's short-term level departs from the loop's own, beyond the loop's own
  spread elsewhere, dB; <= 1.
- offset: where the decoded audio sits against the WAV (ms; + = late) near the start and end, every decoder; 0.
- len: decoded samples less the WAV's, the worst decoder; 0.

The bed under the voice cannot be told apart from the voice in the file, so S/B, duck and pump
are measured on the bed as the mixer lays it (voiceguide.audio.ambience.Bed, with the render's
speech spans); everything else is measured on the decoded file.
Exit status 1 if any row fails. The load average is printed: a busy machine slows the check,
it does not change what it measures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voiceguide import api  # noqa: E402
from voiceguide.audio.ambience import ATTACK, RELEASE, Bed, held, loop_overlap, looped  # noqa: E402
from voiceguide.audio.loudness import (  # noqa: E402
    HOP,
    gated_loudness,
    hop_energies,
    lufs_of,
    powers_from_hops,
    true_peak,
)
from voiceguide.audio.samples import SAMPLE_RATE  # noqa: E402

ROUTINES = ("lower-back", "quick-neck", "box-breathing", "circuit")
BEDS = ("none", "tonal", "rain")
RATES = (80, 300)
FORMATS = ("wav", "mp3", "ogg", "flac")
QUICK = {"routines": ("circuit",), "beds": ("none", "rain"), "rates": (300,), "formats": FORMATS}

TARGET_LUFS, LUFS_TOLERANCE = -16.0, 1.0
MAX_DBTP = -1.0
LOSSY_MATCH = 0.2  # LU from the WAV
CUE_UNDER = 8.0  # LU under speech, loudest 400 ms
BED_MATCH = 1.0  # LU from its set level
SPEECH_OVER_BED = 20.0  # dB
MAX_PUMP = 1.0  # dB within a paced section
MAX_SEAM = 1.0  # dB
MAX_OFFSET = 1  # samples

HOP_SAMPLES = int(HOP * SAMPLE_RATE)
BLOCK_HOPS = 4
PACED = 5.0  # seconds: spoken cues this close (start to start) make a paced section
AWAY = 1.5  # seconds from any sound: the bed alone
BED_LEVEL = -30.0

CIRCUIT = """\
title: Circuit
description: The sound check's circuit - rounds of work and rest, a set on a tempo, a wall sit.
exercises:
  - name: Jumping jacks
    rounds: 3
    steps:
      - work: 30 seconds
        say: Jump your feet out and your arms up, then back in.
      - rest: 15 seconds
  - name: Squats
    repeat: 8
    tempo: 2-1-2-1
    steps:
      - say: Bend your knees, then stand up.
  - name: Wall sit
    steps:
      - say: Slide down a wall until your knees are bent at a right angle.
      - hold: 40 seconds
    release: And stand up slowly.
"""


@dataclass
class Row:
    routine: str
    bed: str
    rate: int
    fmt: str
    values: dict[str, str] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)

    def check(self, name: str, value: float | None, ok: bool | None, text: str | None = None) -> None:
        """Record a measure; ok None: not applicable to this render."""
        if value is None or ok is None:
            self.values[name] = "-" if value is None else (text or f"{value:.1f}")
            return
        shown = text or f"{value:.1f}"
        self.values[name] = shown if ok else f"{shown}!"
        if not ok:
            self.failed.append(name)


COLUMNS = ("int", "speech", "dBTP", "vsWAV", "cue", "bed", "S/B", "duck", "pump", "seam", "offset", "len")


def decode_ffmpeg(path: Path) -> np.ndarray:
    """The file as ffmpeg decodes it (float: a peak over full scale stays measurable)."""
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "f32le", "-ac", "1", "-ar", str(SAMPLE_RATE), "-"],
        capture_output=True, check=True,
    ).stdout
    return np.frombuffer(raw, "<f4").copy()


def decode_miniaudio(path: Path) -> np.ndarray | None:
    """The MP3 as miniaudio (dr_mp3) decodes it, or None without miniaudio."""
    try:
        import miniaudio
    except ImportError:
        return None
    decoded = miniaudio.mp3_read_file_f32(str(path))
    return np.asarray(decoded.samples, dtype=np.float32)


def tonal_bed(folder: Path) -> Path:
    """A sustained chord (A2, E3, A3, C#4: a major chord with its octave), 7.3 s: a loop length its
    partials do not divide, so the crossfade meets the start out of phase unless a matching point is chosen."""
    path = folder / "chord.flac"
    parts = [f"sine=frequency={hz}:duration=7.3:sample_rate=44100" for hz in (110, 164.81, 220, 277.18)]
    inputs = [arg for part in parts for arg in ("-f", "lavfi", "-i", part)]
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", *inputs, "-filter_complex", f"amix=inputs={len(parts)}", str(path)], check=True
    )
    return path


def block_powers_of(hops: np.ndarray) -> np.ndarray:
    return powers_from_hops(hops, SAMPLE_RATE)


def coverage(spans: Sequence[tuple[float, float]], hops: int) -> np.ndarray:
    """The fraction of each hop inside any of the spans (seconds)."""
    covered = np.zeros(hops * HOP_SAMPLES + 1, dtype=np.int32)
    for start, end in spans:
        a, b = round(start * SAMPLE_RATE), round(end * SAMPLE_RATE)
        covered[max(0, a)] += 1
        covered[min(max(0, b), covered.size - 1)] -= 1
    inside = np.cumsum(covered)[: hops * HOP_SAMPLES] > 0
    return inside.reshape(hops, HOP_SAMPLES).mean(axis=1)


def block_fraction(per_hop: np.ndarray) -> np.ndarray:
    """Per gating block (four hops), the mean of the hops' fractions."""
    return np.convolve(per_hop, np.ones(BLOCK_HOPS) / BLOCK_HOPS, mode="valid")


def speech_loudness(powers: np.ndarray, speech_blocks: np.ndarray) -> float:
    return gated_loudness(powers[speech_blocks])


def offset_samples(decoded: np.ndarray, reference: np.ndarray, at: int, width: int = 20 * SAMPLE_RATE) -> int | None:
    """Where `decoded` sits against `reference` around sample `at`: the lag of their best correlation."""
    reach = 4096
    at = max(reach, min(at, reference.size - width - reach))
    ref = reference[at : at + width].astype(np.float64)
    piece = decoded[at - reach : at + width + reach].astype(np.float64)
    if ref.size < width // 2 or piece.size < ref.size or not np.any(ref):
        return None
    size = 1 << (piece.size + ref.size).bit_length()
    corr = np.fft.irfft(np.fft.rfft(piece, size) * np.conj(np.fft.rfft(ref, size)), size)
    return int(np.argmax(corr[: 2 * reach + 1])) - reach


def loop_seam(bed: Bed) -> float:
    """dB the loop's short-term level departs from its own through the crossfade, beyond its spread elsewhere."""
    size = bed.loop.size
    window = SAMPLE_RATE // 10
    samples = looped(bed.loop, 0, size)
    levels = 10 * np.log10(
        np.mean(np.square(samples[: size // window * window].reshape(-1, window), dtype=np.float64), axis=1) + 1e-20
    )
    overlap = loop_overlap_of(bed)
    seam = np.zeros(levels.size, dtype=bool)
    seam[: -(-overlap // window)] = True
    typical = float(np.median(levels[~seam]))
    spread = float(np.percentile(np.abs(levels[~seam] - typical), 99))
    return max(0.0, float(np.max(np.abs(levels[seam] - typical))) - spread)


def loop_overlap_of(bed: Bed) -> int:
    return loop_overlap(bed.loop.size)


@dataclass
class Plan:
    total: float
    speech: list[tuple[float, float]]
    sounds: list[tuple[float, float]]
    cues: list[tuple[float, float]]


def read_plan(path: Path) -> Plan:
    data = json.loads(path.read_text())
    events = data["events"]
    speech = [(e["start"], e["start"] + e["duration"]) for e in events if e["kind"] == "speech"]
    cues = [(e["start"], e["start"] + e["duration"]) for e in events if e["kind"] == "cue"]
    return Plan(data["total"], speech, sorted(speech + cues), cues)


def paced_sections(speech: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Runs of three or more spoken cues, each starting within PACED seconds of the one before."""
    runs, current = [], [speech[0]] if speech else []
    for span in speech[1:]:
        if span[0] - current[-1][0] <= PACED:
            current.append(span)
        else:
            if len(current) >= 3:
                runs.append((current[0][0], current[-1][1]))
            current = [span]
    if len(current) >= 3:
        runs.append((current[0][0], current[-1][1]))
    return runs


def measure_bed(row: Row, ref: str, plan: Plan, speech_lufs: float, level: float) -> None:
    """S/B, duck and pump on the bed as the mixer lays it; seam on its loop."""
    bed = Bed.load(ref, level)
    end = round(plan.total * SAMPLE_RATE)
    spans = [(round(a * SAMPLE_RATE), round(b * SAMPLE_RATE)) for a, b in plan.speech]
    ducked = bed.samples(0, end, spans, end)
    flat = bed.samples(0, end, [], end)
    hops = min(ducked.size // HOP_SAMPLES, 10**9)
    ducked_hops = hop_energies(ducked, SAMPLE_RATE)
    flat_hops = hop_energies(flat, SAMPLE_RATE)
    speech_blocks = block_fraction(coverage(plan.speech, hops)) > 0
    under = lufs_of(float(np.mean(block_powers_of(ducked_hops)[speech_blocks]))) if speech_blocks.any() else -math.inf
    row.check("S/B", speech_lufs - under, speech_lufs - under >= SPEECH_OVER_BED)
    gain = 10 * np.log10((ducked_hops + 1e-20) / (flat_hops + 1e-20))
    inside = coverage(plan.speech, hops) >= 0.99
    row.check("duck", float(-np.median(gain[inside])) if inside.any() else None, None)
    pump = 0.0
    for start, stop in paced_sections(plan.speech):
        a, b = int(start / HOP), int(stop / HOP)
        if b > a:
            pump = max(pump, float(np.max(gain[a:b]) - np.min(gain[a:b])))
    row.check("pump", pump, pump <= MAX_PUMP)
    seam = loop_seam(bed)
    row.check("seam", seam, seam <= MAX_SEAM)


def measure(row: Row, path: Path, plan: Plan, wav: np.ndarray | None, wav_lufs: float | None, ref: str | None) -> float:
    """Every measure of one render into row; returns its integrated loudness."""
    samples = decode_ffmpeg(path)
    hops = hop_energies(samples, SAMPLE_RATE)
    powers = block_powers_of(hops)
    integrated = gated_loudness(powers)
    speech_blocks = block_fraction(coverage(plan.speech, hops.size)) > 0
    speech = speech_loudness(powers, speech_blocks)
    row.check("int", integrated, abs(integrated - TARGET_LUFS) <= LUFS_TOLERANCE if ref is None else None)
    row.check("speech", speech, abs(speech - TARGET_LUFS) <= LUFS_TOLERANCE)
    peak = 20 * math.log10(max(true_peak(samples), 1e-9))
    row.check("dBTP", peak, peak <= MAX_DBTP)
    if wav_lufs is not None and row.fmt != "wav":
        difference = integrated - wav_lufs
        row.check("vsWAV", difference, abs(difference) <= LOSSY_MATCH if row.fmt in ("mp3", "ogg") else None, f"{difference:+.2f}")
    else:
        row.check("vsWAV", None, None)
    if ref is None and plan.cues:
        near_speech = block_fraction(coverage(plan.speech, hops.size)) > 0
        cue_blocks = (block_fraction(coverage(plan.cues, hops.size)) > 0) & ~near_speech
        loudest = lufs_of(float(np.max(powers[cue_blocks]))) if cue_blocks.any() else -math.inf
        row.check("cue", speech - loudest, speech - loudest >= CUE_UNDER)
    else:
        row.check("cue", None, None)
    if ref is not None:
        # Between sentences: away from every sound, and outside the stretches the bed is meant to stay down
        # through (sentences less than HOLD apart, with the dip's attack and release).
        spoken = [(round(a * SAMPLE_RATE), round(b * SAMPLE_RATE)) for a, b in plan.speech]
        down = [(a / SAMPLE_RATE - ATTACK, b / SAMPLE_RATE + RELEASE) for a, b in held(spoken)]
        away = [(max(0.0, a - AWAY), b + AWAY) for a, b in plan.sounds] + down
        away += [(0.0, 3.0 + AWAY), (plan.total - 4.0 - AWAY, plan.total + 1)]
        quiet_blocks = block_fraction(coverage(away, hops.size)) == 0
        between = lufs_of(float(np.mean(powers[quiet_blocks]))) if quiet_blocks.any() else None
        level = BED_LEVEL
        row.check("bed", None if between is None else between - level,
                  None if between is None else abs(between - level) <= BED_MATCH,
                  None if between is None else f"{between - level:+.1f}")  # fmt: skip
        if row.fmt == "wav":
            measure_bed(row, ref, plan, speech, level)
    decoders = [samples]
    if row.fmt == "mp3":
        second = decode_miniaudio(path)
        if second is not None:
            decoders.append(second)
    if wav is not None:
        lags = []
        for decoded in decoders:
            for at in (plan.speech[0][0], plan.speech[-1][0] - 10):
                lag = offset_samples(decoded, wav, round(at * SAMPLE_RATE))
                if lag is not None:
                    lags.append(lag)
        lengths = [decoded.size - wav.size for decoded in decoders]
        longest = max(lengths, key=abs)
        row.check("len", longest, abs(longest) <= MAX_OFFSET, f"{longest:+d}")
        worst = max(lags, key=abs) if lags else None
        row.check("offset", None if worst is None else worst * 1000 / SAMPLE_RATE,
                  None if worst is None else abs(worst) <= MAX_OFFSET,
                  None if worst is None else f"{worst * 1000 / SAMPLE_RATE:+.1f}")  # fmt: skip
    return integrated


def render(routine: str, target: Path, rate: int, background: str | None) -> None:
    api.render(routine, target, timeline=True, rate=rate, background=background, config=False)


def run(args: argparse.Namespace) -> int:
    print(f"load average at start: {os.getloadavg()[0]:.1f}", flush=True)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="soundcheck-") as scratch:
        folder = Path(args.keep) if args.keep else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        beds = {"none": None, "rain": "builtin:rain"}
        if "tonal" in args.beds:
            beds["tonal"] = str(tonal_bed(folder))
        circuit = folder / "circuit.yaml"
        circuit.write_text(CIRCUIT)
        header = f"{'routine':<14}{'bed':<6}{'rate':>5} {'fmt':<5}" + "".join(f"{c:>8}" for c in COLUMNS) + "  result"
        print(header, flush=True)
        for routine in args.routines:
            source = str(circuit) if routine == "circuit" else routine
            for bed in args.beds:
                for rate in args.rates:
                    started = time.monotonic()
                    stem = folder / f"{routine}-{bed}-{rate}"
                    formats = ["wav", *(f for f in args.formats if f != "wav")]
                    wav_samples, wav_lufs, plan = None, None, None
                    for fmt in formats:
                        target = stem.with_suffix(f".{fmt}")
                        render(source, target, rate, beds[bed])
                        plan = plan or read_plan(target.with_suffix(".json"))
                        row = Row(routine, bed, rate, fmt)
                        integrated = measure(row, target, plan, wav_samples, wav_lufs, beds[bed])
                        if fmt == "wav":
                            wav_samples, wav_lufs = decode_ffmpeg(target), integrated
                        if fmt in args.formats:
                            rows.append(row)
                            cells = "".join(f"{row.values.get(c, '-'):>8}" for c in COLUMNS)
                            verdict = "pass" if not row.failed else "FAIL " + ",".join(row.failed)
                            print(f"{routine:<14}{bed:<6}{rate:>5} {fmt:<5}{cells}  {verdict}", flush=True)
                        if not args.keep:
                            target.unlink()
                    if args.verbose:
                        print(f"  ({time.monotonic() - started:.0f} s)", flush=True)
    failed = [row for row in rows if row.failed]
    print(f"{len(rows) - len(failed)} of {len(rows)} renders pass; load average at end: {os.getloadavg()[0]:.1f}")
    return 1 if failed else 0


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Render a matrix of sessions and check loudness, peaks, ducking, loops and MP3 offset per render.",
        epilog="Columns and targets: see this script's docstring. '!' marks a measure off target; exit 1 if any.",
    )
    parser.add_argument("--quick", action="store_true", help="a small subset: the circuit at rate 300, no bed and rain, every format")
    parser.add_argument("--routines", nargs="+", choices=ROUTINES, default=ROUTINES)
    parser.add_argument("--beds", nargs="+", choices=BEDS, default=BEDS)
    parser.add_argument("--rates", nargs="+", type=int, default=RATES)
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=FORMATS)
    parser.add_argument("--espeak", action="store_true", help="speak with espeak-ng (quicker) instead of the default voice")
    parser.add_argument("--keep", metavar="DIR", help="keep the renders and their timelines in DIR")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each group's time")
    args = parser.parse_args(argv)
    if args.quick:
        for key, value in QUICK.items():
            setattr(args, key, value)
    if args.espeak:
        os.environ["VOICEGUIDE_ENGINE"] = "espeak"
    return args


if __name__ == "__main__":
    sys.exit(run(parse()))
