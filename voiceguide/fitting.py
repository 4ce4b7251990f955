"""Fit a session to the length the user asks for (`--length 15m`): pure, in the compiler's world.

First every range moves together (holds, reps, rounds: one position from each
range's low to its high); only when the ranges alone cannot reach the length are
holds and the quiet between exercises scaled, within SCALE_LIMITS. Nothing is
dropped. Each candidate is compiled for real, so its length is the session's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from voiceguide.clock import clock
from voiceguide.compiler import DurationFn, compile_timeline
from voiceguide.errors import VoiceguideError
from voiceguide.limits import HOLD_SCALE_LIMITS, MAX_REST
from voiceguide.numbers import round_half_up
from voiceguide.options import Options
from voiceguide.phrases.labels import Labels
from voiceguide.routine import Routine, is_pick

TOLERANCE = 0.02  # the fitted session is within 2 % of the target
SCALE_LIMITS = (0.4, 2.0)  # holds and rests from 0.4x to twice their written length
STEPS = 14  # bisection steps per search: well under a second of compiling


@dataclass(frozen=True)
class Fit:
    """What --length chose: where in the ranges, how holds were scaled, and what that comes to."""

    target: float
    total: float
    position: float  # 0 = every range at its low, 1 = at its high
    scale: float  # holds and rests x this
    options: Options  # the options that make it

    def describe(self, language: str | None = None) -> str:
        """What was chosen, in the session's language (the plan shows it under the total)."""
        return Labels(language)(
            "fitted to {target}: {total}, ranges at {position} of the way up, holds and rests ×{scale}",
            target=clock(self.target), total=seconds(self.total), position=f"{self.position:.0%}", scale=f"{self.scale:.2f}",
        )


def fit_length(
    routine: Routine, options: Options, duration: DurationFn, cue_lengths: Mapping[str, float] | None = None
) -> Fit:
    """The options (from `options`, whose `length` is the target) that make the session last that long.

    Raises VoiceguideError saying what length can be reached, and why, when the target cannot be."""
    assert options.length is not None
    target = options.length

    def at(position: float, scale: float) -> Options:
        percent = f"{position * 100:.2f}%"
        return replace(
            options,
            hold=percent if is_pick(options.hold) else options.hold,
            reps=percent if is_pick(options.reps) else options.reps,
            hold_scale=min(max(options.hold_scale * scale, HOLD_SCALE_LIMITS[0]), HOLD_SCALE_LIMITS[1]),
            rest=min(options.rest * scale, MAX_REST),
        )

    def fit(position: float, scale: float) -> Fit:
        chosen = at(position, scale)
        return Fit(target, compile_timeline(routine, chosen, duration, cue_lengths).total, position, scale, chosen)

    def close(candidate: Fit) -> bool:
        return abs(candidate.total - target) <= TOLERANCE * target

    low, high = fit(0.0, 1.0), fit(1.0, 1.0)
    if low.total <= target <= high.total:
        best = _bisect(lambda p: fit(p, 1.0), 0.0, 1.0, target)
        if close(best):
            return best
        # Rep counts move in whole reps: the nearest position, then holds to take up the rest.
        return _bisect(lambda s: fit(best.position, s), *SCALE_LIMITS, target)
    if target > high.total:
        longest = fit(1.0, SCALE_LIMITS[1])
        if longest.total < target * (1 - TOLERANCE):
            raise VoiceguideError(
                f"cannot fill {clock(target)}: at most {seconds(longest.total)} (every range is at its top, "
                f"and holds and rests are at {SCALE_LIMITS[1]:g}x their written length)"
            )
        return _bisect(lambda s: fit(1.0, s), 1.0, SCALE_LIMITS[1], target)
    shortest = fit(0.0, SCALE_LIMITS[0])
    if shortest.total > target * (1 + TOLERANCE):
        raise VoiceguideError(
            f"cannot fit into {clock(target)}: at least {seconds(shortest.total)} (every range is at its bottom, "
            f"and holds and rests are at {SCALE_LIMITS[0]:g}x their written length; nothing is left out)"
        )
    return _bisect(lambda s: fit(0.0, s), SCALE_LIMITS[0], 1.0, target)


def seconds(total: float) -> str:
    """A session's length to the nearest second, as --length takes it: what asking for it gives (clock() cuts
    the fraction off, which made a 9:28.9 session 'at least 9:28', a second short of what it can be)."""
    return clock(round_half_up(total))


def _bisect(make: Callable[[float], Fit], low: float, high: float, target: float) -> Fit:
    """The candidate nearest the target, searching a knob the length grows with (in whole steps, not always strictly)."""
    best = min((make(low), make(high)), key=lambda f: abs(f.total - target))
    for _ in range(STEPS):
        middle = (low + high) / 2
        candidate = make(middle)
        if abs(candidate.total - target) < abs(best.total - target):
            best = candidate
        if abs(candidate.total - target) <= target * TOLERANCE / 4:
            break
        low, high = (middle, high) if candidate.total < target else (low, middle)
    return best
