"""Amounts as exercise articles write them: "5-10 breaths", "thirty seconds", "a minute or two".

Each finder returns the amount with the exact words it came from, and whether the value was
*inferred* rather than read: vague words get the fixed defaults below (documented in the
README too), so the imported routine can say in a comment where each guess came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from voiceguide.limits import MAX_BREATHS, MAX_HOLD_SECONDS, MAX_REPEAT
from voiceguide.numbers import ONES, TENS

Unit = Literal["seconds", "minutes", "breaths", "times"]

# Defaults for vague amounts: one value each, never a range the article did not give. Every one is
# marked in the routine's comment ('default for "a few seconds"') and in the import's report.
A_FEW = 3.0  # "a few seconds", "a few breaths", "several minutes" -> 3 of them
A_COUPLE = 2.0  # "a couple of minutes" -> 2 minutes
UNSTATED_HOLD = 5.0  # seconds: a hold whose length is not given ("hold briefly", "for a moment", "as long as you can")
ONE_OR_TWO = (1.0, 2.0)  # "a minute or two": the article's own range, 1-2 minutes
DEFAULT_NOTE = "default: the article gives no number"
# "up to N" and "at least N" are N: the one figure the article gives.
# A spoken count ("for a count of four") is taken as one second.

_ONES, _TENS = ONES, TENS
NUMBER_WORDS: dict[str, float] = {word: float(n) for n, word in enumerate(_ONES)}
NUMBER_WORDS.update({word: float(n) for word, n in _TENS.items()})
NUMBER_WORDS.update({"a": 1.0, "an": 1.0, "one full": 1.0, "a full": 1.0, "half a": 0.5})

_WORD_NUMBER = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_ONES[1:10])}))?"
    rf"|{'|'.join(sorted(_ONES, key=len, reverse=True))}|half a|a full|one full|an|a)"
)
NUM = rf"(?:\d+(?:\.\d+)?|{_WORD_NUMBER})"
_TO = r"\s*(?:-|–|—|\bto(?:\b|(?=\d))|\bor\b)\s*"  # "5 to10 times": a range typed without its space
_ADJ = r"(?:(?:deep|slow|full|long|calm|steady|easy|relaxed|big|comfortable|gentle|complete|more),?\s+){0,2}"  # "a few slow, deep breaths"
_UNIT_WORDS = {
    "s": "seconds", "sec": "seconds", "secs": "seconds", "second": "seconds", "seconds": "seconds",
    "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes",
    "breath": "breaths", "breaths": "breaths",
}
_UNIT = r"(?:seconds|second|secs|sec|s|minutes|minute|mins|min|breaths|breath)\b"
_QUALIFIER = r"(?:(at least|a minimum of|about|around|roughly|approximately|up to|a maximum of)\s+)?"
_FOR = r"(?:\bfor\s+)?"
_OR_MORE = r"(?:\s+or\s+(?:more|longer))?"  # "4 or more counts": the figure given, as "at least 4" is


@dataclass(frozen=True)
class Amount:
    """A hold or repetition count taken from the article, with the words it came from."""

    low: float
    high: float
    unit: Unit
    phrase: str
    inferred: bool  # True when the value is a default or conversion, not the article's own figures
    note: str | None = None  # how it was applied, when not where it was written ("said once for every exercise")

    def fits(self) -> bool:
        """Within what a routine allows (voiceguide.routine's limits)."""
        most = {"seconds": MAX_HOLD_SECONDS, "minutes": MAX_HOLD_SECONDS / 60, "breaths": MAX_BREATHS, "times": MAX_REPEAT}
        return 0 < self.low <= self.high <= most[self.unit]

    def words(self) -> str:
        """The article's words without a leading 'for': 'at least a minute or two'."""
        return re.sub(r"^(?:for|to)\s+", "", self.phrase, flags=re.I)

    def comment(self) -> str | None:
        """Why the value is what it is, when the article did not write it so: 'from "a few seconds"; default: ...'."""
        said = f'from "{self.words()}"' if self.inferred and self.phrase else None
        return "; ".join(filter(None, [said, self.note])) or None

    def value(self) -> str:
        """The amount as the routine format writes it: '5-10 breaths', '1-2 minutes', '7-10' (times)."""
        count = f"{self.low:g}" if self.low == self.high else f"{self.low:g}-{self.high:g}"
        unit = self.unit[:-1] if count == "1" else self.unit  # "1 minute", "1 breath"
        return count if self.unit == "times" else f"{count} {unit}"


def number(text: str) -> float:
    """'7' -> 7; 'thirty' -> 30; 'twenty-five' -> 25; 'a' -> 1."""
    text = " ".join(text.lower().replace("-", " ").split())
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    tens, ones = text.split(" ")
    return NUMBER_WORDS[tens] + NUMBER_WORDS[ones]


def _is_digits(text: str) -> bool:
    return bool(re.fullmatch(r"\d+(?:\.\d+)?", text.strip()))


def _in_seconds_or_minutes(low: float, high: float, unit: str) -> tuple[float, float, Unit]:
    """Minutes stay minutes when whole; anything else is written in seconds."""
    if unit == "minutes" and not (low.is_integer() and high.is_integer()):
        return low * 60, high * 60, "seconds"
    return low, high, unit  # type: ignore[return-value]


def _qualified(low: float, high: float, qualifier: str | None) -> tuple[float, float, bool]:
    """'at least 4', 'up to 10', 'about 30' are the figure given; returns (low, high, qualified), which the comment says."""
    return low, high, qualifier is not None


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("as_long", re.compile(
        rf"{_FOR}as long as (?:you (?:comfortably |possibly )?can|(?:is |feels )?comfortable|possible)"
        rf"|(?<=\bhold\b)(?:\s+(?:the|this|that|it|your)(?:\s+\w+){{0,2}})?\s+(?:briefly|momentarily)\b"
        rf"|\bbriefly\s+hold\b|{_FOR}(?:a\s+(?:few\s+)?moments?|a\s+(?:short\s+)?while)\b", re.I)),
    ("or_two", re.compile(rf"{_FOR}{_QUALIFIER}(?:a|one)\s+(minute|breath)\s+or\s+(?:two|so)\b", re.I)),
    ("vague", re.compile(
        rf"{_FOR}{_QUALIFIER}(a few|a couple of|a couple|several)\s+{_ADJ}(minutes|seconds|breaths)\b", re.I)),
    ("one_breath", re.compile(rf"\bfor\s+(?:a|one)\s+{_ADJ}breath\b(?!\s+(?:in|out)\b)", re.I)),  # "hold for a breath"
    ("count", re.compile(
        rf"(?:(?:\bfor|\bto)\s+)?(?:a\s+)?(?:slow\s+)?count\s+of\s+({NUM})\b|{_FOR}\b({NUM}){_OR_MORE}\s+(?:slow\s+)?counts?\b"
        rf"|\bcount(?:ing)?\s+(?:slowly\s+)?to\s+({NUM})\b", re.I)),
    ("mixed", re.compile(rf"{_FOR}\b({NUM})\s+({_UNIT}){_TO}({NUM})\s+({_UNIT})", re.I)),
    ("half", re.compile(rf"{_FOR}(?:a\s+)?half(?: a|-a)? minute\b", re.I)),
    ("span", re.compile(
        rf"{_FOR}{_QUALIFIER}\b({NUM})(?:{_TO}({NUM}))?{_OR_MORE}\s*{_ADJ}({_UNIT})(?!\s+(?:time|set|round)\b)", re.I)),
]


