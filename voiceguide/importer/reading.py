"""An exercise article -> a typed `Draft` routine: exercises, steps, sides, repetitions, holds.

Sentences are cut into clauses; a clause that names an amount becomes a hold, one that names a
breath phase becomes an inhale/exhale step, one that only says "repeat on the other side" or
"Repeat 7-10 times" shapes the whole exercise and is consumed; everything else is spoken as
written. Each value keeps the article's words it came from (voiceguide.importer.amounts.Amount).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from voiceguide.errors import RoutineError
from voiceguide.importer.amounts import Amount, find_duration, find_reps
from voiceguide.importer.layout import (
    IMPERATIVES,
    Block,
    Section,
    decode,
    parse_article,
    sentences,
)
from voiceguide.limits import BREATH_PHASE_LIMITS

DEFAULT_SIDES = ("right", "left")  # when the article says "other side" but never which comes first
DEFAULT_BREATH = (4.0, 6.0)  # the player's own pace, for a phase the article does not count
RETURN_STEP = "Slowly release, and come back to where you started."


@dataclass(frozen=True)
class DraftStep:
    kind: Literal["say", "hold", "inhale", "exhale"]
    text: str  # what is said; for a hold, its note ("" = none)
    amount: Amount | None = None  # a hold's length, or the count of a breath phase
    comment: str | None = None  # why the step is there when the article did not write it


@dataclass(frozen=True)
class DraftExercise:
    name: str
    steps: tuple[DraftStep, ...]
    about: str | None = None
    setup: tuple[str, ...] = ()
    sides: tuple[str, ...] = ()
    sides_from: str | None = None  # the article's words that made it a two-sided exercise
    repeat: Amount | None = None
    unspoken: tuple[str, ...] = ()  # layout inside the section (captions, labels), kept as comments


@dataclass(frozen=True)
class Draft:
    title: str
    exercises: tuple[DraftExercise, ...]
    description: str | None = None
    breath: tuple[float, float] | None = None  # a pace set by counted breaths ("in for four")
    breath_from: str | None = None
    unspoken: tuple[str, ...] = ()  # the article's background before the exercises
    source: str = "<article>"


def read_article(data: bytes | str, source: str = "<article>") -> Draft:
    """Read an exercise article into a Draft routine; RoutineError if it is not one."""
    article = parse_article(decode(data, source))
    if not article.sections:
        raise RoutineError(source, None, "no numbered exercises found (expected headings like '1. Cat-cow stretch')")
    exercises, outro = [], []
    for index, section in enumerate(article.sections):
        exercise, tail = _exercise(section, last=index == len(article.sections) - 1)
        exercises.append(exercise)
        outro += tail
    description, unspoken = _introduction(article.preamble)
    if outro:
        description = " ".join(filter(None, [description, *outro]))
    breath, breath_from = _breath_pace(exercises)
    title = article.title or Path(source).stem.replace("-", " ").replace("_", " ").capitalize() or "Imported routine"
    return Draft(title, tuple(exercises), description, breath, breath_from, unspoken, source)


def _introduction(preamble: tuple[Block, ...]) -> tuple[str | None, tuple[str, ...]]:
    """The first paragraph is the spoken description; the rest of the background stays in comments."""
    description = None
    unspoken = []
    for block in preamble:
        if description is None and block.kind == "text" and not block.text.endswith(("?", ":")):
            description = block.text
        else:
            unspoken.append(block.text)
    return description, tuple(unspoken)


# Words that only say "now the other side" or "do it again": a clause of nothing else is consumed.
_SIDE_WORDS = frozenset(
    ["repeat", "repeating", "do", "doing", "perform", "switch", "switching", "swap", "change", "changing", "then", "now", "and", "the", "same", "it", "this", "that", "again", "everything", "exercise", "stretch", "movement", "move", "pose", "sequence", "steps", "motion", "on", "with", "to", "for", "using", "your", "opposite", "other", "side", "sides", "leg", "legs", "arm", "arms", "foot", "feet", "hand", "hands", "knee", "knees", "direction", "directions", "way", "also", "afterwards", "after", "once", "done", "finished", "when", "you", "you're", "you've", "are", "have", "all", "of", "above", "both", "each", "before", "start", "over", "whole", "entire", "process", "time", "cycle", "more", "in", "a", "row", "total"]
)
_HOLD_WORDS = frozenset(
    ["hold", "holding", "held", "stay", "staying", "remain", "remaining", "in", "this", "that", "the", "position", "pose", "stretch", "posture", "it", "there", "here", "for", "keep", "keeping", "yourself", "at", "top"]
)
_SIDE_ADVERB = re.compile(
    r"\s*\b(?:(?:on|for|with|to|in|using)\s+)?(?:each|both|either)\s+(?:side|leg|arm|foot|hand|knee|hip|shoulder|direction)s?\b"
    r"|\s*\bper\s+(?:side|leg|arm)\b",
    re.I,
)
_SIDE_SWITCH = re.compile(
    r"\b(?:the|your)\s+(?:opposite|other)\s+(?:side|leg|arm|foot|hand|knee|hip|shoulder|direction|way)\b"
    r"|\b(?:switch|swap|change)\s+(?:the\s+)?(?:sides|legs|arms|feet|hands|direction)\b",
    re.I,
)
_SEPARATOR = re.compile(r"(,\s*(?:and then|and|then|or|but)?\s*|;\s*|\s+(?:and then|then|and)\s+)", re.I)
_INHALE = re.compile(r"\b(?:inhale|inhaling|breathe in|breathing in|breath in|in-breath)\b", re.I)
_EXHALE = re.compile(r"\b(?:exhale|exhaling|breathe out|breathing out|breath out|out-breath)\b", re.I)
_BOTH_PHASES = re.compile(r"\b(?:breath(?:e|ing)? in and out|inhale and exhale|inhaling and exhaling)\b", re.I)
_SIDE_WORD = re.compile(r"(?<!\ball )(?<!\bjust )\b(left|right)\b(?!\s+(?:away|now|angle|there|here|after|before)\b)", re.I)
_ONE_LIMB = re.compile(
    r"\b(cross|place|put|bring|lift|raise|extend|bend|step|swing|hook)\s+one\s+(knee|leg|foot|arm|hand|ankle|elbow)\b", re.I
)
_DIRECTIONS = (("clockwise", "anticlockwise"), ("clockwise", "counterclockwise"), ("clockwise", "counter-clockwise"),
               ("forward", "backward"), ("forwards", "backwards"))
_ADVERBS = frozenset(["slowly", "gently", "now", "then", "next", "first", "finally", "carefully", "simply", "just", "also", "again", "lastly", "softly", "and"])
_SUBORDINATE = re.compile(r"^(?:if|when|as|while|once|after|before|with|keeping|using|to|from|in|on)\b[^,]*,\s*", re.I)
_POSITION = re.compile(
    r"\b(?:start|begin)\b|\bstarting position\b|\b(?:lie|lying)\s+(?:down|on|flat|face)|\bon all fours\b"
    r"|\b(?:sit|sitting)\s+(?:tall|up straight|comfortably|upright|on|in|cross-legged|with)\b"
    r"|\b(?:stand|standing)\s+(?:tall|up straight|upright|with|in|on|behind|facing|at)\b|\bkneel"
    r"|\b(?:come|get)\s+(?:on|onto|into|to)\s+(?:all fours|your|a|the)\b",
    re.I,
)
_ADVICE = re.compile(
    r"^(?:if|make sure|be sure|keep|avoid|don't|do not|never|stop|you can|you may|you should|try to|remember"
    r"|note|tip|caution|be careful|it's okay|it is okay)\b",
    re.I,
)
_MOVEMENTS = frozenset(
    ["lift", "raise", "lower", "bring", "rotate", "turn", "roll", "tilt", "arch", "round", "push", "press", "pull", "reach", "bend", "extend", "straighten", "twist", "drop", "nod", "shrug", "circle", "swing", "kick", "squeeze", "tense", "tighten", "inhale", "exhale", "breathe", "hold"]
)
_BREATH_MANNER = re.compile(r"\b(?:deep|slow|full|long|calm|steady|easy|relaxed|big|gentle|complete)\s+breaths?\b", re.I)
_NOTE_START = frozenset(["feel", "breathe", "relax", "keep", "let", "allow", "focus", "notice", "try", "don't", "never", "avoid"])
_OUTRO = re.compile(
    r"\b(?:these|those|all (?:of )?(?:these|the|\w+)|this|the whole)\s+(?:\w+\s+)?"
    r"(?:exercises|stretches|poses|moves|movements|routine|sequence|series|workout|session)\b",
    re.I,
)


def _words(text: str) -> list[str]:
    """Lower-case words and figures: a figure is never one of the filler words below."""
    return re.findall(r"[a-z']+|\d+", text.lower())


def _first_word(sentence: str) -> str:
    """The sentence's main verb position: past 'Slowly', 'When you exhale,' and the like."""
    rest = _SUBORDINATE.sub("", sentence.strip(), count=1)
    for word in _words(rest):
        if word not in _ADVERBS and not word.endswith("ly"):
            return word
    return ""


