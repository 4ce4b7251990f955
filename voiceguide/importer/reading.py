"""An exercise article -> a typed `Draft` routine: exercises, steps, sides, repetitions, holds.

Sentences are cut into clauses; a clause that names an amount becomes a hold, one that names a
breath phase becomes an inhale/exhale step, one that only says "repeat on the other side" or
"Repeat 7-10 times" shapes the whole exercise and is consumed; everything else is spoken as
written. Each value keeps the article's words it came from (voiceguide.importer.amounts.Amount).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from voiceguide.errors import RoutineError
from voiceguide.importer.amounts import (
    NUM,
    NUMBER_WORDS,
    Amount,
    find_another_set,
    find_circuit,
    find_duration,
    find_reps,
    find_rest_between_sets,
    find_sets,
    number,
)
from voiceguide.importer.layout import (
    IMPERATIVES,
    Block,
    Section,
    decode,
    is_furniture,
    parse_article,
    sentences,
)
from voiceguide.limits import BREATH_PHASE_LIMITS

DEFAULT_SIDES = ("right", "left")  # when the article says "other side" but never which comes first
DEFAULT_BREATH = (4.0, 6.0)  # the player's own pace, for a phase the article does not count
RETURN_STEP = "Slowly release, and come back to where you started."


@dataclass(frozen=True)
class DraftStep:
    kind: Literal["say", "hold", "inhale", "exhale", "breathe", "work", "rest"]
    text: str  # what is said; for a hold, its note ("" = none)
    amount: Amount | None = None  # a hold's length, the count of a breath phase, or breathe's cycles
    comment: str | None = None  # why the step is there when the article did not write it


@dataclass(frozen=True)
class DraftExercise:
    name: str
    steps: tuple[DraftStep, ...]
    about: str | None = None
    setup: tuple[str, ...] = ()
    sides: tuple[str, ...] = ()
    sides_from: str | None = None  # the article's words that made it a two-sided exercise
    heading: str = ""  # the heading it came under, as written: where the report points
    repeat: Amount | None = None
    unspoken: tuple[str, ...] = ()  # layout inside the section (captions, labels), kept as comments
    sets: Amount | None = None
    rest_between_sets: Amount | None = None
    breath: tuple[float, ...] | None = None  # a breathing pattern: IN:OUT, IN:HOLD:OUT or IN:HOLD:OUT:HOLD
    breath_from: str | None = None
    rounds: Amount | None = None  # a circuit's rounds: the exercise's work and rest, done this many times
    tempo: tuple[float, ...] | None = None  # seconds per rep phase, as a session page paced them
    release: str | None = None  # said as long holds end, instead of "And release."

    def doubts(self) -> list[tuple[str, str]]:
        """(the value as written, why it is unsure) for each value the article did not state plainly."""
        out = []
        if self.sides_from and ";" in self.sides_from:
            out.append((f"sides [{', '.join(self.sides)}]", self.sides_from))
        for key in ("repeat", "rounds", "sets", "rest_between_sets"):
            amount = getattr(self, key)
            if amount is not None and amount.inferred:
                out.append((f"{key} {amount.value()}", amount.comment() or ""))
        for step in self.steps:
            why = "; ".join(filter(None, [step.amount.comment() if step.amount and step.amount.inferred else None, step.comment]))
            if why:
                out.append((f"{step.kind} {step.amount.value() if step.amount else repr(step.text)}", why))
        return out


@dataclass(frozen=True)
class Draft:
    title: str
    exercises: tuple[DraftExercise, ...]
    description: str | None = None
    breath: tuple[float, float] | None = None  # a pace set by counted breaths ("in for four")
    breath_from: str | None = None
    unspoken: tuple[str, ...] = ()  # the article's background before the exercises
    source: str = "<article>"
    after: tuple[str, ...] = ()  # the article's words after the exercises that are not description
    language: str | None = None  # the routine's language when a session page names one other than English
    title_defaulted: bool = False  # no title in the article: named after its file
    closing: str | None = None  # the page's closing words about the routine ("Do these every morning"): said last

    def summary(self) -> str:
        """What the import understood, in one line: '5 exercises, 2 two-sided, 3 holds, ...'."""
        exercises = self.exercises
        holds = sum(1 for e in exercises for s in e.steps if s.kind == "hold")
        patterns = sum(1 for e in exercises if e.breath) + (1 if self.breath else 0)
        with_sets = sum(1 for e in exercises if e.sets)
        comments = len(self.unspoken) + len(self.after) + sum(len(e.unspoken) for e in exercises)
        parts = [
            plural(len(exercises), "exercise"), f"{sum(1 for e in exercises if e.sides)} two-sided", plural(holds, "hold"),
            *([f"{with_sets} with sets"] if with_sets else []), plural(patterns, "breath pattern"),
        ]
        return ", ".join(parts) + f"; {plural(comments, 'line')} kept as comments"

    def doubts(self) -> list[str]:
        """Every value the import was unsure of or took as a default, with the heading it came under."""
        lines = ["title: from the file's name: the article has no heading"] if self.title_defaulted else []
        if self.breath_from and "default" in self.breath_from:
            lines.append(f"breath {':'.join(f'{v:g}' for v in self.breath or ())}: {self.breath_from}")
        for exercise in self.exercises:
            where = f'"{exercise.heading if exercise.heading and len(exercise.heading) <= 60 else exercise.name}"'
            lines += [f"{where}: {what}: {why}" for what, why in exercise.doubts()]
        return lines


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def read_article(data: bytes | str, source: str = "<article>") -> Draft:
    """Read an exercise article into a Draft routine; RoutineError if it is not one.

    The page's structure first (voiceguide.importer.layout: title, background, sections), then its
    exercises from the sections that instruct, then the amounts inside each; the background before
    and after them gives the description, the safety advice said once, and comments."""
    article = parse_article(decode(data, source))
    if not article.exercises:
        raise RoutineError(
            source, None, "no exercises found (expected headings like '1. Cat-cow stretch' or 'Knee rolls', or numbered steps)"
        )
    first = next(i for i, s in enumerate(article.sections) if s.exercise)
    last = max(i for i, s in enumerate(article.sections) if s.exercise)
    intro = list(article.preamble)
    for section in article.sections[:first]:  # background under its own headings ("Why stretch?")
        intro += [Block("label", section.heading), *section.blocks]
    # "For both exercises practice 2-3 sets of 10-15 repetitions" after the last one is said for all of them too
    said_after = [Block("text", sentence) for section in article.sections[last:] for block in section.blocks
                  if block.kind in ("text", "step") for sentence in sentences(block.text) if _EVERY_EXERCISE.search(sentence)]
    page = _page_amounts(intro + said_after if len(article.exercises) > 1 else intro, single=len(article.exercises) == 1)
    exercises, outro = _exercises(article.sections, first, last, page)
    exercises, repeated = _safety_said_once(_namesakes_merged(exercises))
    after, closing = _close_of_page(article.sections[last + 1:])
    description, unspoken = _introduction(tuple(intro))
    said = " ".join([description or "", *outro, *closing, *_spoken_words(exercises)])
    safety = [*repeated, *_safety_advice([*unspoken, *after], said)]
    description = " ".join(filter(None, [description, *safety])) or None
    breath, breath_from = _breath_pace(exercises)
    title = article.title or Path(source).stem.replace("-", " ").replace("_", " ").capitalize() or "Imported routine"
    return Draft(title, tuple(exercises), description, breath, breath_from, _kept(unspoken), source, _kept(after),
                 title_defaulted=not article.title, closing=" ".join([*outro, *closing]) or None)


def _exercises(sections: tuple[Section, ...], first: int, last: int, page: _PageAmounts) -> tuple[list[DraftExercise], list[str]]:
    """The exercises from first to last, and the last one's closing words about the whole routine."""
    exercises, outro, between = [], [], []
    for index, section in enumerate(sections[first: last + 1], start=first):
        if not section.exercise:  # a heading between exercises that holds no instructions: kept, unspoken
            between += [section.heading, *(b.text for b in section.blocks)]
            continue
        exercise, tail = _exercise(section, last=index == last, page=page, before=tuple(between))
        between = []
        exercises.append(exercise)
        outro += tail
    return exercises, outro


_NO_INSTRUCTIONS = "the article gives no instructions for this exercise"


