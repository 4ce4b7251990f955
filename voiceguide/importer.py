"""`voiceguide import`: a written exercise article -> a routine YAML a person can check and edit.

The article is read into a typed `Draft` (`read_article`), then written out as YAML with a
comment beside every value that was inferred rather than read (`routine_yaml`). Text the
importer cannot place is kept as spoken text; only layout (image captions, labels) and the
article's background before the exercises become comments, so nothing is dropped silently.
Vague amounts ("a few minutes") get the defaults documented in voiceguide.amounts.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from voiceguide.amounts import Amount, find_duration, find_reps
from voiceguide.article import IMPERATIVES, Block, Section, decode, parse_article, sentences
from voiceguide.errors import RoutineError
from voiceguide.routine import BREATH_PHASE_LIMITS, parse_routine

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


# --- reading ---------------------------------------------------------------


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
    """
    repeat repeating do doing perform switch switching swap change changing then now and the same it this that
    again everything exercise stretch movement move pose sequence steps motion on with to for using your
    opposite other side sides leg legs arm arms foot feet hand hands knee knees direction directions way also
    afterwards after once done finished when you you're you've are have all of above both each before start
    over whole entire process time cycle more in a row total
    """.split()
)
_HOLD_WORDS = frozenset(
    "hold holding held stay staying remain remaining in this that the position pose stretch posture it there "
    "here for keep keeping yourself at top".split()
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
_ADVERBS = frozenset("slowly gently now then next first finally carefully simply just also again lastly softly and".split())
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
    "lift raise lower bring rotate turn roll tilt arch round push press pull reach bend extend straighten twist "
    "drop nod shrug circle swing kick squeeze tense tighten inhale exhale breathe hold".split()
)
_BREATH_MANNER = re.compile(r"\b(?:deep|slow|full|long|calm|steady|easy|relaxed|big|gentle|complete)\s+breaths?\b", re.I)
_NOTE_START = frozenset("feel breathe relax keep let allow focus notice try don't never avoid".split())
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
                phrases.append(step.amount.phrase)
    if not phrases or any(len(values) > 1 for values in counted.values()):
        return None, None
    inhale = next(iter(counted["inhale"]), DEFAULT_BREATH[0])
    exhale = next(iter(counted["exhale"]), DEFAULT_BREATH[1])
    low, high = BREATH_PHASE_LIMITS
    if not (low <= inhale <= high and low <= exhale <= high):
        return None, None
    return (inhale, exhale), "from " + ", ".join(f'"{_phrase(p)}"' for p in dict.fromkeys(phrases))


# --- writing ---------------------------------------------------------------

WIDTH = 100


def _scalar(text: str) -> str:
    """Plain YAML when it reads back as the same text, else a double-quoted string."""
    try:
        plain_ok = yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        plain_ok = False
    return text if plain_ok and "#" not in text else json.dumps(text, ensure_ascii=False)


def _comment(text: str | None) -> str:
    return f"  # {' '.join(text.split())}" if text else ""


def _field(key: str, text: str, indent: int, comment: str | None = None, item: bool = False) -> list[str]:
    """'key: text', folded over several lines when long."""
    lead = " " * indent + ("- " if item else "") + f"{key}: "
    value = _scalar(text)
    if len(lead) + len(value) <= WIDTH:
        return [lead + value + _comment(comment)]
    inner = " " * (indent + (2 if item else 0) + 2)
    wrapped = textwrap.wrap(text, WIDTH - len(inner), break_long_words=False, break_on_hyphens=False)
    return [lead + ">-" + _comment(comment)] + [inner + line for line in wrapped]


def _phrase(words: str) -> str:
    """'for at least a minute or two' -> 'at least a minute or two'."""
    return re.sub(r"^(?:for|to)\s+", "", words, flags=re.I)


def _amount_comment(amount: Amount) -> str | None:
    return f'from "{_phrase(amount.phrase)}"' if amount.inferred else None


def _comment_block(title: str, texts: tuple[str, ...], indent: int) -> list[str]:
    pad = " " * indent
    lines = [f"{pad}# {title}"]
    for text in texts:
        for i, line in enumerate(textwrap.wrap(text, WIDTH - indent - 6, break_long_words=False)):
            lines.append(f"{pad}#   {'' if i == 0 else '  '}{line}")
    return lines


def routine_yaml(draft: Draft) -> str:
    """The draft as routine YAML in voiceguide's format, commented where values were inferred."""
    name = Path(draft.source).name
    out = [
        f"# Imported by `voiceguide import` from {name}.",
        "# Values marked '# from ...' were inferred from the article's words: check them before use.",
    ]
    if draft.unspoken:
        out += _comment_block("Not spoken: the article's background before the exercises:", draft.unspoken, 0)
    out += _field("title", draft.title, 0)
    if draft.description:
        out += _field("description", draft.description, 0)
    if draft.breath:
        out += ["settings:", f"  breath: {draft.breath[0]:g}:{draft.breath[1]:g}" + _comment(draft.breath_from)]
    out.append("exercises:")
    for exercise in draft.exercises:
        out += _field("name", exercise.name, 2, item=True)
        if exercise.unspoken:
            out += _comment_block("Not spoken (layout in the article):", exercise.unspoken, 4)
        if exercise.about:
            out += _field("about", exercise.about, 4)
        if exercise.setup:
            out.append("    setup:")
            for line in exercise.setup:
                out += _field("", line, 6, item=True)
        if exercise.sides:
            out.append(f"    sides: [{', '.join(exercise.sides)}]" + _comment(exercise.sides_from))
        if exercise.repeat is not None:
            out.append(f"    repeat: {exercise.repeat.value()}" + _comment(_amount_comment(exercise.repeat)))
        out.append("    steps:")
        for step in exercise.steps:
            if step.kind == "hold":
                assert step.amount is not None
                comments = "; ".join(filter(None, [_amount_comment(step.amount), step.comment]))
                out.append(f"      - hold: {step.amount.value()}" + _comment(comments))
                if step.text:
                    out += _field("note", step.text, 8)
            else:
                comments = "; ".join(filter(None, [step.amount and _amount_comment(step.amount), step.comment]))
                out += _field(step.kind, step.text, 6, comment=comments or None, item=True)
    return "\n".join(line.replace("- : ", "- ") for line in out) + "\n"