def _is_instruction(sentence: str) -> bool:
    first = _first_word(sentence)
    return (
        first in IMPERATIVES or first in ("don't", "never") or find_duration(sentence) is not None
        or find_reps(sentence) is not None or bool(_SIDE_SWITCH.search(sentence) or _SIDE_ADVERB.search(sentence))
    )


def _clauses(sentence: str) -> list[tuple[str, str]]:
    """'A, then B and C' -> [('', 'A'), (', then ', 'B'), (' and ', 'C')].

    A bare 'and'/'then' starts a clause only before an instruction ("... and raise your hips"),
    not inside a phrase ("your abdominals and glutes", "in and out").
    """
    parts = _SEPARATOR.split(sentence)
    out = [("", parts[0])]
    for i in range(1, len(parts), 2):
        sep, clause = parts[i], parts[i + 1]
        first = (_words(clause) or [""])[0]
        if "," not in sep and ";" not in sep and first not in IMPERATIVES and first not in _ADVERBS:
            out[-1] = (out[-1][0], out[-1][1] + sep + clause)
        else:
            out.append((sep, clause))
    return out


def _join(clauses: list[tuple[str, str]]) -> str:
    """Clauses back into text, without the separator before the first."""
    if not clauses:
        return ""
    return (clauses[0][1] + "".join(sep + clause for sep, clause in clauses[1:])).strip()


