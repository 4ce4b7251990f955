"""The compiler's rules of thumb and arithmetic: its spacing constants, breath cycles, hold lengths, rep counts.

Pure and stateless; `voiceguide.compiler` re-exports these names.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from voiceguide.options import Options
from voiceguide.routine import Hold, Span, Step, is_pick

DurationFn = Callable[[str], float]
Group = list[tuple[float, str, str]]  # prompts (at, text, role) that are said all together or not at all

SENTENCE_GAP = 0.6  # quiet after a spoken instruction, as a person would pause
SETTLE = 3.0  # time to get into position after setup or a side switch
PROMPT_CLEARANCE = 0.3  # minimum quiet between a prompt and any other speech
COUNTDOWN_CLEARANCE = 0.1  # ...and between the numbers of a countdown
COUNTDOWN_FROM = 3  # spoken "three, two, one" at the end of timed holds...
COUNTDOWN_MIN_HOLD = 8.0  # ...of at least this many seconds
HALFWAY_MIN_HOLD = 20.0
MINUTE_PROMPTS_MIN_HOLD = 120.0  # long holds get "N minutes left" instead of "halfway"
SPOKEN_BREATHS = 2  # breath-counted holds: the first breaths are spoken in and out (later ones: breath tones)
CUE_GAP = 0.3  # quiet between a cue sound and the speech after it
TICKS = 2  # full cues: ticks on the seconds before the spoken countdown...
TICK_MIN_HOLD = 20.0  # ...of holds at least this long

RELEASE_MIN_HOLD = 30.0  # holds this long end with a spoken release
SET_REST = 30.0  # rest between sets unless the exercise says rest_between_sets
PACE_CLEARANCE = 0.15  # a phase's cue ends at least this long before the phase does

BREATH_NAMES = {2: ("inhale", "exhale"), 3: ("inhale", "hold", "exhale"), 4: ("inhale", "hold", "exhale", "hold")}


def round_half_up(x: float) -> int:
    return math.floor(x + 0.5)


def breath_cycle(pattern: tuple[float, ...]) -> list[tuple[str, float]]:
    """(4, 7, 8) -> [('inhale', 4), ('hold', 7), ('exhale', 8)]: one breath, phase by phase."""
    return list(zip(BREATH_NAMES[len(pattern)], pattern, strict=True))


def breath_step_phases(phase: str, pattern: tuple[float, ...]) -> list[tuple[str, float]]:
    """An inhale step runs the pattern from the inhale to the exhale; an exhale step, from the exhale on."""
    cycle = breath_cycle(pattern)
    split = next(i for i, (name, _) in enumerate(cycle) if name == "exhale")
    return cycle[:split] if phase == "inhale" else cycle[split:]


def tone_marks(phase: str) -> tuple[str, ...]:
    """The breath tone that may mark a breath phase (a Phase's marks): the inhale and the exhale have one, a held breath none."""
    return (phase,) if phase != "hold" else ()


@dataclass(frozen=True)
class HoldLength:
    """A hold after the user's choices: either whole seconds or whole breaths."""

    seconds: float
    breaths: int | None  # set for breath-counted holds


def hold_length(hold: Hold, options: Options, pattern: tuple[float, ...] | None = None) -> HoldLength:
    """pattern: the exercise's breath pattern (default: the options')."""
    cycle = sum(pattern or options.breath)
    fixed = None if is_pick(options.hold) else float(options.hold)
    if hold.unit == "breaths":
        count = fixed / cycle if fixed is not None else hold.amount.pick(options.hold)
        breaths = max(1, round_half_up(count * options.hold_scale))
        return HoldLength(breaths * cycle, breaths)
    seconds = fixed if fixed is not None else hold.amount.pick(options.hold)
    return HoldLength(float(max(1, round_half_up(seconds * options.hold_scale))), None)


def rep_count(repeat: Span, options: Options) -> int:
    if repeat.high <= 1:
        return 1
    if is_pick(options.reps):
        return max(1, round_half_up(repeat.pick(options.reps)))
    return max(1, round_half_up(float(options.reps)))


def step_texts(step: Step) -> list[str]:
    return [t for t in (getattr(step, "text", None), getattr(step, "note", None)) if t]
