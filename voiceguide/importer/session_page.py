"""A voiceguide session page (`voiceguide render ROUTINE --page`) read back into its routine.

The page shows nothing in its HTML: it embeds the timeline its audio was mixed from and draws the
session from it in the browser. So the routine is rebuilt from that timeline's events, not from
the page's words: each exercise's first side and first rep hold its steps as taught, the reps
and sides their counts, the breath phases their pattern. What the timeline keeps as chosen
values (a hold range picked at --hold mid, a repeat range at --reps) comes back as that value.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from itertools import groupby
from typing import get_args

from voiceguide.errors import VoiceguideError
from voiceguide.importer.amounts import Amount
from voiceguide.importer.reading import Draft, DraftExercise, DraftStep
from voiceguide.phrases import Phrases
from voiceguide.timeline import Event, Kind

_TIMELINE = re.compile(r'<script type="application/json" id="timeline">(.*?)</script>', re.S)
_HOLD = re.compile(r"^(\d+(?:\.\d+)?) (seconds?|minutes?|breaths?)$")


def session_timeline(text: str) -> dict | None:
    """The timeline a voiceguide session page embeds; None for any other page."""
    match = _TIMELINE.search(text)
    if match is None:
        return None
    try:
        data = json.loads(match[1])
    except ValueError:
        return None
    return data if isinstance(data, dict) and isinstance(data.get("events"), list) else None


def session_draft(timeline: dict, source: str) -> Draft:
    """The routine a session page was rendered from, as a Draft (the timeline's chosen values)."""
    events = [_event(raw, number, source) for number, raw in enumerate(timeline["events"], 1)]
    phrases = Phrases(timeline.get("language") or "en")
    description = " ".join(e.text for e in events if e.kind == "speech" and e.role == "intro" and e.index is None)
    exercises = tuple(
        _exercise(list(group), phrases) for index, group in groupby(events, key=lambda e: e.index) if index is not None
    )
    language = timeline.get("language")
    return Draft(str(timeline.get("title") or "Imported routine"), exercises, description or None, _pace(events),
                 "the session page's breath phases" if _pace(events) else None, source=source,
                 language=language if isinstance(language, str) and language != "en" else None)


_FIELDS = {  # an event's fields in the timeline JSON, and the types each may have (None: the field may be absent)
    "start": (int, float), "duration": (int, float), "kind": (str,), "text": (str, None), "role": (str, None),
    "exercise": (str, None), "index": (int, None), "side": (str, None), "rep": (int, None), "reps": (int, None),
}  # fmt: skip
_KINDS = get_args(Kind)


def _event(raw: object, number: int, source: str) -> Event:
    """One event of the page's timeline, checked: a page edited or cut short is refused in one line, not half read."""
    def damaged(why: str) -> VoiceguideError:
        return VoiceguideError(f"{source}: the session page's timeline is damaged (event {number}: {why}); render the page again")

    if not isinstance(raw, dict):
        raise damaged("not an object")
    for key, types in _FIELDS.items():
        value = raw.get(key)
        if value is None and None in types:
            continue
        if isinstance(value, bool) or not isinstance(value, tuple(t for t in types if t is not None)):
            raise damaged(f"{key} is {value!r}" if key in raw else f"no {key}")
    if raw["kind"] not in _KINDS:
        raise damaged(f"kind is {raw['kind']!r}")
    if not (math.isfinite(raw["start"]) and math.isfinite(raw["duration"]) and raw["start"] >= 0 and raw["duration"] >= 0):
        raise damaged("a time that is not a length")
    return Event(**{key: raw[key] for key in _FIELDS if raw.get(key) is not None})


def _spoken(events: list[Event], role: str) -> list[str]:
    return [e.text for e in events if e.kind == "speech" and e.role == role]


def _exercise(events: list[Event], phrases: Phrases) -> DraftExercise:
    sides = tuple(dict.fromkeys(e.side for e in events if e.side))
    passes = [[e for e in events if e.side in (None, side)] for side in sides] or [events]
    sets = _sets(passes[0])  # a side's sets, each its reps; the rests between them are not in any
    taught = _first_rep(sets[0])
    steps = _steps(taught, phrases)
    if len(sides) > 1:
        steps = _with_side_placeholder(steps, _steps(_first_rep(_sets(passes[1])[0]), phrases), sides, phrases)
    reps = max((e.reps or 1 for e in events), default=1)
    tempo = tuple(e.duration for e in taught if e.kind == "move" and e.role == "tempo")
    release = next(iter(_spoken(events, "release")), None)
    about = _spoken(events, "intro")
    between = _rest_between(passes[0], sets) if len(sets) > 1 else None
    counted = Amount(reps, reps, "times", f"{reps} times", False) if reps > 1 else None
    rounds = any(e.kind == "hold" and e.role == "work" for e in events)  # reps of a work interval are a circuit's rounds
    return DraftExercise(
        name=next(e.exercise for e in events if e.exercise),
        steps=tuple(steps),
        about=" ".join(about) or None,
        setup=tuple(dict.fromkeys(_spoken(events, "setup"))),
        sides=sides,
        sides_from="the session page's sides" if sides else None,
        repeat=None if rounds else counted,
        rounds=counted if rounds else None,
        sets=Amount(len(sets), len(sets), "times", f"{len(sets)} sets", False) if len(sets) > 1 else None,
        rest_between_sets=Amount(between, between, "seconds", f"{between:g} seconds", False) if between else None,
        breath=_pattern(e for e in events if e.kind == "breath" and e.role == "breathe"),
        breath_from="the session page's breath phases" if any(e.role == "breathe" for e in events) else None,
        tempo=tempo or None,
        release=release if release and release != phrases.say("And release.") else None,
    )


def _sets(events: list[Event]) -> list[list[Event]]:
    """A side's events by set: a set ends where the rep count starts again, or at the rest or the count ("Set two.")
    between sets; what comes before the first rep (the teaching) belongs to the first set, the rests between to neither."""
    out: list[list[Event]] = [[]]
    last, between = 0, False
    for event in events:
        if event.rep is not None:
            if event.rep < last or between:
                out.append([])
            last, between = event.rep, False
        elif last and ((event.kind == "rest" and event.role == "rest") or (event.kind == "speech" and event.role == "count")):
            between = True  # the rest between sets, or "Set two."
        if not (last and event.rep is None and event.kind == "rest"):
            out[-1].append(event)
    return out


def _rest_between(events: list[Event], sets: list[list[Event]]) -> float | None:
    """The rest between the first two sets, as the timeline timed it: after the first set's last rep, before the second's first."""
    after = max(e.end for e in sets[0] if e.rep is not None)
    before = min(e.start for e in sets[1] if e.rep is not None)
    rests = [e for e in events if e.kind == "rest" and e.role == "rest" and e.rep is None and after - 1e-6 <= e.start < before]
    return rests[0].duration if rests else None


def _first_rep(events: list[Event]) -> list[Event]:
    """The events that teach the steps: before any rep, and the first rep (its pacing follows the teaching)."""
    return [e for e in events if e.rep in (None, 1)]


def _steps(events: list[Event], phrases: Phrases) -> list[DraftStep]:
    phases = [e.text for e in events if e.kind == "breath" and e.role == "step"]
    steps: list[DraftStep] = []
    cycles = 0
    before_reps = False  # the last step was taught before the reps began: a work interval's own words
    for event in events:
        if event.kind == "speech" and event.role == "teach":
            steps.append(_taught(event.text, phases, phrases))
            before_reps = event.rep is None
        elif event.kind == "speech" and event.role == "note" and steps and steps[-1].kind == "hold":
            steps[-1] = DraftStep("hold", event.text, steps[-1].amount)
        elif event.kind == "hold" and event.role == "work" and steps and steps[-1].kind == "say" and before_reps:
            steps[-1] = DraftStep("work", steps[-1].text, _held(event))
            before_reps = False
        elif event.kind == "hold":
            steps.append(DraftStep("work" if event.role == "work" else "hold", "", _held(event)))
        elif event.kind == "rest" and event.rep is not None and event.role == "rest":
            steps.append(DraftStep("rest", "", Amount(event.duration, event.duration, "seconds", f"{event.duration:g} seconds", False)))
        elif event.kind == "breath" and event.role == "breathe" and event.text == "inhale":
            cycles += 1
            if cycles == 1:
                steps.append(DraftStep("breathe", "", None))
    return [DraftStep("breathe", "", Amount(cycles, cycles, "breaths", f"{cycles} cycles", False)) if s.kind == "breathe" else s
            for s in steps]


def _taught(text: str, phases: list[str], phrases: Phrases) -> DraftStep:
    """A taught step: a breath step when the next breath phase is due and the words name it."""
    if phases:
        phase = phases[0]
        prefix = phrases.phase(phase) + " "
        if text.startswith(prefix) or phrases.says_phase(text, phase):
            phases.pop(0)
            return DraftStep("inhale" if phase == "inhale" else "exhale", text.removeprefix(prefix))
    return DraftStep("say", text)


def _held(event: Event) -> Amount:
    match = _HOLD.match(event.text)
    if match is None:
        return Amount(event.duration, event.duration, "seconds", f"{event.duration:g} seconds", False)
    value, unit = float(match[1]), match[2].rstrip("s") + "s"
    return Amount(value, value, unit, event.text, False)  # type: ignore[arg-type]


def _with_side_placeholder(first: list[DraftStep], second: list[DraftStep], sides: tuple[str, ...],
                           phrases: Phrases) -> list[DraftStep]:
    """Words that differ between the sides only by the side's name were written with {side}."""
    names = [phrases.side_name(side) for side in sides[:2]]
    out = []
    for one, other in zip(first, second, strict=False):
        general = re.sub(rf"\b{re.escape(names[0])}\b", "{side}", one.text, flags=re.IGNORECASE)  # "Right: ..." starts a sentence
        if general != one.text and general == re.sub(rf"\b{re.escape(names[1])}\b", "{side}", other.text, flags=re.IGNORECASE):
            one = DraftStep(one.kind, general, one.amount, one.comment)
        out.append(one)
    return out + first[len(out):]


def _pattern(phases: Iterator[Event]) -> tuple[float, ...] | None:
    """One cycle's phase lengths: in, out / in, hold, out / in, hold, out, hold."""
    cycle: list[float] = []
    for index, event in enumerate(phases):
        if index and event.text == "inhale":
            break
        cycle.append(event.duration)
    return tuple(cycle) if len(cycle) >= 2 else None


def _pace(events: list[Event]) -> tuple[float, float] | None:
    """The routine's breath pace, from breath steps' or breath-counted holds' phases (an in and an out)."""
    pattern = _pattern(e for e in events if e.kind == "breath" and e.role in ("step", "hold"))
    return (pattern[0], pattern[1]) if pattern and len(pattern) == 2 else None