def _tidy(text: str, end: str = ".") -> str:
    """A fragment as a spoken sentence: no dangling 'and', a capital, closing punctuation."""
    text = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(text.split())).strip(" ,;:")
    text = re.sub(r"\s+(?:and|or|but|then|so)$", "", text, flags=re.I).strip(" ,;:")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + end


def _only(words: frozenset[str], text: str) -> bool:
    return all(w in words for w in _words(text))


@dataclass
class _Shape:
    """What a section says about the whole exercise: sides and repetitions."""

    repeat: Amount | None = None
    side_phrases: tuple[str, ...] = ()
    directional: bool = False


def _strip_shape(sentence: str, shape: _Shape) -> str:
    """Take repetition and side phrases out of a sentence, recording them in `shape`."""
    kept: list[tuple[str, str]] = []
    changed_any = False
    for sep, clause in _clauses(sentence):
        changed = False
        found = find_reps(clause)
        if found and shape.repeat is None:
            start, end, amount = found
            shape.repeat = amount
            clause, changed = clause[:start] + clause[end:], True
        for match in list(_SIDE_ADVERB.finditer(clause))[::-1]:
            shape.side_phrases += (match.group(0).strip(" .,;!?"),)
            shape.directional |= "direction" in match.group(0).lower()
            clause, changed = clause[: match.start()] + clause[match.end():], True
        if _SIDE_SWITCH.search(clause) and _only(_SIDE_WORDS, clause):
            shape.side_phrases += (clause.strip(" .,;!?"),)
            shape.directional |= "direction" in clause.lower()
            changed_any = True
            continue
        if changed and _only(_SIDE_WORDS, clause):
            changed_any = True
            continue  # "Repeat 7-10 times" has nothing left to say
        kept.append((sep, clause))
    if changed_any:  # "Step down, switch legs and repeat": the bare "repeat" goes with the switch
        kept = [(sep, clause) for sep, clause in kept if not _only(_SIDE_WORDS, clause)]
    return _tidy(_join(kept), sentence[-1] if sentence.endswith(("!", "?")) else ".") if kept else ""


def _sides(texts: list[str], shape: _Shape) -> tuple[tuple[str, ...], str | None]:
    """The side names, and a comment on where they came from."""
    if not shape.side_phrases:
        return (), None
    phrases = "; ".join(dict.fromkeys(shape.side_phrases))
    joined = " ".join(texts).lower()
    if shape.directional:
        def named(word: str) -> bool:
            return re.search(rf"(?<![-\w]){word}\b", joined) is not None

        both = [pair for pair in _DIRECTIONS if named(pair[0]) and named(pair[1])]
        if both:
            return both[0], f'from "{phrases}"'
        one = [pair for pair in _DIRECTIONS if named(pair[0])]
        if one:
            return one[0], f'from "{phrases}"'
        if re.search(r"\b(?:circle|circles|circling|rotate|rotations|roll|rolls|rolling)\b", joined):
            return ("clockwise", "anticlockwise"), f'from "{phrases}"; the article names no directions'
    match = _SIDE_WORD.search(" ".join(texts))
    if match:
        first = match.group(1).lower()
        return (first, "right" if first == "left" else "left"), f'from "{phrases}"'
    return DEFAULT_SIDES, f'from "{phrases}"; the article does not say which side comes first'


