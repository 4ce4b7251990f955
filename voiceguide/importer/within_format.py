"""A Draft made writable as a routine `voiceguide check` accepts (issue 25, point 3).

Pages hold what the routine format cannot take: a table row of bars ('|---|---|'), a template's
'{0}', a paragraph of 6,600 characters, a rest between sets on a page that never counts the sets.
Each is put right here, in one place, before the routine is written: what cannot be spoken is
left out, a long text is cut at its sentences, and a value the format cannot take becomes a
comment beside the exercise (in its `unspoken` lines) saying what the page said.
"""

from __future__ import annotations

import re
from dataclasses import replace

from voiceguide.importer.layout import sentences
from voiceguide.importer.reading import Draft, DraftExercise, DraftStep
from voiceguide.limits import MAX_SPOKEN_CHARS

_BRACES = re.compile(r"\{([^{}]*)\}")


def within_format(draft: Draft) -> Draft:
    exercises = tuple(_exercise(e, k) for k, e in enumerate(draft.exercises, start=1))
    return replace(draft, title=_one_text(draft.title) or "Imported routine", description=_one_text(draft.description),
                   exercises=exercises)


def _speakable(text: str | None, keep_side: bool = False) -> str | None:
    """The text on one line, braces other than a usable {side} taken off; None when no word is left."""
    if text is None:
        return None
    text = _BRACES.sub(lambda m: m.group(0) if keep_side and m.group(1) == "side" else m.group(1), " ".join(text.split()))
    text = re.sub(r"\s*\|\s*", ", ", text).strip(" ,")  # a table's cell bars: '| Squat | 3 | 10 |'
    return text if any(c.isalnum() for c in text) else None


def _one_text(text: str | None) -> str | None:
    """A text said whole (title, description, about): cut after its last sentence that fits."""
    text = _speakable(text)
    if text is None or len(text) <= MAX_SPOKEN_CHARS:
        return text
    return _pieces(text)[0]


def _pieces(text: str) -> list[str]:
    """The text in pieces of whole sentences, each short enough to speak as one step."""
    out: list[str] = []
    for sentence in sentences(text):
        while len(sentence) > MAX_SPOKEN_CHARS:  # one sentence too long to say: cut at a word
            cut = sentence.rfind(" ", 0, MAX_SPOKEN_CHARS)
            cut = cut if cut > 0 else MAX_SPOKEN_CHARS
            out.append(sentence[:cut])
            sentence = sentence[cut:].strip()
        if out and len(out[-1]) + 1 + len(sentence) <= MAX_SPOKEN_CHARS:
            out[-1] = f"{out[-1]} {sentence}"
        elif sentence:
            out.append(sentence)
    return out


def _steps(steps: tuple[DraftStep, ...], sides: bool) -> list[DraftStep]:
    out: list[DraftStep] = []
    for step in steps:
        text = _speakable(step.text, keep_side=sides) or ""
        if step.kind in ("hold", "work", "rest", "breathe"):
            out.append(replace(step, text=_one_text(text) or ""))
        elif text:
            out += [replace(step, text=piece) for piece in _pieces(text)]
    return out


def _exercise(exercise: DraftExercise, number: int) -> DraftExercise:
    sides = bool(exercise.sides)
    steps = _steps(exercise.steps, sides)
    name = _one_text(exercise.name) or f"Exercise {number}"
    unspoken = list(exercise.unspoken)
    if not steps:
        steps = [DraftStep("say", f"{name}.", comment="the article gives no instructions for this exercise")]
    rest_between_sets = exercise.rest_between_sets
    if rest_between_sets is not None and exercise.sets is None:  # the format times a rest between counted sets only
        unspoken.append(f'rest between sets: "{rest_between_sets.words()}", but the article does not say how many sets')
        rest_between_sets = None
    return replace(
        exercise, name=name, steps=tuple(steps), about=_one_text(exercise.about),
        setup=tuple(filter(None, (_one_text(line) for line in exercise.setup))), unspoken=tuple(unspoken),
        rest_between_sets=rest_between_sets,
    )