def import_article(data: bytes | str, source: str = "<article>") -> str:
    """An exercise article -> routine YAML that `voiceguide check` accepts.

    Raises RoutineError ("FILE: what is wrong") for a file that is not text or holds no exercises.
    """
    text = routine_yaml(read_article(data, source))
    parse_routine(text, f"{source} (imported)")  # the importer's own output must be a valid routine
    return text


def import_file(path: str | Path, output: str | Path | None = None) -> str:
    """Import the article at `path`; with `output`, also write the routine there atomically."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise RoutineError(str(path), None, "is a directory, not an article") from None
    except FileNotFoundError:
        raise RoutineError(str(path), None, "no such file") from None
    except OSError as exc:
        raise RoutineError(str(path), None, f"cannot read: {exc.strerror or exc}") from None
    text = import_article(data, str(path))
    if output is not None:
        write_atomic(Path(output), text)
    return text


def write_atomic(target: Path, text: str) -> None:
    """Write via a temp file in the target's directory and rename, so no half-written file is left."""
    folder = target.parent
    try:
        handle = tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=folder, prefix=f".{target.name}.", suffix=".tmp", delete=False
        )
    except OSError as exc:
        raise RoutineError(str(target), None, f"cannot write: {exc.strerror or exc}") from None
    try:
        with handle:
            handle.write(text)
        os.chmod(handle.name, _file_mode(target))  # temp files are private; the routine is not
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _file_mode(target: Path) -> int:
    """The target's current permissions, or those of a new file under the user's umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
