"""`voiceguide import` on articles shaped like the pages people really find, scored fact by fact.

Each article in tests/articles/field/ has a NAME.facts.yaml beside it: the routine a careful
person would write from it (exercise names, holds, repetitions, sets, sides, breath pattern).
Every fact the import gets right scores a point; the whole set must score at least 90 %.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import HANG_GUARD, NEEDS_TIMING_KEYS, ROOT
from voiceguide import import_article, parse_routine
from voiceguide.errors import RoutineError
from voiceguide.importer.amounts import Amount, find_circuit, find_duration, find_reps, find_rest_between_sets, find_sets
from voiceguide.importer.reading import read_article
from voiceguide.importer.within_format import within_format
from voiceguide.importer.writing import import_report, routine_yaml
from voiceguide.routine import Hold

FIELD = ROOT / "tests" / "articles" / "field"
ARTICLES = sorted(p for p in FIELD.iterdir() if not p.name.endswith(".facts.yaml"))
TARGET = 0.90

# Articles whose routines use the keys the timing issue adds to the routine format (`sets`,
# `rest_between_sets`, `breath: 4:7:8` patterns, `breathe:` steps): until that work is merged,
# `check` refuses them, so their check test is expected to fail (strictly: the mark goes once it passes).
NEEDS_TIMING_KEYS_ARTICLES = {
    "ankle-rehab.txt": "sets", "box-breathing.html": "breath pattern, breathe", "four-seven-eight.md": "breath pattern, breathe",
    "glute-workout.html": "sets", "plank-workout.txt": "sets, rest_between_sets", "sleep-breathing.txt": "exercise breath",
}
CHECKED = [pytest.param(p, marks=NEEDS_TIMING_KEYS) if p.name in NEEDS_TIMING_KEYS_ARTICLES else p for p in ARTICLES]


def facts_of(path: Path) -> dict:
    return yaml.safe_load(path.with_name(path.name.split(".")[0] + ".facts.yaml").read_text())


VAGUE = "vague"  # a facts file's amount the page leaves vague ("hold briefly"): right when the import used its default
_DEFAULTED = re.compile(r"^(\s*- (?:hold|breathe): )[^#\n]*(#[^\n]*\bdefault\b)", re.M)


def routine_data(text: str) -> dict:
    """Routine YAML as plain data, a hold the importer commented as its default read as VAGUE."""
    # BaseLoader: every value as written ("4:7:8" is not YAML 1.1's sexagesimal 14828)
    return yaml.load(_DEFAULTED.sub(rf"\g<1>{VAGUE}  \g<2>", text), Loader=yaml.BaseLoader)


def draft_routine(path: Path) -> dict:
    """The imported routine as plain YAML data (read without `check`, which the timing keys need)."""
    return routine_data(routine_yaml(read_article(path.read_bytes(), path.name)))


def amount(value) -> tuple[float, float, str] | None:
    """'30 seconds', '1-2 minutes', '5 breaths', 45 -> (low, high, unit) in seconds or breaths; VAGUE stays VAGUE."""
    if value is None:
        return None
    if str(value).strip() == VAGUE:
        return 0, 0, VAGUE
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?\s*(second|minute|breath)?s?", str(value).strip())
    assert match, f"not an amount: {value!r}"
    low = float(match.group(1))
    high = float(match.group(2) or low)
    unit = (match.group(3) or "second") + "s"
    if unit == "minutes":
        return low * 60, high * 60, "seconds"
    return low, high, unit


def count(value) -> tuple[float, float] | None:
    if value is None:
        return None
    if str(value).strip() == VAGUE:
        return 0, 0
    low, _, high = str(value).partition("-")
    return float(low), float(high or low)


def normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


# Facts scored only where the facts file states them or the import wrote them (an invented one is wrong):
# most pages have no intervals, and a fact nobody states would only pad the score.
OPTIONAL = ("work", "rest", "rounds", "rest_between_sets")


def _first_step(steps: list, kind: str):
    values = [s[kind] for s in steps if isinstance(s, dict) and kind in s]
    return values[0] if values else None


def exercise_facts(exercise: dict) -> dict:
    steps = exercise.get("steps") or []
    cycles = _first_step(steps, "breathe")
    return {
        "holds": [amount(s["hold"]) for s in steps if isinstance(s, dict) and "hold" in s],
        "reps": count(exercise.get("repeat")),
        "sets": count(exercise.get("sets")),
        "sides": bool(exercise.get("sides")),
        "cycles": count(str(cycles).split()[0]) if cycles else None,
        "breath": str(exercise.get("breath") or "") or None,
        "work": amount(_first_step(steps, "work")),
        "rest": amount(_first_step(steps, "rest")),
        "rounds": count(exercise.get("rounds")),
        "rest_between_sets": amount(exercise.get("rest_between_sets")),
    }


def expected_facts(exercise: dict) -> dict:
    return {
        "holds": [amount(h) for h in exercise.get("holds", [])],
        "reps": count(exercise.get("reps")),
        "sets": count(exercise.get("sets")),
        "sides": bool(exercise.get("sides", False)),
        "cycles": count(exercise.get("cycles")),
        "breath": exercise.get("breath"),
        **{key: (count if key == "rounds" else amount)(exercise.get(key)) for key in OPTIONAL},
    }


def fact_right(key: str, got, want) -> bool:
    """One fact; a page's range of cycles ("3-4 times") is met by any whole count in it, the one a routine can hold."""
    if key == "cycles" and got is not None and want is not None and got[0] == got[1]:
        return want[0] <= got[0] <= want[1]
    return got == want


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
        got = exercise_facts(found[name]) if name is not None else {}
        scored = [k for k in expected if k not in OPTIONAL or expected[k] is not None or got.get(k) is not None]
        total += 1 + len(scored)
        if name is None:
            wrong.append(f"{exercise['name']}: not found among {list(found)}")
            continue
        matched.add(name)
        right += 1
        for key in scored:
            value = expected[key]
            if fact_right(key, got[key], value):
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


def test_every_article_has_its_facts():
    assert len(ARTICLES) >= 12
    for path in ARTICLES:
        assert path.with_name(path.name.split(".")[0] + ".facts.yaml").exists(), path.name


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: p.name)
def test_article_imports_and_passes_check(path):
    checked = import_article(path.read_bytes(), path.name)
    assert checked == routine_yaml(within_format(read_article(path.read_bytes(), path.name)))
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


# --- what the import does with the parts of a real page -------------------------------


def draft_of(article: str | bytes, name: str = "article.txt"):
    return read_article(article, name)


def spoken_texts(draft) -> list[str]:
    out = [draft.title, draft.description or ""]
    for exercise in draft.exercises:
        out += [exercise.name, exercise.about or "", *exercise.setup, *(s.text for s in exercise.steps)]
    return out