_NOT_A_HOLD = re.compile(
    r"\b(?:after|within|every|than|until|over the next|in the first|once a|twice a|the last|the first|the final)\s+(?:about\s+|around\s+)?$",
    re.I,
)


def find_duration(text: str) -> tuple[int, int, Amount] | None:
    """The first hold length in the text: (start, end, Amount), or None."""
    best: tuple[int, int, Amount] | None = None
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            amount = _duration(kind, match)
            if _NOT_A_HOLD.search(text[: match.start()]):
                continue  # "after twenty minutes", "every 3 hours": when, not how long
            if amount is None or not amount.fits():
                continue  # "zero seconds" or "three hours" is no hold: the words stay spoken
            found = (match.start(), match.end(), amount)
            if best is None or (found[0], -found[1]) < (best[0], -best[1]):
                best = found
            break
    return _glossed(text, best) if best is not None and best[2].note == DEFAULT_NOTE else best


_GLOSS = re.compile(r"\s*\(([^()]{1,40})\)")


def _glossed(text: str, vague: tuple[int, int, Amount]) -> tuple[int, int, Amount]:
    """'as long as you can (about 30 seconds)': a vague amount the article glosses with a figure in brackets is that figure."""
    gloss = _GLOSS.match(text, vague[1])
    figure = find_duration(gloss.group(1)) if gloss else None
    if gloss is None or figure is None or figure[2].note == DEFAULT_NOTE:
        return vague
    amount = figure[2]
    return vague[0], gloss.end(), Amount(amount.low, amount.high, amount.unit, text[vague[0]: gloss.end()].strip(), True)