def _with_side(sentence: str, sides: tuple[str, ...]) -> str:
    """Write the first side's word as {side}, and the second side's words as 'the other side'.

    "Bend your right knee towards your left shoulder" -> "Bend your {side} knee towards your other shoulder".
    """
    first, second = sides
    sentence = _ONE_LIMB.sub(lambda m: f"{m.group(1)} your {{side}} {m.group(2)}", sentence)
    sentence = re.sub(rf"\b(to|towards|toward) the {second}\b(?! side)", r"\1 the other side", sentence, flags=re.I)
    sentence = re.sub(rf"\b(your|the) {second}\b", r"\1 other", sentence, flags=re.I)
    word = _SIDE_WORD if first in ("left", "right") else re.compile(rf"(?<![-\w])({first}|{second})\b", re.I)
    return word.sub(lambda m: "{side}" if m.group(1).lower() == first else "the other way", sentence)


def _steps_of(sentence: str) -> list[DraftStep]:
    """One instruction sentence -> say / hold / inhale / exhale steps, in the order they happen."""
    phases = _BOTH_PHASES.search(sentence) is None
    steps: list[DraftStep] = []
    pending: list[tuple[str, str]] = []  # plain clauses not yet said
    open_kind: str | None = None  # the step later clauses join: a breath phase or a hold's note
    open_parts: list[tuple[str, str]] = []
    hold_amount: Amount | None = None
    breath_amount: Amount | None = None

    def close() -> None:
        nonlocal open_kind, open_parts, hold_amount, breath_amount
        if open_kind == "hold":
            steps.append(DraftStep("hold", _tidy(_join(open_parts)), hold_amount))
        elif open_kind in ("inhale", "exhale"):
            steps.append(DraftStep(open_kind, _tidy(_join(open_parts)), breath_amount))  # type: ignore[arg-type]
        open_kind, open_parts, hold_amount, breath_amount = None, [], None, None

    def flush_pending() -> None:
        if pending:
            steps.append(DraftStep("say", _tidy(_join(pending))))
            pending.clear()

    for sep, clause in _clauses(sentence):
        phase = None
        if phases:
            phase = "inhale" if _INHALE.search(clause) else "exhale" if _EXHALE.search(clause) else None
        duration = find_duration(clause)
        if phase and (duration is None or (duration[2].unit == "seconds" and duration[2].high <= BREATH_PHASE_LIMITS[1])):
            close()
            open_kind, open_parts = phase, [*pending, (sep, clause)]
            breath_amount = duration[2] if duration else None
            pending.clear()
        elif duration is not None:
            close()
            flush_pending()
            start, end, amount = duration
            rest = clause[:start] + clause[end:]
            open_kind, hold_amount = "hold", amount
            open_parts = [] if _only(_HOLD_WORDS, rest) else [("", rest)]
            manner = _BREATH_MANNER.search(amount.phrase)
            if manner and not open_parts:  # "Stay here for 3-5 deep breaths" -> note "Deep breaths."
                open_parts = [("", manner.group(0))]
        elif open_kind == "hold" and not (_first_word(clause) in _NOTE_START or _first_word(clause).endswith("ing")):
            close()
            pending.append((sep, clause))
        elif open_kind is not None:
            open_parts.append((sep, clause))
        else:
            pending.append((sep, clause))
    close()
    flush_pending()
    return [s for s in steps if s.text or s.kind == "hold"]


@dataclass(frozen=True)
class _Line:
    text: str
    block: int
    marked: bool  # inside a "Step N." / numbered / bulleted block