def test_a_web_page_piped_on_stdin_imports_with_its_report_on_standard_error():
    page = (FIELD / "hospital-back.html").read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "voiceguide", "import", "-"], input=page, capture_output=True, cwd=ROOT, timeout=HANG_GUARD
    )
    assert result.returncode == 0, result.stderr
    routine = parse_routine(result.stdout, "stdin")
    assert [e.name for e in routine.exercises] == ["Knee rolls", "Bottom to heels stretch", "Pelvic tilt", "Lying knee to chest"]
    report = result.stderr.decode()
    assert report.startswith("standard input: 7 values to check")
    assert report.rstrip().endswith("4 exercises, 2 two-sided, 4 holds, 0 breath patterns; 4 lines kept as comments")


def test_the_report_lists_every_default_and_unsure_value_under_its_heading():
    _, report = import_report((ROOT / "tests" / "articles" / "lower-back-spasms.txt").read_bytes(), "lower-back-spasms.txt")
    assert report.splitlines() == [
        "5 values to check (each has its comment in the routine):",
        '  "3. Child\'s Pose": hold 3 minutes: from "at least a few minutes"; default: the article gives no number',
        '  "4. Hip lifts": hold 5 seconds: from "as long as you can"; default: the article gives no number',
        "  \"4. Hip lifts\": say 'Slowly release, and come back to where you started.': added: the article does not say how "
        "to come out of the hold",
        '  "5. Shoelace Stretch": sides [right, left]: from "switch legs; do the same on the other side"; the article does not '
        "say which side comes first",
        '  "5. Shoelace Stretch": hold 1-2 minutes: from "at least a minute or two"',
        "5 exercises, 2 two-sided, 4 holds, 0 breath patterns; 11 lines kept as comments",
    ]


def test_an_article_that_states_every_value_reports_one_line():
    article = "# Neck\n\n## 1. Chin tuck\n\nPull your chin straight back. Hold for 5 seconds, then relax.\n"
    assert import_report(article, "neck.md")[1] == "1 exercise, 0 two-sided, 1 hold, 0 breath patterns; 0 lines kept as comments"


@pytest.mark.parametrize("name", [p.name for p in ARTICLES if p.suffix == ".html"])
def test_navigation_footers_ads_and_captions_of_a_web_page_are_gone(name):
    text = routine_yaml(draft_of((FIELD / name).read_bytes(), name))
    for furniture in ("Privacy", "Related", "Advertisement", "slide 1 of 5", "Getty", "Subscribe", "Book an appointment",
                      "cookies", "Share", "Skip to main content", "Our services", "rights reserved"):
        assert furniture not in text, furniture


def test_a_page_without_a_heading_is_titled_from_its_title_tag():
    page = ("<html><head><title>Wrist stretches | Clinic</title></head><body><nav>Home Shop</nav><article>"
            "<p>Three easy stretches for sore wrists after a long day of typing.</p>"
            "<h2>1. Prayer stretch</h2><p>Press your palms together in front of your chest. Hold for 20 seconds.</p>"
            "<h2>2. Fist to fan</h2><p>Make a fist, then spread your fingers wide. Repeat 10 times.</p>"
            "</article><footer>Contact us</footer></body></html>")
    draft = draft_of(page, "wrists.html")
    assert draft.title == "Wrist stretches"
    assert [e.name for e in draft.exercises] == ["Prayer stretch", "Fist to fan"]
    assert "Home Shop" not in routine_yaml(draft)
    assert "Contact us" not in routine_yaml(draft)


def test_labels_become_structure_or_comments_never_speech():
    plank = draft_of((FIELD / "plank-workout.txt").read_bytes())
    said = " ".join(spoken_texts(plank))
    assert not re.search(r"\b(?:Targets|How to|Reps|Trainer's tip)\s*:", said)
    forearm = plank.exercises[0]
    assert "Targets: abs, shoulders, glutes" in forearm.unspoken
    assert forearm.steps[0].text.startswith("Rest on your forearms")
    chiro = draft_of((FIELD / "chiro-lower-back.md").read_bytes())
    tilt = chiro.exercises[0]
    assert tilt.about == "Wakes up the deep core muscles that support your lumbar spine."
    assert tilt.setup == ("Lie on your back with your knees bent and your feet flat on the floor.",)
    assert "Tip: Keep your head and shoulders relaxed on the floor." in chiro.exercises[1].unspoken


def test_taking_an_amount_out_leaves_a_sentence():
    article = ("Core basics\n\n1. Dead bug\nLie on your back and bring both legs into a bent-knee position. "
               "Lower one heel to the floor and work your way up to 10 repetitions.\n\n"
               "2. Wall slide\nStand with your back to a wall. Hold for 5 seconds then glide your arms up the wall.\n")
    draft = draft_of(article)
    said = spoken_texts(draft)
    assert "Lie on your back and bring both legs into a bent-knee position." in said
    assert any("work your way up to 10 repetitions" in s for s in said)  # kept whole; the count is also structure
    assert draft.exercises[0].repeat is not None
    assert draft.exercises[0].repeat.high == 10
    assert not draft.exercises[0].sides  # "both legs" is not "each leg"
    slide = [(s.kind, s.text) for s in draft.exercises[1].steps]
    assert slide == [("hold", ""), ("say", "Glide your arms up the wall.")]


def test_an_amount_stated_once_for_the_page_applies_to_each_exercise_and_says_so():
    text = routine_yaml(draft_of((FIELD / "knee-replacement.txt").read_bytes(), "knee.txt"))
    repeats = [line.strip() for line in text.splitlines() if line.strip().startswith("repeat:")]
    assert len(repeats) == 4
    assert all(r.startswith("repeat: 10  # from \"Do each exercise 10 times") and "said once for every exercise" in r for r in repeats)


def test_closing_advice_is_the_sessions_closing_words_not_a_hold():
    draft = draft_of((FIELD / "desk-stretches.md").read_bytes())
    assert "3 stretches every 3 hours for 3 minutes each" in (draft.closing or "")
    assert "3 stretches every 3 hours" not in (draft.description or "")
    assert all(s.amount.high < 180 for e in draft.exercises for s in e.steps if s.kind == "hold")


def test_one_side_named_for_the_second_pass_makes_two_sides():
    article = ("Lower back\n\n1. Knee drop\nLie on your back with your hands on both knees. Let both knees fall to the right. "
               "Hold for 15 seconds. Repeat on your left side.\n\n2. Hug\nLie on your back and hug both knees to your chest. "
               "Hold for 20 seconds.\n")
    drop, hug = draft_of(article).exercises
    assert drop.sides == ("right", "left")
    assert "Repeat on your left side" in (drop.sides_from or "")
    assert hug.sides == ()


def test_a_one_technique_page_is_one_exercise_of_its_steps():
    article = ("How to Do Box Breathing\n\nBox breathing calms you down in about a minute.\n\n"
               "1. Breathe out all the air in your lungs.\n2. Breathe in through your nose for a count of four.\n"
               "3. Hold your breath for a count of four.\n4. Breathe out through your mouth for a count of four.\n"
               "5. Hold again for a count of four.\n6. Repeat the cycle for 4 rounds.\n")
    draft = draft_of(article)
    (box,) = draft.exercises
    assert box.name == "Box Breathing"
    assert box.breath == (4, 4, 4, 4)
    assert next(s for s in box.steps if s.kind == "breathe").amount.value() == "4"