def _duration(kind: str, m: re.Match[str]) -> Amount | None:
    phrase = m.group(0).strip()
    if kind == "as_long":
        return Amount(UNSTATED_HOLD, UNSTATED_HOLD, "seconds", phrase, True, DEFAULT_NOTE)
    if kind == "or_two":
        return Amount(*ONE_OR_TWO, _UNIT_WORDS[m.group(2).lower()], phrase, True)  # type: ignore[arg-type]
    if kind == "vague":
        value = A_COUPLE if m.group(2).lower().startswith("a couple") else A_FEW
        return Amount(value, value, _UNIT_WORDS[m.group(3).lower()], phrase, True, DEFAULT_NOTE)  # type: ignore[arg-type]
    if kind == "one_breath":
        return Amount(1, 1, "breaths", phrase, False)
    if kind == "count":
        figure = m.group(1) or m.group(2) or m.group(3)
        return Amount(number(figure), number(figure), "seconds", phrase, True)
    if kind == "half":
        return Amount(30, 30, "seconds", phrase, True)
    if kind == "mixed":
        return _mixed_duration(m, phrase)
    return _span_duration(m, phrase)


def _mixed_duration(m: re.Match[str], phrase: str) -> Amount | None:
    """'30 seconds to 1 minute': a span whose ends are in different units."""
    first, second = _UNIT_WORDS[m.group(2).lower()], _UNIT_WORDS[m.group(4).lower()]
    if first == second or "breaths" in (first, second):
        return None  # "5-10 breaths" is a plain span; breaths and seconds do not mix
    scale = {"seconds": 1, "minutes": 60}
    low, high = number(m.group(1)) * scale[first], number(m.group(3)) * scale[second]
    if low >= high:
        return None
    return Amount(low, high, "seconds", phrase, True)


def _span_duration(m: re.Match[str], phrase: str) -> Amount | None:
    """'about 20-30 seconds', '2 minutes', '5 breaths': a figure or range and its unit."""
    qualifier = m.group(1).lower() if m.group(1) else None
    first, second, unit_word = m.group(2), m.group(3), m.group(4).lower()
    if unit_word == "s" and not _is_digits(first):
        return None  # "a s" is not an amount
    if first.lower() in ("a", "an") and (second or unit_word.startswith("breath")):
        return None  # "a 5 seconds" is no amount, and "take a deep breath" is no hold
    low = number(first)
    high = number(second) if second else low
    if low <= 0 or high < low:
        return None
    unit = _UNIT_WORDS[unit_word]
    low, high, changed = _qualified(low, high, qualifier)
    changed = changed or re.search(r"\bor\s+(?:more|longer)\b", phrase, re.I) is not None
    if unit == "breaths":
        low, high = float(round(low)), float(round(high))
    converted = _in_seconds_or_minutes(low, high, unit)
    changed = changed or converted[2] != unit
    low, high, unit = converted
    read = _is_digits(first) and (second is None or _is_digits(second)) and not changed
    return Amount(low, high, unit, phrase, not read)


_REPS = re.compile(
    rf"{_QUALIFIER}\b(?:\b({NUM})(?:(?:{_TO}|\s*/\s*)({NUM}))?\s+(?:more\s+|slow\s+|controlled\s+|full\s+)?(?:times|reps|repetitions|iterations|holds|rounds|cycles)\b|(twice))"
    rf"(?!\s+(?:(?:a|per|each|every)\s+(?:day|week|morning|evening|night)|daily|weekly|nightly)\b)",
    re.I,
)


# "for four breaths in total" counts cycles too.
_IN_TOTAL = re.compile(rf"\b(?:for\s+)?({NUM})(?:{_TO}({NUM}))?\s+{_ADJ}(?:breaths|breath cycles|cycles|rounds|repetitions|reps|times)\s+in\s+(?:total|all)\b", re.I)