def _exercise(section: Section, last: bool) -> tuple[DraftExercise, list[str]]:
    unspoken: list[str] = []
    lines: list[_Line] = []
    about_mode = False
    for index, block in enumerate(section.blocks):
        if block.kind in ("caption", "label"):
            unspoken.append(f"{block.kind}: {block.text}")
            about_mode = block.kind == "label" and bool(re.match(r"(?:benefits?|why|what it)", block.text, re.I))
            continue
        for sentence in sentences(block.text):
            lines.append(_Line(sentence, index, block.kind == "step" and not about_mode))
    outro: list[str] = []
    while last and lines and _OUTRO.search(lines[-1].text) and not _is_instruction(lines[-1].text):
        outro.insert(0, lines.pop().text)
    about: list[str] = []
    while lines and not lines[0].marked and not _is_instruction(lines[0].text):
        about.append(lines.pop(0).text)
    if not lines:  # a section of description only: say it rather than lose it
        lines, about = [_Line(t, 0, False) for t in about], []

    shape = _Shape()
    stripped = [(_strip_shape(line.text, shape), line) for line in lines]
    stripped = [(text, line) for text, line in stripped if text]
    sides, sides_from = _sides([t for t, _ in stripped], shape)
    if sides:
        stripped = [(_with_side(text, sides), line) for text, line in stripped]

    steps: list[tuple[DraftStep, _Line]] = [(step, line) for text, line in stripped for step in _steps_of(text)]
    setup, steps = _setup(steps)
    if shape.repeat is not None and shape.repeat.high > 1:
        steps, moved = _trailing_advice(steps)
        setup += moved
    final = [step for step, _ in steps]
    if shape.repeat is not None and shape.repeat.high > 1 and final and final[-1].kind == "hold":
        final.append(DraftStep("say", RETURN_STEP, comment="added: the article does not say how to come out of the hold"))
    if not final:
        final = [DraftStep("say", f"{section.name}.", comment="the article gives no instructions for this exercise")]
    exercise = DraftExercise(
        name=section.name, steps=tuple(final), about=" ".join(about) or None, setup=tuple(setup), sides=sides,
        sides_from=sides_from, repeat=shape.repeat, unspoken=tuple(unspoken),
    )
    return exercise, outro


def _setup(steps: list[tuple[DraftStep, _Line]]) -> tuple[list[str], list[tuple[DraftStep, _Line]]]:
    """Leading starting-position and advice sentences are said once, before sides and repetitions."""
    if not steps or steps[0][0].kind != "say" or not _POSITION.search(steps[0][0].text):
        return [], steps
    setup: list[str] = []
    first_block = steps[0][1]
    taken = 0
    for step, line in steps:
        if step.kind != "say":
            break
        if "{side}" in step.text:
            clauses = _clauses(step.text)
            cut = next(i for i, (_, c) in enumerate(clauses) if "{side}" in c)
            if cut and _POSITION.search(_join(clauses[:cut])):
                setup.append(_tidy(_join(clauses[:cut])))
                steps = steps[:taken] + [(DraftStep("say", _tidy(_join(clauses[cut:]))), line)] + steps[taken + 1:]
            break
        same_block = line.marked and line.block == first_block.block and first_block.marked
        if taken == 0 or _ADVICE.match(step.text) or _POSITION.search(step.text) or (
            same_block and _first_word(step.text) not in _MOVEMENTS
        ):
            setup.append(step.text)
            taken += 1
        else:
            break
    rest = steps[taken:]
    if not rest:  # keep at least one step
        setup.pop()
        rest = steps[taken - 1:]
    return setup, rest


def _trailing_advice(steps: list[tuple[DraftStep, _Line]]) -> tuple[list[tuple[DraftStep, _Line]], list[str]]:
    """Advice after the last movement of a repeated exercise is said once, before it starts."""
    moved: list[str] = []
    while len(steps) > 1 and steps[-1][0].kind == "say" and _ADVICE.match(steps[-1][0].text):
        moved.insert(0, steps.pop()[0].text)
    return steps, moved


def _breath_pace(exercises: list[DraftExercise]) -> tuple[tuple[float, float] | None, str | None]:
    """Counted breaths ("breathe in for a count of four") set the routine's pace when they agree."""
    counted = {"inhale": set(), "exhale": set()}
    phrases = []
    for exercise in exercises:
        for step in exercise.steps:
            if step.kind in counted and step.amount is not None:
                counted[step.kind].add(step.amount.low)
                phrases.append(step.amount.words())
    if not phrases or any(len(values) > 1 for values in counted.values()):
        return None, None
    inhale = next(iter(counted["inhale"]), DEFAULT_BREATH[0])
    exhale = next(iter(counted["exhale"]), DEFAULT_BREATH[1])
    low, high = BREATH_PHASE_LIMITS
    if not (low <= inhale <= high and low <= exhale <= high):
        return None, None
    return (inhale, exhale), "from " + ", ".join(f'"{p}"' for p in dict.fromkeys(phrases))