@pytest.mark.parametrize(("phrase", "sets", "reps"), [
    ("Do 3 sets of 8-12 reps.", "3", "8-12"), ("2 sets of 10", "2", "10"), ("Sets: 3", "3", None),
    ("3 x 10", "3", "10"), ("Complete 3 sets of each move", "3", None),
])
def test_sets(phrase, sets, reps):
    found = find_sets(phrase)
    assert found is not None
    assert found[2].value() == sets
    assert (found[3].value() if found[3] else None) == reps


def test_rest_between_sets_is_not_a_hold():
    found = find_rest_between_sets("Complete 3 sets, resting 60 seconds between sets.")
    assert found is not None
    assert found[2].value() == "60 seconds"
    plank = draft_of((FIELD / "plank-workout.txt").read_bytes())
    assert all(e.rest_between_sets is not None and e.rest_between_sets.value() == "60 seconds" for e in plank.exercises)


TWO = ("Tilt your head towards your shoulder. Hold for 10 seconds.", "Pull your chin straight back. Repeat 5 times.")


@pytest.mark.parametrize("article", [
    "Neck care\n\n# Neck tilt\n\n{0}\n\n# Chin tuck\n\n{1}\n",  # Markdown headings
    "Neck care\n=========\n\nNeck tilt\n---------\n{0}\n\nChin tuck\n---------\n{1}\n",  # underlined
    "Neck care\n\n**Neck tilt**\n\n{0}\n\n**Chin tuck**\n\n{1}\n",  # bold lines
    "Neck care\n\nExercise 1- Neck tilt\n{0}\n\nExercise 2 \u2013 Chin tuck\n{1}\n",  # "Exercise N" with any dash
    "Neck care\n\nA) Neck tilt\n{0}\n\nB) Chin tuck\n{1}\n",  # lettered
    "Neck care\n\nNeck tilt\n{0}\n\nChin tuck\n{1}\n",  # plain short lines followed by prose
    "NECK CARE\nDo these slowly.\nNeck tilt\n{0}\nChin tuck\n{1}\n",  # plain, no blank lines at all
    "Neck care\n\n- **Neck tilt**: {0}\n- **Chin tuck**: {1}\n",  # a list of named exercises
    "Neck care\n\n1. Neck tilt - {0}\n2. Chin tuck - {1}\n",  # numbered name, then its sentence
    "Neck care\n\n## Warm-up\n\n### Neck tilt\n{0}\n\n## Main\n\n### Chin tuck\n{1}\n",  # grouped under higher headings
    "# Neck care\n\n## Neck tilt\n\n### How to do it\n{0}\n\n### Tips\nGo gently.\n\n## Chin tuck\n\n### How to do it\n{1}\n",
], ids=["markdown", "underlined", "bold", "exercise-n", "lettered", "plain", "plain-unspaced", "list", "numbered-sentence", "grouped",
        "sub-headings"])
def test_exercises_under_headings_of_every_kind(article):
    draft = draft_of(article.format(*TWO))
    assert [e.name for e in draft.exercises] == ["Neck tilt", "Chin tuck"]
    tilt, tuck = draft.exercises
    assert [s.amount.value() for s in tilt.steps if s.kind == "hold"] == ["10 seconds"]
    assert tuck.repeat is not None
    assert tuck.repeat.value() == "5"


def test_sides_said_once_for_the_page_apply_to_each_one_sided_exercise():
    article = ("Hip openers\n\nHold each stretch for 30 seconds, then switch sides.\n\n"
               "1. Figure four\nLie on your back and cross your right ankle over your left knee.\n\n"
               "2. Happy baby\nLie on your back and hold the outsides of your feet.\n")
    four, baby = draft_of(article).exercises
    assert four.sides == ("right", "left")
    assert "said once for every exercise" in (four.sides_from or "")
    assert baby.sides == ()  # names no side: both feet at once
    assert [s.amount.value() for s in four.steps if s.kind == "hold"] == ["30 seconds"]


def test_hold_each_position_of_a_two_position_move_is_two_holds():
    article = ("Wrists\n\n1. Wrist bends\nRest your forearm on a table. Bend your wrist up towards the ceiling. "
               "Bend it down towards the floor. Hold each position for 10 seconds.\n\n2. Fist\nMake a fist. Repeat 5 times.\n")
    bends = draft_of(article).exercises[0]
    assert [(s.kind, s.amount.value() if s.amount else s.text) for s in bends.steps][-4:] == [
        ("say", "Bend your wrist up towards the ceiling."), ("hold", "10 seconds"),
        ("say", "Bend it down towards the floor."), ("hold", "10 seconds"),
    ]
    assert [s.kind for s in bends.steps].count("hold") == 2


def test_page_furniture_copied_with_the_text_is_dropped():
    article = ("Skip to content\nMenu\nHome\nExercises for a stiff neck\nLast updated: 3 March 2025\n"
               "These two stretches ease a stiff neck.\nNeck tilt\nTilt your head to your shoulder. Hold for 10 seconds.\n"
               "Chin tuck\nPull your chin back. Repeat 5 times.\nPage last reviewed: 03 March 2025\nShare this page\nFacebook\n")
    draft = draft_of(article)
    assert draft.title == "Exercises for a stiff neck"
    assert [e.name for e in draft.exercises] == ["Neck tilt", "Chin tuck"]
    said = " ".join(spoken_texts(draft))
    for furniture in ("Skip to content", "Menu", "Share this page", "Facebook", "last reviewed"):
        assert furniture not in said
        assert furniture not in routine_yaml(draft)  # navigation is no part of the routine, not even a comment


def test_safety_advice_is_said_once_with_the_description_and_small_print_is_dropped():
    article = ("# Exercises for a stiff neck\n\nThese two stretches ease a stiff neck.\n\n## 1. Neck tilt\n\n"
               "Tilt your head to your shoulder. Hold for 10 seconds.\n\n## 2. Chin tuck\n\nPull your chin back. Repeat 5 times.\n\n"
               "## Safety\n\nStop if the pain gets worse. See a doctor if your arm feels numb.\n\n"
               "## Disclaimer\n\nThis leaflet is not a substitute for medical advice.\n\n## References\n\n1. Smith J. Neck pain. 2019.\n\n"
               "Top of page\n")
    draft = draft_of(article)
    assert draft.description == ("These two stretches ease a stiff neck. Stop if the pain gets worse. "
                                 "See a doctor if your arm feels numb.")
    said = " ".join(spoken_texts(draft))
    assert said.count("Stop if the pain gets worse.") == 1
    text = routine_yaml(draft)
    for dropped in ("not a substitute", "Smith J.", "Top of page"):
        assert dropped not in text


