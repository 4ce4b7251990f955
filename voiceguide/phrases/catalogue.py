"""`Phrases`: one language's catalogue, with plural forms, spoken numbers, lengths and side names.

Language tags are BCP 47 ("en", "de", "es-419"), looked up most specific first and then
English: es-419 reads locale/es_419, then locale/es, then locale/en, so a regional catalogue
only needs the phrases that differ. Every phrase comes back as text ready to speak: numbers up
to twenty as words (digits after a German number read as an ordinal: "3." is "dritte"), larger
ones as digits, which espeak reads in its voice's language.
"""

from __future__ import annotations

import gettext
import re
from importlib import resources

from voiceguide.numbers import round_half_up

DOMAIN = "voiceguide"
SOURCE_LANGUAGE = "en"  # the msgids' language: the end of every fallback chain
WORDS_UP_TO = 20  # numbers spoken as words from the catalogue; larger ones stay digits
HALVES_UP_TO = 20  # "two and a half minutes" up to this many minutes, then "21 minutes and 30 seconds"

BODY_SIDES = ("left", "right")  # sides of the body: "Left side." / "Now switch to the left side."
# Sides a routine may name in English; each has a spoken name in every catalogue (context "side").
SIDE_WORDS = (
    "left", "right", "clockwise", "anticlockwise", "counterclockwise", "forward", "backward",
    "up", "down", "front", "back", "inward", "outward",
)  # fmt: skip
TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def locale_folder():
    return resources.files("voiceguide.phrases").joinpath("locale")


def catalogue_languages() -> list[str]:
    """The shipped catalogues as BCP 47 tags: ['de', 'en', 'es', 'fr']."""
    return sorted(p.name.replace("_", "-") for p in locale_folder().iterdir() if p.joinpath("LC_MESSAGES").is_dir())


def check_language(tag: str) -> str:
    """The tag if it is BCP 47 in form ("de", "es-419"); ValueError with a user-facing message if not."""
    if not TAG.match(tag):
        raise ValueError(f"language must be a language tag like en, de or es-419, not '{tag}'")
    return tag


def language_chain(tag: str) -> list[str]:
    """Catalogue folders to read for a tag, most specific first: 'es-419' -> ['es_419', 'es', 'en']."""
    parts = tag.lower().split("-")
    chain = ["_".join(parts[:i]) for i in range(len(parts), 0, -1)]
    return chain + ([SOURCE_LANGUAGE] if SOURCE_LANGUAGE not in chain else [])


