"""An exercise article's layout: its title, the exercise sections found by structure, and their blocks.

Exercises are found by the page's structure, not only by numbers: every kind of heading a page
uses (Markdown `#`, underlined, bold lines, "1. Name", "Exercise 2- Name", "A) Name", short
title lines followed by prose) is a candidate, and the kind whose sections hold instructions
is taken as the exercises. A page whose only instructions are one list of steps is one
technique: one exercise named after the page.

Articles come hard-wrapped, soft-wrapped or as Markdown (web pages arrive here as Markdown, see
voiceguide.importer.html). Lines are joined back into paragraphs with the typesetter's rule: a
line break is deliberate when the next line's first word would have fitted on the line, and
accidental (wrapping) when it would not.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, replace
from itertools import accumulate, pairwise, takewhile
from typing import Literal

from voiceguide.files import decode_text
from voiceguide.importer.amounts import find_circuit, find_duration, find_reps, find_sets
from voiceguide.importer.html import article_text, looks_like_html

BlockKind = Literal["text", "step", "caption", "label"]
# What a labelled paragraph is: spoken introduction, starting position, a comment, an amount, or instructions.
Role = Literal["about", "setup", "comment", "amount", "steps"]


@dataclass(frozen=True)
class Block:
    """A paragraph; "step" blocks were marked ("Step 2.", "2)", "-"), captions and labels are layout.

    `label` is the label the paragraph came under ("Targets", "Why it helps") and `role` what it means.
    """

    kind: BlockKind
    text: str
    label: str | None = None
    role: Role | None = None


@dataclass(frozen=True)
class Section:
    """Text under one heading. `exercise` sections hold instructions; others are background."""

    name: str
    blocks: tuple[Block, ...]
    exercise: bool = True
    heading_amount: str | None = None  # "30 secs" from "Neck tilt – 30 secs"
    heading: str = ""  # the heading as written


@dataclass(frozen=True)
class Article:
    title: str | None
    preamble: tuple[Block, ...]
    sections: tuple[Section, ...]

    @property
    def exercises(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.exercise)


def decode(data: bytes | str, source: str) -> str:
    """Article bytes -> normalized text; binary or non-UTF-8 files are a RoutineError; web pages -> their article."""
    text = decode_text(data, source)
    if looks_like_html(text):
        text = article_text(text, source)
    for fancy, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("\t", " "), ("…", "..."), ("\u00a0", " ")):
        text = text.replace(fancy, plain)
    text = _plain_figures(text)
    # Other control characters (form feeds, stray escapes) cannot be spoken or written in YAML.
    return "".join(c for c in text if c == "\n" or unicodedata.category(c) != "Cc")


# "ten (10) times", "thirty (30) seconds": a figure glossed in brackets, as forms and leaflets write it
_GLOSSED_FIGURE = re.compile(r"\b([A-Za-z]+(?:-[A-Za-z]+)?)\s+\((\d{1,3})\)")


def _plain_figures(text: str) -> str:
    """Figures as the amount reader reads them: '1½ minutes' -> '1.5 minutes', '½ minute' -> 'half a minute',
    'ten (10) times' -> '10 times' (the word and its figure said once)."""
    text = re.sub(r"(\d)\s*½", r"\1.5", text)
    text = re.sub(r"½\s*(?:a\s+)?(?=minute|min\b)", "half a ", text)
    return _GLOSSED_FIGURE.sub(lambda m: m[2] if m[1].lower().replace("-", " ") in _FIGURE_WORDS else m[0], text)


_FIGURE_WORDS = frozenset(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                           "fifteen", "twenty", "thirty", "forty", "forty five", "sixty", "ninety"])


_MARKUP = re.compile(r"\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EDITORIAL = re.compile(r"\[([^\]\[]{1,30})\](?!\()")  # "[six] times": an editor's bracket, not a link


def clean_line(line: str) -> str:
    """Drop Markdown emphasis, link targets and editorial brackets; keep the words."""
    line = _LINK.sub(lambda m: m.group(1), line)
    line = _EDITORIAL.sub(lambda m: m.group(1), line)
    return " ".join(_FUSED.sub(". ", _MARKUP.sub("", line)).split())


# A heading run into its first sentence where a page's markup was dropped: "Ankle pumpsThis exercise will help..."
_FUSED = re.compile(r"(?<=[a-z]{3})(?=(?:This|These|The|Your|You|It|To|Start|Stand|Sit|Lie|Place|Hold|Keep|Begin)\s)")


_TERMINAL = (".", "!", "?", ":", ";", ",")
# First words of instructions: a numbered line starting with one of these (and "your"/"the")
# is a step, not an exercise heading.
IMPERATIVES = frozenset(
    ["alternate", "allow", "arch", "avoid", "attempt", "bend", "begin", "bring", "breathe", "brace", "change", "clench", "cross", "circle", "clasp", "close", "come", "complete", "continue", "control", "count", "curl", "do", "draw", "drive", "drop", "engage", "ensure", "exhale", "extend", "feel", "find", "flatten", "flex", "focus", "get", "glide", "go", "grab", "hinge", "hold", "hook", "hug", "imagine", "inhale", "interlace", "jog", "jump", "keep", "kick", "kneel", "lean", "let", "lie", "lift", "look", "lower", "lunge", "make", "maintain", "march", "move", "nod", "notice", "open", "pause", "perform", "place", "practice", "practise", "point", "position", "press", "pull", "push", "put", "raise", "reach", "run", "hop", "relax", "release", "repeat", "rest", "return", "rise", "rock", "roll", "rotate", "round", "secure", "shift", "shrug", "sink", "sit", "skip", "slide", "slowly", "spread", "sprint", "squat", "squeeze", "stand", "start", "stay", "step", "straighten", "stretch", "swap", "sweep", "swing", "sway", "switch", "take", "tap", "tense", "tighten", "tie", "tilt", "tip", "trace", "try", "tuck", "turn", "twist", "use", "walk", "widen", "wrap"]
)

# --- headings ------------------------------------------------------------------

_NUMBERED = re.compile(
    r"^(?:(exercise|stretch|pose|move|movement|part|position|technique)\s+)?#?(\d{1,3})\s*(?:[.):]|[-–—](?=\s|[A-Z])|(?=[A-Z][a-z]))\s*(\S.*)$",
    re.I,
)
# A list item's mark: a dash, a bullet, or the symbol a page uses as one ("✅ Neck roll – ...")
BULLET = "[-*•–✅✔✓►▶▸▪●◦○■□➤➢→·]"
# A step's number, in figures or words: "Step 1:", "Step two:"
STEP_NUMBER = r"step\s+(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_STEP_MARK = re.compile(rf"^(?:{STEP_NUMBER}\s*[.:)-]\s*|(?:{STEP_NUMBER}|\d{{1,2}}\s*[.)]|{BULLET})\s+)(?=\S)", re.I)  # "Step 1:Stand"
_LETTERED = re.compile(r"^([A-H])\s*[.)]\s+(\S.*)$")
_SETEXT = re.compile(r"^(=+|-+)$")
# "Neck tilt – 30 secs", "Lying rest - breathe in and out slowly": a name, then an amount or a sentence.
# A dash between two numbers is a range ("Hold for 20 – 30 seconds"), never a name's end.
# "Dead bug x 10", "Plank x 30 seconds": the name, then its count or time after a multiplication sign.
_NAME_SPLIT = re.compile(r"(?<!\d)\s+[-–—|]\s+|(?<=\d)\s+[-–—|]\s+(?!\d)|:\s+|(?<=[a-z])\.\s+(?=[A-Z])|(?<=[a-z])\s+(?=[x×]\s*\d)")
# Headings that are never exercises: background, tips and the page's furniture.
NOT_EXERCISES = re.compile(
    r"^(?:(?:\w+\s+)?tips?\b|.*\btips\b|why\b|benefits?\b|the benefits|how often|how long|when to\b|when should|safety|precautions?"
    r"|warnings?\b|cautions?\b|further information|more information|references|sources|related|summary|conclusion|the bottom line"
    r"|bottom line|takeaways?|faqs?\b|frequently asked|what is\b|what are\b|who should|before you (?:start|begin)|you will need"
    r"|what you(?:'ll| will) need|equipment|about the author|share|contact|more from|recommended|the science|the research|is it safe"
    r"|risks?\b|side effects|variations?\b|modifications?\b|common mistakes|mistakes\b"
    # a part of the page or of the programme, never one exercise: "Introduction", "Morning Routine", "Phase 2"
    r"|(?:introduction|intro|overview|background|contents)$"
    r"|(?:(?:morning|afternoon|evening|night|bedtime|daily|weekly|weekend)\s+)(?:routine|programme|program|session|stretches)$"
    r"|(?:phase|week|day|stage|level)\s*\d{1,2}$)",
    re.I,
)
# A heading that only labels a part of the page: never the page's title nor an exercise's name.
_SECTION_WORD = re.compile(r"(?:summary|overview|introduction|intro|instructions|directions|contents|background|description"
                           r"|about|method|procedure|technique|steps)", re.I)
# ("Steps", "Steps to...", "Step:" label the instructions; "Step ups" is a move.)
_HOW_TO = re.compile(r"^(?:(?:here's |here is )?how to\s+(?:do|practi[cs]e|perform|try)?\s*|steps?(?=\s*(?:to\b|for\b|:|$))(?: to| for)?\s*|instructions?(?: for)?\s*|method\s*)", re.I)


@dataclass(frozen=True)
class _Heading:
    index: int
    style: str  # "md1".."md6", "num", "letter", "bold", "plain"
    name: str
    number: int | None = None
    amount: str | None = None
    body: str | None = None
    raw: str = ""
    name_line: int | None = None  # "Exercise 1:" over "Chin tucks": the line that names it, below the heading

    @property
    def body_start(self) -> int:
        return (self.index if self.name_line is None else self.name_line) + 1


def _split_name(text: str) -> tuple[str, str | None, str | None]:
    """'Neck tilt – 30 secs' -> ('Neck tilt', '30 secs', None); 'Lying rest - breathe in' -> ('Lying rest', None, 'Breathe in')."""
    inline = _INLINE_AMOUNTS.search(text)  # "Calf Pumps Sets: 2 / Repetition:10": the name, then its labelled amounts
    if inline and inline.start() > 0 and _looks_like_name(text[: inline.start()].strip(" -–—:|")):
        parts = re.split(r"\s*[/|,;]\s*|\s+(?=" + _AMOUNT_LABEL + r"\s*:)", text[inline.start():], flags=re.I)
        said = " ".join(re.sub(r"\s*:\s*", ": ", part.strip(), count=1).rstrip(".") + "." for part in parts if part.strip())
        return text[: inline.start()].strip(" -–—:|"), None, said
    bracket = re.match(r"^(.*?\w)\s*\(([^()]*)\)\s*$", text)  # "Cat-cow (1 minute)"
    if bracket and (find_duration(bracket.group(2)) or find_reps(bracket.group(2)) or find_sets(bracket.group(2))):
        return bracket.group(1).strip(), bracket.group(2).strip(), None
    match = _NAME_SPLIT.search(text)
    if not match or len(text[: match.start()].split()) > 7:
        trailing = _trailing_amount(text)
        if trailing is not None:
            return trailing[0], trailing[1], None
        return text.strip().rstrip(":").strip(), None, None
    name, rest = text[: match.start()].strip(), text[match.end():].strip()
    if not rest:
        return name, None, None
    if len(rest.split()) <= 6 and _starts_with_amount(rest):
        return name, rest, None
    if match.group(0).strip() == ":" and (_is_title_cased(rest) or _KIND.fullmatch(name)) and _looks_like_name(rest) \
            and len(rest.split()) <= 6:
        return rest, None, None  # "Pelvic Floor Contractions: Long Holds", "Stretch: Cobra": the subject, then the exercise
    if _looks_like_name(name):
        return name, None, rest[0].upper() + rest[1:]
    return text.strip(), None, None


# "Ankle Circles 2-3 sets of 10 reps each direction": a title, then its amount with nothing between them.
_TRAILING_AMOUNT = re.compile(r"^(?P<name>[A-Z][^\d:]*?[A-Za-z)])\s+(?P<amount>\d[^.!?]*)$")


def _trailing_amount(text: str) -> tuple[str, str] | None:
    """A title-cased name (or one word that is no instruction) run straight into an amount, as a card or a table row sets it."""
    match = _TRAILING_AMOUNT.match(text.strip())
    amount = match["amount"] if match else ""
    if match is None or len(amount.split()) > 10 or not (find_duration(amount) or find_reps(amount) or find_sets(amount)):
        return None  # "Group 1", "Week 2": a number, but no amount
    name = match["name"]
    words = name.split()
    if words[-1].lower() in _SMALL_WORDS:
        return None  # "Hold for 20 – 30 seconds": an instruction, its amount after a preposition
    titled = len(words) >= 2 and _is_title_cased(_GLOSS_IN_NAME.sub("", name))
    if not (titled or (len(words) == 1 and words[0].lower() not in IMPERATIVES)) or not _looks_like_name(name):
        return None
    return name, match["amount"]


# A heading's first word that only says what kind of thing follows: "Stretch: Child's pose", "Exercise: Bridge".
_KIND = re.compile(r"(?:exercise|stretch|pose|move|movement|position|drill|technique|asana)", re.I)
_SMALL_WORDS = frozenset({"a", "an", "and", "the", "of", "to", "for", "in", "on", "with", "or", "at", "by", "your"})


def _is_title_cased(text: str) -> bool:
    """'Long Holds', 'Cobra', 'Sit to Stand': every word but the small ones capitalised, no sentence mark."""
    words = text.split()
    return 1 <= len(words) <= 6 and not text.endswith(_TERMINAL) and all(
        w[0].isupper() or w.isdigit() for w in words if w.lower() not in _SMALL_WORDS)


def _starts_with_amount(text: str) -> bool:
    """'30 secs', '10 reps each side', '2 x 30 seconds', 'hold for one minute' - not 'roll your shoulders 10 times'."""
    text = re.sub(r"^(?:hold|holding|rest|do|for)\s+(?:for\s+)?", "", text.strip(), flags=re.I)
    found = [f for f in (find_duration(text), find_reps(text), find_sets(text)) if f]
    return bool(re.match(r"^\d", text)) or any(f[0] == 0 for f in found)


def _looks_like_name(name: str) -> bool:
    words = name.split()
    if not words or len(words) > 9 or name.endswith(_TERMINAL) or not name[0].isalnum():
        return False
    if find_duration(name) or find_reps(name):
        return False  # "Hold for 10 seconds and relax" is a step
    lowered = [w.lower().strip(",") for w in words]
    if " ".join(lowered) in _PHASE_NAMES:
        return False  # "1. Inhale: breathe in for 4": a phase of one technique, not an exercise
    if _is_conditioned(name):
        return False
    small = {"a", "an", "and", "the", "of", "to", "for", "in", "on", "with", "or", "at", "by", "your"}
    titled = _GLOSS_IN_NAME.sub("", name).split()  # "Sit to Stand (strength)": the gloss in brackets is no word of the title
    if len(titled) >= 2 and all(w[0].isupper() for w in titled if w.lower() not in small):
        return True  # "Sit to Stand", "Lie Down and Hug": a title, not a sentence
    return not (lowered[0] in IMPERATIVES and any(w in ("your", "the", "you", "a", "to", "one", "both") for w in lowered[1:]))


_GLOSS_IN_NAME = re.compile(r"\s*\([^()]*\)")
# Words that open a condition on an instruction, never a name.
_CONDITIONS = frozenset(["while", "whilst", "when", "if", "as", "once", "until", "keeping", "holding", "using"])


def _is_conditioned(line: str) -> bool:
    """'While seated, place your feet apart', 'Sit down, lift your heels': an instruction under a condition, no name."""
    first = re.match(r"[A-Za-z']+", line)
    return (first is not None and first[0].lower() in _CONDITIONS) or any(
        w.lower() in IMPERATIVES for w in re.findall(r",\s*(?:then\s+)?([A-Za-z]+)", line))


# A breath's phases and a pause name steps of one technique, never an exercise.
_PHASE_NAMES = frozenset(["inhale", "exhale", "hold", "breathe in", "breathe out", "breath in", "breath out", "rest", "relax",
                          "repeat", "pause", "release", "hold your breath"])


_ROMAN = re.compile(r"^(X?(?:IX|IV|V?I{1,3}|V)|X)\s*[.)]\s+(?=[A-Z])")
_ROMAN_VALUES = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11, "XII": 12}


def _numbered(line: str) -> tuple[int, str, str | None, str | None] | None:
    """A numbered or 'Exercise N' heading: (number, name, heading amount, sentence after the name); 'II. Clamshell' too."""
    roman = _ROMAN.match(line)
    if roman and roman.group(1) in _ROMAN_VALUES:
        line = f"{_ROMAN_VALUES[roman.group(1)]}. {line[roman.end():]}"
    match = _NUMBERED.match(line)
    if not match:
        return None
    name, amount, body = _split_name(match.group(3))
    if not _looks_like_name(name):
        return None
    return int(match.group(2)), name, amount, body


def _is_short_title(line: str) -> bool:
    """A short line without sentence punctuation that starts with a capital: a plain heading's shape."""
    words = line.split()
    return 1 <= len(words) <= 8 and line[:1].isupper() and not line.endswith(_TERMINAL) and not _is_caption_text(line)