def names_of(article: str, source: str = "article.md") -> list[str]:
    return [e.name for e in draft_of(article, source).exercises]


def test_a_paragraph_led_by_its_bold_name_is_an_exercise():
    article = ("# Three moves for a stronger back\n\nThese moves strengthen your back.\n\n"
               "**Bridge.** Lie on your back with your knees bent. Lift your hips. Hold for 5 seconds. Repeat 10 times.\n\n"
               "**Bird dog:** Kneel on all fours. Reach your right arm forward. Hold for 10 seconds. Switch sides.\n")
    draft = draft_of(article, "back.md")
    assert [e.name for e in draft.exercises] == ["Bridge", "Bird dog"]
    assert draft.exercises[0].repeat == Amount(10, 10, "times", "10 times", False)
    assert draft.exercises[1].sides == ("right", "left")
    page = ("<html><body><h1>Back</h1><p>These moves strengthen your back.</p>"
            "<p><strong>Bridge.</strong> Lie on your back. Lift your hips. Hold for 5 seconds.</p>"
            "<p><strong>Bird dog</strong> Kneel on all fours. Reach one arm forward. Hold for 10 seconds.</p>"
            "<p>Do them every day.</p></body></html>")
    assert names_of(page, "back.html") == ["Bridge", "Bird dog"]


def test_a_heading_that_names_its_kind_first_is_named_after_the_colon():
    article = ("Yoga for beginners\n\nStretch: Cobra\nLie on your stomach. Press up, lifting your chest. Hold for 20 seconds.\n\n"
               "Stretch: Child's pose\nKneel and sit back on your heels. Hold for 30 seconds.\n\n"
               "Pelvic Floor Contractions: Long Holds\nTighten your pelvic floor. Hold for 10 seconds.\n")
    assert names_of(article, "yoga.txt") == ["Cobra", "Child's pose", "Long Holds"]


def test_exercise_names_set_as_picture_captions_head_their_exercises():
    page = ("<html><body><article><h1>Balance exercises</h1><p>Do these near a sturdy chair.</p>"
            "<figure><img src='a.jpg'><figcaption>Single leg stand</figcaption></figure>"
            "<p>Stand behind a chair and hold on. Lift one foot off the floor. Hold for 10 seconds.</p>"
            "<figure><img src='b.jpg'><figcaption>Heel raises</figcaption></figure>"
            "<p>Stand behind a chair. Rise up onto your toes. Lower slowly. Repeat 10 times.</p>"
            "<figure><img src='c.jpg'><figcaption>Photo: Getty Images</figcaption></figure></article></body></html>")
    assert names_of(page, "balance.html") == ["Single leg stand", "Heel raises"]
    assert "Getty" not in routine_yaml(draft_of(page, "balance.html"))


def test_a_numbered_list_item_before_a_numbered_step_is_a_step_not_an_exercise():
    article = ("Downward dog\n\nHold this pose for 10-15 seconds.\n\nHere's how to do it\n\n"
               "1. From child's pose - lift your head up.\n2. Push the weight into your feet and hands and come up into the pose.\n"
               "3. Repeat the pose 2-3 times.\n")
    draft = draft_of(article, "dog.txt")
    assert [e.name for e in draft.exercises] == ["Downward dog"]
    assert [(s.kind, s.amount.value()) for s in draft.exercises[0].steps if s.amount] == [("hold", "10-15 seconds")]


def test_a_picture_description_is_no_title_and_a_sentence_can_name_the_technique():
    article = ("A woman meditating in front of a mural.\n\nThe 4-7-8 breathing technique is a simple relaxation exercise.\n\n"
               "1. Breathe in quietly through your nose for a count of 4.\n2. Hold your breath for a count of 7.\n"
               "3. Exhale completely through your mouth for a count of 8.\n\nRepeat the cycle 4 times.\n")
    draft = draft_of(article, "breath.txt")
    assert [e.name for e in draft.exercises] == ["4-7-8 breathing"]
    assert draft.exercises[0].breath == (4.0, 7.0, 8.0)
    assert "mural" not in " ".join(spoken_texts(draft))


def test_an_exercise_numbered_over_its_name_is_named_by_the_line_below():
    article = ("Neck exercises\n\nExercise 1:\nChin tucks\nSit up straight. Pull your chin straight back. Hold for 3 seconds.\n\n"
               "Exercise 2:\nSide bends\nTilt your head towards your shoulder. Hold for 20 seconds. Repeat on the other side.\n")
    draft = draft_of(article, "neck.txt")
    assert [e.name for e in draft.exercises] == ["Chin tucks", "Side bends"]
    assert "Chin tucks" not in " ".join(s.text for s in draft.exercises[0].steps)


def test_a_circuits_timing_applies_to_every_move_even_one_whose_verb_is_unknown():
    article = ("Tabata workout\n\nThis workout is 8 rounds of 20 seconds work and 10 seconds rest for each exercise.\n\n"
               "Jumping jacks\nJump your feet out while raising your arms overhead, then jump back in.\n\n"
               "Mountain climbers\nFrom a plank, drive your knees towards your chest one at a time.\n\n"
               "Crab walk\nScuttle backwards on your hands and feet, hips up.\n")
    draft = draft_of(article, "tabata.txt")
    assert [e.name for e in draft.exercises] == ["Jumping jacks", "Mountain climbers", "Crab walk"]
    for exercise in draft.exercises:
        assert exercise.rounds is not None
        assert exercise.rounds.value() == "8"
        assert [(s.kind, s.amount.value()) for s in exercise.steps if s.amount] == [("work", "20 seconds"), ("rest", "10 seconds")]


def test_a_table_of_exercises_and_their_amounts_gives_each_row_its_counts():
    article = ("# Full body workout\n\nDo this workout three times a week. Rest 60 seconds between sets.\n\n"
               "| Exercise | Sets | Reps |\n|---|---|---|\n| Squat | 3 | 10 |\n| Plank | 2 | 30 seconds |\n\n"
               "## Squat\n\nStand with your feet apart. Bend your knees and lower your hips. Push back up.\n")
    routine = parse_routine(import_article(article, "workout.md"), "workout.md")
    squat, plank = routine.exercises
    assert (squat.name, squat.sets, squat.repeat.low, squat.set_rest) == ("Squat", 3, 10, 60)
    assert (plank.name, plank.sets) == ("Plank", 2)
    assert [(type(s).__name__, s.amount.low) for s in plank.steps if isinstance(s, Hold)] == [("Hold", 30)]
    assert "|" not in import_article(article, "workout.md")


def test_what_check_would_refuse_is_put_right_before_it_is_written():
    long_sentence = "Keep breathing " + "and keep relaxing " * 200 + "slowly."
    article = ("# Stretches {0}\n\n## 1. Neck tilt\n\nTilt your head {1}. Hold for 10 seconds. Rest 30 seconds between sets.\n\n"
               f"## 2. Long one\n\nLie down. {long_sentence}\n\n## 3. Bars\n\n| --- | --- |\n\nLift your arm. Hold for 5 seconds.\n")
    text = import_article(article, "odd.md")  # raises if check refuses what it wrote
    routine = parse_routine(text, "odd.md")
    assert "{" not in text
    assert routine.exercises[0].set_rest is None  # a rest between sets with no sets is a comment
    assert "rest between sets" in text