def _namesakes_merged(exercises: list[DraftExercise]) -> list[DraftExercise]:
    """A table's row ('Squat: 3 sets of 10') and the same exercise's instructions further down are one exercise."""
    out: list[DraftExercise] = []
    for exercise in exercises:
        bare = next((k for k, e in enumerate(out) if e.name.casefold() == exercise.name.casefold()
                     and all(s.comment == _NO_INSTRUCTIONS for s in e.steps if s.kind == "say")), None)
        if bare is None:
            out.append(exercise)
            continue
        counts = out[bare]
        holds = tuple(s for s in counts.steps if s.kind != "say")
        out[bare] = replace(
            exercise, repeat=exercise.repeat or counts.repeat, sets=exercise.sets or counts.sets,
            rest_between_sets=exercise.rest_between_sets or counts.rest_between_sets, rounds=exercise.rounds or counts.rounds,
            sides=exercise.sides or counts.sides, sides_from=exercise.sides_from or counts.sides_from,  # "10 each leg" in the table
            steps=exercise.steps if any(s.kind != "say" for s in exercise.steps) else exercise.steps + holds,
        )  # in the table's place: the table gives the workout's order
    return out


# Sections after the exercises that are the page's furniture, dropped whole: their text is no part of the routine.
_DROPPED_SECTION = re.compile(
    r"^(?:references?|sources?|citations?|bibliography|related\b|further reading|see also|more (?:articles|from|like this)"
    r"|you (?:may|might) also like|disclaimer|share\b|about the author)", re.I)


def _close_of_page(sections: tuple[Section, ...]) -> tuple[list[str], list[str]]:
    """After the exercises: (words kept as comments, closing words about the routine: "Do this routine every morning")."""
    after: list[str] = []
    closing: list[str] = []
    for section in sections:
        if _DROPPED_SECTION.match(section.heading or section.name):
            continue
        after += [section.heading] if section.heading else []
        for block in section.blocks:
            if block.kind == "text" and (_OUTRO.search(block.text) or _FREQUENCY.search(block.text)):
                closing.append(block.text)
            else:
                after.append(block.text)
    return after, closing


# Advice the user needs to stay safe: said once, with the description, wherever the page put it.
_SAFETY = re.compile(
    r"\b(?:stop|cease|discontinue|don't continue|do not continue)\b[^.]*\b(?:pain\w*|hurts?|hurting|dizz\w*|discomfort|worse|numb\w*"
    r"|tingl\w*|faint\w*|short of breath|breathless\w*|light-?headed\w*|unwell)\b"
    r"|\b(?:see|contact|consult|call|talk to|speak to|speak with|check with|ask)\s+(?:your\s+|a\s+)?(?:doctor|gp|physiotherapist|physio"
    r"|physical therapist|health ?care (?:provider|professional)|medical professional)\b",
    re.I,
)
# Legal small print and notices: dropped, never spoken or kept.
_DISCLAIMER = re.compile(
    r"\bnot (?:be )?(?:a )?substitute for\b|\bnot intended (?:to|as|for)\b|\b(?:for )?(?:general |educational )?information(?:al)? purposes\b"
    r"|\ball rights reserved\b|©|\bcopyright\b|\bdoes not (?:provide|constitute) medical advice\b|\bterms of use\b|\bprivacy policy\b",
    re.I,
)


def _safety_advice(texts: list[str], said: str) -> list[str]:
    """The safety sentences of the background, each once, unless already spoken."""
    found: list[str] = []
    for text in texts:
        for sentence in sentences(text.split(": ", 1)[1] if re.match(r"^[\w' ]{1,30}: ", text) else text):
            if _SAFETY.search(sentence) and not _DISCLAIMER.search(sentence) and sentence not in said and sentence not in found:
                found.append(sentence)
    return found


def _safety_said_once(exercises: list[DraftExercise]) -> tuple[list[DraftExercise], list[str]]:
    """Safety advice the page repeats in several exercises ("Stop if you feel pain.") is said once, with the description."""
    seen: dict[str, int] = {}
    for exercise in exercises:
        for text in dict.fromkeys([*exercise.setup, *(s.text for s in exercise.steps if s.kind == "say")]):
            if _SAFETY.search(text):
                seen[text] = seen.get(text, 0) + 1
    repeated = [text for text, count in seen.items() if count > 1]
    if not repeated:
        return exercises, []
    out = []
    for exercise in exercises:
        steps = tuple(s for s in exercise.steps if not (s.kind == "say" and s.text in repeated))
        out.append(replace(exercise, setup=tuple(t for t in exercise.setup if t not in repeated), steps=steps or exercise.steps))
    return out, repeated


