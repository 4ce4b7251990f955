"""`voiceguide phrases --language de`: a catalogue as a translator reviews it, printed or spoken, without a routine."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from tests.conftest import cli, run_cli
from voiceguide import api
from voiceguide.phrases.catalogue import english_entries
from voiceguide.speech.engine import Speech

pytestmark = pytest.mark.espeak


def headings(stdout: str) -> list[str]:
    """The printed entries' English lines (their forms are indented under them)."""
    return [line for line in stdout.splitlines() if not line.startswith(" ")]


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        ("de", ["  21: Einundzwanzig Mal.", "  Halte die Position anderthalb Minuten lang.", "[short] In.", "  Ein."]),
        ("es", ["  21: Veintiuna veces.", "  1: Una vez por cada lado.", "[side] left", "  izquierda"]),
        ("fr", ["  21: Vingt et une fois.", "  Allez\u00a0!", "[label] Next  (shown, not said)", "  Ensuite"]),
    ],
)  # fmt: skip
def test_every_entry_of_a_catalogue_is_printed_as_a_session_says_it(language: str, lines: list[str]) -> None:
    result = cli("phrases", "--language", language)
    assert result.returncode == 0, result.stderr
    assert len(headings(result.stdout)) == len(english_entries())
    printed = result.stdout.splitlines()
    for line in lines:
        assert line in printed
    assert "(English: no translation)" not in result.stdout  # every entry translated: English stands in for none
    assert result.stderr == ""


def test_a_language_may_be_named_and_one_without_a_catalogue_is_shown_as_english() -> None:
    assert cli("phrases", "--language", "Deutsch").stdout == cli("phrases", "--language", "de").stdout
    italian = run_cli("phrases", "--language", "it")  # a process of its own: the warning is given once a process
    assert italian.returncode == 0
    printed = italian.stdout.splitlines()
    forms = [line for line in printed if line.startswith(" ")]
    assert forms
    assert all(line.endswith(("(English: no translation)", "(none: English's is not used)")) for line in forms)
    assert printed[printed.index("[short] In.") + 1] == "  (none: English's is not used)"  # its own or none
    assert "no phrases in it yet" in italian.stderr


def test_a_bad_language_or_a_sample_option_without_sample_is_one_line_and_exit_2() -> None:
    for args in (["--language", "x_y"], ["--language", "de", "-o", "x.wav"], ["--language", "de", "--rate", "90"]):
        result = cli("phrases", *args)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_sample_speaks_every_said_phrase_once_into_a_file(tmp_path: Path) -> None:
    """`--sample -o` writes each said form once, in order, a pause between them: as long as their clips and pauses."""
    out = tmp_path / "de.wav"
    result = cli("phrases", "--language", "de", "--sample", "-o", str(out))
    assert result.returncode == 0, result.stderr
    said = list(dict.fromkeys(text for entry in api.phrases("de") if entry.said for _, text in entry.forms))
    assert result.stdout.strip() == f"wrote {out}: {len(said)} phrases"
    assert "Einundzwanzig Mal." in said
    assert "Übung {index} von {count}" not in said  # a label is shown, not said
    speech = Speech(None, 150, language="de")
    expected = sum(speech.duration(text) for text in said) + len(said) * api.PHRASE_GAP
    with wave.open(str(out)) as written:
        # espeak varies by a few ms a run, and each clip here was made once: the same clips, so the same length
        assert written.getnframes() / written.getframerate() == pytest.approx(expected, abs=0.05)
