"""`voiceguide import` on articles shaped like the pages people really find, scored fact by fact.

Each article in tests/articles/field/ has a NAME.facts.yaml beside it: the routine a careful
person would write from it (exercise names, holds, repetitions, sets, sides, breath pattern).
Every fact the import gets right scores a point; the whole set must score at least 90 %.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from voiceguide import import_article, parse_routine
from voiceguide.errors import RoutineError
from voiceguide.importer.reading import read_article
from voiceguide.importer.writing import routine_yaml

FIELD = ROOT / "tests" / "articles" / "field"
ARTICLES = sorted(p for p in FIELD.iterdir() if not p.name.endswith(".facts.yaml"))
TARGET = 0.90

# Keys the timing issue adds to the routine format (sets, rests, breath patterns, `breathe:` steps).
# Until that work is merged, a routine using them does not pass `check`: those imports are
# expected to fail validation here, and the expectation lifts itself once the schema knows them.
TIMING_KEYS = ("sets", "rest_between_sets", "breathe")


def timing_keys_supported() -> bool:
    try:
        parse_routine("title: t\nexercises:\n  - name: a\n    sets: 2\n    steps: [say: Go.]\n")
    except RoutineError:
        return False
    return True


TIMING_KEYS_SUPPORTED = timing_keys_supported()


def facts_of(path: Path) -> dict:
    return yaml.safe_load(path.with_name(path.name.split(".")[0] + ".facts.yaml").read_text())


def draft_routine(path: Path) -> dict:
    """The imported routine as plain YAML data (read without `check`, which the timing keys need)."""
    # BaseLoader: every value as written ("4:7:8" is not YAML 1.1's sexagesimal 14828)
    return yaml.load(routine_yaml(read_article(path.read_bytes(), path.name)), Loader=yaml.BaseLoader)


def amount(value) -> tuple[float, float, str] | None:
    """'30 seconds', '1-2 minutes', '5 breaths', 45 -> (low, high, unit) in seconds or breaths."""
    if value is None:
        return None
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?\s*(seconds|minutes|breaths)?", str(value).strip())
    assert match, f"not an amount: {value!r}"
    low = float(match.group(1))
    high = float(match.group(2) or low)
    unit = match.group(3) or "seconds"
    if unit == "minutes":
        return low * 60, high * 60, "seconds"
    return low, high, unit


def count(value) -> tuple[float, float] | None:
    if value is None:
        return None
    low, _, high = str(value).partition("-")
    return float(low), float(high or low)


def normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def exercise_facts(exercise: dict, settings: dict) -> dict:
    steps = exercise.get("steps") or []
    cycles = [s["breathe"] for s in steps if isinstance(s, dict) and "breathe" in s]
    return {
        "holds": [amount(s["hold"]) for s in steps if isinstance(s, dict) and "hold" in s],
        "reps": count(exercise.get("repeat")),
        "sets": count(exercise.get("sets")),
        "sides": bool(exercise.get("sides")),
        "cycles": count(cycles[0]) if cycles else None,
        "breath": str(exercise.get("breath") or "") or None,
    }


def expected_facts(exercise: dict) -> dict:
    return {
        "holds": [amount(h) for h in exercise.get("holds", [])],
        "reps": count(exercise.get("reps")),
        "sets": count(exercise.get("sets")),
        "sides": bool(exercise.get("sides", False)),
        "cycles": count(exercise.get("cycles")),
        "breath": exercise.get("breath"),
    }


def score(routine: dict, facts: dict) -> tuple[int, int, list[str]]:
    """(facts right, facts in all, what was wrong) for one imported routine."""
    settings = routine.get("settings") or {}
    found = {normal(e["name"]): e for e in routine["exercises"]}
    right, total, wrong = 0, 0, []
    matched = set()
    for exercise in facts["exercises"]:
        want = normal(str(exercise["name"]))
        name = next((n for n in found if n not in matched and (n == want or want in n or n in want)), None)
        expected = expected_facts(exercise)
        total += 1 + len(expected)
        if name is None:
            wrong.append(f"{exercise['name']}: not found among {list(found)}")
            continue
        matched.add(name)
        right += 1
        got = exercise_facts(found[name], settings)
        for key, value in expected.items():
            if got[key] == value:
                right += 1
            else:
                wrong.append(f"{exercise['name']}: {key} {got[key]} (expected {value})")
    for name in set(found) - matched:
        total += 1
        wrong.append(f"{name}: an exercise the article does not have")
    if "breath" in facts:
        total += 1
        patterns = {str(settings.get("breath"))} | {str(e.get("breath")) for e in routine["exercises"]}
        if facts["breath"] in patterns:
            right += 1
        else:
            wrong.append(f"breath pattern {patterns} (expected {facts['breath']})")
    return right, total, wrong


def uses_timing_keys(text: str) -> bool:
    data = yaml.load(text, Loader=yaml.BaseLoader)
    exercises = data.get("exercises") or []
    breath = str((data.get("settings") or {}).get("breath", ""))
    return (
        breath.count(":") > 1
        or any(any(k in e for k in (*TIMING_KEYS, "rest", "breath")) for e in exercises)
        or any("breathe" in s for e in exercises for s in e.get("steps", []) if isinstance(s, dict))
    )


def test_every_article_has_its_facts():
    assert len(ARTICLES) >= 12
    for path in ARTICLES:
        assert path.with_name(path.name.split(".")[0] + ".facts.yaml").exists(), path.name


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_article_imports_and_passes_check(path):
    text = routine_yaml(read_article(path.read_bytes(), path.name))
    if uses_timing_keys(text) and not TIMING_KEYS_SUPPORTED:
        pytest.xfail("uses the timing issue's keys (sets, rest, breath patterns, breathe): valid once that work merges")
    checked = import_article(path.read_bytes(), path.name)
    assert checked == text
    routine = parse_routine(checked, path.name)
    assert len(routine.exercises) == len(facts_of(path)["exercises"])


def test_the_articles_score_at_least_ninety_percent(capsys):
    right = total = 0
    report = []
    for path in ARTICLES:
        r, t, wrong = score(draft_routine(path), facts_of(path))
        right, total = right + r, total + t
        report.append(f"{path.name}: {r}/{t}" + "".join(f"\n    {w}" for w in wrong))
    with capsys.disabled():
        print("\n" + "\n".join(report) + f"\nscore: {right}/{total} = {right / total:.0%}")
    assert right / total >= TARGET, "\n".join(report)
