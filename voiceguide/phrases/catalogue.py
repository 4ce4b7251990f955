"""`Phrases`: one language's catalogue, with plural forms, spoken numbers, lengths, side names and labels.

Language tags are BCP 47 ("en", "de", "es-419"), looked up most specific first and then
English: es-419 reads locale/es_419, then locale/es, then locale/en, so a regional catalogue
only needs the phrases that differ; a language's name ("Deutsch", "French") stands for its tag.
Every phrase comes back as text ready to speak: numbers as words in the form the words around
them need ("{n:f} veces": veintiuna veces; numbers.py), where numbers.py has no table the
catalogue's words up to twenty, then digits, which espeak reads in its voice's language.
Labels (msgctxt "label") are the words shown around a session: its page, panel, plan and chapters.
"""

from __future__ import annotations

import functools
import gettext
import json
import re
from dataclasses import dataclass
from importlib import resources

from voiceguide.numbers import round_half_up, spelled

DOMAIN = "voiceguide"
SOURCE_LANGUAGE = "en"  # the msgids' language: the end of every fallback chain
WORDS_UP_TO = 20  # the catalogue's own number words, for a language numbers.py has no table for
HALVES_UP_TO = 20  # "two and a half minutes" up to this many minutes, then "21 minutes and 30 seconds"

BODY_SIDES = ("left", "right")  # sides of the body: "Left side." / "Now switch to the left side."
# Sides a routine may name in English; each has a spoken name in every catalogue (context "side").
SIDE_WORDS = (
    "left", "right", "clockwise", "anticlockwise", "counterclockwise", "forward", "backward",
    "up", "down", "front", "back", "inward", "outward",
)  # fmt: skip
# The English table of what a routine's abbreviations say (context "abbreviations"): 'written = said' pairs,
# '|'-separated, the first that matches a place wins; {n} stands for a number, said in the form {n:f} asks.
ABBREVIATIONS = (
    "e.g. = for example | i.e. = that is | approx. = approximately | ca. = about | 1x = once | 2x = twice | "
    "{n}x = {n} times | 1 sec = one second | 1 min = one minute | secs = seconds | sec. = seconds | sec = seconds | "
    "mins = minutes | min. = minutes | min = minutes"
)
# Phrases said inside a timed phase for which a catalogue may give a shorter form (context "short"),
# tried where the phrase does not fit before the phase goes without it.
SHORTENED = ("Breathe in.", "And out.", "In.", "Out.", "Hold.", "Last one.", "Last round.", "Last breath.", "Halfway.", "Go.")
# Entries a language has of its own or not at all (_own): English's abbreviations or short forms would be wrong in it.
OWN_ONLY = ("abbreviations", "short")
# Entries shown or read, never said as they are: labels, the lists a routine's words are recognised by, the tables.
NOT_SAID = frozenset(("label", "side forms", "check", "tempo beat", "cue", "silence", "abbreviations", "breath phase words"))
REVIEW_NUMBERS = (1, 2, 5, 21)  # a plural entry is reviewed at these: singular, plural, and 21's agreement
REVIEW_VALUES = {"n": 3, "index": 2, "count": 5, "reps": 10, "name": "Yoga"}  # a said entry's placeholders, for review
TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# Languages by name, in English and in their own words: `language: Deutsch`. Lower case, accents kept and not.
LANGUAGE_NAMES = {
    "english": "en", "german": "de", "deutsch": "de", "spanish": "es", "español": "es", "espanol": "es",
    "castellano": "es", "french": "fr", "français": "fr", "francais": "fr", "italian": "it", "italiano": "it",
    "portuguese": "pt", "português": "pt", "portugues": "pt", "dutch": "nl", "nederlands": "nl",
    "polish": "pl", "polski": "pl", "swedish": "sv", "svenska": "sv", "danish": "da", "dansk": "da",
    "norwegian": "nb", "norsk": "nb", "finnish": "fi", "suomi": "fi", "czech": "cs", "čeština": "cs",
    "russian": "ru", "русский": "ru", "turkish": "tr", "türkçe": "tr", "greek": "el", "ελληνικά": "el",
    "japanese": "ja", "日本語": "ja", "chinese": "zh", "中文": "zh",
}  # fmt: skip


def locale_folder():
    return resources.files("voiceguide.phrases").joinpath("locale")


def catalogue_languages() -> list[str]:
    """The shipped catalogues as BCP 47 tags: ['de', 'en', 'es', 'fr']."""
    return sorted(p.name.replace("_", "-") for p in locale_folder().iterdir() if p.joinpath("LC_MESSAGES").is_dir())