def _kept(texts: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Background kept as comments, less the page's small print and navigation."""
    return tuple(t for t in texts if not _DISCLAIMER.search(t) and not is_furniture(t))


def _spoken_words(exercises: list[DraftExercise]) -> list[str]:
    return [text for e in exercises for text in (e.about or "", *e.setup, *(s.text for s in e.steps))]


def one_count(amount: Amount | None) -> Amount | None:
    """A count the routine format takes whole (sets, breathe's cycles): a range's lower end, and the comment says so."""
    if amount is None or amount.low == amount.high:
        return amount
    return Amount(amount.low, amount.low, amount.unit, amount.phrase, True, "the lower end of the article's range")


@dataclass(frozen=True)
class _PageAmounts:
    """Amounts the page states once for every exercise ("Do each exercise 10 times")."""

    repeat: Amount | None = None
    hold: Amount | None = None
    sets: Amount | None = None
    rest_between_sets: Amount | None = None
    sides: str | None = None  # "Do each stretch on both sides", "... then switch sides": the page's words
    work: Amount | None = None  # a circuit's timing: "do each exercise for 40 seconds, take a 20-second break"
    rest: Amount | None = None
    rounds: Amount | None = None
    single: bool = False  # a page of one exercise: its introduction's amounts are that exercise's


_EVERY_EXERCISE = re.compile(
    r"\b(?:each|every|both|all(?: of)?(?: these| the)?)\s+(?:of\s+(?:these|the)\s+)?(?:exercises?|stretch(?:es)?|poses?|moves?|movements?|positions?|one)\b"
    r"|\bof each\b|\b(?:these|the) (?:exercises|stretches|poses|moves)\b",
    re.I,
)
_FREQUENCY = re.compile(
    r"\b(?:every|each)\s+(?:day|morning|evening|night|week|(?:\w+\s+){0,2}hours?)\b|\b(?:sessions?|times|twice|once)\s+(?:a|per|each)\s+(?:day|week)\b"
    r"|\b(?:after|before) (?:every|each|a|your) (?:run|workout|session|game|ride|match|swim|walk)\b|\bdaily\b|\ba (?:few|couple of) (?:times|evenings|mornings|days) a week\b|\bregularly\b",
    re.I,
)


_THIS_EXERCISE = re.compile(
    r"^(?:\w+ly\s+)?(?:hold|stay|repeat|do|perform)\b.*\b(?:this|the|each)\s+(?:exercise|stretch|pose|position|move|movement)\b"
    r"|^(?:\w+ly\s+)?(?:hold|stay|repeat)\s+(?:it|this)\b",
    re.I,
)


def _page_wide(amount: Amount, sentence: str) -> Amount:
    words = " ".join(sentence.split()).rstrip(".")
    return Amount(amount.low, amount.high, amount.unit, words, True, "said once for every exercise")


def _page_amounts(intro: list[Block], single: bool = False) -> _PageAmounts:
    """Amounts stated for every exercise in the text before the exercises; on a page of one exercise,
    also those the introduction states for it ("Hold this pose for 10-15 seconds")."""
    found: dict = {}
    said = " ".join(b.text for b in intro if b.kind in ("text", "step"))
    work, pause, rounds = find_circuit(said)
    if work is not None:
        found.update(work=_page_wide(work, work.phrase), rest=pause and _page_wide(pause, pause.phrase),
                     rounds=rounds and _page_wide(rounds, rounds.phrase))
    for block in intro:
        if block.kind not in ("text", "step"):
            continue
        for sentence in sentences(block.text):
            if not (_EVERY_EXERCISE.search(sentence) or (single and _THIS_EXERCISE.search(sentence))):
                rest = find_rest_between_sets(sentence)  # "Rest 60 seconds between sets": of every exercise that has sets
                if rest:
                    found.setdefault("rest_between_sets", _page_wide(rest[2], sentence))
                continue
            if _SIDE_SWITCH.search(sentence) or _SIDE_ADVERB.search(sentence):
                found.setdefault("sides", " ".join(sentence.split()).rstrip("."))
            if work is not None and work.phrase in sentence:
                continue  # "8 rounds of 20 seconds work and 10 seconds rest for each exercise": the circuit's own numbers
            _sentence_counts(sentence, found)
    return _PageAmounts(**found, single=single)


def _sentence_counts(sentence: str, found: dict) -> None:
    """A page-wide sentence's rest between sets, sets, repetitions and hold, each the first the page states."""
    rest = find_rest_between_sets(sentence)
    if rest:
        found.setdefault("rest_between_sets", _page_wide(rest[2], sentence))
        sentence_left = sentence[: rest[0]] + sentence[rest[1]:]
    else:
        sentence_left = sentence
    sets = find_sets(sentence_left)
    if sets:
        found.setdefault("sets", _page_wide(sets[2], sentence))
        if sets[3]:
            found.setdefault("repeat", _page_wide(sets[3], sentence))
        sentence_left = sentence_left[: sets[0]] + sentence_left[sets[1]:]
    reps = find_reps(sentence_left)
    if reps:
        found.setdefault("repeat", _page_wide(reps[2], sentence))
        sentence_left = sentence_left[: reps[0]] + sentence_left[reps[1]:]
    duration = find_duration(sentence_left)
    if duration and not _FREQUENCY.search(sentence_left[duration[1]: duration[1] + 30]):
        found.setdefault("hold", _page_wide(duration[2], sentence))


def _introduction(preamble: tuple[Block, ...]) -> tuple[str | None, tuple[str, ...]]:
    """The first paragraph is the spoken description; the rest of the background stays in comments."""
    description = None
    unspoken = []
    for block in preamble:
        if description is None and block.kind == "text" and block.role is None and (
            block.text.endswith((".", "!")) or len(block.text.split()) >= 8
        ):  # a sentence, not a byline or "Patient information"
            description = block.text
        else:
            unspoken.append(f"{block.label}: {block.text}" if block.label else block.text)
    return description, tuple(unspoken)


# Words that only say "now the other side" or "do it again": a clause of nothing else is consumed.
_SIDE_WORDS = frozenset(
    ["repeat", "repeating", "do", "doing", "perform", "switch", "switching", "swap", "change", "changing", "then", "now", "and", "the", "same", "it", "this", "that", "again", "everything", "exercise", "stretch", "movement", "move", "pose", "sequence", "steps", "motion", "on", "with", "to", "for", "using", "your", "opposite", "other", "side", "sides", "leg", "legs", "arm", "arms", "foot", "feet", "hand", "hands", "knee", "knees", "direction", "directions", "way", "also", "afterwards", "after", "once", "done", "finished", "when", "you", "you're", "you've", "are", "have", "all", "of", "above", "both", "each", "before", "start", "over", "whole", "entire", "process", "time", "cycle", "more", "in", "a", "row", "total", "left", "right", "all", "reps", "repetitions"]
)
_HOLD_WORDS = frozenset(
    ["hold", "holding", "held", "stay", "staying", "remain", "remaining", "in", "this", "that", "the", "position", "pose", "stretch", "posture", "it", "there", "here", "for", "keep", "keeping", "yourself", "at", "top"]
)
_SIDE_ADVERB = re.compile(
    r"\s*\b(?:(?:on|for|with|to|in|using)\s+)?(?<!\bof )(?:(?:each|either)\s+(?:side|leg|arm|foot|hand|knee|hip|shoulder|elbow|ankle|wrist|direction)s?|both\s+(?:sides|directions|ways))\b"
    r"(?!\s+of\b)"  # "hands on either side of the door": where, not which side
    r"|\s*\bper\s+(?:side|leg|arm)\b",
    re.I,
)
_SIDE_SWITCH = re.compile(
    r"\b(?:the|your)\s+(?:opposite|other)\s+(?:side|leg|arm|foot|hand|knee|hip|shoulder|direction|way)\b"
    r"|\brepeat\s+(?:(?:on|with)\s+)?(?:opposite|other)\s+(?:side|leg|arm|foot|hand|knee)\b"  # "repeat other leg", notes' shorthand
    r"|\b(?:switch|swap|change|alternate)\s+(?:the\s+)?(?:sides|legs|arms|feet|hands|direction)\b"
    r"|\b(?:switch|swap|change)(?:\s+over)?\s+to\s+(?:your|the)\s+(?:other|opposite|non-?operated|unoperated|uninjured|unaffected|good)"
    r"\s+(?:side|leg|arm|foot|hand|knee)\b"  # "Change to the non-operated leg and repeat"
    r"|^\s*(?:and\s+)?(?:then\s+)?(?:switch|swap|change)(?:\s+over|\s+(?:foot|leg|arm|hand|side))?\s*[.!]?\s*$"  # "Switch foot."
    r"|\b(?:repeat|do the same|the same)\b.*?\b(?:on|with|using)\s+(?:your|the)\s+(?:left|right|good|other|opposite|uninjured|healthy|unaffected)(?:\s+(?:side|leg|arm|hand|foot|knee))?\b",
    re.I,
)
# (an arrow between phases is a "then": "Inhale (4 seconds) → Hold (7 seconds) → Exhale (8 seconds)")
_SEPARATOR = re.compile(r"(,\s*(?:and then|and|then|or|but)?\s*|;\s*|\s+(?:and then|then|and)\s+|\s*(?:→|->|⟶|=>)\s*)", re.I)
_INHALE = re.compile(r"(?<!the )(?<!next )(?<!each )(?<!every )(?<!your )(?<!an )\b(?:inhale|inhaling|breathe in|breathing in|breath in(?!\s+(?:the|your|a|an|each|one|both|and)\b)|in-breath)\b", re.I)
_EXHALE = re.compile(
    r"(?<!the )(?<!next )(?<!each )(?<!every )(?<!your )(?<!an )\b(?:exhale|exhaling|breathe out|breathing out|breath out|out-breath"
    r"|(?:let|letting|push|pushing|blow|blowing)\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?(?:air|breath)\s+out"
    r"|(?:let|letting|push|pushing|blow|blowing)\s+out\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?(?:air|breath))\b",
    re.I,
)
_BOTH_PHASES = re.compile(
    r"\b(?:breath(?:e|ing)? in (?:and|or) out|inhale (?:and|or) exhale|inhaling (?:and|or) exhaling)\b", re.I)
_SIDE_WORD = re.compile(r"(?<!\ball )(?<!\bjust )\b(left|right)\b(?!\s+(?:away|now|angle|there|here|after|before)\b)", re.I)
_ONE_LIMB = re.compile(
    r"\b(cross|place|put|bring|lift|raise|extend|bend|step|swing|hook)\s+one\s+(knee|leg|foot|arm|hand|ankle|elbow)\b", re.I
)
_DIRECTIONS = (("clockwise", "anticlockwise"), ("clockwise", "counterclockwise"), ("clockwise", "counter-clockwise"),
               ("forward", "backward"), ("forwards", "backwards"))
_ADVERBS = frozenset(["slowly", "gently", "now", "then", "next", "first", "finally", "carefully", "simply", "just", "also", "again", "lastly", "softly", "and"])
_SUBORDINATE = re.compile(r"^(?:if|when|as|while|once|after|before|with|keeping|using|to|from|in|on|\w+ing)\b[^,]*,\s*", re.I)
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
_THEN = re.compile(r"^\s*,?\s*(?:and then|then|and)\s+", re.I)
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
        or (_ELLIPTIC_PHASE.match(sentence) is not None and _bare_count(sentence) is not None)  # "In for four, out for six."
    )


# Adjectives of a breath or a movement's manner: a comma after one joins it to the next adjective, not a new clause.
_MANNER = frozenset(["slow", "deep", "long", "gentle", "steady", "full", "easy", "relaxed", "calm", "big", "smooth", "controlled", "soft"])


def _clauses(sentence: str) -> list[tuple[str, str]]:
    """'A, then B and C' -> [('', 'A'), (', then ', 'B'), (' and ', 'C')].

    A bare 'and'/'then' starts a clause only before an instruction ("... and raise your hips"),
    not inside a phrase ("your abdominals and glutes", "in and out").
    """
    parts = _SEPARATOR.split(sentence)
    out = [("", parts[0])]
    for i in range(1, len(parts), 2):
        sep, clause = parts[i], parts[i + 1]
        if _goes_on(out[-1][1], sep, clause):
            out[-1] = (out[-1][0], out[-1][1] + sep + clause)
        else:
            out.append((sep, clause))
    return out


