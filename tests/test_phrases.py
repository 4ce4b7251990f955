"""The phrase catalogues: complete, compiled, natural in each language, and all of them spoken by the real engine."""

from __future__ import annotations

import gettext
import importlib.util
import re
from pathlib import Path

import pytest
from babel.messages import extract, pofile

from tests.conftest import ROOT
from voiceguide.phrases import Phrases, catalogue_languages
from voiceguide.phrases.catalogue import ABBREVIATIONS, SIDE_WORDS, sentence
from voiceguide.speech.engine import Speech

LOCALE = ROOT / "voiceguide" / "phrases" / "locale"
LANGUAGES = catalogue_languages()
OTHER_LANGUAGES = [lang for lang in LANGUAGES if lang != "en"]
NO_CATALOGUE = next(tag for tag in ("pt-br", "it", "pl", "nl", "sv", "cs") if tag.split("-")[0] not in LANGUAGES)
PLACEHOLDER = re.compile(r"\{(\w+)(?::\w*)?\}")  # {n}, or {n:f}: the number before a feminine noun
NOT_SPOKEN = {"label", "side forms", "check", "tempo beat", "cue", "silence", "abbreviations"}  # shown, or read: never said


def catalogue(lang: str):
    with (LOCALE / lang.replace("-", "_") / "LC_MESSAGES" / "voiceguide.po").open("rb") as po:
        return pofile.read_po(po, abort_invalid=True)


def entries(lang: str) -> dict[tuple[str | None, str], tuple[str, ...]]:
    """(context, msgid) -> its msgstr forms."""
    return {
        (m.context, m.id if isinstance(m.id, str) else m.id[0]): m.string if isinstance(m.string, tuple) else (m.string,)
        for m in catalogue(lang)
        if m.id
    }