def test_the_first_exercise_is_no_title_and_an_empty_heading_still_heads_one():
    first = ("## Neck tilt\n\nTilt your head to your shoulder. Hold for 10 seconds.\n\n## Chin tuck\n\nPull your chin back. "
             "Repeat 5 times.\n\n## Shoulder rolls\n\nRoll your shoulders backwards. Repeat 10 times.\n")
    draft = draft_of(first, "neck-moves.md")
    assert [e.name for e in draft.exercises] == ["Neck tilt", "Chin tuck", "Shoulder rolls"]
    assert draft.title == "Neck moves"
    assert draft.doubts()[0] == "title: from the file's name: the article has no heading"
    unnamed = "# Neck routine\n\n##\n\nTilt your head to your shoulder. Hold for 10 seconds.\n\n" + first.split("\n\n", 2)[2]
    routine = parse_routine(import_article(unnamed, "neck.md"), "neck.md")
    assert [e.name for e in routine.exercises] == ["Exercise 1", "Chin tuck", "Shoulder rolls"]


def test_a_breathing_pattern_kept_up_for_a_time_is_that_many_cycles_and_its_breath_counts_are_no_holds():
    box = ("Box breathing\n\n1. Breathe in through your nose for a count of four.\n2. Hold your breath for four counts.\n"
           "3. Breathe out slowly for four seconds.\n4. Hold again for four seconds.\n\nRepeat for 5 minutes.\n")
    exercise = draft_of(box, "box.txt").exercises[0]
    assert exercise.breath == (4.0, 4.0, 4.0, 4.0)
    breathe = [s for s in exercise.steps if s.kind == "breathe"]
    assert [s.amount.value() for s in breathe] == ["19"]  # 300 s at 16 s a cycle
    assert breathe[0].amount.comment() == 'from "5 minutes"; 5 minutes at 16 seconds a cycle'
    relaxing = ("How to do 4-7-8 breathing\n\nInhale quietly through your nose to a count of four.\n"
                "Hold your breath for a count of seven.\nExhale completely through your mouth to a count of eight.\n"
                "This is one breath. Repeat the cycle three more times for a total of four breaths.\n")
    steps = draft_of(relaxing, "478.txt").exercises[0].steps
    assert [s.kind for s in steps if s.kind in ("hold", "breathe")] == ["breathe"]


def test_safety_advice_repeated_in_every_exercise_is_said_once_at_the_start():
    article = ("# Neck\n\nEasy moves.\n\n## 1. Tilt\n\nTilt your head. Hold for 10 seconds. Stop if you feel pain.\n\n"
               "## 2. Tuck\n\nPull your chin back. Repeat 5 times. Stop if you feel pain.\n")
    draft = draft_of(article, "neck.md")
    assert draft.description == "Easy moves. Stop if you feel pain."
    assert " ".join(spoken_texts(draft)).count("Stop if you feel pain.") == 1


@pytest.mark.parametrize(("sentence", "count"), [
    ("Repeat x 10.", 10), ("Repeat x10.", 10), ("Do this 10x.", 10), ("Do it 8 x each leg.", 8), ("Hold 5 seconds x 3.", 3),
])
def test_a_count_written_with_a_multiplication_sign_is_a_repeat(sentence, count):
    exercise = draft_of(f"Knee\n\n1. Knee bend\nBend your knee. {sentence}\n", "knee.txt").exercises[0]
    assert exercise.repeat is not None
    assert (exercise.repeat.low, exercise.repeat.high) == (count, count)


def test_paragraphs_that_name_their_exercise_before_a_colon_are_exercises_but_levels_and_labels_are_not():
    article = ("Strength and balance exercises\n\nDo these three times a week.\n\n"
               "Sit to stand: Sit on a chair with your feet flat. Stand up, then sit down slowly. Repeat 10 times.\n\n"
               "Heel raises: Stand behind the chair. Rise up onto your toes, then lower. Repeat 10 times.\n\n"
               "Side leg lift: Stand behind the chair. Lift one leg out to the side and back. Repeat 10 times with each leg.\n")
    draft = draft_of(article, "falls.txt")
    assert [e.name for e in draft.exercises] == ["Sit to stand", "Heel raises", "Side leg lift"]
    assert draft.exercises[2].sides == ("right", "left")
    graded = ("Circuit\n\nExercise 1\n\nEasy: Seal jack. Step out to the side and back. Repeat for 30 seconds.\n\n"
              "Hard: Jumping jack. Jump your feet out and in.\n\nExercise 2\n\nEasy: March on the spot.\n\nHard: Run on the spot.\n")
    assert "Easy" not in names_of(graded, "circuit.txt")


ODD_PIECES = [
    "Hold for 10 seconds.", "Repeat 5 times.", "Switch sides.", "Do 3 sets of 10.", "Rest 30 seconds between sets.", "2 set of 3.",
    "One minute rest between sets.", "Breathe in for 4.", "Hold for 7.", "Breathe out for 8.", "Repeat x 10.", "{0}", "| a | b |",
    "Do this for 40 seconds, rest 20 seconds, 3 rounds.", "|---|---|", "## Squat", "**Lunge.** Step forward.", "Exercise 2:",
    "Side plank", "Tilt your {side} ear.", "After 10 seconds, relax.", "Stop if it hurts.", "Repeat for 5 minutes.", "1. Bridge",
    "Hold as long as you can.", "Apply ice for 15 minutes.", "A) Twist", "- Reach up.", "Sit to stand: Sit down. Stand up.",
    "Easy: March.", "Repeat on the other side.", "10 per side.", "Hold " + "and breathe " * 400 + "slowly.",
]


def test_odd_pages_import_to_routines_check_accepts_or_are_refused_in_one_line():
    """Never write what check refuses (issue 25, point 3): pages pieced together from what real pages hold."""
    chance = random.Random(25)
    for _ in range(150):
        lines = [" ".join(chance.sample(ODD_PIECES, chance.randint(1, 2))) for _ in range(chance.randint(2, 12))]
        article = ("\n\n" if chance.random() < 0.5 else "\n").join(lines)
        try:
            text, refused = import_article(article, "odd.md"), None
        except RoutineError as error:  # a page with no exercises: one line, and no routine
            text, refused = None, str(error)
        assert refused is None or refused.startswith("odd.md: no exercises found"), (article, refused)
        assert text is None or parse_routine(text, "odd.md").exercises


# --- page layouts met in the second batch of real pages (issue 25) ---------------------------------


