"""An upper bound on a session's size, checked before any work: no routine (or option) can
make plan, play or render build millions of events or a days-long file.

The bound reads only the routine and the options, not the compiler, so it holds whatever
the compiler adds around the steps: each step counts once per repetition, side and set
(a `breathe` step once per breath phase), each hold at its longest under the options,
and timed steps (breaths, work, rest, a tempo's beats) at their length.
"""

from __future__ import annotations

from voiceguide.errors import RoutineError
from voiceguide.limits import MAX_SESSION_HOURS, MAX_SESSION_STEPS
from voiceguide.options import Options
from voiceguide.routine import Breathe, Hold, Rest, Routine, Step, Work, is_pick


def _longest_hold(hold: Hold, options: Options, cycle: float) -> float:
    """Seconds the hold lasts at most under these options (cycle: seconds of one breath)."""
    fixed = None if is_pick(options.hold) else float(options.hold)
    if hold.unit == "breaths":
        seconds = fixed if fixed is not None else hold.amount.high * cycle
    else:
        seconds = fixed if fixed is not None else hold.amount.high
    return (seconds * options.hold_scale) + cycle  # rounding up to a whole breath or second


def _most_reps(exercise_repeat_high: float, options: Options) -> float:
    if exercise_repeat_high <= 1:
        return 1
    return max(exercise_repeat_high, 0 if is_pick(options.reps) else float(options.reps))


def _step_size(step: Step, options: Options, pattern: tuple[float, ...]) -> tuple[float, float]:
    """(events, seconds) of one step at most: a `breathe` step is a cue and a phase per breath phase."""
    if isinstance(step, Hold):
        return 1, _longest_hold(step, options, sum(pattern))
    if isinstance(step, Breathe):
        return 2 * step.cycles * len(pattern), step.cycles * sum(pattern)
    if isinstance(step, Work | Rest):
        return 2, step.seconds
    return 1, 0.0


def check_session_size(routine: Routine, options: Options) -> None:
    """RoutineError naming the routine when its session would pass MAX_SESSION_STEPS or MAX_SESSION_HOURS.

    Every rep of every side of every set counts; on a tempo, each rep is a cue and a phase per beat."""
    steps, seconds = 0.0, 0.0
    for exercise in routine.exercises:
        times = _most_reps(exercise.repeat.high, options) * max(1, len(exercise.sides)) * exercise.sets
        pattern = max(exercise.breath or options.breath, options.breath, key=sum)  # the longer breath: a bound
        sizes = [_step_size(step, options, pattern) for step in exercise.steps]
        beats = len(exercise.tempo) if exercise.tempo else 0
        steps += times * (sum(events for events, _ in sizes) + 2 * beats)
        seconds += times * (sum(length for _, length in sizes) + sum(exercise.tempo or ()))
    if steps > MAX_SESSION_STEPS:
        raise RoutineError(
            routine.source, None,
            f"the session would have {steps:,.0f} steps counting repeats and sides; at most {MAX_SESSION_STEPS:,}",
        )
    if seconds > MAX_SESSION_HOURS * 3600:
        raise RoutineError(
            routine.source, None,
            f"the session would hold for {seconds / 3600:,.1f} hours counting repeats, sides and sets; "
            f"at most {MAX_SESSION_HOURS:g}",
        )