def _goes_on(before: str, sep: str, clause: str) -> bool:
    """The clause is part of the one before: after a bare 'and' that starts no instruction, or a comma between two
    adjectives ('a few slow, deep breaths')."""
    first = (_words(clause) or [""])[0]
    if sep.strip() == "," and (_words(before) or [""])[-1] in _MANNER and first not in IMPERATIVES:
        return True
    return "," not in sep and ";" not in sep and first not in IMPERATIVES and first not in _ADVERBS


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
    """What a section says about the whole exercise: sides, repetitions, sets, rests and breath pace."""

    repeat: Amount | None = None
    side_phrases: tuple[str, ...] = ()
    directional: bool = False
    sets: Amount | None = None
    rest_between_sets: Amount | None = None
    breath: tuple[float, ...] | None = None
    breath_from: str | None = None


# Words a sentence cannot end on once an amount is taken out: "work your way up to", "Do".
_DANGLING = frozenset(["up", "to", "of", "for", "about", "around", "way", "do", "perform", "complete", "between", "with", "by",
                       "than", "least", "most", "repeat", "make", "aim", "try", "build", "the", "a", "your", "these", "each"])


def _dangling(text: str) -> bool:
    words = _words(text)
    return bool(words) and words[-1] in _DANGLING


def _take(clause: str, start: int, end: int) -> tuple[str, bool]:
    """The clause without clause[start:end]; unchanged when what is left would not be a sentence."""
    left = (clause[:start] + clause[end:]).strip()
    if (_dangling(clause[:start]) and not _only(_SIDE_WORDS, clause[:start])) or re.match(r"^\s*(?:of|to|for)\b", clause[end:]):
        return clause, False  # "work your way up to 10 repetitions": said whole, the amount recorded too
    return left, True


# Verbs that, done with "the other leg", mean the movement is done again on the other side.
_AGAIN_VERBS = frozenset(["repeat", "swing", "roll", "switch", "swap", "change", "do", "perform", "stretch", "kick", "lift", "raise", "circle", "rotate",
                          "alternate", "shift"])


_SENSATION = re.compile(r"\b(?:feel|feeling|felt|sense)\b", re.I)


def _switches_inside(clause: str, switch: re.Match[str]) -> bool:
    """A side switch said inside a longer instruction ('swing the other leg'), not a position ('put the other leg forward')."""
    said = switch.group(0).lower()
    if re.match(r"(?:repeat|do the same|the same|switch|swap|change|alternate)\b", said):
        return True
    if _SENSATION.search(clause[: switch.start()]):
        return False  # "You should feel your neck stretch on the opposite side": where it is felt
    before = _words(clause[: switch.start()])
    while before and (before[-1] in ("to", "with", "on", "using", "for", "over", "more", "times", "reps") or before[-1] in NUMBER_WORDS):
        before.pop()  # "do ten more on the other side"
    return bool(before) and before[-1] in _AGAIN_VERBS and said.startswith("the ")


_DEPENDENT = re.compile(r"(?:or\b|until\b|unless\b|as long as\b|if (?:you|needed|possible)\b)", re.I)


def _another_set(sentence: str, shape: _Shape) -> tuple[str, bool]:
    """'Rest for a minute, and then do another set': two sets and their rest, taken out of the sentence."""
    another = find_another_set(sentence)
    if another is None or shape.sets is not None:
        return sentence, False
    shape.sets, shape.rest_between_sets = another[2], shape.rest_between_sets or another[3]
    return (sentence[: another[0]] + sentence[another[1]:]).strip(" ,;"), True


_IF_TOLD = re.compile(r"\bif (?:directed|advised|instructed|prescribed|told to|your (?:doctor|physio\w*|therapist) (?:says|advises))\b", re.I)


_MIDWAY = re.compile(r"^\s*(?:after|halfway|every|each time|midway)\b", re.I)


def _strip_shape(sentence: str, shape: _Shape) -> str:
    """Take repetition, set, rest and side phrases out of a sentence, recording them in `shape`."""
    if _IF_TOLD.search(sentence):  # "Switch sides and repeat if directed": the clinician's option, said whole, shapes nothing
        return _tidy(sentence)
    kept: list[tuple[str, str]] = []
    sentence, changed_any = _another_set(sentence, shape)  # nothing left: no clause, nothing said
    for sep, clause in _clauses(sentence):
        clause, changed = _take_counts(clause, shape)
        switch = _SIDE_SWITCH.search(clause)
        if switch and _MIDWAY.match(clause[switch.end():]):
            switch = None  # "Change direction after 1 minute of motion": a turn inside the movement, not a second side
        if switch and _only(_SIDE_WORDS, clause):
            shape.side_phrases += (clause.strip(" .,;!?"),)
            shape.directional |= "direction" in clause.lower()
            changed_any = True
            continue
        if switch and _switches_inside(clause, switch):
            # "turn around and swing the other leg": two-sided, and the words stay spoken
            shape.side_phrases += (switch.group(0),)
        if changed and _only(_SIDE_WORDS, clause):
            changed_any = True
            continue  # "Repeat 7-10 times" has nothing left to say
        kept.append((sep, clause))
    if changed_any:  # "Step down, switch legs and repeat": the bare "repeat" goes with the switch
        kept = [(sep, clause) for sep, clause in kept if not _only(_SIDE_WORDS, clause)]
    if kept and kept[0][1] != _clauses(sentence)[0][1] and _DEPENDENT.match(kept[0][1].strip()):
        return _tidy(sentence)  # "Repeat for four rounds, or until you feel calm": said whole, the count recorded too
    return _tidy(_join(kept), sentence[-1] if sentence.endswith(("!", "?")) else ".") if kept else ""


def _take_counts(clause: str, shape: _Shape) -> tuple[str, bool]:
    """The clause without its rest between sets, sets, repetitions and side adverbs (recorded in shape); whether any went."""
    changed = False
    rest = find_rest_between_sets(clause)
    if rest and shape.rest_between_sets is None:
        shape.rest_between_sets = rest[2]
        clause, changed = clause[: rest[0]] + clause[rest[1]:], True
    sets = find_sets(clause)
    if sets and shape.sets is None:
        shape.sets = sets[2]
        if sets[3] is not None and shape.repeat is None:
            shape.repeat = sets[3]
        clause, changed = _take(clause, sets[0], sets[1])
    found = find_reps(clause)
    if found and (shape.repeat is None or found[2].value() == shape.repeat.value()):
        start, end, amount = found  # the same count said twice ("three more times, four in total") is one count
        shape.repeat = shape.repeat or amount
        clause, took = _take(clause, start, end)
        changed = changed or took
    for match in list(_SIDE_ADVERB.finditer(clause))[::-1]:
        if _GRIP.fullmatch(match.group(0)):
            continue  # "Hold each end of the towel in each hand": what the hands hold, both at once
        shape.side_phrases += (match.group(0).strip(" .,;!?"),)
        shape.directional |= "direction" in match.group(0).lower()
        clause, changed = clause[: match.start()] + clause[match.end():], True
    both = _BOTH_LIMBS.search(clause)
    if both and (found or _REPEATED.match(clause)):  # "Repeat 2-3 times on both legs": each leg in turn, not both at once
        shape.side_phrases += (both.group(0).strip(),)
        clause, changed = clause[: both.start()] + clause[both.end():], True
    return clause, changed


_GRIP = re.compile(r"\s*in\s+(?:each|either)\s+hands?\s*", re.I)  # ("10 times with each hand" is per side)
# "on both legs" after a count: each side in turn ("stand on both legs", with no count, is a stance; "jump 10 times with
# both feet" is both at once)
_BOTH_LIMBS = re.compile(r"\s*\b(?:on|for)\s+both\s+(?:legs|arms|feet|hands|knees|hips|shoulders|ankles|wrists)\b", re.I)
_REPEATED = re.compile(r"^\s*(?:then\s+)?(?:repeat|do|perform)\b", re.I)


_PACED = re.compile(
    rf"\b(?:breathe|breathing|inhale|inhaling|breath)\s+in\s+(?:slowly\s+|gently\s+)?(?:for\s+)?(?:a\s+count\s+of\s+)?({NUM})"
    rf"(?:\s+(?:seconds?|secs?|counts?))?\s*(?:,\s*|\s+and\s+|\s+then\s+)(?:breathe\s+|exhale\s+)?out\s+(?:slowly\s+|gently\s+)?"
    rf"(?:for\s+)?(?:a\s+count\s+of\s+)?({NUM})(?:\s+(?:seconds?|secs?|counts?))?",
    re.I,
)


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