def catalogues_script():
    spec = importlib.util.spec_from_file_location("catalogues", ROOT / "scripts" / "catalogues.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_languages() -> None:
    assert {"en", "de", "es", "fr"} <= set(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_mo_is_compiled_from_its_po(lang: str) -> None:
    po = LOCALE / lang.replace("-", "_") / "LC_MESSAGES" / "voiceguide.po"
    assert catalogues_script().up_to_date(po), "run scripts/catalogues.py compile"


def test_a_mo_missing_a_translation_is_not_up_to_date(tmp_path: Path) -> None:
    script = catalogues_script()
    po = tmp_path / "voiceguide.po"
    text = (LOCALE / "de" / "LC_MESSAGES" / "voiceguide.po").read_text(encoding="utf-8")
    po.write_text(text, encoding="utf-8")
    po.with_suffix(".mo").write_bytes(script.compiled(po))
    assert script.up_to_date(po)
    po.write_text(text.replace('msgstr "Einatmen."', 'msgstr "Tief einatmen."', 1), encoding="utf-8")
    assert not script.up_to_date(po)


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_every_phrase_is_translated_with_the_same_placeholders(lang: str) -> None:
    english, translated = entries("en"), entries(lang)
    assert set(translated) == set(english)
    assert not [m.id for m in catalogue(lang) if m.fuzzy and m.id]
    for key, forms in translated.items():
        assert all(forms), f"{lang}: {key} has an empty translation"
        wanted = set(PLACEHOLDER.findall(" ".join(english[key])))
        for form in forms[1:] if len(forms) > 1 else forms:  # a singular may spell its number: "eine Minute"
            assert set(PLACEHOLDER.findall(form)) == wanted, f"{lang}: {form!r} for {key}"


def test_every_phrase_the_code_says_is_in_the_catalogue() -> None:
    keywords = {"say": None, "say_in": ((1, "c"), 2), "plural": (1, 2), "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}
    found = {
        (context, msgid if isinstance(msgid, str) else msgid[0])
        for _, _, msgid, _, context in extract.extract_from_dir(
            # The CLI writes to the terminal and speaks nothing: its own say() is no phrase.
            str(ROOT / "voiceguide"), method_map=[("cli/**.py", "ignore"), ("**.py", "python")], keywords=keywords
        )
    }
    assert len(found) > 10  # the extraction sees the code's phrases
    missing = found - set(entries("en"))
    assert not missing, f"phrases in the code but not in the catalogue: {missing}"


def sample_values(phrases: Phrases, name: str) -> dict[str, object]:
    return {
        "n": 3, "index": 2, "count": 3, "reps": 10, "name": name, "side": phrases.side_name("clockwise"),
        "duration": phrases.duration(90), "minutes": phrases.duration(60), "seconds": phrases.duration(15),
    }  # fmt: skip


def filled_forms(lang: str, name: str = "", spoken: bool = True) -> list[str]:
    """Every form of every phrase of the catalogue, filled in as voiceguide fills it (name: a routine's exercise);
    spoken: only what the voice says, else the labels too (their own placeholders left out)."""
    phrases = Phrases(lang)
    values = sample_values(phrases, name)
    filled = []
    for (context, _), forms in entries(lang).items():
        if context in NOT_SPOKEN:
            if not spoken:
                filled += [PLACEHOLDER.sub(" ", form) for form in forms]
            continue
        filled += [phrases.fill(form, values) for form in forms]
    return filled


def spoken_forms(lang: str, name: str = "") -> list[str]:
    return filled_forms(lang, name)


def shared_words(lang: str) -> set[str]:
    """Words the language shares with English ("Pause" is German and French too), as its catalogue lists them."""
    return {w.strip() for w in Phrases(lang).translated("check", "words shared with English").split(",")}


def words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", text.lower()))


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_no_english_words_left_in_a_translated_catalogue(lang: str) -> None:
    """The check counts the labels too; words the language shares with English are listed in its own catalogue."""
    english_words = {w for text in filled_forms("en", spoken=False) for w in words(text)} - {"side", "forms", "left", "right"}
    shared = shared_words(lang)
    abbreviations = entries(lang)["abbreviations", ABBREVIATIONS][0]  # a routine's words, whichever language they share
    for text in filled_forms(lang, spoken=False):
        if text == PLACEHOLDER.sub(" ", abbreviations):
            continue
        if text.strip() == ", ".join(sorted(shared)) or {w.strip() for w in text.split(",")} == shared:
            continue  # the list itself
        left = words(text) & english_words - shared
        assert not left, f"{lang}: English {left} in {text!r}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_phrase_is_spoken_by_a_voice_of_its_language(lang: str) -> None:
    speech = Speech(lang, 170)
    for text in spoken_forms(lang, name="Yoga"):
        assert speech.duration(text) > 0.15, f"{lang}: hardly a sound for {text!r}"  # the engine refuses an empty clip


@pytest.mark.parametrize(
    ("lang", "seconds", "said"),
    [
        ("en", 90, "a minute and a half"), ("en", 150, "two and a half minutes"), ("en", 60, "a minute"),
        ("en", 75, "a minute and fifteen seconds"), ("en", 45, "forty-five seconds"), ("en", 1, "a second"),
        ("en", 29.5, "thirty seconds"), ("en", 1290, "twenty-one minutes and thirty seconds"),
        ("es", 1290, "veintiún minutos y treinta segundos"), ("fr", 1290, "vingt et une minutes et trente secondes"),
        ("de", 90, "anderthalb Minuten"), ("de", 150, "zweieinhalb Minuten"), ("de", 120, "zwei Minuten"),
        ("de", 20, "zwanzig Sekunden"), ("es", 90, "un minuto y medio"), ("es", 180, "tres minutos"),
        ("fr", 90, "une minute et demie"), ("fr", 60, "une minute"), ("fr", 75, "une minute et quinze secondes"),
    ],
)  # fmt: skip
def test_lengths_are_said_as_people_say_them(lang: str, seconds: float, said: str) -> None:
    assert Phrases(lang).duration(seconds) == said


@pytest.mark.parametrize(
    ("lang", "n", "said"),
    [
        ("en", 1, "One minute left."), ("en", 2, "Two minutes left."), ("de", 1, "Noch eine Minute."),
        ("de", 2, "Noch zwei Minuten."), ("de", 25, "Noch fünfundzwanzig Minuten."), ("es", 1, "Queda un minuto."),
        ("es", 5, "Quedan cinco minutos."), ("es", 21, "Quedan veintiún minutos."), ("fr", 1, "Plus qu'une minute."),
        ("fr", 4, "Plus que quatre minutes."), ("fr", 21, "Plus que vingt et une minutes."),
    ],
)  # fmt: skip
def test_plural_forms_follow_each_language(lang: str, n: int, said: str) -> None:
    assert Phrases(lang).plural("One minute left.", "{n} minutes left.", n) == said


def test_french_singular_covers_zero_and_one() -> None:
    """French uses the singular for 0 and 1 (Plural-Forms: n > 1), English only for 1."""
    assert Phrases("fr").plural("a second", "{n} seconds", 0) != Phrases("fr").plural("a second", "{n} seconds", 2)
    assert Phrases("fr").duration(1) == "une seconde"


def test_breath_holds_never_sound_like_holding_the_breath() -> None:
    for lang in LANGUAGES:
        text = Phrases(lang).plural("Stay here for one breath.", "Stay here for {n} breaths.", 6)
        assert "hold" not in text.lower()
    assert Phrases("en").plural("Stay here for one breath.", "Stay here for {n} breaths.", 6) == "Stay here for six breaths."


def test_a_regional_tag_falls_back_to_its_language_then_english() -> None:
    assert Phrases("es-419").catalogue == "es"
    assert Phrases("es-419").say("Halfway.") == "Vas por la mitad."
    assert Phrases("de-AT").say("Get ready.") == "Mach dich bereit."
    assert Phrases(NO_CATALOGUE).catalogue == "en"
    assert Phrases(NO_CATALOGUE).say("Halfway.") == "Halfway."


def test_numbers_are_words_in_the_catalogues_language_and_never_capitalised_after_digits() -> None:
    assert [Phrases("de").count(n) for n in (3, 2, 1)] == ["Drei.", "Zwei.", "Eins."]
    assert Phrases("es").number(16) == "dieciséis"
    assert Phrases("fr").number(17) == "dix-sept"
    assert Phrases("de").number(21) == "einundzwanzig"
    assert Phrases("de").plural("One time.", "{n} times.", 21) == "Einundzwanzig Mal."
    assert Phrases(NO_CATALOGUE).number(21) == "twenty-one"  # its phrases are English: so are their numbers
    assert sentence("21 veces.") == "21 veces."  # digits first: nothing to capitalise ("21 Veces.")
    assert Phrases("de").say("Exercise {index} of {count}: {name}.", index=1, count=3, name="Kopfdrehen") == (
        "Übung eins von drei: Kopfdrehen."
    )


def test_sides_are_spoken_in_the_language_and_other_sides_switch_naturally() -> None:
    de = Phrases("de")
    assert [de.first_side("rechts"), de.switch_side("links", 2)] == ["Rechte Seite.", "Und jetzt die linke Seite."]
    assert [de.first_side("right"), de.side_name("left")] == ["Rechte Seite.", "links"]
    assert de.first_side("clockwise") == "Zuerst im Uhrzeigersinn."
    for lang in LANGUAGES:
        phrases = Phrases(lang)
        switch = phrases.switch_side("anticlockwise", 2)
        assert switch == phrases.say("Now the other way.")
        assert phrases.side_name("anticlockwise") not in switch
    assert Phrases("en").switch_side("up", 3) == "Now up."
    assert Phrases("fr").side_name("Left") == "gauche"
    assert Phrases("en").side_name("Ostwärts") == "Ostwärts"
    assert all(Phrases("es").side_name(word) != word for word in SIDE_WORDS)


def test_a_breath_step_that_names_its_phase_is_recognised_in_its_language() -> None:
    assert Phrases("de").says_phase("Atme tief ein und heb die Arme.", "inhale")
    assert Phrases("de").says_phase("Langsam ausatmen.", "exhale")
    assert not Phrases("de").says_phase("Heb die Arme.", "inhale")
    assert Phrases("fr").phase("exhale") == "Expirez."


def test_new_language_starts_as_an_empty_copy_of_english_with_its_plural_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = catalogues_script()
    monkeypatch.setattr(script, "LOCALE", tmp_path)
    english = tmp_path / "en" / "LC_MESSAGES"
    english.mkdir(parents=True)
    (english / "voiceguide.po").write_bytes((LOCALE / "en" / "LC_MESSAGES" / "voiceguide.po").read_bytes())
    made = script.new_language("pl")  # Polish: "1 minuta", "2 minuty", "5 minut"
    assert made == tmp_path / "pl" / "LC_MESSAGES" / "voiceguide.po"
    with made.open("rb") as po:
        fresh = pofile.read_po(po)
    plural = gettext.c2py(fresh.plural_expr)  # as gettext will read it, however Babel spaces the expression
    assert fresh.num_plurals == 3
    assert [plural(n) for n in (1, 2, 4, 5, 12, 22, 25)] == [0, 1, 1, 2, 2, 1, 2]
    ids = [m for m in fresh if m.id]
    assert len(ids) == len(entries("en"))
    assert all(m.string == ("", "", "") if m.pluralizable else m.string == "" for m in ids)


def test_every_label_the_code_shows_is_in_the_catalogue() -> None:
    keywords = {"label": None, "labels": None, "label_plural": (1, 2)}
    found = {
        msgid if isinstance(msgid, str) else msgid[0]
        for _, _, msgid, _, _ in extract.extract_from_dir(
            str(ROOT / "voiceguide"), method_map=[("**.py", "python")], keywords=keywords
        )
    }
    assert len(found) > 30  # the extraction sees the labels of the page, panel and plan
    missing = {msgid for msgid in found if ("label", msgid) not in entries("en")}
    assert not missing, f"labels in the code but not in the catalogue: {missing}"


@pytest.mark.parametrize(
    ("text", "short"),
    [
        ("Tighten your glutes, and lift.", "Tighten your glutes."),
        ("¡Levanta los brazos, y baja despacio!", "¡Levanta los brazos!"),
        ("¿Llegas al suelo, sin doblar las rodillas?", "¿Llegas al suelo?"),
        ("Levez les bras\u00a0: puis baissez-les.", "Levez les bras."),
        ("Allez\u00a0!", "Allez\u00a0!"),
        ("Inspirez, puis expirez\u00a0!", "Inspirez."),
    ],
)  # fmt: skip
def test_a_short_form_keeps_the_languages_punctuation(text: str, short: str) -> None:
    from voiceguide.wording import short_form

    assert short_form(text) == short


def test_french_puts_a_no_break_space_before_high_punctuation() -> None:
    for forms in entries("fr").values():
        for form in forms:
            assert not re.search(r"[^\u00a0][:;!?](\s|$)", re.sub(r"\{\w+(?::\w*)?\}", "x", form)), form


@pytest.mark.parametrize(("name", "tag"), [("Deutsch", "de"), ("español", "es"), ("French", "fr"), ("es-419", "es-419")])
def test_a_language_may_be_named(name: str, tag: str) -> None:
    from voiceguide.phrases.catalogue import check_language

    assert check_language(name) == tag
    assert Phrases(name).catalogue == tag.split("-")[0]


def test_a_language_without_a_catalogue_or_with_a_partial_one_is_named_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A throwaway catalogue (German's, renamed, missing two phrases) is read like a shipped one."""
    from voiceguide.phrases import catalogue as module
    from voiceguide.phrases.catalogue import untranslated

    assert untranslated("de") is None
    assert untranslated("en") is None
    warning = untranslated(NO_CATALOGUE)
    assert warning
    assert "\n" not in warning
    assert NO_CATALOGUE in warning
    assert "English" in warning

    script = catalogues_script()
    for lang in LANGUAGES:  # the shipped catalogues, and a new one
        folder = tmp_path / lang.replace("-", "_") / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "voiceguide.mo").write_bytes((LOCALE / lang.replace("-", "_") / "LC_MESSAGES" / "voiceguide.mo").read_bytes())
    text = (LOCALE / "de" / "LC_MESSAGES" / "voiceguide.po").read_text(encoding="utf-8")
    text = text.replace('msgstr "Halbzeit."', 'msgstr ""').replace('msgstr "Mach dich bereit."', 'msgstr ""')
    text = re.sub(r'(msgctxt "(abbreviations|short)"\nmsgid "[^\n]*"\n)msgstr "[^\n]*"', r'\1msgstr ""', text)  # none of its own
    po = tmp_path / "xx" / "LC_MESSAGES" / "voiceguide.po"
    po.parent.mkdir(parents=True)
    po.write_text(text, encoding="utf-8")
    po.with_suffix(".mo").write_bytes(script.compiled(po))
    monkeypatch.setattr(module, "locale_folder", lambda: tmp_path)
    for cached in (module._single, module._translations, module.side_forms, module.body_side_words, module.abbreviations):
        cached.cache_clear()
    try:
        assert "xx" in module.catalogue_languages()
        assert Phrases("xx").say("Last breath.") == "Letzter Atemzug."
        assert Phrases("xx").say("Halfway.") == "Halfway."
        partial = untranslated("xx")
        assert partial
        assert "'Halfway.'" in partial
        assert "'Get ready.'" in partial
        assert partial.startswith("language xx: 2 phrases")  # its abbreviations and short forms are not English's
        assert Phrases("xx").spoken("ca. 2 min., e.g. 2x") == "ca. 2 min., e.g. 2x"
        assert Phrases("xx").shorter("In.") is None
        assert "\n" not in partial
    finally:
        monkeypatch.undo()
        for cached in (module._single, module._translations, module.side_forms, module.body_side_words, module.abbreviations):
            cached.cache_clear()


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "Three sets on each side."), ("de", "Drei Sätze auf jeder Seite."), ("es", "Tres series por cada lado."),
     ("fr", "Trois séries de chaque côté.")],
)
def test_sets_of_one_rep_are_announced_without_of_one(language: str, said: str) -> None:
    from voiceguide.wording import Wording

    assert Wording(language).how_many(1, False, 3, 2) == said