def check_language(tag: str) -> str:
    """The BCP 47 tag for a tag ("de", "es-419") or a language's name ("Deutsch", "French"); ValueError with a
    user-facing message if it is neither."""
    named = LANGUAGE_NAMES.get(tag.strip().lower())
    if named:
        return named
    if not TAG.match(tag):
        raise ValueError(f"language must be a language tag like en, de or es-419 (or a name: Deutsch), not '{tag}'")
    return tag


def language_chain(tag: str) -> list[str]:
    """Catalogue folders to read for a tag, most specific first: 'es-419' -> ['es_419', 'es', 'en']."""
    parts = tag.lower().split("-")
    chain = ["_".join(parts[:i]) for i in range(len(parts), 0, -1)]
    return chain + ([SOURCE_LANGUAGE] if SOURCE_LANGUAGE not in chain else [])


def untranslated(language: str) -> str | None:
    """One line saying what of a session in `language` will be English, or None when its catalogue says it all:
    no catalogue at all, or one missing some phrases (each then falls back to English, phrase by phrase)."""
    tag = LANGUAGE_NAMES.get(language.strip().lower(), language)
    phrases = Phrases(tag)
    if phrases.catalogue == SOURCE_LANGUAGE:
        if tag.lower().split("-")[0] == SOURCE_LANGUAGE:
            return None
        return (
            f"language {tag}: voiceguide has no phrases in it yet: what it adds (counts, sides, 'Halfway.', the page's "
            f"labels) will be English; the routine's own words are read as written"
        )
    missing = phrases.missing()
    if not missing:
        return None
    shown = ", ".join(f"'{m}'" for m in missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    return f"language {tag}: {len(missing)} phrases have no translation in the {phrases.catalogue} catalogue and will be English: {shown}"


@functools.cache
def _single(folder_name: str) -> gettext.GNUTranslations:
    """One catalogue alone, to see what it holds."""
    with locale_folder().joinpath(folder_name, "LC_MESSAGES", f"{DOMAIN}.mo").open("rb") as mo:
        return gettext.GNUTranslations(mo)


@functools.cache
def _translations(folder_names: tuple[str, ...]) -> gettext.NullTranslations:
    """The catalogues of a fallback chain, most specific first, each falling back to the next."""
    shipped = {p.name.lower(): p for p in locale_folder().iterdir()}
    translations: gettext.NullTranslations = gettext.NullTranslations()
    for name in reversed(folder_names):  # build the chain from English up: each falls back to the one before
        with shipped[name].joinpath("LC_MESSAGES", f"{DOMAIN}.mo").open("rb") as mo:
            more = gettext.GNUTranslations(mo)
        more.add_fallback(translations)
        translations = more
    return translations


def _shipped(language: str) -> tuple[str, ...]:
    shipped = {p.name.lower() for p in locale_folder().iterdir() if p.joinpath("LC_MESSAGES").is_dir()}
    return tuple(name for name in language_chain(language) if name in shipped)


def _plain(text: str) -> str:
    """A side as written, for comparing: lower case, single spaces."""
    return " ".join(text.lower().replace("\u00a0", " ").split())


@functools.cache
def side_forms() -> dict[str, str]:
    """Every way any catalogue writes a side, plain (_plain) -> its English key: 'linke seite' -> 'left'.
    Every catalogue's, whatever the session's language: a German routine may write its sides in English."""
    forms: dict[str, str] = {}
    for language in catalogue_languages():
        t = _translations(_shipped(language))
        for key in SIDE_WORDS:
            forms[_plain(t.pgettext("side", key))] = key
        for key in BODY_SIDES:
            for form in t.pgettext("side forms", f"{key}, the {key} side, {key} side, on the {key}").split(","):
                if form.strip():
                    forms[_plain(form)] = key
    for key in SIDE_WORDS:
        forms[key] = key
    return forms


def _own(language: str, context: str, msgid: str) -> str | None:
    """The entry as the language's own catalogues give it, most specific first, never English's for another
    language: an English abbreviation or short form would be wrong in any other."""
    english = language.lower().split("-")[0] == SOURCE_LANGUAGE
    for name in _shipped(language):
        if name == SOURCE_LANGUAGE and not english:
            break
        found = _single(name)._catalog.get(f"{context}\x04{msgid}")  # type: ignore[attr-defined]
        if found:
            return str(found)
    return None


CAPITALIZED_NOUNS = frozenset({"de", "lb"})  # languages that write every noun with a capital: a capital starts no sentence


def _pattern(written: str) -> re.Pattern[str]:
    """An abbreviation as a routine may write it: any case, spaces optional ('z.B.' for 'z. B.'), {n} a number."""
    parts = [re.escape(part).replace(r"\ ", r"\s*") for part in written.split("{n}")]
    return re.compile(r"(?<![\w.])" + r"(\d+)\s*".join(parts) + r"(?!\w)", re.IGNORECASE)


@functools.cache
def abbreviations(language: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """The language's abbreviations, (pattern, what is said), in the catalogue's order: none without its own table."""
    table = _own(language, "abbreviations", ABBREVIATIONS) or ""
    pairs = [pair.split("=", 1) for pair in table.split("|") if "=" in pair]
    return tuple((_pattern(written.strip()), said.strip()) for written, said in pairs)


@functools.cache
def body_side_words() -> frozenset[str]:
    """The words that say left or right in some language ('linke', 'izquierdo', 'gauche'), and no others."""
    words = {word for form, key in side_forms().items() if key in BODY_SIDES for word in form.split()}
    return frozenset(words - {word for form, key in side_forms().items() if key not in BODY_SIDES for word in form.split()}
                     - {"side", "the", "on", "seite", "die", "der", "lado", "el", "la", "côté", "le", "à", "de", "du", "al", "a"})


@dataclass(frozen=True)
class Entry:
    """One catalogue entry as a translator reviews it: the English msgid and what the language makes of it."""

    context: str | None
    msgid: str
    plural: str | None  # the English plural msgid, for an entry with plural forms
    note: str  # the catalogue's comment: where and how voiceguide uses it
    forms: tuple[tuple[int | None, str], ...]  # (the sample number of a plural form, or None; the text as said or shown; "": none)
    said: bool  # the voice says it, placeholders filled with samples (else it is shown or read, as written)
    translated: bool  # the language's own catalogue has it (else English stands in)


def english_entries() -> list[tuple[str | None, str, str | None, str]]:
    """(context, msgid, plural msgid, comment) of every entry of the English catalogue, in its order: the .po read
    line by line (one 'key "string"' a line, continued by '"string"' lines; gettext's escapes are JSON's)."""
    text = locale_folder().joinpath(SOURCE_LANGUAGE, "LC_MESSAGES", f"{DOMAIN}.po").read_text(encoding="utf-8")
    found: list[tuple[str | None, str, str | None, str]] = []
    fields: dict[str, str] = {}
    notes: list[str] = []
    key = ""
    for line in [*text.splitlines(), ""]:
        if not line.strip():
            if fields.get("msgid"):
                found.append((fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"), " ".join(notes)))
            fields, notes = {}, []
        elif line.startswith("#."):
            notes.append(line[2:].strip())
        elif line.startswith('"'):
            fields[key] += json.loads(line)
        elif not line.startswith("#"):
            key, _, value = line.partition(" ")
            fields[key] = json.loads(value)
    return found


class _Number:
    """A number in a catalogue's placeholder: {n} is said alone, {n:m} / {n:f} before a masculine / feminine noun."""

    def __init__(self, phrases: Phrases, n: int) -> None:
        self.phrases, self.n = phrases, n

    def __format__(self, form: str) -> str:
        return self.phrases.number(self.n, form)


class Phrases:
    """The phrases of one language. say()/plural() give sentences, starting with a capital."""

    def __init__(self, language: str = SOURCE_LANGUAGE) -> None:
        self.language = language = LANGUAGE_NAMES.get(language.strip().lower(), language)
        folders = _shipped(language)
        self.catalogue = folders[0].replace("_", "-") if folders else SOURCE_LANGUAGE  # the one actually used
        self._t = _translations(folders or (SOURCE_LANGUAGE,))
        self._numbers_in = self.catalogue.split("-")[0]  # a number is said in the catalogue's language, as its words are

    def missing(self) -> list[str]:
        """The English msgids this language's own catalogues leave untranslated (English says them)."""
        own = [_single(name)._catalog for name in _shipped(self.language) if name != SOURCE_LANGUAGE]  # type: ignore[attr-defined]
        found = []
        for key in _single(SOURCE_LANGUAGE)._catalog:  # type: ignore[attr-defined]
            msgid = key[0] if isinstance(key, tuple) else key
            if msgid.split("\x04")[0] in OWN_ONLY:
                continue  # never English: a language without them has none
            if msgid and not (isinstance(key, tuple) and key[1] != 0) and not any(key in catalog for catalog in own):
                found.append(msgid.split("\x04")[-1])
        return found

    def review(self) -> list[Entry]:
        """Every entry of the catalogue as the session says or shows it, in the English catalogue's order: what a
        translator reviews without writing a routine. Said entries are filled with samples (REVIEW_VALUES, a side,
        lengths), each plural form at REVIEW_NUMBERS; labels and tables are shown as written."""
        english = self.language.lower().split("-")[0] == SOURCE_LANGUAGE
        own: set[object] = set()
        for name in _shipped(self.language):
            if name != SOURCE_LANGUAGE or english:
                own |= set(_single(name)._catalog)  # type: ignore[attr-defined]
        entries = []
        for context, msgid, plural, note in english_entries():
            key = f"{context}\x04{msgid}" if context else msgid
            said = context not in NOT_SAID
            numbers: tuple[int | None, ...] = REVIEW_NUMBERS if plural else (None,)
            translated = key in own or (key, 0) in own
            forms = tuple((n, self._reviewed(context, msgid, plural, n, said)) for n in numbers)
            if not translated and context in OWN_ONLY:
                forms = ((None, ""),)  # English's does not stand in
            entries.append(Entry(context, msgid, plural, note, forms, said, translated))
        return entries

    def _reviewed(self, context: str | None, msgid: str, plural: str | None, n: int | None, said: bool) -> str:
        if plural and n is not None:
            template = self._t.npgettext(context, msgid, plural, n) if context else self._t.ngettext(msgid, plural, n)
        else:
            template = self._t.pgettext(context, msgid) if context else self._t.gettext(msgid)
        if not said:
            return template
        values = {
            **REVIEW_VALUES, "side": self.side_name("clockwise"), "duration": self.duration(90),
            "minutes": self.duration(60), "seconds": self.duration(15), **({"n": n} if n is not None else {}),
        }  # fmt: skip
        filled = self.fill(template, values)
        return sentence(filled) if msgid.endswith((".", "!", "?")) else filled  # a sentence, not a part of one

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

    def spoken(self, text: str) -> str:
        """A text as the voice should read it: the language's abbreviations written out ('z. B.' -> 'zum Beispiel',
        '2x' -> 'zweimal', '21 veces' -> 'veintiuna veces'); an abbreviation's full stop that ends a sentence stays."""
        for pattern, said in abbreviations(self.language):
            text = pattern.sub(functools.partial(self._expanded, said=said), text)
        return text

    def _expanded(self, match: re.Match[str], said: str) -> str:
        values: dict[str, object] = {"n": int(match.group(1))} if match.groups() else {}
        return self.fill(said, values) + ("." if self._ends_sentence(match) else "")

    def _ends_sentence(self, match: re.Match[str]) -> bool:
        """Whether an abbreviation's full stop also ends its sentence: at the end of the text, or before a capital
        letter (not in a language that capitalizes its nouns: German's '1 Min. Pause' goes on)."""
        if not match.group(0).endswith("."):
            return False
        after = match.string[match.end() :].lstrip()
        return not after or (after[0].isupper() and self.language.split("-")[0].lower() not in CAPITALIZED_NOUNS)

    def shorter(self, msgid: str) -> str | None:
        """The catalogue's shorter form of a phrase said inside a timed phase (SHORTENED), where it has one."""
        short = _own(self.language, "short", msgid)
        return sentence(short) if short and sentence(short) != self.say(msgid) else None

    # -- labels: the words shown, not said --

    def label(self, msgid: str, **values: object) -> str:
        """A label shown around the session (msgctxt "label"), numbers as digits: 'Exercise 2 of 5'. Without
        values, the template itself: the page's script and the tags fill it."""
        template = self._t.pgettext("label", msgid)
        return template.format(**values) if values else template

    def label_plural(self, singular: str, plural: str, n: int, **values: object) -> str:
        return self._t.npgettext("label", singular, plural, n).format(n=n, **values)

    def translated(self, context: str, word: str) -> str:
        """A name the timeline keeps in English (a cue's, a tempo beat's), in the language: 'bell' -> 'Glocke'."""
        return self._t.pgettext(context, word)

    # -- parts of sentences --

    def number(self, n: int, form: str = "") -> str:
        """n as said in the catalogue's language, in `form` (numbers.FORMS)."""
        words = spelled(n, self._numbers_in, form)
        if words is not None:
            return words
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
        """The English side word a routine's side stands for, in any catalogue's words and inflection
        ('links', 'linke Seite', 'lado izquierdo', 'côté gauche' -> 'left'), if any."""
        return side_forms().get(_plain(side))

    def unplaced_side(self, side: str) -> bool:
        """Whether a side names left or right in a form voiceguide cannot place ('linker Arm'): it would be
        announced as any other side, and the user's left and right never said."""
        return self.side_key(side) is None and any(word in body_side_words() for word in _plain(side).split())

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
        return template.format(**{k: _Number(self, v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in values.items()})


def sentence(text: str) -> str:
    """Its first letter in capitals ('¿' and the like stay in front); one that starts with a number stays as
    it is ('21 times.', not '21 Times.')."""
    for i, char in enumerate(text):
        if char.isalnum():
            return text[:i] + char.upper() + text[i + 1 :]
    return text