_LIMBS = r"(?:leg|arm|hand|foot|knee|hip|shoulder|elbow|ankle|wrist|ear|side)s?"


def _with_side(sentence: str, sides: tuple[str, ...]) -> str:
    """Write the first side's word as {side}, and the second side's words as 'the other side'.

    "Bend your right knee towards your left shoulder" -> "Bend your {side} knee towards your other shoulder".
    """
    first, second = sides
    sentence = _ONE_LIMB.sub(lambda m: f"{m.group(1)} your {{side}} {m.group(2)}", sentence)
    sentence = re.sub(rf"\b(to|towards|toward) the {second}\b(?! side)", r"\1 the other side", sentence, flags=re.I)
    sentence = re.sub(rf"\b(your|the) {second}\b", r"\1 other", sentence, flags=re.I)
    sentence = re.sub(rf"\b{second}\s+({_LIMBS})\b", r"the other \1", sentence, flags=re.I)  # "right arm and left leg"
    word = _SIDE_WORD if first in ("left", "right") else re.compile(rf"(?<![-\w])({first}|{second})\b", re.I)
    return word.sub(lambda m: "{side}" if m.group(1).lower() == first else "the other way", sentence)


def _steps_of(sentence: str) -> list[DraftStep]:
    """One instruction sentence -> say / hold / inhale / exhale steps, in the order they happen."""
    sentence = _HEDGE.sub("", sentence)
    after = _AFTER_A_TIME.match(sentence)
    duration = find_duration(after[1]) if after else None
    if after and duration is not None:  # "After 10 seconds, lower your leg.": stay there that long, then move
        return [DraftStep("hold", "", duration[2]), *(_steps_of(after[2][0].upper() + after[2][1:]) if after[2] else [])]
    phases = _BOTH_PHASES.search(sentence) is None  # "breathe in and out" paces nothing
    steps = _SentenceSteps()
    timeless = _TREATMENT.search(sentence) or _MOMENT.search(sentence)
    clauses = _clauses(sentence)
    # "In for four, out for six", "breathe in for 4, hold for 7, out for 8": a phase named by "in" or "out" alone
    elliptic = {m[1].lower() for _, clause in clauses if (m := _ELLIPTIC_PHASE.match(clause))}
    named = _INHALE.search(sentence) is not None or _EXHALE.search(sentence) is not None
    breathing = phases and (named or elliptic == {"in", "out"})
    for sep, clause in clauses:
        phase = (_phase(clause) or (_elliptic_phase(clause) if named or elliptic == {"in", "out"} else None)) if phases else None
        duration = None if timeless else find_duration(clause)
        if duration is None and breathing and (phase or _HOLD_START.match(clause)):
            duration = _bare_count(clause)  # "breathe in for 4, hold for 4": counts of a breath, said without a unit
        timed = _TIMED.search(clause) if duration is not None and duration[2].unit != "breaths" else None
        if timed and phase is None and duration is not None:
            steps.work(sep, clause, duration)  # "Repeat these movements for about 5 minutes": moving, not holding
        elif phase and (duration is None or (duration[2].unit == "seconds" and duration[2].high <= BREATH_PHASE_LIMITS[1])):
            steps.breath(phase, sep, clause, duration[2] if duration else None)
        elif duration is not None and steps.counts_open_breath(clause, duration[2]):
            pass  # "Inhale, taking a deep breath as you count to three": the count is the in-breath's
        elif duration is not None:
            steps.hold(clause, duration)
        else:
            steps.plain(sep, clause)
    return steps.finish()


_HOLD_START = re.compile(r"^\s*(?:and\s+)?(?:then\s+)?hold\b", re.I)
_BARE_COUNT = re.compile(rf"\bfor\s+({NUM})\s*(?=$|[,.;:!)]|\s+(?:and|then)\b)", re.I)


def _bare_count(clause: str) -> tuple[int, int, Amount] | None:
    """'for 4' at a breath phase's end: that many counts, a count being a second (the figure stated, its unit inferred)."""
    match = _BARE_COUNT.search(clause)
    if match is None or match.group(1).lower() in ("a", "an"):
        return None
    value = number(match.group(1))
    amount = Amount(value, value, "seconds", match.group(0), True)
    return (match.start(), match.end(), amount) if 0 < value <= BREATH_PHASE_LIMITS[1] else None


# Ice, heat and the like are treatments: their minutes are no hold ("Ice for 15 to 20 minutes").
_TREATMENT = re.compile(r"\b(?:ice|icing|iced|ice pack|cold pack|heat pack|heating pad|hot water bottle|warm compress|heat)\b", re.I)
# A moment, not a length: "will weaken at approximately three seconds, six seconds and nine", "after 10 seconds".
_MOMENT = re.compile(rf"\b(?:at|after|within|every)\s+(?:about\s+|approximately\s+|around\s+|roughly\s+)?{NUM}\s*(?:seconds?|minutes?)\b", re.I)
# "Repeat these movements for about 5 minutes, or as directed": the clinician's caveat, no step of its own.
_HEDGE = re.compile(r",?\s*\bor as (?:often as )?(?:directed|advised|instructed|prescribed)(?: by [\w' ]+?)?(?=[.!?]?$)", re.I)
# "After 10 seconds, lower your leg", "After a few breaths of holding, switch sides": a hold, then the next move.
_AFTER_A_TIME = re.compile(
    rf"^after\s+((?:about\s+|around\s+)?(?:{NUM}|a few|a couple of|several)\s*(?:slow\s+|deep\s+)?(?:seconds?|secs?|minutes?|mins?|breaths?|s(?=\W)))"
    rf"(?:\s+of\s+holding)?(?:\s*,\s*(\w.*)|\s*[.!]?)$", re.I)
# A time spent moving, not holding still: "Repeat for 5 minutes", "Row for 20 seconds of maximal work", "as many as you can"
_TIMED = re.compile(
    r"^\s*(?:\w+ly\s+)?(?:repeat|continue|keep going|keep repeating|carry on)\b"
    # "Slowly move your knee from side to side for 2 to 3 minutes": a movement kept up, not a position held
    r"|^\s*(?:\w+ly\s+)?(?:move|march|walk|jog|run|swing|rock|shake|pedal|cycle|bounce|roll|circle|pump|kick|punch|jump|hop|skip|tap)"
    r"\b(?!.*\b(?:hold|stay|remain)\b)"
    r"|\bof\s+(?:max(?:imal|imum)?\s+|all[- ]out\s+|hard\s+|intense\s+)?(?:work|effort)\b"
    r"|\bas\s+(?:many\s+(?:reps\s+|repetitions\s+|rounds\s+|times\s+)?|fast\s+|hard\s+)as\s+(?:you\s+)?(?:can|possible)\b",
    re.I,
)


def _phase(clause: str) -> Literal["inhale", "exhale"] | None:
    return "inhale" if _INHALE.search(clause) else "exhale" if _EXHALE.search(clause) else None


# "out for eight", "and in through the nose for 4": a breath's phase said by its direction alone, with its count
_ELLIPTIC_PHASE = re.compile(r"^\s*(?:and\s+)?(?:then\s+)?(in|out)\b(?=\s+(?:for|through|to)\b)", re.I)


def _elliptic_phase(clause: str) -> Literal["inhale", "exhale"] | None:
    match = _ELLIPTIC_PHASE.match(clause)
    return None if match is None else "inhale" if match[1].lower() == "in" else "exhale"


# A clause that goes on with the one before: "taking a deep breath", "as you count to three", "while counting to four".
_CONTINUING = re.compile(r"^\s*(?!(?:holding|pausing|keeping|staying|resting)\b)(?:\w+ing\b|as you\b|while\b|to a count\b)"
                         r"(?!.*\b(?:hold|holding|pause|pausing)\b)", re.I)