# "Repeat for ten breaths" after an inhale and an exhale counts cycles, not a held pose.
_REPEAT_FOR = re.compile(
    rf"\b(?:repeat|continue)\w*\b(?:\s+(?:this|the|it|cycle|pattern|sequence))*\s+"
    rf"(for\s+(\b{NUM})(?:{_TO}({NUM}))?\s+{_ADJ}(?:breaths|breath cycles|cycles|rounds)\b)",
    re.I,
)


# "Reps: 10", "Do 5 per side", "Do eight reaches", "Repeat for 20 steps", "Take 10-20 steps": a bare count, labelled,
# followed by its side, or of the movement itself.
_COUNT = re.compile(
    rf"\b(?:reps?|repetitions?|repeats)\s*:\s*(\b{NUM})(?:{_TO}({NUM}))?"
    rf"|\b(\b{NUM})(?:{_TO}({NUM}))?(?=\s+(?:per|each|on each|on both|on either|in each|in either|in both)\s+(?:side|leg|arm|hand|foot|direction)s?\b)"
    rf"|(?:(?<=\bdo )|(?<=\bmake )|(?<=\brepeat for ))(\b{NUM})(?:{_TO}({NUM}))?\s+(?:more\s+|slow\s+|full\s+)?(?!(?:secs|seconds|mins|minutes|hrs|hours|breaths)\b)[a-z]+s\b"
    rf"|(?:(?<=\btake )|(?<=\bwalk ))(\b{NUM})(?:{_TO}({NUM}))?\s+(?:more\s+|slow\s+|small\s+)?steps\b"
    rf"|\bdo\s+(?:about\s+|around\s+|roughly\s+)?(\b{NUM})(?:{_TO}({NUM}))?\s+of\s+(?:these|them|those)\b",  # "Do about 10 of these"
    re.I,
)


# Counts written with a multiplication sign: "Repeat x 10", "Do this 10x", "10 x each leg", "Hold 10 seconds x 3",
# "3 x 30 seconds" (a hold done three times); not "3 x 10" (sets of reps, voiceguide.importer.amounts.find_sets).
_TIMES_X = re.compile(
    r"\b(?:repeat|reps?|repetitions?|do|perform|complete)\s*[x×]\s*(\d{1,3})\b"
    r"|\b(\d{1,2})\s*[x×]\s*(?=\d{1,3}(?:\s*[-–]\s*\d{1,3})?\s*(?:seconds|second|secs|sec|s|minutes|minute|mins|min)\b)"
    r"|\b(\d{1,3})\s*[x×](?=\s*(?:$|[.,;)]|each\b|per\b|on\b|daily\b|a day\b|with\b))"
    r"|(?:(?<=seconds)|(?<=second)|(?<=secs)|(?<=sec)|(?<=breaths))\s*[x×]\s*(\d{1,3})\b"
    r"|^\s*[x×]\s*(\d{1,3})\b(?!\s*(?:-\s*\d+\s*)?(?:seconds|second|secs|sec|s|minutes|minute|mins|min|breaths?)\b)",  # "x 10" after a name
    re.I,
)


def find_reps(text: str) -> tuple[int, int, Amount] | None:
    """The first repetition count in the text ("Repeat 7-10 times", "10 reps", "twice", "Reps: 10", "x 10")."""
    for pattern, group in ((_IN_TOTAL, 0), (_REPEAT_FOR, 1), (_COUNT, 0), (_TIMES_X, 0)):
        m = pattern.search(text)
        if not m:
            continue
        figures = [g for g in m.groups()[1 if pattern is _REPEAT_FOR else 0:] if g is not None]
        if not figures:
            continue
        first, second = figures[0], (figures[1] if len(figures) > 1 else None)
        if first.lower() in ("a", "an", "half a", "a full", "one full"):
            continue
        low = number(first)
        high = number(second) if second else low
        read = _is_digits(first) and (second is None or _is_digits(second))
        amount = Amount(low, high, "times", m.group(group), not read)
        if low >= 1 and low.is_integer() and high.is_integer() and amount.fits():
            return m.start(group), m.end(group), amount
    for m in _REPS.finditer(text):
        qualifier = m.group(1).lower() if m.group(1) else None
        if m.group(4):
            low = high = 2.0
            read = False
        else:
            if m.group(2).lower() in ("a", "an", "half a", "a full", "one full"):
                continue
            low = number(m.group(2))
            high = number(m.group(3)) if m.group(3) else low
            if "/" in m.group(0) and high <= low:
                continue  # "2/3 times" is two or three times; "3/2" is no range
            read = _is_digits(m.group(2)) and (m.group(3) is None or _is_digits(m.group(3)))
        low, high, changed = _qualified(low, high, qualifier)
        low, high = float(round(low)), float(round(high))
        if re.search(r"\bmore\s+(?:times|rounds|cycles)\b", m.group(0), re.I) and re.search(r"\brepeat", text[: m.start()], re.I):
            low, high, changed = low + 1, high + 1, True  # "repeat three more times": four in all
        amount = Amount(low, high, "times", m.group(0).strip(), changed or not read)
        if low >= 1 and amount.fits():
            return m.start(), m.end(), amount
    return None