@pytest.mark.parametrize("page", [
    # a number alone over the name ("#1" / "Exercise 2:" lines, as a slideshow's text reads)
    "Yoga for backs\nHere are two poses.\n#1\nCat-cow pose\nGet on all fours. Round your back.\n#2\nChild's pose\n"
    "Sit back on your heels. Hold for 30 seconds.\n",
    # plain names over labelled lines, not prose
    "Yoga for backs\n\nTwo poses to ease the back.\n\nCat-cow pose\n\nModification: Knees wide\n\nHold: 5 breaths\n\n"
    "Child's pose\n\nHold: 30 seconds\n\nTip: Relax your shoulders\n",
    # names before a dash, each paragraph one exercise
    "Yoga for backs\n\nCat-cow pose- Get on all fours. Round your back.\n\nChild's pose- Sit back on your heels. "
    "Hold for 30 seconds.\n",
])  # fmt: skip
def test_exercise_names_are_found_in_the_layouts_pages_use(page):
    draft = draft_of(page)
    assert [e.name.lower() for e in draft.exercises] == ["cat-cow pose", "child's pose"]


def test_figure_four_is_an_exercise_and_figure_1_a_caption():
    draft = draft_of("Hip stretches\n\nFigure Four\n\nHold: 30 seconds each side\n\nFigure 1: the stretch from above\n\n"
                     "Pigeon\n\nHold: 30 seconds each side\n")
    assert [e.name for e in draft.exercises] == ["Figure Four", "Pigeon"]
    assert all("Figure 1" not in text for text in spoken_texts(draft))


def test_a_dash_chain_of_breath_phases_is_no_exercise_name():
    draft = draft_of("Box breathing\n\nSit tall and close your eyes.\n\nBreathe in for 4 – Hold for 4 – Breathe out for 4 – Hold for 4\n")
    assert len(draft.exercises) == 1
    assert not draft.exercises[0].name.lower().startswith("breathe in")


def test_repeat_other_leg_makes_it_two_sided():
    draft = draft_of("Stretches\n\nKnee to Chest- Lie on your back. Pull one knee to your chest. Hold for 15 seconds, repeat other leg.\n\n"
                     "Forward Bend- Stand tall. Reach for the floor. Hold 20 seconds.\n")
    assert [len(e.sides) for e in draft.exercises] == [2, 0]


def test_sets_of_a_work_interval_are_its_rounds_and_its_pause_a_rest():
    draft = draft_of("Tabata\n\nROW: Drive hard with your legs. Row for 20 seconds of maximal work. Rest 10 seconds. Do eight sets.\n\n"
                     "SQUATS: Stand tall and sit back. Squat for 20 seconds of maximal work. Rest 10 seconds. Perform eight sets.\n")
    for exercise in draft.exercises:
        assert (exercise.sets, exercise.rounds and exercise.rounds.high) == (None, 8), exercise
        assert [s.kind for s in exercise.steps if s.kind in ("work", "rest", "hold")] == ["work", "rest"], exercise.steps


def test_a_rest_between_sets_given_as_a_range_is_one_length_the_routine_accepts():
    text = import_article("Tennis elbow\n\n1. Wrist curl\n\nCurl your wrist up slowly. Do 3 sets of 10. Rest 2-3 minutes between sets.\n",
                          "elbow.txt")  # fmt: skip
    assert "rest_between_sets: 2 minutes" in text
    assert "lower end of the article's range" in text


def test_a_breath_written_out_for_each_nostril_is_one_pattern_and_its_rounds():
    draft = draft_of(
        "Summary\nAlternate nostril breathing is primarily a balancing form of breath control.\n\nInstructions\n"
        "Sit tall and raise your right hand.\n\nClose the right nostril and inhale through the left nostril for a count of 4.\n\n"
        "Close both nostrils and hold the breath for a count of 4.\n\nExhale through the right nostril for a count of 8.\n\n"
        "Inhale through the right nostril for a count of 4.\n\nClose both nostrils and hold the breath for a count of 4.\n\n"
        "Exhale through the left nostril for a count of 8.\n\nPractice 5 rounds.\n"
    )
    assert draft.title != "Summary"
    [exercise] = draft.exercises
    assert exercise.name == "Alternate nostril breathing"
    assert exercise.breath == (4.0, 4.0, 8.0)
    assert [s.amount.low for s in exercise.steps if s.kind == "breathe"] == [5.0]
    assert not any("balancing form" in s.text for s in exercise.steps)  # the background is no step


# --- batch 6 of issue 25: page layouts the reader now finds its way through ------------------


def test_a_caption_or_the_name_again_between_a_heading_and_its_text_hides_no_heading():
    article = ("Ankle Sprain: Rehab Exercises\n\nHere are some examples of exercises for you to try.\n\nAnkle alphabet\n\n"
               "slide 1 of 3\nslide 1 of 3, Ankle alphabet,\n  1. Sit in a chair with your feet flat on the floor.\n"
               "  2. Slowly trace the letters of the alphabet with your toe.\n\nTowel stretch\n\nTowel stretch\n"
               "  1. Sit with your legs out straight and loop a towel around your foot.\n  2. Hold for 15 to 30 seconds.\n")
    assert names_of(article, "ankle.txt") == ["Ankle alphabet", "Towel stretch"]


def test_lines_typed_one_under_another_head_their_dashed_steps_and_a_dash_between_numbers_is_a_range():
    article = ("Static Lower Body Stretches\nDescription of stretches\nStanding calf stretch\n- Put one foot back and lean on the wall\n"
               "- Hold for 20 – 30 seconds\n- Repeat 2/3 times each leg\nStanding quad stretch\n- Start by standing up straight\n"
               "- Bend one knee and hold your ankle\n- Hold for 20 – 30 seconds\n- Repeat 2/3 times each leg\n")
    draft = draft_of(article, "stretches.txt")
    assert [e.name for e in draft.exercises] == ["Standing calf stretch", "Standing quad stretch"]
    for exercise in draft.exercises:
        assert [(s.amount.low, s.amount.high) for s in exercise.steps if s.kind == "hold"] == [(20, 30)]
        assert (exercise.repeat.low, exercise.repeat.high) == (2, 3)
        assert exercise.sides


def test_titles_ending_in_a_full_stop_head_a_page_only_as_a_series():
    article = ("Leg Stretches\n\nHamstring (back of the upper leg) stretch.\n\nStand upright with your foot on a low stool. "
               "Lean into your straight leg. Hold for 10-30 seconds.\n\nCalf (back of the lower leg) stretch.\n\nStand facing a wall "
               "and lean into your hands. Hold for 10-30 seconds.\n")
    assert names_of(article, "legs.txt") == ["Hamstring (back of the upper leg) stretch", "Calf (back of the lower leg) stretch"]
    single = "Calf Stretch\n\nHelps prevent calf pulls.\n\nStand about a foot from a wall. Lean in. Hold this position for 30 seconds.\n"
    assert names_of(single, "calf.txt") == ["Calf Stretch"]