class _SentenceSteps:
    """The steps of one sentence, built clause by clause."""

    def __init__(self) -> None:
        self.steps: list[DraftStep] = []
        self.pending: list[tuple[str, str]] = []  # plain clauses not yet said
        self.open_kind: str | None = None  # the step later clauses join: a breath phase or a hold's note
        self.open_parts: list[tuple[str, str]] = []
        self.open_amount: Amount | None = None  # the open hold's length or breath phase's count

    def close(self) -> None:
        """End the open hold or breath phase, if any, as a step."""
        if self.open_kind == "hold":
            self.steps.append(DraftStep("hold", _tidy(_join(self.open_parts)), self.open_amount))
        elif self.open_kind in ("inhale", "exhale"):
            self.steps.append(DraftStep(self.open_kind, _tidy(_join(self.open_parts)), self.open_amount))  # type: ignore[arg-type]
        self.open_kind, self.open_parts, self.open_amount = None, [], None

    def say_pending(self) -> None:
        if self.pending:
            self.steps.append(DraftStep("say", _tidy(_join(self.pending))))
            self.pending.clear()

    def breath(self, phase: str, sep: str, clause: str, amount: Amount | None) -> None:
        """A breath phase opens, taking the clauses not yet said as its words."""
        self.close()
        self.open_kind, self.open_parts = phase, [*self.pending, (sep, clause)]
        self.open_amount = amount
        self.pending.clear()

    def counts_open_breath(self, clause: str, amount: Amount) -> bool:
        """A clause going on with an uncounted breath phase ('taking a deep breath as you count to three') counts it."""
        if self.open_kind not in ("inhale", "exhale") or self.open_amount is not None or amount.unit != "seconds" \
                or amount.high > BREATH_PHASE_LIMITS[1] or not _CONTINUING.match(clause):
            return False
        self.open_parts.append((", ", clause))
        self.open_amount = amount
        return True

    def hold(self, clause: str, duration: tuple[int, int, Amount]) -> None:
        """A hold opens; the clause's other words are its note."""
        self.close()
        self.say_pending()
        start, end, amount = duration
        rest = clause[:start] + clause[end:]
        # "Hold for 5 seconds then relax": what follows the amount is the next step, not the hold's note
        following = _THEN.match(clause[end:])
        next_step = clause[end:][following.end():] if following and _words(clause[end:][following.end():]) else None
        if next_step is not None:
            rest = clause[:start]
        self.open_kind, self.open_amount = "hold", amount
        self.open_parts = [] if _only(_HOLD_WORDS, rest) else [("", rest)]
        manner = _BREATH_MANNER.search(amount.phrase)
        if manner and not self.open_parts:  # "Stay here for 3-5 deep breaths" -> note "Deep breaths."
            self.open_parts = [("", manner.group(0))]
        if next_step is not None:
            self.close()
            self.pending.append(("", next_step))

    def work(self, sep: str, clause: str, duration: tuple[int, int, Amount]) -> None:
        """A movement done for a time: said as written, then worked for that long (one figure: a range's lower end)."""
        self.close()
        self.pending.append((sep, clause))
        self.say_pending()
        self.steps.append(DraftStep("work", "", one_length(duration[2])))

    def plain(self, sep: str, clause: str) -> None:
        """A clause with no amount or phase: a hold's note ("feel the stretch"), part of a breath, or said."""
        if self.open_kind == "hold" and not (_first_word(clause) in _NOTE_START or _first_word(clause).endswith("ing")):
            self.close()
            self.pending.append((sep, clause))
        elif self.open_kind is not None:
            self.open_parts.append((sep, clause))
        else:
            self.pending.append((sep, clause))

    def finish(self) -> list[DraftStep]:
        self.close()
        self.say_pending()
        return [s for s in self.steps if s.text or s.kind in ("hold", "work")]


@dataclass(frozen=True)
class _Line:
    text: str
    block: int
    marked: bool  # inside a "Step N." / numbered / bulleted block


@dataclass
class _Blocks:
    """A section's blocks sorted by what they are for."""

    unspoken: list[str]  # kept as comments
    lines: list[_Line]  # the sentences to read as instructions
    about: list[str]  # labelled "About:" / "Benefits:"
    setup: list[str]  # labelled "Starting position:"
    stated: list[str]  # amounts stated apart from the sentences: "Reps: 12"


def _exercise(
    section: Section, last: bool, page: _PageAmounts | None = None, before: tuple[str, ...] = ()
) -> tuple[DraftExercise, list[str]]:
    page = page or _PageAmounts()
    blocks = _sort_blocks(section, before)
    outro = _take_outro(blocks.lines) if last else []
    about, lines = _take_about(blocks, section)
    shape = _Shape()
    stated_holds = _stated_holds(blocks, section, shape)  # "Repetition: 10" is the count, whatever a sentence repeats
    stripped = _strip_lines(lines, shape)
    paced_lines = {line.text for line in lines if shape.breath and _PACED.search(line.text)}
    sides, sides_from, stripped = _exercise_sides(stripped, shape, page)
    setup, final = _said_steps(stripped, paced_lines, blocks.setup, shape.repeat)
    if stated_holds and not any(step.kind in ("hold", "work") for step in final):
        interval = [step for step in stated_holds if step.kind in ("work", "rest")]
        final += interval or stated_holds[:1]
    final, breath, breath_from, repeat = _breath_pattern(final, shape.repeat)
    if breath is not None:  # "repeat the three steps for 4 minutes": how long to keep breathing, no work interval
        final = _cycles_for_a_time(final, breath)
    if breath is None and shape.breath is not None:
        breath, breath_from = shape.breath, shape.breath_from
        final, repeat = _paced_cycles(final, repeat, breath)
    repeat = _from_page(final, repeat, shape, page)
    rounds = _circuit(final, repeat, page)
    final = _rest_after_work(final)
    sets_said = shape.sets or page.sets
    if rounds is None and repeat is None and sets_said is not None and any(s.kind == "work" for s in final):
        rounds, sets_said = sets_said, None  # "20 seconds of work, rest 10 seconds, eight sets": eight rounds of the interval
    sets = one_count(sets_said)
    rest_between = one_length(shape.rest_between_sets or (page.rest_between_sets if sets else None))
    exercise = DraftExercise(
        name=section.name, heading=section.heading, steps=tuple(_closed(final, repeat, section)), about=" ".join(about) or None, setup=tuple(setup),
        sides=sides, sides_from=sides_from, repeat=repeat, unspoken=tuple(blocks.unspoken), sets=sets,
        rest_between_sets=rest_between, breath=breath, breath_from=breath_from, rounds=rounds,
    )
    return exercise, outro


def _sort_blocks(section: Section, before: tuple[str, ...]) -> _Blocks:
    """Captions, labels and comments stay unspoken; labelled about, setup and amounts apart; the rest is read."""
    blocks = _Blocks(list(before), [], [], [], [])
    for index, block in enumerate(section.blocks):
        if block.kind in ("caption", "label"):
            blocks.unspoken += _kept([block.text]) and [f"{block.kind}: {block.text}"]
        elif block.role == "comment":
            blocks.unspoken.append(f"{block.label}: {block.text}")
        elif block.role == "about":
            blocks.about += sentences(block.text)
        elif block.role == "setup":
            blocks.setup += sentences(block.text)
        elif block.role == "amount":
            blocks.stated.append(f"{block.label}: {block.text}")
        else:
            blocks.lines += [_Line(sentence, index, block.kind == "step") for sentence in sentences(block.text)]
    return blocks


def _take_outro(lines: list[_Line]) -> list[str]:
    """The last exercise's closing words about the whole routine ("Do these every day"), taken off its lines."""
    outro: list[str] = []
    while lines and (_OUTRO.search(lines[-1].text) or _FREQUENCY.search(lines[-1].text)) and not (
        _is_instruction(lines[-1].text) and not _FREQUENCY.search(lines[-1].text)
    ) and find_reps(lines[-1].text) is None:  # "Repeat up to four times, twice per day": the count is this exercise's
        outro.insert(0, lines.pop().text)
    return outro


def _take_about(blocks: _Blocks, section: Section) -> tuple[list[str], list[_Line]]:
    """The exercise's description (its leading sentences that are not instructions), and the lines left."""
    lines = blocks.lines
    about: list[str] = list(blocks.about)
    while lines and not lines[0].marked and not _is_instruction(lines[0].text):
        about.append(lines.pop(0).text)
    if not lines and not blocks.stated and not section.heading_amount:  # description only: say it rather than lose it
        lines, about = [_Line(t, 0, False) for t in about], []
    return about, lines


def _strip_lines(lines: list[_Line], shape: _Shape) -> list[tuple[str, _Line]]:
    """Each line without its shape phrases (recorded in shape), beside the line it came from; empty ones dropped."""
    stripped: list[tuple[str, _Line]] = []
    for line in lines:
        paced = _PACED.search(line.text)
        if paced and shape.breath is None:  # "breathe in for 4 and out for 6": a pace, the sentence said whole
            pace = (number(paced.group(1)), number(paced.group(2)))
            if all(BREATH_PHASE_LIMITS[0] <= p <= BREATH_PHASE_LIMITS[1] for p in pace):
                shape.breath, shape.breath_from = pace, f'from "{paced.group(0)}"'
                stripped.append((line.text, line))
                continue
        stripped.append((_strip_shape(line.text, shape), line))
    return [(text, line) for text, line in stripped if text]


