"""An exercise article's layout: title, numbered exercise sections, and the blocks inside them.

Articles come hard-wrapped, soft-wrapped or as Markdown. Lines are joined back into
paragraphs with the typesetter's rule: a line break is deliberate when the next line's first
word would have fitted on the line, and accidental (wrapping) when it would not.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from voiceguide.files import decode_text
from voiceguide.importer.html import article_text, looks_like_html

BlockKind = Literal["text", "step", "caption", "label"]


@dataclass(frozen=True)
class Block:
    """A paragraph; "step" blocks were marked ("Step 2.", "2)", "-"), captions and labels are layout."""

    kind: BlockKind
    text: str


@dataclass(frozen=True)
class Section:
    number: int
    name: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Article:
    title: str | None
    preamble: tuple[Block, ...]
    sections: tuple[Section, ...]


def decode(data: bytes | str, source: str) -> str:
    """Article bytes -> normalized text; binary or non-UTF-8 files are a RoutineError."""
    text = decode_text(data, source)
    if looks_like_html(text):
        text = article_text(text, source)
    for fancy, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("\t", " "), ("…", "...")):
        text = text.replace(fancy, plain)
    # Other control characters (form feeds, stray escapes) cannot be spoken or written in YAML.
    return "".join(c for c in text if c == "\n" or unicodedata.category(c) != "Cc")


_MARKUP = re.compile(r"\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def clean_line(line: str) -> str:
    """Drop Markdown emphasis and link targets; keep the words."""
    line = _LINK.sub(lambda m: m.group(1), line)
    return " ".join(_MARKUP.sub("", line).split())


_HEADING = re.compile(
    r"^(?:#{1,6}\s*)?(?:(?:exercise|stretch|pose|move|movement|part)\s+)?#?(\d{1,2})\s*(?:[.):]|\s-|\s–)\s*(\S.*)$",
    re.I,
)
_STEP_MARK = re.compile(r"^(?:step\s+\d{1,2}\s*[.:)-]?|\d{1,2}\s*[.)]|[-*•–])\s+(?=\S)", re.I)
_TERMINAL = (".", "!", "?", ":", ";", ",")
# First words of instructions: a numbered line starting with one of these (and "your"/"the")
# is a step, not an exercise heading.
IMPERATIVES = frozenset(
    ["allow", "arch", "avoid", "bend", "begin", "bring", "breathe", "cross", "circle", "clasp", "close", "come", "continue", "count", "do", "drop", "engage", "exhale", "extend", "feel", "find", "focus", "get", "grab", "hinge", "hold", "hook", "hug", "imagine", "inhale", "interlace", "keep", "kneel", "lean", "let", "lie", "lift", "look", "lower", "make", "move", "nod", "notice", "open", "place", "point", "press", "pull", "push", "put", "raise", "reach", "relax", "release", "repeat", "rest", "return", "roll", "rotate", "round", "shift", "shrug", "sink", "sit", "slide", "squeeze", "stand", "start", "stay", "step", "straighten", "stretch", "swap", "switch", "take", "tense", "tighten", "tilt", "try", "tuck", "turn", "twist", "use", "walk", "wrap"]
)


def _heading(line: str) -> tuple[int, str] | None:
    match = _HEADING.match(line)
    if not match:
        return None
    name = match.group(2).strip().rstrip(":").strip()
    words = name.split()
    if not words or len(words) > 9 or name.endswith(_TERMINAL) or not name[0].isalnum():
        return None
    lowered = [w.lower().strip(",") for w in words]
    if lowered[0] in IMPERATIVES and any(w in ("your", "the", "you", "a", "to") for w in lowered[1:]):
        return None
    return int(match.group(1)), name


def _is_caption(line: str) -> bool:
    """A title-cased fragment with no sentence punctuation: an image caption or sub-heading."""
    words = re.findall(r"[A-Za-z][\w'-]*", line)
    if len(words) < 2 or len(words) > 12 or line.endswith(_TERMINAL):
        return False
    small = {"a", "an", "and", "the", "of", "to", "for", "in", "on", "with", "or", "at", "by", "your"}
    big = [w for w in words if w.lower() not in small]
    return bool(big) and sum(w[0].isupper() for w in big) / len(big) >= 0.8


def _is_label(line: str) -> bool:
    """'How to do it:', 'Tips:' - a short line ending in a colon introduces what follows."""
    return line.endswith(":") and len(line.split()) <= 5 and line[:1].isupper()


def parse_article(text: str) -> Article:
    """The article's title, the text before the exercises, and one Section per numbered exercise."""
    lines = [clean_line(line) for line in text.split("\n")]
    numbered = [(i, line) for i, line in enumerate(lines) if line]
    title_index = numbered[0][0] if numbered and _heading(numbered[0][1]) is None else None
    title = lines[title_index].lstrip("#").strip() if title_index is not None else None
    first = 0 if title_index is None else title_index + 1
    headings = _pick_headings(lines, first)
    width = _wrap_width(lines) or _paragraph_gaps(lines)
    starts = [i for i, _, _ in headings] + [len(lines)]
    preamble = _blocks(lines, first, starts[0], width, in_section=False)
    sections = tuple(
        Section(number, name, _blocks(lines, i + 1, starts[k + 1], width, in_section=True))
        for k, (i, number, name) in enumerate(headings)
    )
    return Article(title, preamble, sections)


