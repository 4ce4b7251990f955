"""Numbers: spoken as words in the session's language, read back from English words, rounded as people round.

`spelled(n, language, form)` writes 0 to 999 out in English, German, Spanish and French, in the
form the words around it need: alone (a count: "veintiuno", "vingt et un"), before a masculine
noun ("veintiún segundos") or before a feminine one ("veintiuna veces", "vingt et une fois").
German and English numbers do not agree with their noun past one, and "one" itself is each
catalogue's singular ("eine Minute"). A table, not a library: num2words spells Spanish and
French cardinals in the masculine only. Larger numbers, or another language, give None: the
catalogue's words up to twenty, then digits, which espeak reads in the voice's language.
"""

from __future__ import annotations

import math
from collections.abc import Callable

ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
FORMS = ("", "m", "f")  # alone; before a masculine noun; before a feminine one (a catalogue writes {n:f})
SPELLED_BELOW = 1000


def number_word(n: int) -> str:
    """3 -> 'three', 21 -> 'twenty-one'; a thousand and more stay digits."""
    return spelled(n, "en") or str(n)


def spelled(n: int, language: str, form: str = "") -> str | None:
    """n in words as `language` says it in `form` (FORMS), or None where there is no table for it."""
    if form not in FORMS:
        raise ValueError(f"number form must be one of {FORMS}, not '{form}'")
    speller = SPELLERS.get(language.lower().replace("_", "-").split("-")[0])
    return speller(n, form) if speller and 0 <= n < SPELLED_BELOW else None


# --- English ------------------------------------------------------------------------------

def _english(n: int, form: str) -> str:
    hundreds, rest = divmod(n, 100)
    if hundreds:
        return f"{ONES[hundreds]} hundred" + (f" and {_english(rest, form)}" if rest else "")
    if rest < 20:
        return ONES[rest]
    tens, ones = divmod(rest, 10)
    word = next(w for w, v in TENS.items() if v == tens * 10)
    return f"{word}-{ONES[ones]}" if ones else word


# --- German -------------------------------------------------------------------------------

DE_ONES = (
    "null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn",
    "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn",
)  # fmt: skip
DE_TENS = ("", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig")


def _german(n: int, form: str) -> str:
    hundreds, rest = divmod(n, 100)
    if hundreds:
        return ("ein" if hundreds == 1 else DE_ONES[hundreds]) + "hundert" + (_german(rest, form) if rest else "")
    if rest < 20:
        return DE_ONES[rest]
    tens, ones = divmod(rest, 10)
    if not ones:
        return DE_TENS[tens]
    return ("ein" if ones == 1 else DE_ONES[ones]) + "und" + DE_TENS[tens]  # einundzwanzig: "ein" inside a number


# --- Spanish ------------------------------------------------------------------------------

ES_ONES = (
    "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
    "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve",
    "veinte", "veintiuno", "veintidós", "veintitrés", "veinticuatro", "veinticinco", "veintiséis",
    "veintisiete", "veintiocho", "veintinueve",
)  # fmt: skip
ES_TENS = ("", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa")
ES_HUNDREDS = (
    "", "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos", "seiscientos", "setecientos",
    "ochocientos", "novecientos",
)  # fmt: skip


def _spanish(n: int, form: str) -> str:
    hundreds, rest = divmod(n, 100)
    if hundreds:
        if n == 100:
            return "cien"
        head = ES_HUNDREDS[hundreds]
        if form == "f" and hundreds > 1:  # doscientas veces; "ciento" never changes
            head = head[:-2] + "as"
        return head + (f" {_spanish(rest, form)}" if rest else "")
    if rest < 30:
        word = ES_ONES[rest]
    else:
        tens, ones = divmod(rest, 10)
        word = ES_TENS[tens] + (f" y {ES_ONES[ones]}" if ones else "")
    if word.endswith("uno") and form:  # uno: a count; un segundo, una vez; veintiún segundos, veintiuna veces
        word = word[:-3] + ("una" if form == "f" else ("ún" if word == "veintiuno" else "un"))
    return word


# --- French -------------------------------------------------------------------------------

FR_ONES = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf",
)  # fmt: skip
FR_TENS = ("", "", "vingt", "trente", "quarante", "cinquante", "soixante", "soixante", "quatre-vingt", "quatre-vingt")


def _french(n: int, form: str) -> str:
    hundreds, rest = divmod(n, 100)
    if hundreds:
        head = "cent" if hundreds == 1 else f"{FR_ONES[hundreds]} cent"
        if not rest:
            return head + ("s" if hundreds > 1 else "")  # deux cents, deux cent un
        return f"{head} {_french(rest, form)}"
    if rest < 20:
        word = FR_ONES[rest]
    else:
        tens, ones = divmod(rest, 10)
        if tens in (7, 9):  # soixante-dix, quatre-vingt-onze: the teens after sixty and eighty
            ones += 10
        if ones == 0:
            word = FR_TENS[tens] + ("s" if tens == 8 else "")  # quatre-vingts
        elif ones in (1, 11) and tens < 8:
            word = f"{FR_TENS[tens]} et {FR_ONES[ones]}"  # vingt et un, soixante et onze (but quatre-vingt-un)
        else:
            word = f"{FR_TENS[tens]}-{FR_ONES[ones]}"
    if form == "f" and (word == "un" or word.endswith((" un", "-un"))):
        word += "e"  # vingt et une fois, quatre-vingt-une secondes
    return word


SPELLERS: dict[str, Callable[[int, str], str]] = {"en": _english, "de": _german, "es": _spanish, "fr": _french}


# --- rounding and plain counts -------------------------------------------------------------

def round_half_up(x: float) -> int:
    """2.5 -> 3 (Python's round() would give 2): how a person rounds a spoken amount."""
    return math.floor(x + 0.5)


def plural(n: int, word: str) -> str:
    """3, 'exercise' -> '3 exercises': counts in messages (not spoken phrases, not a session's labels)."""
    return f"{n} {word}{'s' if n != 1 else ''}"
