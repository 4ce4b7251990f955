"""An upper bound on a session's size, checked before any work: no routine (or option) can
make plan, play or render build millions of events or a days-long file.

The bound reads only the routine and the options, not the compiler, so it holds whatever
the compiler adds around the steps: each step counts once per repetition and side, each
hold at its longest under the options.
"""

from __future__ import annotations

from voiceguide.errors import RoutineError
from voiceguide.limits import MAX_SESSION_HOURS, MAX_SESSION_STEPS
from voiceguide.options import Options
from voiceguide.routine import Hold, Routine, is_pick


def _longest_hold(hold: Hold, options: Options) -> float:
    """Seconds the hold lasts at most under these options."""
    fixed = None if is_pick(options.hold) else float(options.hold)
    cycle = sum(options.breath)
    if hold.unit == "breaths":
        seconds = fixed if fixed is not None else hold.amount.high * cycle
    else:
        seconds = fixed if fixed is not None else hold.amount.high
    return (seconds * options.hold_scale) + cycle  # rounding up to a whole breath or second


def _most_reps(exercise_repeat_high: float, options: Options) -> float:
    if exercise_repeat_high <= 1:
        return 1
    return max(exercise_repeat_high, 0 if is_pick(options.reps) else float(options.reps))


def check_session_size(routine: Routine, options: Options) -> None:
    """RoutineError naming the routine when its session would pass MAX_SESSION_STEPS or MAX_SESSION_HOURS."""
    steps, seconds = 0.0, 0.0
    for exercise in routine.exercises:
        times = _most_reps(exercise.repeat.high, options) * max(1, len(exercise.sides))
        steps += times * len(exercise.steps)
        seconds += times * sum(_longest_hold(s, options) for s in exercise.steps if isinstance(s, Hold))
    if steps > MAX_SESSION_STEPS:
        raise RoutineError(
            routine.source, None,
            f"the session would have {steps:,.0f} steps counting repeats and sides; at most {MAX_SESSION_STEPS:,}",
        )
    if seconds > MAX_SESSION_HOURS * 3600:
        raise RoutineError(
            routine.source, None,
            f"the session would hold for {seconds / 3600:,.1f} hours; at most {MAX_SESSION_HOURS:g}",
        )