def _heading_shaped(line: str) -> bool:
    """A short title line, or a short title with its amount after it ('Seated Calf Stretch 3 sets of 30-second holds')."""
    trailing = _trailing_amount(line)
    return _is_short_title(line) or (trailing is not None and _is_short_title(trailing[0]))


def _is_prose(line: str) -> bool:
    return line.endswith((".", "!", "?", ")", '"')) or len(line.split()) >= 9


def _headings(raw: list[str], lines: list[str]) -> list[_Heading]:
    """Every line shaped like a heading, with its style."""
    found: list[_Heading] = []
    # Where paragraphs are set apart by blank lines, so are headings; elsewhere a heading follows a full stop.
    filled = [i for i, line in enumerate(lines) if line]
    spaced = bool(filled) and any(not line for line in lines[filled[0]: filled[-1]])
    tail = _unspaced_tail(lines) if spaced else len(lines)
    # Only hard-wrapped text runs its lines on after a full stop: elsewhere a line is a line, and a short title line
    # after a sentence heads what follows even where some paragraphs are set apart by blank lines.
    width = _wrap_width(lines)
    wrapped = width is not None
    stacked = not wrapped and not spaced  # one paragraph a line, no blank lines: a heading may sit under another line
    spaced = spaced and wrapped
    for i, line in enumerate(lines):
        if not line:
            continue
        style, content = _heading_style(raw, lines, i)
        heading = _styled_heading(i, style, content) if style else _unstyled_heading(lines, i, spaced and i < tail, width, stacked)
        if heading is not None:
            found.append(_named_below(heading, lines))
    # headed only as the tail's (not the second of two title lines that open a paragraph: "Cobra" over "Bhujangasana")
    run_in = [h for h in found if h.index >= tail and h.style == "plain" and lines[h.index - 1]
              and not (_is_short_title(lines[h.index - 1]) and (h.index < 2 or not lines[h.index - 2]))]
    if len(run_in) < 2:  # one short line in the last paragraph is no list
        found = [h for h in found if h not in run_in]
    stopped = [h for h in found if h.style == "stop"]
    if len(stopped) < 2:  # one title with a full stop is a page's subtitle or a sentence, not a series of headings
        found = [h for h in found if h not in stopped]
    naming = {h.name_line for h in found}  # "#1" over "Cat-cow pose": that line names the heading above, heads nothing
    return [h for h in found if h.index not in naming]


def _unspaced_tail(lines: list[str]) -> int:
    """Where the page's last blank line is: a spaced introduction can sit over an exercise list typed line by line,
    whose plain headings each follow a full stop."""
    return max((i for i, line in enumerate(lines) if not line and any(lines[i:])), default=-1) + 1


_NUMBER_ONLY = re.compile(r"^(?:exercise|stretch|pose|move|movement|part|position|technique|drill)?\s*#?\d{1,3}$", re.I)


def _named_below(heading: _Heading, lines: list[str]) -> _Heading:
    """'Exercise 1:' (or '## 2') over a short title line: the exercise is named by that line."""
    if not _NUMBER_ONLY.match(heading.name.strip(" :.")) or heading.body:
        return heading
    below = next((j for j in range(heading.index + 1, min(heading.index + 3, len(lines))) if lines[j]), None)
    if below is None or not _is_short_title(lines[below]) or not _looks_like_name(lines[below]) \
            or re.search(r"\b(?:your|you)\b", lines[below], re.I):  # "Sitting or lying on your back": its setup, no name
        return heading
    name, amount, body = _split_name(lines[below])
    number = heading.number if heading.number is not None else int(re.sub(r"\D", "", heading.name) or 0) or None
    return replace(heading, name=name, amount=amount or heading.amount, body=body, number=number, name_line=below,
                   raw=f"{heading.raw} {lines[below]}")


def _heading_style(raw: list[str], lines: list[str], i: int) -> tuple[str, str]:
    """The markup that makes line i a heading (md1-md6, bold; "" for none), and its text without it."""
    line, text = lines[i], raw[i].strip()
    md = re.match(r"^(#{1,6})(?:\s+(.*))?$", text)  # "##" alone: a heading whose name the page left out
    if md:
        return f"md{len(md.group(1))}", clean_line(md.group(2) or "")
    if i + 1 < len(lines) and _SETEXT.match(raw[i + 1].strip()) and len(raw[i + 1].strip()) >= 3:
        return ("md1" if raw[i + 1].strip()[0] == "=" else "md2"), line
    if re.fullmatch(r"(\*\*|__)[^*_]+\1:?", text) and len(line.split()) <= 10 and not line.endswith(":"):
        return "bold", line
    lead = _BOLD_LEAD.match(text)
    if lead and len(_GLOSS_IN_NAME.sub("", lead["name"]).split()) <= 6 and _looks_like_name(lead["name"]):
        return "bold", f"{clean_line(lead['name'])}: {clean_line(lead['rest'])}"  # "**Bridge.** Lie on your back..."
    return "", line