_SETS = re.compile(
    rf"\bsets\s*:\s*(\b{NUM})(?:{_TO}({NUM}))?"
    rf"|\b({NUM})(?:{_TO}({NUM}))?\s+sets\b(?:\s+of\s+(?:(?:each|every|all)\b(?:\s+(?:of\s+)?(?:the\s+|these\s+)?[a-z]+)?|(\b{NUM})(?:{_TO}({NUM}))?"
    rf"(?:\s+(?:more\s+)?(?:reps|repetitions|times|[a-z]+s)\b)?))?",
    re.I,
)


def _count(first: str, second: str | None, phrase: str) -> Amount | None:
    if first.lower() in ("a", "an", "half a", "a full", "one full"):
        return None
    low, high = number(first), number(second) if second else number(first)
    read = _is_digits(first) and (second is None or _is_digits(second))
    amount = Amount(low, high, "times", phrase, not read)
    return amount if low >= 1 and low.is_integer() and high.is_integer() and amount.fits() else None


# "3 x 10": sets times repetitions ("2 x 30 seconds" is a hold done twice: voiceguide.importer.amounts.find_reps).
_TIMES_SIGN = re.compile(r"\b(\d{1,2})\s*[x×]\s*(?=\d)(?:(\d{1,3})(?:\s*[-–]\s*(\d{1,3}))?\b(?!\s*(?:-\s*\d+\s*)?(?:seconds|second|secs|sec|s|minutes|minute|mins|min)\b)(?:\s*(?:reps|repetitions|times))?)?", re.I)


def find_sets(text: str) -> tuple[int, int, Amount, Amount | None] | None:
    """Sets, and the repetitions in each when said together: "3 sets of 8-12 reps", "Sets: 2", "2 sets", "3 x 10"."""
    m = _TIMES_SIGN.search(text)
    if m and m.group(2):
        sets = _count(m.group(1), None, m.group(0).strip())
        reps = _count(m.group(2), m.group(3), m.group(0).strip()) if m.group(2) else None
        if sets is not None:
            return m.start(), m.end(), sets, reps
    for m in _SETS.finditer(text):
        first, second = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        sets = _count(first, second, m.group(0))
        if sets is None:
            continue
        reps = _count(m.group(5), m.group(6), m.group(0)) if m.group(5) else None
        return m.start(), m.end(), sets, reps
    return None


_BETWEEN_SETS = re.compile(
    r"(?:,\s*)?(?:\b(?:and\s+)?(?:rest|resting|recover|recovering|take|taking|with|allow)\b\s+(?:for\s+)?(?:about\s+)?)?"
    rf"({NUM}(?:{_TO}{NUM})?\s*(?:{_UNIT}|minute|minutes))(?:'s|')?\s*(?:of\s+)?(?:rest\s+|recovery\s+)?between\s+(?:each\s+)?(?:sets|rounds|set|round)\b",
    re.I,
)


def find_rest_between_sets(text: str) -> tuple[int, int, Amount] | None:
    """'resting 60 seconds between sets', 'Rest for 30 seconds between sets' -> (start, end, the rest)."""
    m = _BETWEEN_SETS.search(text)
    if not m:
        return None
    found = find_duration(m.group(1))
    if found is None or found[2].unit == "breaths":
        return None
    amount = found[2]
    return m.start(), m.end(), Amount(amount.low, amount.high, amount.unit, m.group(0).strip(" ,"), amount.inferred)


