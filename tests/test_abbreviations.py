"""A routine's abbreviations are read out in the session's language ('z. B.' -> 'zum Beispiel', '2x' -> 'zweimal'),
each language from its own catalogue's table: the voice says the words, the timeline keeps the text as written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from voiceguide.phrases import Phrases
from voiceguide.speech.engine import Speech

pytestmark = pytest.mark.espeak


@pytest.mark.parametrize(
    ("language", "written", "said"),
    [
        ("de", "Halte ca. 2 Min., z. B. im Sitzen.", "Halte circa 2 Minuten, zum Beispiel im Sitzen."),
        ("de", "1x links, 3x rechts, je 1 Min.", "einmal links, dreimal rechts, je eine Minute."),
        ("de", "z.B. 10 Wdh. bzw. 30 Sek", "zum Beispiel 10 Wiederholungen beziehungsweise 30 Sekunden"),
        ("es", "Repite 2x, p. ej. 21 veces.", "Repite dos veces, por ejemplo veintiuna veces."),
        ("es", "31 series de aprox. 30 seg.", "treinta y una series de aproximadamente 30 segundos."),
        ("fr", "Faites 2x, p. ex. 21 fois.", "Faites deux fois, par exemple vingt et une fois."),
        ("fr", "41 répétitions, env. 21 min", "quarante et une répétitions, environ vingt et une minutes"),
        ("en", "Hold approx. 30 secs, e.g. 2x.", "Hold approximately 30 seconds, for example twice."),
        ("en", "Repeat 21x, then 1 min.", "Repeat twenty-one times, then one minute."),
        # one of a unit is singular, and a full stop that ends a sentence stays, so the sentences do not run together
        ("es", "Mantén 1 min. Luego 1 seg. Después 2 min y 1 min.", "Mantén un minuto. Luego un segundo. Después 2 minutos y un minuto."),
        ("fr", "Tenez 1 min. Puis 1 sec.", "Tenez une minute. Puis une seconde."),
        ("de", "Halte 1 Min. Pause machen.", "Halte eine Minute Pause machen."),  # a capital starts a German noun, not a sentence
    ],
)  # fmt: skip
def test_abbreviations_are_written_out_in_the_language(language: str, written: str, said: str) -> None:
    assert Phrases(language).spoken(written) == said


def test_a_word_that_only_contains_an_abbreviation_is_left_alone() -> None:
    assert Phrases("en").spoken("Minimal effort, 2xl band, second set.") == "Minimal effort, 2xl band, second set."
    assert Phrases("de").spoken("Minze ca.") == "Minze circa."


@pytest.mark.parametrize("language", ["it", "pt-BR"])
def test_a_language_without_its_own_table_takes_no_english_one(language: str) -> None:
    """An Italian session reads 'min.' as Italian espeak does: English's 'minutes' would be wrong there."""
    assert Phrases(language).spoken("Tieni 2x circa 3 min.") == "Tieni 2x circa 3 min."


def test_a_regional_tag_uses_its_languages_table() -> None:
    assert Phrases("es-419").spoken("p. ej. 2x") == "por ejemplo dos veces"


@pytest.mark.parametrize(
    ("language", "written", "said"),
    [
        ("de", "Halte ca. 30 Sek., z. B. im Sitzen.", "Halte circa 30 Sekunden, zum Beispiel im Sitzen."),
        ("es", "Repite 21 veces, p. ej. sentado.", "Repite veintiuna veces, por ejemplo sentado."),
        ("fr", "Faites 2x, p. ex. assis.", "Faites deux fois, par exemple assis."),
        ("en", "Hold approx. 30 secs, e.g. seated.", "Hold approximately 30 seconds, for example seated."),
    ],
)  # fmt: skip
def test_espeak_says_the_words_not_the_abbreviation(language: str, written: str, said: str) -> None:
    """The session's clip of the written text is the clip of its words, and not what the same voice makes
    of the abbreviation read as it is (a session in a language with no table: Italian)."""
    session = Speech(language, 150, language=language)
    as_written = Speech(language, 150, language="it")  # the same voice, no abbreviations written out
    heard = session.samples(written)
    assert np.array_equal(heard, Speech(language, 150, language=language).samples(said))
    assert not np.array_equal(heard, as_written.samples(written))


def test_a_planned_session_keeps_the_routines_text_and_lasts_as_long_as_its_words(tmp_path: Path) -> None:
    """The plan shows 'ca. 30 Sek.' as written; its speech lasts as long as 'circa 30 Sekunden' said."""
    from voiceguide import api

    routine = tmp_path / "r.yaml"
    routine.write_text(
        "title: T\nlanguage: de\nexercises:\n  - name: Dehnung\n    steps:\n      - say: Halte ca. 30 Sek., z. B. im Sitzen.\n"
    )
    timeline = api.plan(routine, config=False)
    step = next(e for e in timeline.events if e.kind == "speech" and "Sitzen" in e.text)
    assert step.text == "Halte ca. 30 Sek., z. B. im Sitzen."
    assert step.duration == pytest.approx(Speech("de", 150).duration("Halte circa 30 Sekunden, zum Beispiel im Sitzen."))