# A paragraph led by its bold name: "**Bridge.** Lie on your back...", "**Bird dog:** Kneel on all fours..."
_BOLD_LEAD = re.compile(r"^(\*\*|__)(?P<name>[^*_]{2,60}?)\s*[.:]?\s*\1\s*[.:]?\s+(?P<rest>\S.*)$")


def _styled_heading(i: int, style: str, content: str) -> _Heading | None:
    """A marked-up heading, unless it is a "Step 2" heading."""
    numbered = _numbered(content)
    if numbered:
        number, name, amount, body = numbered
        return _Heading(i, style, name, number, amount, body, content)
    if re.match(rf"^{STEP_NUMBER}\b", content, re.I):
        return None
    name, amount, body = _split_name(content)
    return _Heading(i, style, name, None, amount, body, content)


def _unstyled_heading(lines: list[str], i: int, spaced: bool, width: int | None = None, stacked: bool = False) -> _Heading | None:
    """A plain line that heads an exercise: numbered, lettered, a list item, or a short title over prose."""
    line = lines[i]
    if _STEP_LABEL.match(line) or _is_bare_label(line):
        return None  # "Step 2", "Step 2: Turn & hold": a step of the exercise above; "Movement": a label inside one
    numbered = _numbered(line)
    lettered = _LETTERED.match(line)
    if numbered:
        number, name, amount, body = numbered
        return _Heading(i, "num", name, number, amount, body, line)
    if _NUMBER_ONLY.match(line.strip(" :.")) and re.search(r"[#a-z]", line, re.I):  # "#1", "Exercise 2:" over its name
        bare = _Heading(i, "num", line.strip(" :."), int(re.sub(r"\D", "", line)), None, None, line)
        named = _named_below(bare, lines)
        if named.name_line is not None:
            return named
        under = [lines[j] for j in range(i + 1, min(i + 4, len(lines))) if lines[j]]
        if under and _instructions(under) > 0:  # "Exercise 1" over its instructions: the number is its name
            return replace(bare, style="plain")
    if lettered and _looks_like_name(_split_name(lettered.group(2))[0]):
        name, amount, body = _split_name(lettered.group(2))
        return _Heading(i, "letter", name, ord(lettered.group(1)) - ord("A") + 1, amount, body, line)
    if (item := _list_item(line)) is not None:
        return _Heading(i, "item", *item, line)
    lead = _NAME_LEAD.match(line)
    # "Sit to stand: Sit on a chair...". After a dash, a name in capitals ("Knee to Chest- Lay with...") or one that is no
    # instruction itself, with one at once after it ("Cat-cow pose- Get on all fours"): not "Regular practice of Downward
    # dog – Adho Mukha Svanasana will help...", "Relax your thighs – ...", nor a chain of dashes ("In for 4 – Hold – Out").
    # "Static gluteal squeezes – This exercise is important to...": the sentence after the dash speaks of the named move.
    described = lead is not None and _DESCRIBES_IT.match(lead["rest"]) is not None
    lead_named = lead is not None and (lead["sep"] == ":" or (not re.search(r"\s[-–—]\s", lead["rest"]) and (
        _is_title_cased(lead["name"]) or lead["name"].isupper() or described
        or (lead["name"].split()[0].lower() not in IMPERATIVES and _instructions(sentences(lead["rest"])[:1]) > 0)
    )))
    if lead and lead_named and _is_lead_name(lead["name"]) and (_instructions([_run_on_text(lead["rest"], lines, i, width)]) > 0
                                                                 or (described and _instructions(_lines_under(lines, i)) > 0)):
        return _Heading(i, "lead", lead["name"], None, None, lead["rest"], line)
    below = _text_below(lines, i)
    after = lines[below] if below is not None else ""
    before = lines[i - 1] if i else ""
    if _heading_shaped(line) and _over_text(lines, below, width) and _placed_as_heading(line, before, spaced, width, stacked):
        name, amount, body = _split_name(line)
        return _Heading(i, "plain", name, None, amount, body, line)
    if _is_stopped_title(lines, i) and _is_prose(after):
        name, amount, body = _split_name(line[:-1])
        return _Heading(i, "stop", name, None, amount, body, line)
    if _is_named_label(line) and after and not _is_named_label(after):
        return _Heading(i, "colon", line[:-1].strip(), None, None, None, line)
    return None


def _over_text(lines: list[str], below: int | None, width: int | None) -> bool:
    """Is the line under a candidate heading text it could head? Prose, a labelled line ("Child's Pose" over "Hold: 5-8
    breaths"), a marked step ("- Start by standing up straight"), an unpunctuated instruction ("Sit down, lift your heels"),
    a copy's last line cut short, or, hard-wrapped, a short line that runs on ("Lying on your back with bent knees, lift")."""
    if below is None:
        return False
    after = lines[below]
    instructs = _instructions([after]) > 0
    return _is_prose(after) or (width is not None and _runs_on(lines, below, width)) or _labelled_line(after) \
        or _cut_off(after, lines) or (instructs and not _looks_like_name(after)) or (instructs and _STEP_MARK.match(after) is not None)


def _placed_as_heading(line: str, before: str, spaced: bool, width: int | None, stacked: bool) -> bool:
    """Does a heading-shaped line stand where a heading can, after what comes before it? Not a label ('Hold: 5 breaths'),
    not an instruction under a condition, not the line under 'Exercise 1:' (its name or setup), not a row of a card's data
    ('Intensity: Light' under 'Sets: 1'); and after a blank line or the end of a paragraph."""
    if _labelled_line(line) or _is_conditioned(line) or (before and _NUMBER_ONLY.match(before.strip(" :.")) is not None):
        return False
    if ":" in line and _labelled_line(before):
        return False
    return not before or ((not spaced or _sentence_ended(before, line, width)) and _ends_paragraph(before, line, width, stacked))


def _text_below(lines: list[str], i: int) -> int | None:
    """Where the first line under line i that is text is: a step's label ("Step 1"), a picture's caption ("slide 1 of 10"),
    the heading said again (an image's name) and a bare label ("Starting Position") stand between a heading and its text."""
    return next((j for j in range(i + 1, len(lines)) if lines[j] and not _STEP_LABEL.match(lines[j])
                 and not _is_caption_text(lines[j]) and lines[j] != lines[i] and not _is_bare_label(lines[j])), None)


def _is_bare_label(line: str) -> bool:
    """'Starting Position', 'Movement', 'Setup' alone on a line: a label the reader knows, over what it labels.
    Amount labels are left out: 'Hold' alone is as likely a phase in a list of them."""
    return LABEL_ROLES.get(line.strip().rstrip(":").strip().lower(), "amount") != "amount"


# Words of a sentence, not of a name: "Your knee should stay bent." is a sentence with a full stop.
_SENTENCE_WORDS = frozenset(["you", "your", "it", "this", "that", "these", "is", "are", "was", "should", "will", "can", "may",
                             "must", "do", "does", "be", "we", "i", "my", "our", "not"])


def _is_stopped_title(lines: list[str], i: int) -> bool:
    """'Calf (back of the lower leg) stretch.': a title ending in a full stop, a paragraph of its own between blank lines.
    Headed lines of this shape form a style of their own, chosen only when they head the page's instructions."""
    line = lines[i]
    name = line[:-1].rstrip()
    if not line.endswith(".") or line.endswith("..") or re.search(r"[.!?;]", name) or not _is_short_title(name):
        return False
    alone = (i == 0 or not lines[i - 1]) and (i + 1 == len(lines) or not lines[i + 1])
    words = re.findall(r"[a-z']+", _GLOSS_IN_NAME.sub("", name).lower())
    return alone and bool(words) and words[0] not in IMPERATIVES and not (_SENTENCE_WORDS | _SUBJECT_VERBS) & set(words) \
        and _looks_like_name(name) and not NOT_EXERCISES.match(name)


_DESCRIBES_IT = re.compile(r"^(?:this|these|it)\s+(?:(?:exercise|stretch|pose|move|movement|position)s?\s+)?"
                           r"(?:is|are|will|helps?|can|strengthens?|stretches|works?|targets?|improves?)\b", re.I)


def _lines_under(lines: list[str], i: int) -> list[str]:
    """The few lines of text under line i: what a run-in heading's move says next."""
    return [line for line in lines[i + 1: i + 12] if line][:6]


def _run_on_text(text: str, lines: list[str], i: int, width: int | None) -> str:
    """Hard-wrapped, line i's text with the lines it runs on into ('Leg stretches: Lying on your back with your knees
    bent, / lift one knee...'): the sentence a short line starts, whole."""
    parts = [text]
    j = i
    while width is not None and j - i < 8 and _runs_on(lines, j, width):
        j += 1
        parts.append(lines[j])
    return " ".join(parts)


def _runs_on(lines: list[str], j: int, width: int) -> bool:
    """Hard-wrapped, does line j go on into the next line (the next line's first word would not have fitted)?"""
    return j + 1 < len(lines) and bool(lines[j + 1]) and not _deliberate_break(lines[j], lines[j + 1], width)


def _sentence_ended(line: str, after: str, width: int | None) -> bool:
    """A sentence's end where the line was broken on purpose: hard-wrapped, the next line's first word would have fitted.
    Where blank lines set most paragraphs apart, a heading under a paragraph with no blank line must show this."""
    return width is not None and line.endswith((".", "!", "?", ":")) and _deliberate_break(line, after, width)


def _ends_paragraph(line: str, after: str, width: int | None, stacked: bool) -> bool:
    """Does a line end its paragraph, so that the short line after it can head what follows? A sentence's end does; so
    does a list item ('- Repeat 2/3 times each leg') or a label; and where no blank line sets paragraphs apart and no
    line is wrapped, every line ('Description of stretches' over 'Half kneeling hip flexor stretch')."""
    if line.endswith(_TERMINAL) or stacked:
        return True
    # a numbered title ("1. Hugging knees to chest") heads the line after it: that line is its text, not another heading
    item = (_STEP_MARK.match(line) is not None or _NUMBERED.match(line) is not None) and (width is None or _numbered(line) is None)
    # a title over a title ("Best TMJ exercises" over "Tongue-up controlled opening"): the second, a name, heads its own text
    titled = _heading_shaped(line) and ":" not in line and not _NUMBER_ONLY.match(line.strip(" :.")) and _looks_like_name(after) \
        and (after.split()[0].lower() not in IMPERATIVES or _is_title_cased(after))  # not "Return to start" over "Relax and repeat"
    ends = item or titled or _is_bare_label(line) or _labelled_line(line)
    # hard-wrapped, an item ends where the next line's first word would have fitted on it (the typesetter's rule)
    return ends and (width is None or _deliberate_break(line, after, width))


def _cut_off(line: str, lines: list[str]) -> bool:
    """The page's last line, an instruction broken off mid-sentence ('Stand tall with your'): a copy cut short."""
    return line == next((text for text in reversed(lines) if text), "") and _instructions([line]) > 0


def _labelled_line(line: str) -> bool:
    """'Hold: 5-8 breaths', 'Modification: Knees together': a label the reader knows, then what it says."""
    found = _LABEL_AT.match(line)
    return found is not None and bool(line[found.end():].strip())