class Phrases:
    """The phrases of one language. say()/plural() give sentences, starting with a capital."""

    def __init__(self, language: str = SOURCE_LANGUAGE) -> None:
        self.language = language
        shipped = {p.name.lower(): p for p in locale_folder().iterdir()}
        folders = [shipped[name] for name in language_chain(language) if name in shipped]
        self.catalogue = folders[0].name.replace("_", "-") if folders else SOURCE_LANGUAGE  # the one actually used
        translations: gettext.NullTranslations = gettext.NullTranslations()
        for folder in reversed(folders):  # build the chain from English up: each falls back to the one before
            with folder.joinpath("LC_MESSAGES", f"{DOMAIN}.mo").open("rb") as mo:
                more = gettext.GNUTranslations(mo)
            more.add_fallback(translations)
            translations = more
        self._t = translations
        self._sides = {self._t.pgettext("side", word).lower(): word for word in SIDE_WORDS}

    # -- sentences --

    def say(self, msgid: str, **values: object) -> str:
        """The catalogue's sentence for msgid, {placeholders} filled (whole numbers as spoken words)."""
        return sentence(self.fill(self._t.gettext(msgid), values))

    def say_in(self, context: str, msgid: str, **values: object) -> str:
        """say() for a msgid whose words differ by use: a tempo's "Hold." keeps the position, not the breath."""
        return sentence(self.fill(self._t.pgettext(context, msgid), values))

    def plural(self, singular: str, plural: str, n: int, **values: object) -> str:
        """The sentence in the plural form the language uses for n; {n} is n spoken."""
        return sentence(self.fill(self._t.ngettext(singular, plural, n), {"n": n, **values}))

    def count(self, n: int) -> str:
        """A number said alone, as a rep count or a countdown: 'Three.'"""
        return self.say("{n}.", n=n)

    # -- parts of sentences --

    def number(self, n: int) -> str:
        return self._t.pgettext("number", str(n)) if 0 <= n <= WORDS_UP_TO else str(n)

    def duration(self, seconds: float) -> str:
        """A length as said inside a sentence: 'a minute and a half', '45 seconds', 'zwei Minuten'."""
        whole = max(1, round_half_up(seconds))
        minutes, secs = divmod(whole, 60)
        if not minutes:
            return self._length("a second", "{n} seconds", secs)
        if not secs:
            return self._length("a minute", "{n} minutes", minutes)
        if secs == 30 and minutes <= HALVES_UP_TO:
            return self._length("a minute and a half", "{n} and a half minutes", minutes)
        return self.fill(
            self._t.pgettext("duration", "{minutes} and {seconds}"),
            {"minutes": self._length("a minute", "{n} minutes", minutes), "seconds": self._length("a second", "{n} seconds", secs)},
        )

    def _length(self, singular: str, plural: str, n: int) -> str:
        return self.fill(self._t.npgettext("duration", singular, plural, n), {"n": n})

    # -- sides --

    def side_key(self, side: str) -> str | None:
        """The English side word a routine's side stands for ('links' in German -> 'left'), if any."""
        word = side.lower()
        return word if word in SIDE_WORDS else self._sides.get(word)

    def side_name(self, side: str) -> str:
        """How the side is spoken, for {side} in a routine's text: 'left' -> 'links' in German."""
        key = self.side_key(side)
        return self._t.pgettext("side", key) if key else side

    def first_side(self, side: str) -> str:
        """Said before an exercise's first side: 'Right side.' or, for other sides, 'Clockwise first.'"""
        key = self.side_key(side)
        if key == "left":
            return self.say("Left side.")
        if key == "right":
            return self.say("Right side.")
        return self.say("{side} first.", side=self.side_name(side))

    def switch_side(self, side: str, sides: int) -> str:
        """Said when an exercise moves on to `side`, one of `sides` sides: never 'the anticlockwise side'."""
        key = self.side_key(side)
        if key == "left":
            return self.say("Now switch to the left side.")
        if key == "right":
            return self.say("Now switch to the right side.")
        if sides == 2:
            return self.say("Now the other way.")
        return self.say("Now {side}.", side=self.side_name(side))

    # -- breath steps --

    def says_phase(self, text: str, phase: str) -> bool:
        """Whether a routine's inhale/exhale step already names its phase (else 'Inhale.' goes before it)."""
        words = {"inhale": "inhale, breathe in, breath in", "exhale": "exhale, breathe out, breath out"}[phase]
        for words_of_one in self._t.pgettext("breath phase words", words).split(","):
            # "atme ... ein": words a separable verb puts apart ("Atme tief ein")
            pattern = r"\b" + r"\b.*?\b".join(re.escape(part.strip()) for part in words_of_one.split("...")) + r"\b"
            if re.search(pattern, text, re.IGNORECASE):
                return True
        return False

    def phase(self, phase: str) -> str:
        """'Inhale.' / 'Exhale.', put before a breath step that does not say its phase."""
        return self.say("Inhale.") if phase == "inhale" else self.say("Exhale.")

    # --

    def fill(self, template: str, values: dict[str, object]) -> str:
        return template.format(**{k: self.number(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in values.items()})


def sentence(text: str) -> str:
    """Its first letter in capitals ('¿' and the like stay in front); one that starts with a number stays as
    it is ('21 times.', not '21 Times.')."""
    for i, char in enumerate(text):
        if char.isalnum():
            return text[:i] + char.upper() + text[i + 1 :]
    return text
