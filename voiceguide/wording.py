"""Every phrase the compiler says on its own (not the routine's words), in the session's language.

`Wording(language)` asks the language's `Phrases` catalogue for each one, so compiler.py holds
no words at all: it decides when something is said, this module what. Each phrase is a literal
msgid in a `say`/`plural` call, which tests/test_phrases.py extracts and checks against the
catalogues. Event labels (a hold's "30 seconds", a breath's "inhale") are the timeline's English keys;
the page, panel and plan show them in the session's language (phrases/labels.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from voiceguide.numbers import plural
from voiceguide.phrases import Phrases
from voiceguide.phrases.catalogue import SHORTENED, SOURCE_LANGUAGE

# Tempo phases by how many the tempo has: the move events' texts (labels, not speech).
TEMPO_NAMES = {1: ("rep",), 2: ("up", "down"), 3: ("up", "hold", "down"), 4: ("up", "hold", "down", "pause")}


class Wording:
    """The phrases of one session, in its language (None: English)."""

    def __init__(self, language: str | None = None) -> None:
        self.phrases = p = Phrases(language or SOURCE_LANGUAGE)
        # Breath phases: the full form where it fits the phase, else the short one.
        self.breath_full = {"inhale": p.say("Breathe in."), "hold": p.say("Hold."), "exhale": p.say("And out.")}
        self.breath_short = {"inhale": p.say("In."), "hold": p.say("Hold."), "exhale": p.say("Out.")}
        # What a tempo's beats after the first are called (the first is the rep's count), longest first:
        # a short beat at a slow rate takes the shorter word.
        self.tempo_words = {
            "hold": [p.say_in("tempo", "Hold.")],
            "down": [p.say_in("tempo", "And back."), p.say_in("tempo", "Back.")],
            "pause": [p.say_in("tempo", "Pause.")],
        }
        self.closing = p.say("That is the end of the session. Well done.")
        self.get_ready = p.say("Get ready.")
        self.go = p.say("Go.")
        self.rest = p.say("Rest.")
        self.halfway = p.say("Halfway.")
        self.last_breath = p.say("Last breath.")
        self.release = p.say("And release.")
        # The catalogue's shorter forms of what timed phases say, longest first: "Einatmen." -> "Ein."
        shorter = {p.say(msgid): p.shorter(msgid) for msgid in SHORTENED}
        self.shorter = {full: short for full, short in sorted(shorter.items(), key=lambda fs: -len(fs[0])) if short}

    def shortened(self, text: str) -> str | None:
        """The text with each phrase the catalogue has a shorter form of in that form ('Zwei. Einatmen.' ->
        'Zwei. Ein.'), or None where it has none: tried where the text does not fit before it goes unsaid."""
        short = text
        for full, brief in self.shorter.items():
            short = short.replace(full, brief)
        return short if short != text else None

    def with_shorter(self, said: Sequence[str]) -> list[str]:
        """A timed phase's alternatives, most wanted first, each followed by its shorter form where the catalogue has one."""
        tried: list[str] = []
        for text in said:
            for form in (text, self.shortened(text)):
                if form and form not in tried:
                    tried.append(form)
        return tried

    # --- the session's frame ---------------------------------------------------------

    def heading(self, index: int, count: int, name: str, reps: int, rounds: bool, sets: int, sides: int) -> str:
        """An exercise's announcement: 'Exercise two of three: Neck turns. Nine times on each side.'"""
        p = self.phrases
        named = p.say("Exercise {index} of {count}: {name}.", index=index, count=count, name=name) if count > 1 else f"{name}."
        return both(named, self.how_many(reps, rounds, sets, sides))

    def how_many(self, reps: int, rounds: bool, sets: int, sides: int) -> str:
        """The heading's second sentence, whole: never a stranded 'On each side.'"""
        p = self.phrases
        each = sides > 1
        if sets > 1 and reps == 1:  # "Three sets.", not "Three sets of one."
            if each:
                return p.plural("One set on each side.", "{n} sets on each side.", sets)
            return p.plural("One set.", "{n} sets.", sets)
        if sets > 1:
            if each:
                return p.plural("One set of {reps} on each side.", "{n} sets of {reps} on each side.", sets, reps=reps)
            return p.plural("One set of {reps}.", "{n} sets of {reps}.", sets, reps=reps)
        if reps > 1 and rounds:
            if each:
                return p.plural("One round on each side.", "{n} rounds on each side.", reps)
            return p.plural("One round.", "{n} rounds.", reps)
        if reps > 1:
            if each:
                return p.plural("Once on each side.", "{n} times on each side.", reps)
            return p.plural("One time.", "{n} times.", reps)
        if sides == 2:
            return p.say("One side, then the other.")
        if each:
            return p.plural("Once on each side.", "{n} times on each side.", 1)
        return ""

    def first_side(self, side: str) -> str:
        return self.phrases.first_side(side)

    def switch_side(self, side: str, sides: int) -> str:
        return self.phrases.switch_side(side, sides)

    def side_name(self, side: str) -> str:
        """A side as said inside the routine's own text ({side}): 'left' is 'links' in German."""
        return self.phrases.side_name(side)

    # --- counts ------------------------------------------------------------------------

    def counted(self, n: int) -> str:
        """A countdown's number: 'Three.'"""
        return self.phrases.count(n)

    def rep_count(self, rep: int, reps: int, after_countdown: bool = False) -> list[str]:
        """A rep's count, most wanted first, each shorter: 'Two.'; 'Last one.', then 'Eight.'; right after a
        countdown, where a bare number would sound like its next step, 'Two of eight.' (and 'Go.' for the first),
        then 'Two.'. Where no form fits a short beat the compiler ticks instead."""
        p = self.phrases
        if rep == reps:
            return [p.say("Last one."), p.count(rep)]
        if after_countdown:
            return [p.say("{n} of {count}.", n=rep, count=reps), self.go if rep == 1 else p.count(rep)]
        return [p.count(rep)]

    def round_count(self, rep: int, reps: int) -> list[str]:
        """A round's count, most wanted first: 'Round two.' or 'Last round.', then the number alone."""
        p = self.phrases
        return [p.say("Last round.") if rep == reps else p.say("Round {n}.", n=rep), p.count(rep)]

    def set_count(self, number: int, sets: int) -> str:
        p = self.phrases
        return p.say("Last set.") if number == sets else p.say("Set {n}.", n=number)

    def next_set(self, number: int, sets: int) -> str:
        p = self.phrases
        return p.say("Next: the last set.") if number == sets else p.say("Next: set {n}.", n=number)

    def next_up(self, name: str) -> str:
        return self.phrases.say("Next: {name}.", name=name)

    # --- holds ---------------------------------------------------------------------------

    def hold_for(self, seconds: float) -> str:
        """A timed hold's announcement: 'Hold for a minute and a half.'"""
        return self.phrases.say("Hold for {duration}.", duration=self.phrases.duration(seconds))

    def stay_for(self, breaths: int) -> str:
        """A breath-counted hold's: "Hold for 6 breaths" is heard as "hold your breath"."""
        return self.phrases.plural("Stay here for one breath.", "Stay here for {n} breaths.", breaths)

    def minutes_left(self, minutes: int) -> str:
        return self.phrases.plural("One minute left.", "{n} minutes left.", minutes)

    def breaths_left(self, n: int) -> str:
        return self.phrases.plural("One more breath.", "{n} more breaths.", n)

    # --- breath steps ----------------------------------------------------------------------

    def breath_step(self, phase: str, text: str) -> str:
        """A routine's inhale/exhale step, with 'Inhale.' before it unless it names its phase itself."""
        return text if self.phrases.says_phase(text, phase) else both(self.phrases.phase(phase), text)