def test_a_heading_run_straight_into_its_amount_and_bare_labels_inside_an_exercise():
    article = ("Ankle Sprain Guide\n\nAnkle Pumps 3 sets of 20 reps\nStarting Position\n- Sit with your leg extended.\nMovement\n"
               "- Point your toes down, then flex your foot up.\n\nTowel Scrunches 2 sets of 10 reps\nSetup\n"
               "- Place a small towel on the floor.\nMovement\n- Scrunch the towel towards you with your toes.\n")
    draft = draft_of(article, "ankle.txt")
    assert [e.name for e in draft.exercises] == ["Ankle Pumps", "Towel Scrunches"]
    assert [(e.sets.low, e.repeat.low) for e in draft.exercises] == [(3, 20), (2, 10)]


def test_a_list_of_whole_unnamed_exercises_is_each_an_exercise_named_by_its_movement():
    article = ("Stretching Neck and Shoulders\n\n"
               "  • Bring the top of your shoulders toward your ears until you feel some tension. Hold this pose for three to five "
               "seconds. Repeat this stretch two or three times.\n"
               "  • While sitting or standing – without lifting your chin – glide your head straight back. Hold for 20 counts and "
               "repeat five to 10 times.\n"
               "  • Slowly drop your head to the left. Hold and then repeat on the right side.\n"
               "  • Placing your hands behind your head, squeeze your shoulder blades together.\n")
    assert names_of(article, "neck.txt") == ["Bring the top of your shoulders toward your ears", "Glide your head straight back",
                                             "Drop your head to the left", "Squeeze your shoulder blades together"]
    steps = ("Bridge\n\n- Lie on your back with your knees bent.\n- Lift your hips, tighten your tummy and hold for 5 seconds.\n"
             "- Lower your hips slowly to the floor. Repeat 10 times.\n")
    assert names_of(steps, "bridge.txt") == ["Bridge"]  # one exercise's steps say their hold and count once


def test_a_counted_in_and_out_breath_is_the_exercises_pattern_even_with_more_words_of_a_phase_between():
    draft = draft_of("Pursed lip breathing\n\n  1. Breathe in slowly through your nose for 2 counts.\n"
                     "  2. Feel your belly get larger as you breathe in.\n  3. Pucker your lips.\n"
                     "  4. Breathe out slowly through your lips for 4 or more counts.\n\nRepeat these steps until your breathing slows.\n",
                     "pursed.txt")
    [exercise] = draft.exercises
    assert exercise.breath == (2.0, 4.0)
    assert draft.breath == (2.0, 4.0)


def test_a_block_of_links_to_other_pages_after_the_article_is_never_an_exercise():
    article = ("Knee exercises\n\nHamstring stretch\n\nPut one leg on a bed and lean forward. Hold the stretch for 10 seconds.\n\n"
               "Calf stretch\n\nLean on a wall with one leg back. Hold for 20 seconds.\n\nRelated articles\n\n"
               "Best stretches for runners\n\nWhy your back hurts\n\nShare this page\n")
    draft = draft_of(article, "knee.txt")
    assert [e.name for e in draft.exercises] == ["Hamstring stretch", "Calf stretch"]
    assert not any("runners" in text for text in spoken_texts(draft))


def test_a_run_in_name_whose_sentence_describes_the_move_heads_it():
    article = ("Hip exercises\n\nThe following exercises can be done lying down.\n\n"
               "Ankle pumps – This exercise is important to help with your circulation.\n"
               "Bend and straighten your ankles briskly. Repeat 20 times.\n\n"
               "Static quads – This exercise strengthens your thigh.\n"
               "Push the backs of your knees down into the bed. Hold for five seconds. Repeat 10 times.\n")
    assert names_of(article, "hip.txt") == ["Ankle pumps", "Static quads"]


def test_more_wordings_of_counts_and_a_circuits_timing():
    assert find_reps("Do about 10 of these at first")[2].low == 10
    assert (find_reps("Repeat 2/3 times each leg")[2].low, find_reps("Repeat 2/3 times each leg")[2].high) == (2, 3)
    assert find_duration("Breathe out for 4 or more counts")[2].low == 4
    work, rest, rounds = find_circuit("Work for 40 seconds, rest for 20 seconds. Go through the circuit three times.")
    assert (work.low, rest.low, rounds.low) == (40, 20, 3)
    work, rest, rounds = find_circuit("45 seconds per exercise, 15 seconds rest. Repeat the whole workout twice.")
    assert (work.low, rest.low, rounds.low) == (45, 15, 2)


def test_a_note_under_a_table_of_exercises_speaks_for_every_row_not_the_last():
    article = ("# Leg day\n\n| Exercise | Sets | Reps |\n|---|---|---|\n| Squats | 3 | 10 |\n| Lunges | 3 | 12 per leg |\n"
               "| Calf raises | 2 | 15-20 |\n\nRest 90 seconds between sets.\n")
    draft = draft_of(article, "legs.md")
    assert [e.name for e in draft.exercises] == ["Squats", "Lunges", "Calf raises"]
    assert [e.rest_between_sets.low if e.rest_between_sets else None for e in draft.exercises] == [90, 90, 90]


def test_a_tables_rest_column_is_the_rest_between_sets_and_its_rows_meet_their_instructions_below():
    article = ("# Lower body workout\n\n| Exercise | Sets | Reps | Rest |\n|---|---|---|---|\n| Squat | 3 | 12 | 60 seconds |\n"
               "| Lunge | 3 | 10 each leg | 60 seconds |\n\n## Squat\nStand with feet apart. Sit back and down, then stand up.\n\n"
               "## Lunge\nStep forward and lower your back knee. Push back to standing.\n")
    draft = draft_of(article, "legs.md")
    assert [e.name for e in draft.exercises] == ["Squat", "Lunge"]
    for exercise in draft.exercises:
        assert (exercise.sets.low, exercise.rest_between_sets.low) == (3, 60)
        assert not [s for s in exercise.steps if s.kind == "hold"]
    assert draft.exercises[1].sides


@pytest.mark.parametrize(("article", "pattern", "cycles"), [
    ("Relaxing breath\n\nSit comfortably.\n\nInhale (4 seconds) → Hold (7 seconds) → Exhale (8 seconds)\n\nRepeat 4 times.\n",
     (4.0, 7.0, 8.0), 4),
    ("Box breathing\n\nBreathe in for 4, hold for 4, breathe out for 4, hold for 4. Do 5 rounds.\n", (4.0, 4.0, 4.0, 4.0), 5),
    ("Calm breathing\n\nBreathe in for a count of 5 and out for a count of 5. Continue for 10 breaths.\n", (5.0, 5.0), 10),
    # a phase said by its direction alone: docs/import.md's own example, and a pace with no verb at all
    ("Calm breathing\n\n1. Breathing\nBreathe in for four, hold for seven, out for eight. Repeat four times.\n", (4.0, 7.0, 8.0), 4),
    ("Calm breathing\n\n1. Breathing\nIn for four, out for six. Do five cycles.\n", (4.0, 6.0), 5),
], ids=["arrows", "counts-without-a-unit", "one-sentence-pace", "in-hold-out-by-direction", "in-out-by-direction"])
def test_a_counted_breath_however_it_is_written_is_a_pattern_and_its_cycles(article, pattern, cycles):
    [exercise] = draft_of(article, "breath.txt").exercises
    assert exercise.breath == pattern
    assert [s.amount.low for s in exercise.steps if s.kind == "breathe"] == [cycles]
    assert exercise.repeat is None