def _pick_headings(lines: list[str], first: int) -> list[tuple[int, int, str]]:
    """The run of headings numbered 1, 2, 3... whose sections hold the most instructions.

    A numbered list of symptoms before the exercises, or numbered steps inside them, forms
    its own run; the exercises are the run with the most sections that contain instructions.
    """
    candidates = [(i, *h) for i in range(first, len(lines)) if (h := _heading(lines[i])) is not None]
    best: list[tuple[int, int, str]] = []
    best_score = (-1, -1)
    for k, start in enumerate(candidates):
        if start[1] != 1:
            continue
        run = [start]
        for cand in candidates[k + 1:]:
            if cand[1] == run[-1][1] + 1:
                run.append(cand)
        ends = [c[0] for c in run[1:]] + [len(lines)]
        score = (sum(_has_instructions(lines[c[0] + 1: end]) for c, end in zip(run, ends, strict=False)), len(run))
        if score >= best_score:
            best, best_score = run, score
    return best


def _has_instructions(lines: list[str]) -> bool:
    text = " ".join(lines).lower()
    return bool(re.search(r"\b(?:step \d|hold|repeat|breathe|inhale|exhale|seconds|minutes|times)\b", text)) or any(
        (line.split() or [""])[0].lower().strip(",.") in IMPERATIVES for line in lines
    )


def _wrap_width(lines: list[str]) -> int | None:
    """The hard-wrap width, from lines that break mid-sentence; None when lines are not wrapped."""
    widths = [
        len(line) for line, after in zip(lines, lines[1:], strict=False)
        if line and after[:1].islower() and not line.endswith(_TERMINAL[:3])
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
    blocks: list[Block] = []
    kind: BlockKind | None = None
    parts: list[str] = []

    def flush() -> None:
        nonlocal kind, parts
        if kind is not None and parts:
            blocks.append(Block(kind, " ".join(parts)))
        kind, parts = None, []

    previous = ""
    for i in range(start, end):
        line = lines[i].lstrip("#").strip() if lines[i].startswith("#") else lines[i]
        if not line:
            flush()
            previous = ""
            continue
        mark = _STEP_MARK.match(line)
        if mark and in_section:
            flush()
            kind, parts = "step", [line[mark.end():]]
        elif _is_label(line):
            flush()
            blocks.append(Block("label", line))
        elif kind is not None and previous and not _deliberate_break(previous, line, width):
            parts.append(line)
        elif _is_caption(line) and (i + 1 >= end or not lines[i + 1][:1].islower()):
            flush()
            blocks.append(Block("caption", line))
        elif kind == "step" and previous and not previous.endswith((".", "!", "?")):
            parts.append(line)
        else:
            flush()
            kind, parts = "text", [line]
        previous = line
    flush()
    return tuple(blocks)


_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "approx.", "vs.", "min.", "sec.", "Dr.", "St.")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+(?=[\"'(\[]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, minding common abbreviations."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if out and out[-1].endswith(_ABBREVIATIONS):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out