def hold_label(seconds: float, breaths: int | None) -> str:
    """A hold's or work interval's event text in a plan ('30 seconds', '6 breaths'): a label, not speech."""
    if breaths:
        return plural(breaths, "breath")
    minutes, secs = divmod(int(seconds + 0.5), 60)
    parts = ([plural(minutes, "minute")] if minutes else []) + ([plural(secs, "second")] if secs or not minutes else [])
    return " and ".join(parts)


def both(*parts: str) -> str:
    """Phrases said as one cue: 'Two.' + 'In.' -> 'Two. In.'"""
    return " ".join(p for p in parts if p)


# Where a clause ends: , ; : . ! ? after a word, French's no-break space allowed before it, a space after.
CLAUSE_END = re.compile(r"(?<=[^\W_A-Z])[\u00a0\u202f ]?[,;:.!?](?=\s)|[.!?]$")
OPENERS = {"¡": "!", "¿": "?"}  # Spanish opens what it exclaims or asks: a cut keeps the pair whole


def short_form(text: str) -> str:
    """An instruction's short cue: its first clause ('Tighten your glutes, and lift' -> 'Tighten your glutes.').
    A Spanish '¡' or '¿' opened in the clause is closed ('¡Arriba, y baja!' -> '¡Arriba!'); French spacing is
    kept (the clause ends before the no-break space)."""
    stripped = text.strip()
    if len(CLAUSE_END.split(stripped, maxsplit=1)[0]) == len(stripped) - 1 and stripped[-1] in ".!?":
        return stripped  # one sentence already: 'Allez !' stays as it is written
    clause = CLAUSE_END.split(stripped, maxsplit=1)[0].rstrip(",;:.!?\u00a0\u202f \t")
    if not clause:
        return text
    opened = [OPENERS[c] for c in clause if c in OPENERS]
    closed = sum(clause.count(c) for c in OPENERS.values())
    return clause + (opened[-1] if len(opened) > closed else ".")