def test_a_pages_each_stretch_on_both_sides_governs_a_stretch_of_one_limb_and_a_roll_for_a_time_is_worked():
    draft = draft_of("Hamstring stretches\n\nDo each stretch on both sides, holding for 30 seconds.\n\nStanding hamstring stretch\n"
                     "Place your heel on a step and lean forward.\n\nChin tuck\nPull your chin straight back.\n\n"
                     "Calf roll\nRoll your calf slowly on the roller for 1 minute.\n", "stretches.txt")
    assert [bool(e.sides) for e in draft.exercises] == [True, False, True]
    assert [s.kind for s in draft.exercises[2].steps if s.kind != "say"] == ["work"]


def test_a_page_copied_from_its_first_exercise_on_keeps_that_exercise_and_a_title_over_an_introduction_stays_the_title():
    moves = ("Hamstring stretch\n\nPlace one leg on a table. Lean forward until you feel a stretch. Hold for 10 seconds.\n\n"
             "Calf stretch\n\nLean on a wall with one leg back. Hold for 20 seconds.\n\n"
             "Quad stretch\n\nHold your ankle behind you. Hold for 20 seconds.\n")
    assert names_of(moves, "legs.txt") == ["Hamstring stretch", "Calf stretch", "Quad stretch"]
    titled = ("Back pain\n\nThe following exercises should be started gently. Try each one 5-10 times.\n\n" + moves)
    draft = draft_of(titled, "back.txt")
    assert draft.title == "Back pain"
    assert [e.name for e in draft.exercises] == ["Hamstring stretch", "Calf stretch", "Quad stretch"]


@pytest.mark.parametrize(("article", "names"), [
    ("Falls prevention\n\nHeel raises\nStep one: Hold the back of a chair.\nStep two: Rise up on your toes. Hold for 3 seconds.\n"
     "Step three: Lower down. Repeat 10 times.\n\nToe raises\nStep one: Hold the chair.\nStep two: Lift your toes. Repeat 10 times.\n",
     ["Heel raises", "Toe raises"]),
    ("Hip\n\nI. Bridge\nLie on your back and lift your hips. Hold for 5 seconds.\n\nII. Clamshell\nLie on your side and open your knees. "
     "Repeat 10 times.\n\nIII. Side plank\nTurn onto one side and lift your hips. Hold for 10 seconds.\n",
     ["Bridge", "Clamshell", "Side plank"]),
    ("Desk stretches\n\n✅ Neck roll – Roll your head slowly. Hold for 5 seconds. Repeat 10 times.\n\n"
     "✅ Wrist stretch – Pull your fingers back. Hold for 5 seconds. Repeat 10 times.\n", ["Neck roll", "Wrist stretch"]),
], ids=["step-words", "roman-numerals", "symbol-bullets"])
def test_more_ways_of_numbering_steps_and_marking_exercises(article, names):
    assert names_of(article, "page.txt") == names


def test_figures_written_as_fractions_or_glossed_in_brackets_are_read():
    draft = draft_of("Stretches\n\nWall push\nLean into the wall. Hold for 1½ minutes.\n\nCalf raise\nRise onto your toes. "
                     "Hold for ½ minute. Repeat ten (10) times.\n", "stretches.txt")
    assert [[s.amount.low for s in e.steps if s.kind == "hold"] for e in draft.exercises] == [[90], [30]]
    assert draft.exercises[1].repeat.low == 10


def test_two_title_lines_over_each_move_name_it_by_the_first_and_one_label_over_the_first_move_does_not():
    poses = ("Yoga for beginners\n\nDownward Dog\nAdho Mukha Svanasana\nFrom all fours, lift your hips up and back. Hold for 5 breaths.\n\n"
             "Child's Pose\nBalasana\nKneel and sit back on your heels. Hold for 10 breaths.\n\n"
             "Cobra\nBhujangasana\nLie on your belly and press your chest up. Hold for 3 breaths.\n")
    assert names_of(poses, "yoga.txt") == ["Downward Dog", "Child's Pose", "Cobra"]
    labelled = ("Static stretches\nDescription of stretches\nStanding calf stretch\n- Put one foot back and lean on the wall\n"
                "- Hold for 20 seconds\nStanding quad stretch\n- Bend one knee and hold your ankle\n- Hold for 20 seconds\n")
    assert names_of(labelled, "stretches.txt") == ["Standing calf stretch", "Standing quad stretch"]


def test_a_name_then_its_amount_after_a_multiplication_sign():
    draft = draft_of("Core workout\n\nPlank x 30 seconds\nHold your body in a straight line from head to heels.\n\n"
                     "Dead bug x 10\nLie on your back and lower your opposite arm and leg.\n", "core.txt")
    assert [e.name for e in draft.exercises] == ["Plank", "Dead bug"]
    assert [s.amount.low for s in draft.exercises[0].steps if s.kind == "hold"] == [30]
    assert draft.exercises[1].repeat.low == 10


def test_numbering_started_again_under_each_part_of_a_programme_keeps_every_part():
    article = ("Knee rehab programme\n\nPhase 1: weeks 0-2\n\n1. Quad sets\nTighten your thigh and press your knee down. Hold for 5 "
               "seconds. Repeat 10 times.\n\n2. Heel slides\nSlide your heel towards your bottom and back. Repeat 10 times.\n\n"
               "Phase 2: weeks 2-6\n\n1. Mini squats\nBend your knees slightly and stand up again. Repeat 10 times.\n\n2. Step ups\n"
               "Step up onto a low step and down again. Repeat 10 times.\n\n3. Bridges\nLie on your back and lift your hips. "
               "Repeat 10 times.\n")
    assert names_of(article, "knee.txt") == ["Quad sets", "Heel slides", "Mini squats", "Step ups", "Bridges"]


def test_a_table_with_a_column_of_instructions_beside_its_amounts_is_one_exercise_a_row():
    draft = draft_of("# Desk stretches\n\n| Stretch | How to do it | Hold |\n|---|---|---|\n"
                     "| Neck tilt | Tilt your ear to your shoulder. | 20 seconds |\n"
                     "| Seated twist | Turn your chest to one side, then the other. | 15 seconds |\n", "desk.md")
    assert [e.name for e in draft.exercises] == ["Neck tilt", "Seated twist"]
    assert [[s.amount.low for s in e.steps if s.kind == "hold"] for e in draft.exercises] == [[20], [15]]
    assert any("Tilt your ear" in s.text for s in draft.exercises[0].steps)