_ANOTHER_SET = re.compile(
    rf"\b(?:rest|resting|recover|recovering|take a break|pause)\s+(?:for\s+)?(?:about\s+)?((?:{NUM}|a)(?:{_TO}{NUM})?\s*{_UNIT}|a minute)"
    rf"[,;]?\s*(?:and\s+)?(?:then\s+)?(?:do|perform|complete|repeat|start)\s+(?:another|a second|one more)\s+set\b(?:\s+of\s+{NUM}\b)?",
    re.I,
)


def find_another_set(text: str) -> tuple[int, int, Amount, Amount] | None:
    """'Rest for a minute, and then do another set' -> (start, end, two sets, the rest between them)."""
    m = _ANOTHER_SET.search(text)
    if not m:
        return None
    found = find_duration("for " + m.group(1))
    if found is None or found[2].unit == "breaths":
        return None
    phrase = m.group(0).strip()
    rest = found[2]
    return m.start(), m.end(), Amount(2, 2, "times", phrase, True, "another set: two in all"), Amount(
        rest.low, rest.high, rest.unit, phrase, rest.inferred)


# A circuit's timing, said once for every move: "do each exercise for 40 seconds, take a 20-second break",
# "20 seconds of work followed by 10 seconds of rest for eight rounds", "repeat the whole circuit four times".
_SECONDS = r"(seconds?|secs?|s)\b"
_CIRCUIT_WORK = re.compile(
    rf"\b(?:each|every)\s+(?:exercise|move|movement)\s*(?:for|:)\s*({NUM})\s*-?\s*{_SECONDS}"  # "Each exercise: 45 seconds"
    rf"|\b({NUM})\s*-?\s*{_SECONDS}\s+(?:of\s+)?(?:work|on\b|all[- ]out|exercise|exercising|effort)"
    rf"|\bwork\s+(?:for\s+)?({NUM})\s*-?\s*{_SECONDS}"  # "Work for 40 seconds, rest for 20"
    rf"|\b({NUM})\s*-?\s*{_SECONDS}\s+(?:per|for each|each)\s+(?:exercise|move|movement)\b",  # "45 seconds per exercise"
    re.I,
)
_WORK_FIGURES = ((1, 2), (3, 4), (5, 6), (7, 8))
_CIRCUIT_REST = re.compile(
    rf"\b({NUM})\s*-?\s*{_SECONDS}\s+(?:of\s+)?(?:rest|break|off\b|recovery)"
    rf"|\b(?:rest|break)\s*:?\s+(?:for\s+)?({NUM})\s*-?\s*{_SECONDS}",  # "rest for 20 seconds", "Rest: 15 seconds"
    re.I,
)
_CIRCUIT_ROUNDS = re.compile(
    rf"\b(?:repeat|do|complete|go through|run through)\s+(?:the\s+)?(?:whole\s+|entire\s+)?(?:circuit|workout|sequence)\s+"
    rf"(?:at least\s+)?(?:({NUM})\s+times|(twice))\b"
    rf"|\b(?:for\s+)?({NUM})\s+rounds\b",
    re.I,
)


def _seconds_of(match: re.Match[str], pairs: tuple[tuple[int, int], ...]) -> Amount | None:
    for figure, _ in pairs:
        if match.group(figure):
            value = number(match.group(figure))
            if 0 < value <= MAX_HOLD_SECONDS:
                return Amount(value, value, "seconds", match.group(0).strip(), not _is_digits(match.group(figure)))
    return None


def find_circuit(text: str) -> tuple[Amount | None, Amount | None, Amount | None]:
    """A circuit's work, rest and rounds, each None where the text does not say; no work, no circuit."""
    work = _CIRCUIT_WORK.search(text)
    work_amount = _seconds_of(work, _WORK_FIGURES) if work else None
    if work_amount is None:
        return None, None, None
    rest = _CIRCUIT_REST.search(text)
    rounds = _CIRCUIT_ROUNDS.search(text)
    rounds_amount = None
    if rounds:
        figure = rounds.group(1) or ("2" if rounds.group(2) else rounds.group(3))  # "twice"
        rounds_amount = _count(figure, None, rounds.group(0).strip())
    return work_amount, _seconds_of(rest, ((1, 2), (3, 4))) if rest else None, rounds_amount
