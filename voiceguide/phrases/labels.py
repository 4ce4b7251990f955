"""The words shown around a session, in its language: the page, the live panel, the plan, the chapters.

The timeline keeps English keys where a player needs to tell things apart (a breath's "inhale", a
hold's "30 seconds", a side as the routine wrote it); `Labels` turns them into the session's words,
from the catalogue's "label" messages, so every surface says them the same way.
"""

from __future__ import annotations

import re

from voiceguide.phrases.catalogue import SOURCE_LANGUAGE, Phrases, sentence
from voiceguide.timeline import Timeline

HOLD_PART = re.compile(r"(\d+) (breath|minute|second)s?")  # wording.hold_label's English: "1 minute and 30 seconds"


class Labels:
    """One language's labels (None: English)."""

    def __init__(self, language: str | None = None) -> None:
        self.phrases = Phrases(language or SOURCE_LANGUAGE)
        self.language = self.phrases.language  # the page's lang: the session's, whichever catalogue says its labels

    def __call__(self, msgid: str, **values: object) -> str:
        return self.phrases.label(msgid, **values)

    def side(self, side: str) -> str:
        """'left side' ('linke Seite', 'lado izquierdo'); another side by its spoken name: 'clockwise side'."""
        key = self.phrases.side_key(side)
        if key == "left":
            return self.phrases.label("left side")
        if key == "right":
            return self.phrases.label("right side")
        return self.phrases.label("{side} side", side=self.phrases.side_name(side))

    def breath(self, phase: str) -> str:
        """A breath phase's name: 'inhale' -> 'einatmen'."""
        p = self.phrases
        names = {"inhale": p.label("inhale"), "exhale": p.label("exhale"), "hold": p.label("hold")}
        return names.get(phase, phase)

    def hold(self, text: str) -> str:
        """A hold's length as the timeline writes it ('1 minute and 30 seconds', '6 breaths'), in the language."""
        p = self.phrases
        parts = []
        for number, unit in HOLD_PART.findall(text):
            n = int(number)
            if unit == "breath":
                parts.append(p.label_plural("{n} breath", "{n} breaths", n))
            elif unit == "minute":
                parts.append(p.label_plural("{n} minute", "{n} minutes", n))
            else:
                parts.append(p.label_plural("{n} second", "{n} seconds", n))
        if not parts:
            return text
        return parts[0] if len(parts) == 1 else p.label("{first} and {second}", first=parts[0], second=parts[1])

    def chapter_titles(self, timeline: Timeline) -> list[str]:
        """Each chapter's title: the exercise, and its side as spoken ('Nackendrehen (rechts)')."""
        titles = []
        for chapter in timeline.chapters():
            name = timeline.exercises[chapter.index - 1] if 0 < chapter.index <= len(timeline.exercises) else chapter.title
            if chapter.side:
                titles.append(self.phrases.label("{name} ({side})", name=name, side=self.phrases.side_name(chapter.side)))
            else:
                titles.append(name)
        return titles

    # -- a programme in a podcast feed --

    def episode_title(self, week: int, day: str | int, title: str) -> str:
        """'Week 2, Monday: Quick neck release', 'Woche 2, Montag: ...'."""
        return self.phrases.label("Week {week}, {day}: {title}", week=week, day=self.day(day), title=title)

    def day(self, day: str | int) -> str:
        """A programme's day: a weekday (monday..sunday) or the week's day number."""
        if isinstance(day, int):
            return self.phrases.label("Day {n}", n=day)
        p = self.phrases
        names = {  # each written out, so the catalogue's extraction sees them
            "monday": p.label("Monday"), "tuesday": p.label("Tuesday"), "wednesday": p.label("Wednesday"),
            "thursday": p.label("Thursday"), "friday": p.label("Friday"), "saturday": p.label("Saturday"),
            "sunday": p.label("Sunday"),
        }  # fmt: skip
        return names.get(day.lower(), day)

    def exercises(self, names: list[str]) -> str:
        return self.phrases.label("Exercises: {names}.", names=", ".join(names))

    def this_week(self, changes: str) -> str:
        return self.phrases.label("This week: {changes}.", changes=changes)

    def programme(self, title: str, sessions: int, weeks: int) -> str:
        """'Four weeks: 12 sessions over 4 weeks.'"""
        return self.phrases.label(
            "{title}: {sessions} over {weeks}.", title=title,
            sessions=self.phrases.label_plural("{n} session", "{n} sessions", sessions),
            weeks=self.phrases.label_plural("{n} week", "{n} weeks", weeks),
        )

    def tempo_beat(self, name: str) -> str:
        return self.phrases.translated("tempo beat", name)

    def cue(self, name: str) -> str:
        return self.phrases.translated("cue", name)

    def silence(self, role: str) -> str:
        return self.phrases.translated("silence", role)

    def state(self, state: str) -> str:
        """Live play's state: 'paused' -> 'pausiert'."""
        p = self.phrases
        states = {
            "ready": p.label("ready"), "playing": p.label("playing"), "paused": p.label("paused"),
            "finished": p.label("finished"), "stopped": p.label("stopped"),
        }  # fmt: skip
        return states.get(state, state)


def capital(text: str) -> str:
    """A label at the start of a line: 'linke Seite' -> 'Linke Seite'."""
    return sentence(text)