def _stated_holds(blocks: _Blocks, section: Section, shape: _Shape) -> list[DraftStep]:
    """Holds from the amounts stated apart ("Hold: 30 seconds", the heading's "– 30 secs"); their other
    counts go into shape, and a stated line with more to say is kept unspoken."""
    stated_holds: list[DraftStep] = []
    for text in [*blocks.stated, *([section.heading_amount] if section.heading_amount else [])]:
        work, pause, _ = find_circuit(text)  # "Sit-ups – 20 secs work, 10 secs rest": an interval, not a hold
        if work is not None:
            where = f'from "{text}"'
            stated_holds += [DraftStep("work", "", one_length(work), comment=where)]
            stated_holds += [DraftStep("rest", "", one_length(pause), comment=where)] if pause is not None else []
            continue
        left = _strip_shape(text, shape)
        duration = find_duration(left)
        where = f'from the heading "{section.heading}"' if text == section.heading_amount else f'from "{text}"'
        if duration and _REST_LABEL.match(text):  # "Rest: 60 seconds" beside "Sets: 3": the rest between sets, never a hold
            if shape.sets is not None and shape.rest_between_sets is None:
                shape.rest_between_sets = duration[2]
            else:
                blocks.unspoken.append(text)
            continue
        if duration:
            stated_holds.append(DraftStep("hold", "", duration[2], comment=where))
            left = left[: duration[0]] + left[duration[1]:]
        if text != section.heading_amount and not _only(_SIDE_WORDS | _LABEL_WORDS, left):
            blocks.unspoken.append(text)  # "Reps: 20 (alternating)": the count is used, the words kept
    return stated_holds


_REST_LABEL = re.compile(r"^\s*(?:rest|recovery|rest between sets)\s*:", re.I)


# "Place your heel on a step": one limb of a pair, so a page's "each stretch on both sides" governs this one
_SINGLE_LIMB = re.compile(r"\byour\s+(?:heel|leg|foot|arm|hand|knee|ankle|elbow|wrist|thigh|calf)\b(?!s)", re.I)


def _exercise_sides(
    stripped: list[tuple[str, _Line]], shape: _Shape, page: _PageAmounts
) -> tuple[tuple[str, ...], str | None, list[tuple[str, _Line]]]:
    """The exercise's sides, where they came from, and its lines with the first side written {side}."""
    texts = [t for t, _ in stripped]
    joined = " ".join(texts)
    one_sided = _SIDE_WORD.search(joined) or _ONE_LIMB.search(joined) or _SINGLE_LIMB.search(joined)
    if not shape.side_phrases and page.sides and one_sided:
        shape.side_phrases = (page.sides,)  # the page said "switch sides" once, for every one-sided exercise
    sides, sides_from = _sides(texts, shape)
    if sides and shape.side_phrases == (page.sides,):
        sides_from = f"{sides_from}; said once for every exercise"
    if sides:
        stripped = [(_with_side(text, sides), line) for text, line in stripped]
    return sides, sides_from, stripped


def _said_steps(
    stripped: list[tuple[str, _Line]], paced_lines: set[str], labelled_setup: list[str], repeat: Amount | None
) -> tuple[list[str], list[DraftStep]]:
    """The setup said once, and the steps: each line's, with a hold after each position where the article asks."""
    steps: list[tuple[DraftStep, _Line]] = [
        (step, line)
        for text, line in stripped
        for step in ([DraftStep("say", _tidy(text))] if line.text in paced_lines else _steps_of(text))
    ]
    setup, steps = _setup(steps)
    setup = labelled_setup + setup
    if repeat is not None and repeat.high > 1:
        steps, moved = _trailing_advice(steps)
        setup += moved
    return setup, _hold_each_position([step for step, _ in steps])


def _from_page(final: list[DraftStep], repeat: Amount | None, shape: _Shape, page: _PageAmounts) -> Amount | None:
    """Amounts the page states once for every exercise fill in what this one does not say: the repeat it
    returns, or a hold appended to final."""
    if repeat is None and page.repeat is not None and not any(s.kind == "breathe" for s in final) and shape.breath is None:
        repeat = page.repeat
    # (a move timed as work, "Roll your calf for 1 minute", is timed already: the page's hold is for the held ones)
    if page.hold is not None and (repeat is None or page.single) and not any(s.kind in ("hold", "breathe", "work") for s in final):
        final.append(DraftStep("hold", "", page.hold))
    return repeat


def _circuit(final: list[DraftStep], repeat: Amount | None, page: _PageAmounts) -> Amount | None:
    """A circuit's work and rest, said once for every move, end the steps of a move that times nothing itself;
    its rounds are returned."""
    if page.work is None or repeat is not None:
        return None
    # "hold a tempo for the whole 40-second interval": the circuit's own work, no hold of its own
    final[:] = [DraftStep("say", _tidy(s.text)) if s.kind == "hold" and _same(s.amount, page.work) else s
                for s in final if not (s.kind == "hold" and _same(s.amount, page.work) and not s.text)]
    if any(s.kind in ("hold", "work", "breathe") for s in final):
        return None
    final.append(DraftStep("work", "", one_length(page.work)))
    if page.rest is not None:
        final.append(DraftStep("rest", "", one_length(page.rest)))
    return page.rounds


def one_length(amount: Amount | None) -> Amount | None:
    """A work interval or a rest is one length of time (a routine has no ranges there): a range's lower end."""
    if amount is None or amount.low == amount.high:
        return amount
    return Amount(amount.low, amount.low, amount.unit, amount.phrase, True, "the lower end of the article's range")


def _rest_after_work(final: list[DraftStep]) -> list[DraftStep]:
    """'Work for 20 seconds. Rest 10 seconds.': the pause after a work interval is its rest, not a hold."""
    return [DraftStep("rest", "", one_length(s.amount)) if s.kind == "hold" and k and final[k - 1].kind == "work"
            and re.fullmatch(r"(?:and\s+)?(?:then\s+)?rest\.?", s.text.strip(), re.I) else s for k, s in enumerate(final)]


def _closed(final: list[DraftStep], repeat: Amount | None, section: Section) -> list[DraftStep]:
    """The steps with a way out of a repeated hold, and at least one step."""
    if repeat is not None and repeat.high > 1 and final and final[-1].kind == "hold":
        final.append(DraftStep("say", RETURN_STEP, comment="added: the article does not say how to come out of the hold"))
    if not final:
        final = [DraftStep("say", f"{section.name}.", comment=_NO_INSTRUCTIONS)]
    return final


_EACH_POSITION = re.compile(r"\b(?:each|both|every)\s+(?:position|positions|pose|poses|way|end)\b", re.I)


def _hold_each_position(steps: list[DraftStep]) -> list[DraftStep]:
    """'Bend your wrist up, then down. Hold each position for 10 seconds.': a hold after each movement."""
    for i, step in enumerate(steps):
        if step.kind != "hold" or step.amount is None or not _EACH_POSITION.search(step.text):
            continue
        start = max((k + 1 for k in range(i) if steps[k].kind != "say"), default=0)
        moves = [k for k in range(start, i) if _first_word(steps[k].text) in _MOVEMENTS]
        if len(moves) < 2:
            continue
        out: list[DraftStep] = []
        for k, before in enumerate(steps[:i]):
            out.append(before)
            if k in moves:
                out.append(DraftStep("hold", "", step.amount, comment=f'from "{step.text.rstrip(".")}": after each position'))
        return out + steps[i + 1:]
    return steps


_LABEL_WORDS = frozenset(["reps", "repetitions", "sets", "hold", "time", "duration", "rest", "repeat", "each", "per", "side", "leg", "arm"])
DEFAULT_CYCLES = 4  # a breathing pattern whose article does not say how many rounds
_PATTERN_LIMIT = 12.0  # seconds: longer "holds" inside a breath are poses, not parts of a breath


# "In for 2 counts, out for 4" is a pattern too (pursed lips, coherent breathing): both phases counted.
_PATTERNS = (("inhale", "exhale"), ("inhale", "hold", "exhale"), ("inhale", "hold", "exhale", "hold"))
_BETWEEN_PHASES = 2  # said sentences a pattern's phases may have between them ("Try and lift your chest.")