# A paragraph that names its exercise before a colon or a dash: "Sit to stand: Sit on a chair with your feet flat. ...",
# "Knee to Chest- Lay with back flat on the floor. ..."
# "Opening/Stretch - Open...", "Quadriceps exercise (Stage 1): The quadriceps is..."
_NAME_LEAD = re.compile(r"^(?P<name>[A-Z][\w'’ /-]{1,40}?(?:\s*\([^()]{1,30}\))?)\s*(?P<sep>:|[-–—])\s+(?P<rest>[A-Z]\S.*)$")


# Words before a colon that grade or label a move rather than name it: "Easy: Seal jack", "Option 2: ..."
_LEVELS = re.compile(r"^(?:easy|easier|hard|harder|beginners?|intermediate|advanced|modified|modification|option|variation|regression"
                     r"|progression|level|tier|round|set|week|day|part|phase|goal|aim|purpose|note|result|why|how|what|when|where)\b", re.I)


def _is_lead_name(name: str) -> bool:
    """'Sit to stand', 'Heel raises': a name; not 'Easy', 'Starting position', 'Why', 'Bend your knee'."""
    words = _GLOSS_IN_NAME.sub("", name).split()  # "Straight leg raise with heel lift (Stage 3)": six words and a gloss
    lowered = [w.lower() for w in words]
    return 1 <= len(words) <= 6 and not _LEVELS.match(name) and name.lower() not in LABEL_ROLES and not NOT_EXERCISES.match(name) \
        and lowered[0] not in _LEAD_IN and not _is_caption_text(name) and not _STEP_LABEL.match(name) \
        and not find_duration(name) and not find_reps(name) and not (lowered[0] in IMPERATIVES and {"your", "the", "you"} & set(lowered))


# "Step 3", "Step 3:", "Step 3: Rotate & hold": a step's label, over the step's sentences.
_STEP_LABEL = re.compile(rf"^{STEP_NUMBER}\s*(?:[.:)-]\s*(?:[A-Z][^.!?]{{0,40}})?)?$", re.I)
# Words that start a colon-ended line introducing what follows, not naming an exercise.
_LEAD_IN = frozenset(["to", "here", "here's", "how", "this", "these", "the", "for", "in", "when", "if", "you", "your", "it", "follow",
                      "try", "do", "what", "why", "see", "our", "my", "a", "an", "as", "note", "first", "then", "next", "below"])


def _is_named_label(line: str) -> bool:
    """'Heel lift:', 'Towel Stretch:': a short name ending in a colon, heading the lines below it."""
    if not line.endswith(":") or line.endswith("::"):
        return False
    name = line[:-1].strip()
    words = _GLOSS_IN_NAME.sub("", name).split()  # "Straight leg raise (Stage 3):": the gloss is no word of the name
    return (
        1 <= len(words) <= 6 and name[:1].isupper() and words[0].lower() not in _LEAD_IN and _looks_like_name(name)
        and name.lower() not in LABEL_ROLES and not NOT_EXERCISES.match(name) and not _is_caption_text(name)
    )


def _list_item(line: str) -> tuple[str, None, str | None, str | None] | None:
    """'- Knee rolls: lie on your back...' or '* Neck tilt – 30 secs': a list of named exercises."""
    mark = re.match(rf"^{BULLET}\s+(?=\S)", line)
    if not mark:
        return None
    text = line[mark.end():]
    name, amount, body = _split_name(text)
    if name == text.strip() or name.lower() in LABEL_ROLES or not (amount or body):
        return None
    if name.split()[0].lower() in _POINT_WORDS:
        return None  # "- For all levels – ...", "- You don't need any equipment – ...": a point made, not a move
    return name, None, amount, body


# Words a list item's lead starts with when it makes a point about the workout rather than naming a move.
# ("- While sitting or standing – glide your head back": a condition, then the instruction; no name either.)
_POINT_WORDS = frozenset(["you", "your", "you'll", "you're", "for", "if", "when", "why", "how", "it", "it's", "this", "these",
                          "there", "no", "not", "while", "as", "once", "after", "before", "until", "without"])


_SUBJECT_VERBS = frozenset(["is", "are", "was", "were", "has", "have", "can", "will", "may", "helps", "promotes", "improves",
                            "reduces", "increases", "works", "uses", "involves", "requires", "targets", "allows", "lets", "means",
                            "gives", "makes", "calms", "relaxes", "activates", "balances"])
_ADVERBS = frozenset(["also", "thus", "then", "often", "usually", "really", "simply", "primarily", "mainly", "therefore"])


def _statement(words: list[str]) -> bool:
    """'Alternate nostril breathing is...', 'Stretching helps...': a subject and its verb, not an imperative
    ('Hold until it is comfortable' stays one: a pronoun or a conjunction comes before the verb)."""
    for word in [w for w in words[1:6] if w not in _ADVERBS][:3]:
        if word in _SUBJECT_VERBS:
            return True
        if word in ("it", "this", "that", "you", "they", "there", "until", "when", "if", "as", "and", "or", "your", "the", "a"):
            return False
    return False


def _instructions(lines: list[str]) -> int:
    """How many sentences in these lines are instructions (an imperative, an amount or a marked step)."""
    count = 0
    for sentence in sentences(" ".join(_STEP_MARK.sub("", line) for line in lines if line)):  # "- Secure... - Come...": two
        first = re.sub(rf"^(?:{STEP_NUMBER}\s*[.:)-]?|\d{{1,2}}\s*[.)]|{BULLET})\s*", "", sentence, flags=re.I)
        # "If it hurts, stop", "Lying on your back, lift one leg": the condition or position, then the instruction
        opener = re.match(r"[a-z]+", first, re.I)
        participle = opener is not None and opener[0].lower().endswith("ing") and opener[0].lower() not in IMPERATIVES
        first = re.sub(r"^(?:if|when|as|while|once|after|before|with|keeping|using|from|on|in)\b[^,]*,\s*", "", first, flags=re.I)
        first = re.sub(r"^[^,]*,\s*", "", first) if participle else first
        words = re.findall(r"[a-z']+", first.lower())
        while words and (words[0].endswith("ly") or words[0] in ("now", "then", "next", "first", "finally", "and", "gently")):
            words.pop(0)
        if (words and words[0] in IMPERATIVES and not _statement(words)) or find_duration(sentence) or find_reps(sentence) \
                or find_sets(sentence):
            count += 1
    return count


# The start of a block of links to other pages: everything from it on is the site's, not the article's.
_RELATED_BLOCK = re.compile(r"^(?:#{1,6}\s*)?(?:\*\*)?(?:related(?: articles| posts| content| pages| reading| links| stories)?"
                            r"|you (?:may|might) also (?:like|enjoy)|read next|more (?:articles|stories|posts) (?:like this|from \w+)"
                            r"|recommended (?:for you|articles|reading)|popular (?:posts|articles))\W*$", re.I)


