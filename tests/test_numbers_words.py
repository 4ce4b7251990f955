"""Counts as words in the catalogue's grammar: Spanish and French numbers agree with the noun they count.

The table is written by hand from the grammars (RAE: "veintiún segundos", "veintiuna veces"; French:
"vingt et une fois", "quatre-vingt-un", "soixante et onze" whatever the noun), not from the code.
"""

from __future__ import annotations

import pytest

from voiceguide.numbers import number_word, spelled
from voiceguide.phrases import Phrases

# n: (alone, before a masculine noun, before a feminine noun)
SPANISH = {
    1: ("uno", "un", "una"),
    2: ("dos", "dos", "dos"),
    21: ("veintiuno", "veintiún", "veintiuna"),
    31: ("treinta y uno", "treinta y un", "treinta y una"),
    41: ("cuarenta y uno", "cuarenta y un", "cuarenta y una"),
    71: ("setenta y uno", "setenta y un", "setenta y una"),
    81: ("ochenta y uno", "ochenta y un", "ochenta y una"),
    91: ("noventa y uno", "noventa y un", "noventa y una"),
    100: ("cien", "cien", "cien"),
    101: ("ciento uno", "ciento un", "ciento una"),
    200: ("doscientos", "doscientos", "doscientas"),
}
FRENCH = {
    1: ("un", "un", "une"),
    2: ("deux", "deux", "deux"),
    21: ("vingt et un", "vingt et un", "vingt et une"),
    31: ("trente et un", "trente et un", "trente et une"),
    41: ("quarante et un", "quarante et un", "quarante et une"),
    71: ("soixante et onze", "soixante et onze", "soixante et onze"),
    80: ("quatre-vingts", "quatre-vingts", "quatre-vingts"),
    81: ("quatre-vingt-un", "quatre-vingt-un", "quatre-vingt-une"),
    91: ("quatre-vingt-onze", "quatre-vingt-onze", "quatre-vingt-onze"),
    100: ("cent", "cent", "cent"),
    200: ("deux cents", "deux cents", "deux cents"),
    201: ("deux cent un", "deux cent un", "deux cent une"),
}


@pytest.mark.parametrize(("language", "table"), [("es", SPANISH), ("fr", FRENCH)])
def test_numbers_agree_with_their_noun(language: str, table: dict[int, tuple[str, str, str]]) -> None:
    for n, forms in table.items():
        assert tuple(spelled(n, language, form) for form in ("", "m", "f")) == forms, n


@pytest.mark.parametrize(
    ("language", "singular", "plural", "n", "said"),
    [
        ("es", "One time.", "{n} times.", 21, "Veintiuna veces."),
        ("es", "One time.", "{n} times.", 91, "Noventa y una veces."),
        ("es", "One minute left.", "{n} minutes left.", 21, "Quedan veintiún minutos."),
        ("es", "One minute left.", "{n} minutes left.", 31, "Quedan treinta y un minutos."),
        ("es", "One more breath.", "{n} more breaths.", 41, "Cuarenta y una respiraciones más."),
        ("es", "One round.", "{n} rounds.", 71, "Setenta y una rondas."),
        ("fr", "One time.", "{n} times.", 21, "Vingt et une fois."),
        ("fr", "One time.", "{n} times.", 81, "Quatre-vingt-une fois."),
        ("fr", "One round.", "{n} rounds.", 21, "Vingt et un tours."),
        ("fr", "One round.", "{n} rounds.", 81, "Quatre-vingt-un tours."),
        ("fr", "One more breath.", "{n} more breaths.", 31, "Plus que trente et une respirations."),
        ("fr", "One minute left.", "{n} minutes left.", 71, "Plus que soixante et onze minutes."),
        ("de", "One time.", "{n} times.", 21, "Einundzwanzig Mal."),
        ("de", "One more breath.", "{n} more breaths.", 100, "Noch einhundert Atemzüge."),
    ],
)  # fmt: skip
def test_counts_in_sentences_agree_and_are_capitalised_as_words(language, singular, plural, n, said) -> None:
    assert Phrases(language).plural(singular, plural, n) == said


def test_the_catalogues_number_words_and_the_tables_agree() -> None:
    """Up to twenty both say the numbers (the catalogue for a language without a table): they must agree."""
    for language in ("en", "de", "es", "fr"):
        phrases = Phrases(language)
        for n in range(21):
            assert phrases.translated("number", str(n)) == spelled(n, language), (language, n)


def test_lengths_agree_too() -> None:
    assert Phrases("es").duration(21) == "veintiún segundos"
    assert Phrases("fr").duration(21 * 60) == "vingt et une minutes"
    assert Phrases("es").duration(31 * 60 + 30) == "treinta y un minutos y treinta segundos"


def test_past_the_tables_numbers_stay_digits_and_english_words_read_back() -> None:
    assert spelled(1000, "es") is None
    assert Phrases("es").number(1000) == "1000"
    assert spelled(21, "it") is None
    assert number_word(21) == "twenty-one"
    assert number_word(3) == "three"
    with pytest.raises(ValueError, match="number form"):
        spelled(3, "es", "n")