def _breath_pattern(
    steps: list[DraftStep], repeat: Amount | None
) -> tuple[list[DraftStep], tuple[float, ...] | None, str | None, Amount | None]:
    """Counted 'in, hold, out (, hold)' steps are a breathing pattern: said once, then `breathe: N` cycles.

    The phases may have a few sentences between them, and may start anywhere in the cycle: box breathing
    written 'out, hold, in, hold' is the pattern 4:4:4:4 all the same.
    """
    for run in _phase_runs(steps):
        period = _one_period(run, steps)  # alternate nostril breathing: the same breath written out for each nostril
        kinds = tuple(steps[i].kind for i in period)
        turn = next((k for k in range(len(period)) if (kinds[k:] + kinds[:k]) in _PATTERNS), None)
        if turn is None:
            continue
        ordered = period[turn:] + period[:turn]
        amounts = [a for a in (steps[i].amount for i in ordered) if a is not None]
        pattern = tuple(a.low for a in amounts)
        first, last = run[0], run[-1]
        said = [DraftStep("say", s.text or "Hold your breath.") if k in run or s.kind in ("inhale", "exhale", "hold") else s
                for k, s in enumerate(steps[first: last + 1], start=first)]
        phrases = ", ".join(f'"{a.words()}"' for a in amounts)
        cycles = one_count(repeat) or Amount(
            DEFAULT_CYCLES, DEFAULT_CYCLES, "times", "", True, "default: the article does not say how many rounds")
        after = steps[last + 1:]
        # "Repeat this for four rounds, or until you feel calm", said whole, belongs before the rounds
        counted_here = [s for s in after if cycles.phrase and s.kind == "say" and cycles.phrase in s.text]
        after = [s for s in after if s not in counted_here]
        return steps[:first] + said + counted_here + [DraftStep("breathe", "", cycles)] + after, pattern, f"from {phrases}", None
    return steps, None, None, repeat


def _paced_cycles(steps: list[DraftStep], repeat: Amount | None, pace: tuple[float, ...]) -> tuple[list[DraftStep], None]:
    """A pace said in one sentence ("Breathe in for a count of 5 and out for 5") is a pattern like one said phase by
    phase: its count ("Continue for 10 breaths") or its time ("for 2 minutes") is how many cycles, never a hold."""
    cycles = one_count(repeat) or Amount(
        DEFAULT_CYCLES, DEFAULT_CYCLES, "times", "", True, "default: the article does not say how many rounds")
    return _cycles_for_a_time([*steps, DraftStep("breathe", "", cycles)], pace), None


def _cycles_for_a_time(steps: list[DraftStep], pattern: tuple[float, ...]) -> list[DraftStep]:
    """A breathing pattern's steps, its time ("Repeat for 5 minutes") made its count of cycles when it has none,
    and counts of its breaths after it ("This is one breath", "a total of four breaths") no holds of their own."""
    timed = next((s.amount for s in steps if s.kind == "work" and s.amount is not None), None)
    at = next((k for k, s in enumerate(steps) if s.kind == "breathe"), len(steps))
    told = [s.amount for k, s in enumerate(steps) if k > at and s.kind == "hold" and s.amount and s.amount.unit == "breaths"]
    out = [s for k, s in enumerate(steps)
           if s.kind != "work" and not (k > at and s.kind == "hold" and s.amount and s.amount.unit == "breaths")]
    out = _pattern_said_again(out, pattern)
    breathe = next((k for k, s in enumerate(out) if s.kind == "breathe"), None)
    counted = out[breathe].amount if breathe is not None else None
    breaths = next((a for a in told if a.low > 1), None)  # "That is one breath. Do ten full breaths."
    if breathe is not None and counted is not None and counted.note and breaths is not None:
        out[breathe] = DraftStep("breathe", "", Amount(breaths.low, breaths.low, "times", breaths.phrase, breaths.inferred))
        return out
    if timed is None or breathe is None or counted is None or not counted.note:
        return out  # the article counts the cycles itself
    seconds = timed.low * (60 if timed.unit == "minutes" else 1)
    cycles = max(1, round(seconds / sum(pattern)))
    out[breathe] = DraftStep("breathe", "", Amount(cycles, cycles, "times", timed.phrase, True,
                                                   f"{timed.words()} at {sum(pattern):g} seconds a cycle"))
    return out


def _pattern_said_again(steps: list[DraftStep], pattern: tuple[float, ...]) -> list[DraftStep]:
    """After the cycles, the pattern's counts said again in order ("the inhale for four counts, hold for two counts, ...")
    recap the breath: said, not held again."""
    at = next((k for k, s in enumerate(steps) if s.kind == "breathe"), None)
    if at is None:
        return steps
    counted = [k for k in range(at + 1, len(steps)) if steps[k].kind in ("inhale", "exhale", "hold") and steps[k].amount is not None]
    if tuple(steps[k].amount.low for k in counted[: len(pattern)]) != pattern:  # type: ignore[union-attr]
        return steps
    recap = set(counted[: len(pattern)])
    return [DraftStep("say", s.text or "Hold your breath.") if k in recap else s for k, s in enumerate(steps)]


def _same(a: Amount | None, b: Amount | None) -> bool:
    return a is not None and b is not None and (a.low, a.high, a.unit) == (b.low, b.high, b.unit)


def _one_period(run: list[int], steps: list[DraftStep]) -> list[int]:
    """The run's first breath when the run is that breath written out again and again (each phase the same length)."""
    for period in (2, 3, 4):
        if len(run) > period and len(run) % period == 0 and all(
            steps[run[k]].kind == steps[run[k % period]].kind and _same(steps[run[k]].amount, steps[run[k % period]].amount)
            for k in range(len(run))
        ):
            return run[:period]
    return run


def _phase_runs(steps: list[DraftStep]) -> list[list[int]]:
    """Runs of counted breath phases and holds, a few said sentences allowed between two of them."""
    def counted(step: DraftStep) -> bool:
        return step.kind in ("inhale", "exhale", "hold") and step.amount is not None and step.amount.unit == "seconds" \
            and step.amount.high <= _PATTERN_LIMIT

    runs: list[list[int]] = []
    for i, step in enumerate(steps):
        if not counted(step):
            continue
        # between two counted phases: sentences said, or more words of the phase before ("Feel your belly rise as you
        # breathe in" after "Breathe in for 2 counts")
        prior = steps[runs[-1][-1]].kind if runs else None
        if runs and i - runs[-1][-1] - 1 <= _BETWEEN_PHASES and all(
                s.kind == "say" or (s.kind == prior and s.amount is None) for s in steps[runs[-1][-1] + 1: i]):
            runs[-1].append(i)
        else:
            runs.append([i])
    out = []
    for run in runs:  # "Hold your breath while counting to four. ... Simply avoid breathing for 4 seconds.": one hold
        run = [i for k, i in enumerate(run) if not (k and steps[i].kind == "hold" and steps[run[k - 1]].kind == "hold"
                                                    and _same(steps[i].amount, steps[run[k - 1]].amount))]
        if any(steps[i].kind == "inhale" for i in run):
            out.append(run)
    return out


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
                steps = [*steps[:taken], (DraftStep("say", _tidy(_join(clauses[cut:]))), line), *steps[taken + 1:]]
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
    counted: dict[str, set[float]] = {"inhale": set(), "exhale": set()}
    phrases = []
    for exercise in exercises:
        for step in exercise.steps:
            if step.kind in counted and step.amount is not None:
                counted[step.kind].add(step.amount.low)
                phrases.append(step.amount.words())
        if exercise.breath is not None and len(exercise.breath) == 2:  # "in for 4, out for 6", made the exercise's pattern
            counted["inhale"].add(exercise.breath[0])
            counted["exhale"].add(exercise.breath[1])
            phrases += re.findall(r'"([^"]+)"', exercise.breath_from or "")
    if not phrases or any(len(values) > 1 for values in counted.values()):
        return None, None
    inhale = next(iter(counted["inhale"]), DEFAULT_BREATH[0])
    exhale = next(iter(counted["exhale"]), DEFAULT_BREATH[1])
    low, high = BREATH_PHASE_LIMITS
    if not (low <= inhale <= high and low <= exhale <= high):
        return None, None
    unsaid = [f"{phase} {value:g} s" for phase, value in (("in", inhale), ("out", exhale)) if not counted["inhale" if phase == "in" else "exhale"]]
    default = f"; default: {', '.join(unsaid)}, the player's own pace (the article does not count it)" if unsaid else ""
    return (inhale, exhale), "from " + ", ".join(f'"{p}"' for p in dict.fromkeys(phrases)) + default