def parse_article(text: str) -> Article:
    """The article's title, the text before the exercises, and one Section per heading of the exercises' kind;
    a block of links to other pages after it ("Related articles") is one last section, never an exercise."""
    lines = text.split("\n")
    filled = [k for k, line in enumerate(lines) if line.strip()]
    cut = next((k for k in filled[len(filled) // 3:] if _RELATED_BLOCK.match(lines[k].strip())), None) if len(filled) > 6 else None
    if cut is None:
        return _parse_article(text)
    article = _parse_article("\n".join(lines[:cut]))
    links = tuple(Block("caption", clean_line(line)) for line in lines[cut + 1:] if line.strip())
    heading = clean_line(lines[cut].lstrip("#"))
    return replace(article, sections=(*article.sections, Section(heading, links, False, None, heading)))


def _parse_article(text: str) -> Article:
    raw = _cards_named_below(_tables_as_lines(text.split("\n")))
    lines = [clean_line(line) for line in raw]
    for i, line in enumerate(raw):  # underlines and rules are layout, not text
        if (_SETEXT.match(line.strip()) and len(line.strip()) >= 3) or re.fullmatch(r"\s*(?:\*\s*){3,}|\s*_{3,}\s*", line):
            lines[i] = ""
    first_line = next((i for i, line in enumerate(lines) if line), None)
    if first_line is None:
        return Article(None, (), ())
    headings = _headings(raw, lines)
    every_heading = headings
    title = None
    start = 0
    skipped: list[Block] = []  # page furniture above the title, kept as comments
    top = headings[0] if headings and headings[0].index == first_line else None
    if top is None or top.style not in ("num", "letter"):
        title = lines[first_line].lstrip("#").strip()
        start = first_line + 1
        if _is_caption_text(title):  # "Skip to content", "Menu", an image's caption: the page's title is further down
            title, start = _title_below_furniture(lines, first_line)
            skipped = [Block("caption", line) for line in lines[first_line: start - 1 if title else start] if line]
    labelled = title is not None and bool(_SECTION_WORD.fullmatch(title.rstrip(":")))
    if labelled:  # "Summary" over the page's first paragraph: a section's label, not its title
        title = None
    headings = [h for h in headings if h.index >= start]
    width = _wrap_width(lines) or _paragraph_gaps(lines)
    chosen = _named_above(_choose(headings, lines), lines)
    if title is None and top is not None and top not in chosen and not labelled:  # "2. Downward dog", one of a series
        title, start = lines[first_line], first_line + 1
        chosen = [h for h in chosen if h.index >= start]
    first_exercise = _first_line_exercise(every_heading, chosen, lines, first_line)
    if title is not None and first_exercise is not None:  # "## Neck tilt" first, like the exercises after it
        title, start, chosen = None, first_line, [first_exercise, *chosen]
    if not chosen:
        return _name_list(title, lines, start, width, skipped) or _one_technique(title, lines, start, width, skipped)
    bounds = [(h.index, h) for h in chosen] + [(len(lines), None)]
    preamble = (*skipped, *_blocks(lines, start, bounds[0][0], width, in_section=False))
    sections = []
    for (_, heading), (end, _) in pairwise(bounds):
        assert heading is not None
        body_lines = lines[heading.body_start: end]
        body = (_labelled([Block("text", heading.body)]) if heading.body else []) + list(
            _blocks(lines, heading.body_start, end, width, in_section=True))
        is_exercise = not NOT_EXERCISES.match(heading.name) and heading.name.lower() not in LABEL_ROLES and (
            _instructions(body_lines + ([heading.body] if heading.body else [])) > 0 or heading.amount is not None
        )
        sections.append(Section(heading.name, tuple(body), is_exercise, heading.amount, heading.raw))
    sections = _name_generic(_closing_after_inline(_siblings_alike(_introduced(sections), chosen), chosen), title)
    if not any(s.exercise for s in sections):
        return _one_technique(title, lines, start, width, skipped)
    return Article(title, preamble, tuple(sections))


# "The following exercises should be started gently", "These stretches help...": words about the exercises, not one of them.
_ABOUT_THE_EXERCISES = re.compile(r"\b(?:the following|these|all (?:the|of the|these)|each of the|the)\s+(?:\w+\s+)?"
                                  r"(?:exercises|stretches|poses|movements|moves)\b(?!\s+(?:is|are)\s+(?:a|an|one)\b)", re.I)


def _introduced(sections: list[Section]) -> list[Section]:
    """The first section, under a subtitle ('Information and Exercise Sheet'), when it opens by speaking of the exercises
    that follow it: the page's introduction, background for them all, when exercises follow it."""
    if len(sections) < 3 or not sections[0].exercise or sum(s.exercise for s in sections[1:]) < 2:
        return sections
    opening = next((b.text for b in sections[0].blocks if b.kind in ("text", "step")), "")
    if not _ABOUT_THE_EXERCISES.search(sentences(opening)[0] if opening else ""):
        return sections
    return [replace(sections[0], exercise=False), *sections[1:]]


def _siblings_alike(sections: list[Section], chosen: list[_Heading]) -> list[Section]:
    """Headings of one style between and just after the exercises head exercises too: 'Squat jumps' over 'Squat down,
    then jump up' is a move like its siblings, even when its first word is no verb the reader knows."""
    exercises = [h.style for s, h in zip(sections, chosen, strict=True) if s.exercise]
    if len(exercises) < 2 or len(set(exercises)) != 1:
        return sections
    style = exercises[0]
    last = max(k for k, s in enumerate(sections) if s.exercise)
    out = []
    for k, (section, heading) in enumerate(zip(sections, chosen, strict=True)):
        # not a name said again under its exercise: "Heel raises" under "Figure 1." is the picture's caption
        named_before = section.name.casefold() in {s.name.casefold() for s in sections[:k]}
        alike = (heading.style == style and k <= last + 1 and not section.exercise and section.blocks and _looks_like_name(section.name)
                 and not NOT_EXERCISES.match(section.name) and section.name.lower() not in LABEL_ROLES and not named_before
                 and any(k2 < k and s.exercise for k2, s in enumerate(sections)))
        out.append(replace(section, exercise=True) if alike else section)
    return out


_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_RULE_ROW = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$")
_TABLE_NAME = re.compile(r"^(?:exercises?|stretch(?:es)?|moves?|movements?|poses?|name|activity|drill|workout)$", re.I)
# A column of instructions beside the amounts: "| Stretch | How to do it | Hold |"
_TABLE_TEXT = re.compile(r"^(?:how to(?: do it)?|instructions?|description|how|steps?|what to do|technique|directions|method)$", re.I)


def _column_label(label: str, cell: str) -> str:
    """The label a table's cell is read under: instructions as "How to"; a time under "Reps" is a hold."""
    if _TABLE_TEXT.match(label):
        return "How to"
    return "Hold" if find_duration(cell) and _COUNT_COLUMN.match(label) else label


_COUNT_COLUMN = re.compile(r"^(?:reps?|repetitions?|each side|time|duration|hold)$", re.I)  # a time there is how long to hold
_TABLE_AMOUNT = re.compile(r"^(?:sets?|reps?|repetitions?|hold|time|duration|rest|work|rounds?|seconds|minutes|each side)$", re.I)


def _tables_as_lines(raw: list[str]) -> list[str]:
    """Markdown tables as lines the reader knows: a table of exercises and their amounts ('| Exercise | Sets | Reps |')
    becomes one '**Squat** Sets: 3. Reps: 10.' line a row; any other table, its rows' cells as one line each.
    A note under a table of exercises that only states amounts ('Rest 90 seconds between sets.') speaks for every row,
    not the last one: it is read as if said above the table, where a page's amounts for every exercise stand."""
    return _notes_above_tables(_table_lines(raw))


def _notes_above_tables(lines: list[str]) -> list[str]:
    for start, end in _exercise_tables(lines):
        note = _table_note(lines, end)
        if note is not None:
            first, last = note
            moved = lines[first:last]
            return _notes_above_tables([*lines[:start], *moved, "", *lines[start:first], *lines[last:]])
    return lines


def _exercise_tables(lines: list[str]) -> list[tuple[int, int]]:
    """(first, past-the-last) line of each run of table rows turned into '**Name** Sets: ...' lines."""
    runs, start = [], None
    for i, line in enumerate([*lines, ""]):
        row = _TABLE_ROW_LINE.match(line) is not None
        if row and start is None:
            start = i
        elif not row and start is not None:
            runs.append((start, i))
            start = None
    return runs


_TABLE_ROW_LINE = re.compile(r"^\*\*[^*]+\*\* (?:[A-Z][\w ]*: [^.]+\. ?)+$")


def _table_note(lines: list[str], end: int) -> tuple[int, int] | None:
    """The paragraph right under a table, when it only states amounts (each sentence an amount, at most three) and
    the page ends after it or goes on with a heading: (first line, past its last line)."""
    first = next((k for k in range(end, len(lines)) if lines[k]), None)
    if first is None:
        return None
    last = next((k for k in range(first, len(lines)) if not lines[k]), len(lines))
    said = sentences(" ".join(lines[first:last]))
    if not 1 <= len(said) <= 3 or lines[first].startswith(("#", "**", "|")):
        return None
    if not all(find_duration(s) or find_sets(s) or find_reps(s) for s in said):
        return None
    after = next((lines[k] for k in range(last, len(lines)) if lines[k]), None)
    return (first, last) if after is None or after.startswith("#") else None


def _table_lines(raw: list[str]) -> list[str]:
    out = list(raw)
    header: list[str] | None = None
    rows = _table_rows(raw)
    for i, line in enumerate(raw):
        row = _TABLE_ROW.match(line) or rows.get(i)
        if row is None:
            header = None
            continue
        if _RULE_ROW.match(line):
            out[i] = ""
            continue
        cells = [c.strip() for c in row[1].split("|")]
        if header is None:
            header = cells
            amounts = len(cells) > 1 and _TABLE_NAME.match(cells[0]) and all(
                _TABLE_AMOUNT.match(c) or _TABLE_TEXT.match(c) for c in cells[1:] if c)
            out[i] = "" if amounts else _row_text(cells)
            header = cells if amounts else []
            continue
        if header and cells and cells[0]:
            stated = ". ".join(f"{_column_label(label, cell)}: {cell.rstrip('.')}"
                               for label, cell in zip(header[1:], cells[1:], strict=False) if cell)
            out[i] = f"**{cells[0]}** {stated}." if stated else f"**{cells[0]}**"
        else:
            out[i] = _row_text(cells)
    return out


_BARE_ROW = re.compile(r"^\s*\|?(.*?\|.*?)\|?\s*$")


def _table_rows(raw: list[str]) -> dict[int, re.Match[str]]:
    """A table typed without its outer pipes ('Repetitions | 20 |' under 'Frequency | Daily |' and '---|---|'):
    its header row, its rule row and the rows after them that hold a pipe."""
    rows: dict[int, re.Match[str]] = {}
    for rule in (i for i, line in enumerate(raw) if i and "|" in line and _RULE_ROW.match(line)):
        if "|" not in raw[rule - 1]:
            continue
        for i in [rule - 1, *takewhile(lambda k: "|" in raw[k], range(rule, len(raw)))]:
            row = _BARE_ROW.match(raw[i])
            if row is not None:
                rows[i] = row
    return rows


def _row_text(cells: list[str]) -> str:
    """A row of a table that lists no exercises: 'Repetitions | 20' is a label and what it says ('Repetitions: 20')."""
    filled = [c for c in cells if c]
    if len(filled) == 2 and filled[0].lower() in LABEL_ROLES:
        return f"{filled[0]}: {filled[1]}"
    return ", ".join(filled)


# A card's amount on a line of its own: "3 x 20-30 seconds", "10-20 iterations", "10 x 5 seconds".
_AMOUNT_LINE = re.compile(
    r"^\d{1,3}(?:\s*[-–x×]\s*\d{1,3}){0,2}\s*(?:seconds?|secs?|s|minutes?|mins?|reps?|repetitions?|iterations?|times|breaths?)?$", re.I)
_CARDS = 3  # fewest cards that make a page of cards: one or two such lines are a page's own pattern


def _cards_named_below(lines: list[str]) -> list[str]:
    """A page laid out as cards, each its amount line, its instructions, then its name (an image's caption) last:
    each name moved up to head its card, its amount beside it ('Chest stretch – 3 x 20-30 seconds')."""
    starts = [i for i, line in enumerate(lines) if _AMOUNT_LINE.match(line.strip())]
    if len(starts) < _CARDS:
        return lines
    out = lines[: starts[0]]
    for start, end in pairwise([*starts, len(lines)]):
        card = [j for j in range(start + 1, end) if lines[j].strip()]
        if len(card) < 2 or not _is_card_name(lines[card[-1]]) or not all(_is_prose(lines[j].strip()) for j in card[:-1]):
            return lines
        name, amount = lines[card[-1]].strip(), re.sub(r"\s*([-–])\s*", r"\1", lines[start].strip())  # "3x20 - 30 seconds"
        out += ["", f"{name[0].upper()}{name[1:]} – {amount}", "", *(lines[j] for j in card[:-1]), ""]
    return out


def _is_card_name(line: str) -> bool:
    text = line.strip()
    return 1 <= len(text.split()) <= 6 and not text.endswith(_TERMINAL) and _looks_like_name(text) and not _is_prose(text)


def _first_line_exercise(headings: list[_Heading], chosen: list[_Heading], lines: list[str], first: int) -> _Heading | None:
    """The page's first line when it heads an exercise like the chosen ones, not the page: the same markup ('## Neck tilt'
    over instructions, then '## Chin tuck'). Plain lines are left as the title: an introduction often starts with a verb."""
    top = headings[0] if headings and headings[0].index == first else None
    # plain lines set in capitals like every exercise's ("SCIATICA STRETCH" over "BOTH KNEES TO CHEST") match as markup does
    capitals = top is not None and top.name.isupper() and all(h.name.isupper() for h in chosen)
    # one marked-up heading like it after it will do; plain lines must be a series (two at least) to be read so
    if top is None or not chosen or top.style != chosen[0].style or top in chosen \
            or (len(chosen) < 2 and not top.style.startswith(("md", "bold"))) \
            or not (top.style.startswith(("md", "bold")) or capitals or _plain_first_move(top, lines, chosen[0].index)):
        return None
    if len(chosen) < 2 and not _plain_first_move(replace(top, style="plain"), lines, chosen[0].index):
        return None  # "## Knee exercises" over "These exercises help...": the page's title after all
    return top if _instructions(lines[top.body_start: chosen[0].index]) > 0 else None


# A title names a collection ("Knee exercises", "5 stretches for runners"); a move is named in the singular.
_COLLECTION = re.compile(r"\b(?:exercises|stretches|stretching|workouts?|routines?|programmes?|programs?|guide|poses|postures|movements"
                         r"|moves|tips|ways|techniques|drills|yoga|training|rehab\w*|prevention|relief|care)\b", re.I)


def _plain_first_move(top: _Heading, lines: list[str], end: int) -> bool:
    """A plain first line heading a move like the plain headings after it: a page copied from its first exercise on
    ('Hamstring stretch' over 'Place one leg on a table...'), not its title over an introduction."""
    body = [_STEP_MARK.sub("", line) for line in lines[top.body_start: end] if line and not _is_caption_text(line)][:2]
    first = [s for line in body for s in sentences(line)][:2]  # its text starts with instructions, not a subtitle or an introduction
    return top.style == "plain" and not _COLLECTION.search(top.name) and _instructions(first) > 0 \
        and not any(_ABOUT_THE_EXERCISES.search(s) for s in first)


def _closing_after_inline(sections: list[Section], chosen: list[_Heading]) -> list[Section]:
    """'1. Lying rest - breathe in...': when every exercise is one line, paragraphs after the last are the page's close."""
    exercises = [(s, h) for s, h in zip(sections, chosen, strict=False) if s.exercise]
    if len(exercises) < 2 or not all(h.body or h.amount for _, h in exercises) or any(len(s.blocks) > 1 for s, _ in exercises[:-1]):
        return sections
    last = exercises[-1][0]
    if len(last.blocks) <= 1:
        return sections
    index = sections.index(last)
    closing = Section("", last.blocks[1:], False, None, "")
    return [*sections[:index], Section(last.name, last.blocks[:1], True, last.heading_amount, last.heading), closing,
            *sections[index + 1:]]


_KEYED_LINE = re.compile(r"^[A-Z][\w' ]{1,20}:\s+\S")  # "Purpose: Improve jaw tracking": a card's labelled line


def _title_below_furniture(lines: list[str], first: int) -> tuple[str | None, int]:
    """The longest heading-like line among the short lines before the page's first paragraph; None when
    there is none (the line after the furniture is where the page starts)."""
    candidates = []
    i = first
    while i < len(lines) and (not lines[i] or not _is_prose(lines[i])):
        if lines[i] and not _is_caption_text(lines[i]):
            candidates.append(i)
        i += 1
    if not candidates:
        return None, first + 1
    if len(candidates) >= 2 and i < len(lines) and (_instructions([lines[i]]) > 0 or _KEYED_LINE.match(lines[i])):
        candidates.pop()  # the line over the first instructions ("Purpose: ...", "Sit tall.") heads that exercise, not the page
    best = max(candidates, key=lambda k: len(lines[k]))
    return lines[best].lstrip("#").strip(), best + 1


def _choose(headings: list[_Heading], lines: list[str]) -> list[_Heading]:
    """The headings that divide the page: those of the style whose sections hold the most instructions.

    Markdown headings above the chosen level also end sections (they become background); plain
    headings between numbered exercises are exercises too when they hold instructions.
    """
    styles = dict.fromkeys(h.style for h in headings)
    best: list[_Heading] = []
    best_score = (0, 0, 0)
    for style in styles:
        level = int(style[2]) if style.startswith("md") else 7
        ends = [h for h in headings if h.style == style or (h.style.startswith("md") and int(h.style[2]) <= level)]
        run = _numbered_run(ends, lines) if style in ("num", "letter") else [h for h in ends if h.style == style]
        run_ends = sorted({*run, *(h for h in ends if h.style != style)}, key=lambda h: h.index)
        if not run:
            continue
        bounds = [h.index for h in run_ends] + [len(lines)]
        score = 0
        names = set()
        for heading in run:
            end = bounds[bisect.bisect_right(bounds, heading.index)]
            body = lines[heading.body_start: end] + ([heading.body] if heading.body else [])
            if not NOT_EXERCISES.match(heading.name) and (_instructions(body) > 0 or heading.amount):
                score += 1
                if _HOW_TO.sub("", heading.name).strip(" :").lower() not in ("", "it", "this"):
                    names.add(heading.name.lower())
        # Ties: the level with more distinct names (not "How to do it" under each exercise), then the
        # deeper level ("### Neck tilt" under "## Warm-up"); numbered, lettered, bold and plain count as deepest.
        # Titles with a full stop ("stop") rank last: chosen only where they head more instructions than any other kind.
        rank = (score, len(names), int(style[2]) if style.startswith("md") else 0 if style == "stop" else 7)
        if rank > best_score:
            best, best_score = run_ends, rank
            if style in ("num", "letter", "bold"):  # plain headings among them, with instructions
                first, last = run[0].index, run[-1].index
                plain = [h for h in headings if h.style == "plain" and first < h.index < last and not _names_again(h, run)]
                best = sorted({*run_ends, *plain}, key=lambda h: h.index)
    return best if best_score[0] > 0 else []


def _named_above(chosen: list[_Heading], lines: list[str]) -> list[_Heading]:
    """'Downward Dog' over 'Adho Mukha Svanasana' over its text, exercise after exercise: each move is named by the
    first of its two title lines, the second its other name. A pair over one exercise only is a label over a name
    ('Description of stretches' over 'Half kneeling hip flexor stretch') and stays as it is."""
    taken = {h.index for h in chosen}
    above = {h.index: i - 1 for h in chosen if (i := h.index) > 0 and h.style == "plain" and i - 1 not in taken
             and lines[i - 1] and _is_short_title(lines[i - 1]) and _looks_like_name(lines[i - 1])
             and (i - 1 == 0 or not lines[i - 2] or lines[i - 2].endswith((".", "!", "?")))}
    if len(above) < 2 or len(above) < len(chosen) - 1:
        return chosen
    return [replace(h, index=above[h.index], name=_split_name(lines[above[h.index]])[0], name_line=h.index,
                    raw=f"{lines[above[h.index]]} {h.raw}") if h.index in above else h for h in chosen]


def _names_again(heading: _Heading, run: list[_Heading]) -> bool:
    """'Lower Back Spasm Exercises Supine Twist' under '1. Supine Twist': the exercise's picture, captioned with its name."""
    above = [h for h in run if h.index < heading.index]
    return bool(above) and heading.name.casefold().endswith(above[-1].name.casefold())


def _renumbered(candidates: list[_Heading]) -> list[_Heading]:
    """Items that all carry one number ('1. Heel Lifts', '1. Toe Lifts': a list copied without its numbering) count 1, 2, 3."""
    if len(candidates) < 2 or len({(h.style, h.number) for h in candidates}) != 1:
        return candidates
    return [replace(h, number=k) for k, h in enumerate(candidates, start=1)]


def _numbered_run(headings: list[_Heading], lines: list[str]) -> list[_Heading]:
    """The run of headings numbered 1, 2, 3... whose sections hold the most instructions.

    A numbered list of symptoms before the exercises, or numbered steps inside them, forms
    its own run; the exercises are the run with the most sections that contain instructions.
    Linear in the page (bar a log): each next number is found by bisection, and whether a
    stretch of lines instructs is a difference of running sums.
    """
    candidates = _renumbered([h for h in headings if h.style in ("num", "letter")])
    numbered = {c.index for c in candidates}  # once: per candidate made the page quadratic
    candidates = [h for h in candidates if not _item_of_a_step_list(h, lines, numbered)]
    at: dict[tuple[str, int | None], list[int]] = {}
    for k, cand in enumerate(candidates):
        at.setdefault((cand.style, cand.number), []).append(k)
    instructing = list(accumulate((1 if line and _instructions([line]) else 0 for line in lines), initial=0))

    def instructs(heading: _Heading, end: int) -> bool:
        inside = instructing[end] - instructing[min(heading.body_start, end)] > 0
        return inside or bool(heading.body and _instructions([heading.body]) > 0)

    best: list[_Heading] = []
    best_score = (-1, -1)
    whole: list[list[_Heading]] = []  # runs every section of which instructs: numbering started again under a new part
    for k, start in enumerate(candidates):
        if start.number != 1:
            continue
        run, position = [start], k
        restarts = at.get((start.style, 1), [])
        restart = restarts[r] if (r := bisect.bisect_right(restarts, k)) < len(restarts) else len(candidates)
        while True:
            later = at.get((start.style, (run[-1].number or 0) + 1), [])
            j = bisect.bisect_right(later, position)
            if j == len(later) or later[j] > restart:
                break  # the numbering starts again first ("Phase 2" over "1."): the run ends where it does
            position = later[j]
            run.append(candidates[position])
        ends = [c.index for c in run[1:]] + [len(lines)]
        score = (sum(instructs(c, end) for c, end in zip(run, ends, strict=True)), len(run))
        if score >= best_score:
            best, best_score = run, score
        if len(run) >= 2 and score[0] == len(run):
            whole.append(run)
    return _runs_in_turn(whole) or best


def _runs_in_turn(runs: list[list[_Heading]]) -> list[_Heading]:
    """'Phase 1' over 1., 2., then 'Phase 2' over 1., 2., 3.: runs that follow one another without overlapping are one
    list of exercises. Empty unless there are two such runs at least."""
    chain: list[_Heading] = []
    for run in runs:
        if not chain or run[0].index > chain[-1].index:
            chain += run
    return chain if len(chain) > max((len(r) for r in runs), default=0) else []


_LIST_NUMBER = re.compile(r"^(\d{1,2})\s*[.)]\s+\S")


def _item_of_a_step_list(heading: _Heading, lines: list[str], heading_lines: set[int]) -> bool:
    """'1. From child's pose - lift your head up.' before '2. Push the weight into your feet...': the next item of
    its list is a step, not a heading, so this item is a step too (items of one list are one kind)."""
    if heading.style != "num" or heading.number is None:
        return False
    for index in range(heading.index + 1, len(lines)):
        match = _LIST_NUMBER.match(lines[index])
        if match:
            return int(match[1]) == heading.number + 1 and index not in heading_lines
    return False


def technique_name(text: str) -> str:
    """'How to Do 4-7-8 Breathing' -> '4-7-8 Breathing'; 'Box Breathing: How to Do It' -> 'Box Breathing';
    'Knee Rehabilitation: Straight Leg Raises' -> 'Straight Leg Raises' (the subject, then the exercise)."""
    parts = [p for p in re.split(r"\s*[|]\s*|\s+[-–—]\s+", text.strip()) if p]
    name = parts[0] if parts else text.strip()
    topic, colon, named = name.partition(":")
    if colon:
        named = named.strip()
        name = named if named and not _HOW_TO.match(named) and _looks_like_name(named) and named[:1].isupper() else topic
    name = re.sub(r",\s*(?:in\s+)?\d+\s*(?:minutes?|mins?|seconds?|secs?)$", "", name.strip(), flags=re.I)  # ", 2 Minutes"
    name = _HOW_TO.sub("", name).strip()
    name = re.sub(r"^(?:the|a|an)\s+|^\d{1,3}\s*[.):]\s*", "", name, flags=re.I)  # "2. Downward dog": one of a series
    return (name[0].upper() + name[1:]) if name else text.strip()


def _name_generic(sections: list[Section], title: str | None) -> list[Section]:
    """'How to do it' names the page's technique: the exercise is named after the page."""
    out = []
    for section in sections:
        name = section.name
        stripped = _HOW_TO.sub("", name).strip(" :")
        if section.exercise and stripped != name:
            generic = stripped.lower() in ("", "it", "this", "them", "the exercise", "the technique", "the stretch")
            name = technique_name(title) if generic and title else technique_name(stripped or name)
        out.append(Section(name, section.blocks, section.exercise, section.heading_amount, section.heading))
    return out


_GROUP_LINE = re.compile(r"^(?:group|round|circuit|block|part|superset|pairing|pair)\s*(?:\d{1,2}|[A-H])?\s*:?$", re.I)
_FEWEST_NAMES = 3


def _bare_name(line: str) -> tuple[str, str | None] | None:
    """'Jump Squats', '• box jumps', 'Lateral Bounding (think speed skater movement)': a move named and no more,
    as (name, the words in brackets after it)."""
    text = re.sub(rf"^(?:{BULLET}|#{{1,6}})\s+", "", line.strip()).rstrip(":").strip()  # "- Squats", "## Squats", "Squats:"
    numbered = _NUMBERED.match(text)  # "1. Squats", "Exercise 2: Lunges"
    text = numbered.group(3).strip() if numbered else text
    match = re.fullmatch(r"([^()]+?)\s*(?:\((.+)\))?", text)
    if match is None or not _is_name_only(match[1]):
        return None
    return match[1], match[2]


def _is_name_only(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 4 and not name.endswith(_TERMINAL) and not re.search(r"\d", name) and _looks_like_name(name) \
        and not _GROUP_LINE.match(name) and not _is_caption_text(name)


def _name_list(title: str | None, lines: list[str], start: int, width: int | None, skipped: list[Block]) -> Article | None:
    """A timed workout that lists its moves by name only, one a line, perhaps under 'Group 1' lines, below the
    timing they share ('20 sec of work, 10 sec of rest...'): each name is an exercise; the text above, background."""
    named = [i for i in range(start, len(lines)) if lines[i] and _bare_name(lines[i])]
    if len(named) < _FEWEST_NAMES:
        return None
    first, last = named[0], named[-1]
    between = [lines[i] for i in range(first, last + 1) if lines[i] and i not in named]
    if any(not _GROUP_LINE.match(line) for line in between) or find_circuit(" ".join(lines[start:first]))[0] is None:
        return None
    sections = []
    for i in range(first, last + 1):
        if not lines[i]:
            continue
        bare = _bare_name(lines[i])
        if bare is None:
            sections.append(Section(lines[i], (), False, None, lines[i]))  # "Group 2": how the moves are grouped
            continue
        name, note = bare
        sections.append(Section(name, (Block("text", note),) if note else (), True, None, lines[i]))
    closing = _blocks(lines, last + 1, len(lines), width, in_section=False)
    if closing:
        sections.append(Section("", closing, False, None, ""))
    preamble = (*skipped, *_blocks(lines, start, first, width, in_section=False))
    return Article(title, preamble, tuple(sections))


def _one_technique(title: str | None, lines: list[str], start: int, width: int | None, skipped: list[Block]) -> Article:
    """A page that is one technique: its leading background paragraphs, then one exercise of the rest."""
    blocks = (*skipped, *_blocks(lines, start, len(lines), width, in_section=True))
    unnamed = _unnamed_list(blocks)
    if unnamed is not None:
        return Article(title, blocks[: unnamed[0]], _item_sections(blocks, *unnamed))
    # A page's list of steps starts the exercise; prose before it is its introduction, however it begins
    first = next((k for k, b in enumerate(blocks) if b.kind == "step" or b.role in ("setup", "steps", "amount")), None)  # "Move: Sit..."
    if first is None or any(_is_prose(b.text) and b.kind == "text" for b in blocks[first + 1:first + 2]):
        first = next((k for k, b in enumerate(blocks) if b.kind == "step" or _instructions([b.text]) > 0), None)
    if first is None:
        return Article(title, blocks, ())
    asked = _how_to_named(blocks[:first]) if title and title.endswith("?") else None  # "How can I stretch my calves?": no name
    name = asked or (technique_name(title) if title else _named_in_text(blocks[:first]) or "Technique")
    return Article(title, blocks[:first], (Section(name, blocks[first:], True),))


# What a list item's later sentences say when the item is a whole exercise: its hold and its repetitions.
_HOLD_SAID = re.compile(r"\bhold\b", re.I)
_REPEAT_SAID = re.compile(r"\brepeat\b", re.I)
# First words of a sentence that times or counts a movement, not one that names it.
_NOT_MOVEMENTS = frozenset(["hold", "repeat", "do", "rest", "relax", "breathe", "inhale", "exhale", "take", "continue", "keep",
                            "try", "stay", "pause", "count", "perform", "complete", "start", "begin"])


def _item_sentences(text: str) -> list[str]:
    return [s for s in sentences(text) if not s.startswith("(")]  # "(If you feel a double chin, ...)": an aside


def _whole_exercise(text: str) -> bool:
    """'Bring your shoulders to your ears. Hold for 3 seconds. Repeat twice.': a movement, then its hold or count."""
    said = _item_sentences(text)
    if len(said) < 2 or _movement_name(said[0]) is None:
        return False
    later = " ".join(said[1:])
    return bool(_HOLD_SAID.search(later) or _REPEAT_SAID.search(later) or find_duration(later) or find_reps(later))


def _unnamed_list(blocks: tuple[Block, ...]) -> tuple[int, int] | None:
    """A list whose items are whole exercises with no names (each a movement with its own hold and count): where its
    items start and end. A technique's own steps say their hold and their count once, not item after item."""
    first = next((k for k, b in enumerate(blocks) if b.kind == "step"), None)
    if first is None:
        return None
    end = next((k for k in range(first, len(blocks)) if blocks[k].kind != "step"), len(blocks))
    items = [b.text for b in blocks[first:end]]
    whole = sum(_whole_exercise(t) for t in items)
    holds = sum(bool(_HOLD_SAID.search(t) or find_duration(t)) for t in items)
    counts = sum(bool(_REPEAT_SAID.search(t) or find_reps(t)) for t in items)
    if len(items) < 3 or whole < 2 or 2 * whole < len(items) or holds < 2 or counts < 2:
        return None
    if any(_movement_name(_item_sentences(t)[0] if _item_sentences(t) else t) is None for t in items):
        return None
    return first, end


def _item_sections(blocks: tuple[Block, ...], first: int, end: int) -> tuple[Section, ...]:
    """Each item of an unnamed list an exercise, named by its movement; the blocks after the list, the page's close."""
    sections = []
    for block in blocks[first:end]:
        said = _item_sentences(block.text)
        name = _movement_name(said[0] if said else block.text) or block.text
        sections.append(Section(name, (Block("text", block.text),), True, None, name))
    if blocks[end:]:
        sections.append(Section("", blocks[end:], False, None, ""))
    return tuple(sections)


_ASIDE_CUT = re.compile(r"\s*(?:[,;:(]|\s[-–—]\s)\s*")
_NAME_END = re.compile(r"\s+(?:until|as far as|as much as|so that|while|and (?:hold|then|repeat|relax|return))\b.*$", re.I)


def _movement_name(sentence: str) -> str | None:
    """'Slowly drop your head to the left, trying to...' -> 'Drop your head to the left'; 'Placing your hands behind
    your head, squeeze your shoulder blades together.' -> 'Squeeze your shoulder blades together': the sentence's
    first instruction to move, without its manner, its conditions and how far it goes. None when it has none."""
    for part in _ASIDE_CUT.split(sentence.rstrip(".!? ")):
        words = part.split()
        while words and (words[0].lower().endswith("ly") or words[0].lower() in ("then", "now", "next", "and")):
            words = words[1:]
        if words and words[0].lower() in IMPERATIVES and words[0].lower() not in _NOT_MOVEMENTS:
            name = _NAME_END.sub("", " ".join(words))
            return name[0].upper() + name[1:] if 1 < len(name.split()) <= 10 else None
    return None


# "The 4-7-8 breathing technique is a simple relaxation exercise": the page names its technique in a sentence.
_NAMED_IN_TEXT = re.compile(
    r"^(?:the\s+)?([\w'-]+(?:\s+[\w'-]+){0,3}?)\s+(?:technique|method|exercise|stretch|pose)\s+(?:is|are|helps|can|will)\b"
    r"|^(?:the\s+)?((?:[\w'-]+\s+){1,3}breathing)\s+(?:is|helps|can|will)\b", re.I)  # "Alternate nostril breathing is..."


# "Here's how to do a standing lower calf stretch:": the introduction names what follows.
_HOW_TO_NAMED = re.compile(r"^(?:here'?s|here is)\s+how\s+to\s+(?:do|perform|practi[cs]e)\s+(?:an?|the|this)\s+([\w' -]{3,50}?)\s*[:.]?$", re.I)


def _how_to_named(blocks: tuple[Block, ...]) -> str | None:
    named = next((m[1] for b in blocks if b.kind == "text" and (m := _HOW_TO_NAMED.match(b.text))), None)
    return named[0].upper() + named[1:] if named else None


def _named_in_text(blocks: tuple[Block, ...]) -> str | None:
    for block in blocks:
        match = _NAMED_IN_TEXT.match(block.text) if block.kind == "text" else None
        if match:
            named = match[1] or match[2]
            return named[0].upper() + named[1:]
    return None


# A web page's furniture, copied along with its text: menus, share buttons, review dates.
_FURNITURE_LINE = re.compile(
    r"^(?:skip to (?:main )?content|menu|home|search|sign in|log in|sign up|subscribe|newsletter"
    r"|share(?: this(?: page| article| post)?)?:?|facebook|twitter|x|pinterest|linkedin|whatsapp|email|print"
    r"|toggle (?:high )?contrast|text size|accessibility|printed (?:at|on)\b.*|print this page"
    r"|\[?click (?:the )?(?:thumbnail|image|picture|photo) to enlarge\W*"
    r"|advertisement|cookie settings|accept(?: all)? cookies|(?:back|return) to top|(?:top|bottom|end) of (?:the )?page|read more|see also"
    r"|related(?: articles| posts| content| pages| links)?:?"
    r"|(?:page )?last (?:reviewed|updated)\b.*|next review due\b.*|(?:updated|published|posted)\b.*\d{4}"
    r"|(?:reviewed|written|medically reviewed) by\b.*|by\s+\w+(?:\s+\w+){0,3}\s*[|,]?"  # a byline: "By Sam Downing|"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2})$",  # a date alone: "30/01/2026"
    re.I,
)


# An image's description: "A woman meditating in front of a mural.", "Man sitting on floor doing leg raise."
_PICTURED = re.compile(
    r"^(?:an?\s+|the\s+)?(?:(?:young|older|elderly|senior|smiling|happy|fit|mature|middle-aged)\s+)*"
    r"(?:man|woman|men|women|person|people|girl|boy|lady|gentleman|patient|athlete|senior|couple|child|model|physiotherapist)"
    r"\s+(?:\w+ing|in|on|with|at)\b[^.!?]*\.?$",
    re.I,
)


def is_furniture(line: str) -> bool:
    """A page's navigation or notice line: 'Top of page', 'Related articles', 'Share this page'."""
    return bool(_FURNITURE_LINE.match(line.strip()))


# A picture described: "Leg from knee down showing ankle pumps.", "Diagram illustrating the stretch"
_SHOWING = re.compile(r"^[A-Z][\w' ,-]*?\b(?:showing|depicting|illustrating)\b", re.I)


# Authors, as publications list them: "Sergio Romero and Linda B. Bobroff2", "Jane Doe, PT, DPT". A middle initial or a
# degree tells people from moves ("Heel Raises and Toe Lifts").
_PERSON = r"[A-Z][a-z'-]+\s+(?:[A-Z]\.\s+)?[A-Z][a-z'-]+\d{0,2}(?:,\s*(?:MD|PhD|RD|PT|DPT|MS|MSc|MPH|RN|OT|BSc))*"
_AUTHORS = re.compile(rf"^(?:{_PERSON}\s*(?:,|\band\b|&)\s*)*{_PERSON}$")


def _is_byline(line: str) -> bool:
    return _AUTHORS.match(line) is not None and re.search(r"\b[A-Z]\.\s|,\s*(?:MD|PhD|RD|PT|DPT|MS|MSc|MPH|RN|OT|BSc)\b", line) is not None


def _is_caption_text(line: str) -> bool:
    """Image captions, slide counters and page furniture: 'Picture of...', 'slide 1 of 5', 'Share this page'."""
    if _FURNITURE_LINE.match(line) or (len(line.split()) <= 24 and _PICTURED.match(line)) or _is_byline(line):
        return True
    if len(line.split()) <= 14 and _SHOWING.match(line) and line.split()[0].lower() not in IMPERATIVES:
        return True
    return bool(re.match(
        # "Figure four", "Figure 4 stretch", "Figure-eight" are exercises; "Figure 4: ..." a caption
        r"^(?:picture|image|photo|photograph|illustration|figure(?![ -]?(?:four|4|eight|8)\b(?!\s*[:.]))|fig\.|video|credit|source"
        r"|advertisement|getty images"
        r"|slide \d+ of \d+|\d+ of \d+$|shutterstock|istock)\b", line, re.I,
    ))


def _is_caption(line: str) -> bool:
    """A title-cased fragment with no sentence punctuation (an image caption or sub-heading), or a captioning phrase."""
    if _is_caption_text(line):
        return True
    words = re.findall(r"[A-Za-z][\w'-]*", line)
    if len(words) < 2 or len(words) > 12 or line.endswith(_TERMINAL):
        return False
    small = {"a", "an", "and", "the", "of", "to", "for", "in", "on", "with", "or", "at", "by", "your"}
    big = [w for w in words if w.lower() not in small]
    return bool(big) and sum(w[0].isupper() for w in big) / len(big) >= 0.8


# --- labels ------------------------------------------------------------------------

LABEL_ROLES: dict[str, Role] = {
    "why it helps": "about", "why it works": "about", "why": "about", "benefits": "about", "benefit": "about",
    "what it does": "about", "good for": "about",
    "starting position": "setup", "start position": "setup", "start": "setup", "setup": "setup", "set-up": "setup",
    "set up": "setup", "position": "setup", "get into position": "setup",
    "how to": "steps", "how to do it": "steps", "do it": "steps", "instructions": "steps", "steps": "steps",
    "method": "steps", "movement": "steps", "move": "steps", "action": "steps", "what to do": "steps",
    "reps": "amount", "repetitions": "amount", "sets": "amount", "hold": "amount", "time": "amount", "rep": "amount",
    "repetition": "amount", "set": "amount", "rounds": "amount", "round": "amount",
    "duration": "amount", "rest": "amount", "repeat": "amount", "frequency": "comment",
    "targets": "comment", "target": "comment", "muscles worked": "comment", "muscles": "comment", "works": "comment",
    "equipment": "comment", "you'll need": "comment", "level": "comment", "difficulty": "comment", "tip": "comment",
    "tips": "comment", "trainer's tip": "comment", "pro tip": "comment", "note": "comment", "caution": "comment",
    "warning": "comment", "make it easier": "comment", "make it harder": "comment", "modification": "comment",
    "variation": "comment", "progression": "comment", "avoid": "comment", "common mistake": "comment",
}
_LABEL_WORDS = "|".join(re.escape(k) for k in sorted(LABEL_ROLES, key=len, reverse=True))
# The labels of an amount, said inside a heading: "Calf Pumps Sets: 2 / Repetition:10"
_AMOUNT_LABEL = "(?:" + "|".join(re.escape(k) for k, role in sorted(LABEL_ROLES.items(), key=lambda kv: -len(kv[0])) if role == "amount") + ")"
_INLINE_AMOUNTS = re.compile(rf"\b{_AMOUNT_LABEL}\s*:\s*\d", re.I)
_LABEL_AT = re.compile(rf"(?:^|(?<=[\s.!?)]))((?i:{_LABEL_WORDS}))\s*:\s*")


def _split_labels(line: str) -> list[tuple[str | None, str]]:
    """'Targets: abs How to: Rest on...' -> [('Targets', 'abs'), ('How to', 'Rest on...')].

    A label starts the line, or, capitalized, follows other text ('... glutes How to: ...').
    """
    cuts = [m for m in _LABEL_AT.finditer(line) if m.start() == 0 or m.group(1)[0].isupper()]
    if not cuts or cuts[0].start() != 0:
        return [(None, line)]
    out = []
    for m, nxt in zip(cuts, [*cuts[1:], None], strict=False):
        out.append((m.group(1), line[m.end(): nxt.start() if nxt else len(line)].strip()))
    return out


def _is_label(line: str) -> bool:
    """'How to do it:', 'Tips:' - a short line ending in a colon introduces what follows."""
    return line.endswith(":") and len(line.split()) <= 5 and line[:1].isupper()


def _wrap_width(lines: list[str]) -> int | None:
    """The hard-wrap width, from lines that break mid-sentence; None when lines are not wrapped."""
    widths = [  # "slide 1 of 10" under a heading is a caption, not a line's wrapped end
        len(line) for line, after in pairwise(lines)
        if line and after[:1].islower() and not line.endswith(_TERMINAL[:3]) and not _is_caption_text(after)
    ]
    return max(widths) if len(widths) >= 3 else None


def _paragraph_gaps(lines: list[str]) -> int | None:
    """BLANK_LINES_ONLY when blank lines separate paragraphs (Markdown style), else None."""
    gaps = sum(1 for before, line, after in zip(lines, lines[1:], lines[2:], strict=False) if before and not line and after)
    return BLANK_LINES_ONLY if gaps >= 3 else None


BLANK_LINES_ONLY = 0  # a "width" meaning: only blank lines end paragraphs


def _deliberate_break(line: str, after: str, width: int | None) -> bool:
    """Does the line break between `line` and `after` end a paragraph?"""
    if after[:1].islower() or line.endswith((",", ";")) or line.endswith((" and", " or", " the", " a")):
        return False
    if width is None:
        return True
    if width == BLANK_LINES_ONLY:
        return False
    return len(line) + 1 + len(after.split()[0]) <= width


def _blocks(lines: list[str], start: int, end: int, width: int | None, in_section: bool) -> tuple[Block, ...]:
    out = _Paragraphs()
    previous = ""
    step_next = False  # after a "Step 3" heading line, the next paragraph is that step
    for i in range(start, end):
        line = lines[i].lstrip("#").strip() if lines[i].startswith("#") else lines[i]
        if not line:
            out.flush()
            previous = ""
            continue
        if lines[i].startswith("#") and in_section:  # a sub-heading ("### How to do it", "### Tips") labels what follows
            out.add("label", line.rstrip(":") + ":")
            previous = ""
            continue
        if in_section and re.fullmatch(rf"{STEP_NUMBER}\s*[.:)-]?", line, re.I):
            out.flush()
            step_next, previous = True, ""
            continue
        mark = _STEP_MARK.match(line)
        if step_next and not mark:
            out.start("step", line)
            step_next = False
        elif mark and in_section:
            out.start("step", line[mark.end():])
        else:
            out.line(line, previous, width, continued=i + 1 < end and lines[i + 1][:1].islower())
        previous = line
    out.flush()
    return tuple(_labelled(out.blocks))


class _Paragraphs:
    """Blocks gathered line by line: the open paragraph grows until something ends it."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.kind: BlockKind | None = None  # the open paragraph's
        self.parts: list[str] = []

    def flush(self) -> None:
        """End the open paragraph."""
        if self.kind is not None and self.parts:
            self.blocks.append(Block(self.kind, " ".join(self.parts)))
        self.kind, self.parts = None, []

    def add(self, kind: BlockKind, text: str) -> None:
        """A block of one line, on its own."""
        self.flush()
        self.blocks.append(Block(kind, text))

    def start(self, kind: BlockKind, text: str) -> None:
        """Open a new paragraph."""
        self.flush()
        self.kind, self.parts = kind, [text]

    def line(self, line: str, previous: str, width: int | None, continued: bool) -> None:
        """A line that is no step mark: a label, more of the open paragraph, a caption, or a new paragraph.
        continued: the next line goes on in lower case, so this one is no caption."""
        if _is_label(line) or _is_bare_label(line):
            self.add("label", line)
        elif self.kind is not None and previous and not _deliberate_break(previous, line, width):
            self.parts.append(line)
        elif _is_caption(line) and not continued and _split_labels(line)[0][0] is None:
            self.add("caption", line)
        elif self.kind == "step" and previous and not previous.endswith((".", "!", "?")):
            self.parts.append(line)
        else:
            self.start("text", line)


def _role_of(label: str, text: str) -> Role:
    """A label's role for its text: "Hold: Hold your breath for a count of 7" names a phase of instructions, not an amount."""
    role = LABEL_ROLES[label.lower()]
    return "steps" if role == "amount" and _instructions([text]) > 0 and not _AMOUNT_ONLY.match(text) else role


_AMOUNT_ONLY = re.compile(r"^\d[\d\s.,–-]*(?:seconds?|secs?|minutes?|mins?|breaths?|reps?|repetitions?|times)?\.?$", re.I)  # "10-30 seconds"


def _labelled(blocks: list[Block]) -> list[Block]:
    """Known labels become roles of the text they introduce; the label itself is layout."""
    out: list[Block] = []
    role: Role | None = None
    label: str | None = None
    for block in blocks:
        if block.kind == "caption":
            out.append(block)
            continue
        if block.kind == "label":
            key = block.text.rstrip(":").strip()
            out.append(block)  # the label line itself is kept as a comment
            if key.lower() in LABEL_ROLES:
                role, label = LABEL_ROLES[key.lower()], key
            else:
                role = label = None
            continue
        parts = _split_labels(block.text)
        if parts[0][0] is None:
            out.append(Block(block.kind, block.text, label, role))
            continue
        for part_label, text in parts:
            assert part_label is not None
            if text:
                out.append(Block(block.kind, text, part_label, _role_of(part_label, text)))
            else:  # "How to:" with its text in the next paragraph
                role, label = LABEL_ROLES[part_label.lower()], part_label
    return out


# ("Rest 10 sec. Perform eight sets": a unit's full stop before a capital ends the sentence, so "sec." and "min." are not here.)
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "approx.", "vs.", "Dr.", "St.")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+(?=[\"'(\[]?[A-Z0-9])")


# An ellipsis run between two words is a pause between two instructions: "breathe in...pause and hold that breath".
_ELLIPSIS = re.compile(r"(?<=[a-z])\.{3,}\s*(?=[A-Za-z])")


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, minding common abbreviations."""
    out: list[str] = []
    for piece in (p for part in _ELLIPSIS.split(text) for p in _SENTENCE_END.split(part)):
        piece = piece.strip()
        if not piece:
            continue
        if out and out[-1].endswith(_ABBREVIATIONS):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out
