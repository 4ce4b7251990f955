"""Voices a user can name, the voices table, and hearing a voice before rendering with it (real espeak-ng)."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.audio_sink import RATE, loud_frames
from tests.conftest import HANG_GUARD, heard_seconds, run_cli
from voiceguide import api
from voiceguide.errors import RoutineError, VoiceguideError
from voiceguide.phrases import Phrases
from voiceguide.routine import Routine, parse_routine
from voiceguide.speech import piper
from voiceguide.speech.engine import Speech, espeak_voices, piper_voices
from voiceguide.speech.voices import UnknownVoice

TEXT = "Turn your head slowly to the right."


def pitch(samples: np.ndarray) -> float:
    """Median fundamental frequency (Hz) of the loudest stretches, by autocorrelation."""
    sound = samples.astype(np.float64)
    frame = 1024
    frames = [sound[i : i + frame] for i in range(0, sound.size - frame, frame)]
    loud = sorted(frames, key=lambda f: -np.abs(f).mean())[: max(3, len(frames) // 3)]
    found = []
    for f in loud:
        f = f - f.mean()
        corr = np.correlate(f, f, "full")[frame - 1 :]
        low, high = RATE // 400, RATE // 60  # 60-400 Hz: any speaking voice
        found.append(RATE / (low + int(np.argmax(corr[low:high]))))
    return float(np.median(found))


@pytest.mark.parametrize("spec", ["en-us", "EN-US", "English_(America)", "english (america)", "gmw/en-US"])
def test_a_voice_is_named_by_id_language_or_name(spec: str) -> None:
    assert espeak_voices().resolve(spec) == "gmw/en-us"
    # espeak's output varies by a few samples from run to run: the same voice, not the same bytes
    assert Speech(spec).samples(TEXT).size == pytest.approx(Speech("gmw/en-us").samples(TEXT).size, rel=0.01)


def test_a_language_names_its_voice_and_a_region_falls_back_to_the_language() -> None:
    voices = espeak_voices()
    assert [voices.resolve(spec) for spec in ("de", "DE-at", "es-419", "fr")] == ["gmw/de", "gmw/de", "roa/es-419", "roa/fr"]


def test_a_language_another_voice_speaks_for_finds_that_voice() -> None:
    """espeak's Mandarin voice speaks for zh (and Cantonese's for zh-yue), Bokmål's for no: its Other Languages column."""
    voices = espeak_voices()
    assert [voices.resolve(spec) for spec in ("zh", "zh-CN", "zh-yue", "no")] == ["sit/cmn", "sit/cmn", "sit/yue", "gmq/nb"]
    assert "sit/cmn" in [v.id for v in voices.speaking("zh")]


def test_a_language_no_voice_speaks_says_so_in_one_line() -> None:
    routine = parse_routine("title: X\nlanguage: tl\nexercises:\n  - name: A\n    steps:\n      - say: Kumusta.\n")
    with pytest.raises(VoiceguideError, match=r"^no installed voice speaks language 'tl' .*--voice"):
        spoken_by(routine)
    assert spoken_by(routine, voice="en-us") == "gmw/en-us"


def test_a_female_variant_is_usable_and_sounds_higher() -> None:
    base, female = Speech("en-us").samples(TEXT), Speech("en-us+f2").samples(TEXT)
    assert pitch(female) > 1.4 * pitch(base)
    assert espeak_voices().resolve("English_(America)+F2") == "gmw/en-us+f2"
    assert pitch(Speech("English_(America)+F2").samples(TEXT)) == pytest.approx(pitch(female), rel=0.05)
    assert espeak_voices().resolve("+female2") == "gmw/en+f2"  # a variant alone goes on espeak's English


@pytest.mark.parametrize(
    ("spec", "nearest"), [("englsh", "en-"), ("germn", "de"), ("de+f9", "+f")]
)
def test_an_unknown_voice_is_one_line_naming_the_nearest(spec: str, nearest: str) -> None:
    result = run_cli("plan", "quick-neck", "--voice", spec)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("voiceguide: unknown voice")
    assert "(nearest: " in result.stderr
    assert nearest in result.stderr.split("(nearest: ")[1]


def nearest(spec: str) -> list[str]:
    """The voices suggested for an unknown one, the installed natural voices among them."""
    with pytest.raises(UnknownVoice) as unknown:
        espeak_voices().resolve(spec, natural=piper_voices())
    message = str(unknown.value)
    return message.split("(nearest: ")[1].split(")")[0].split(", ") if "(nearest: " in message else []


@pytest.mark.parametrize(
    ("spec", "suggested"),
    [
        ("jo", ["en_US-joe-medium"]),  # the natural voice it nearly names, not Lojban's jbo
        ("germn", ["de"]),  # German's voice, not Georgian's (ka) as well
        ("de_DE-thorsten", ["de"]),  # a Piper voice not installed: the voices of its language
        ("engish", ["en_US-joe-medium", "en", "en-us"]),  # the language's natural voice first, then its plainest
        ("spansh", ["es", "es-419"]),
        ("+f9", ["+f2", "+f3", "+f4"]),  # a variant's nearest variants
    ],
)
def test_an_unknown_voice_suggests_the_nearest_voices_of_one_language(spec: str, suggested: list[str]) -> None:
    assert nearest(spec) == suggested


def test_a_voice_name_for_piper_is_not_taken_for_an_espeak_language() -> None:
    voices = espeak_voices()
    assert [voices.resolve(spec) for spec in ("en_GB", "de_AT", "en-uk")] == ["gmw/en", "gmw/de", "gmw/en"]  # tags as Piper writes them
    assert nearest("en_US-joe-hihg")[0] == "en_US-joe-medium"  # a misspelt natural voice is unknown, not espeak's en-us


def table(stdout: str) -> list[list[str]]:
    return [line.split() for line in stdout.splitlines()]


def test_voices_prints_a_table_of_voices_and_variants() -> None:
    result = run_cli("voices")
    assert result.returncode == 0
    rows = table(result.stdout)
    assert rows[0] == ["ID", "ENGINE", "LANGUAGE", "NAME", "QUALITY", "GENDER"]
    by_id = {row[0]: row for row in rows[1:]}
    assert rows[1] == ["en_US-joe-medium", "piper", "en-us", "joe", "medium", "-"]  # natural voices first; no gender in its data
    assert by_id["gmw/en-us"][1:4] == ["espeak", "en-us", "English"]  # English (America)
    assert by_id["gmw/en-us"][-1] == "-"  # espeak's language voices say "male" by default, which is no statement
    assert by_id["+f2"][2] == "(variant)"
    assert by_id["+f2"][-1] == "female"
    assert {v.id.split()[0] for v in api.voices()} == set(by_id)  # ids are whole words, but for one variant


def test_voices_for_a_language() -> None:
    result = run_cli("voices", "--language", "de")
    ids = {row[0]: row[2] for row in table(result.stdout)[1:]}
    voices = {i: lang for i, lang in ids.items() if not i.startswith("+")}
    assert "gmw/de" in voices
    assert all(lang.startswith("de") for lang in voices.values())
    assert "+m3" in ids  # variants go on any voice


def spoken_by(routine: object, **choices: object) -> str:
    """The id of the voice a session of the routine speaks with."""
    options = api.resolve(routine, **choices)[1]
    return Speech(options.voice, options.rate, language=options.language).voice.id


def test_a_routine_language_picks_its_voice_unless_one_is_given() -> None:
    routine = parse_routine("title: Nacken\nlanguage: de\nexercises:\n  - name: Drehen\n    steps:\n      - say: Dreh den Kopf.\n")
    assert spoken_by(routine) == "gmw/de"
    assert spoken_by(routine, voice="+f2") == "gmw/de+f2"
    assert spoken_by(routine, voice="gmw/en-us") == "gmw/en-us"
    assert api.resolve(routine, language="fr")[1].language == "fr"
    assert spoken_by(routine, language="fr") == "roa/fr"
    assert spoken_by("nacken-kurz") == "gmw/de"


def test_a_bad_language_is_refused_with_its_line() -> None:
    with pytest.raises(RoutineError, match=r"^<routine>:2: language must be a language tag"):
        parse_routine("title: X\nlanguage: German!\nexercises:\n  - name: A\n    steps:\n      - say: B\n")
    with pytest.raises(VoiceguideError, match="language must be a language tag"):
        api.resolve("quick-neck", language="de_DE")


def test_sample_is_written_in_the_voice_language_at_the_rate(tmp_path: Path) -> None:
    out = tmp_path / "sample.mp3"
    result = run_cli("voices", "--sample", "fr", "--rate", "220", "-o", str(out))
    assert result.returncode == 0, result.stderr
    french = Phrases("fr").say(api.SAMPLE)
    assert french.startswith("Bonjour")
    fast = Speech("fr", 220).duration(french)
    assert abs(heard_seconds(out) - fast) < 0.15  # the mp3 encoder adds a few ms of padding
    assert fast < 0.8 * Speech("fr", 150).duration(french)
    wav = tmp_path / "sample.wav"
    assert api.sample("de+f2", output=wav).startswith("Hallo")
    with wave.open(str(wav)) as clip:
        # Synthesized apart (as 'de+f2' here, under its resolved id there): espeak varies by a few ms a run.
        spoken = Speech("de+f2").duration(Phrases("de").say(api.SAMPLE))
        assert clip.getnframes() / clip.getframerate() == pytest.approx(spoken, abs=0.05)


def test_rate_and_output_go_with_sample() -> None:
    result = run_cli("voices", "--rate", "200")
    assert result.returncode == 2
    assert "--sample" in result.stderr



def test_sample_plays_live(sink) -> None:
    with sink.record("sample") as recording:
        result = run_cli("voices", "--sample", "English_(America)+f2", "--rate", "180", timeout=HANG_GUARD)
    assert result.returncode == 0, result.stderr
    loud = np.flatnonzero(loud_frames(recording.samples))
    assert loud.size, "nothing was heard"
    heard = (loud[-1] - loud[0] + 1) * recording.samples.size / loud_frames(recording.samples).size / RATE
    expected = Speech("en-us+f2", 180).duration(Phrases("en").say(api.SAMPLE))
    assert abs(heard - expected) < 0.15, (heard, expected)


def drop_in_voices(root: Path, *voices: tuple[str, str]) -> None:
    """Piper voices as a user drops downloaded ones in $XDG_DATA_HOME/voiceguide/voices: (name, language code) each,
    here the packaged English model under that name with its JSON's language set to the code."""
    folder = root / "voiceguide" / "voices"
    folder.mkdir(parents=True)
    packaged = next(v for v in piper.installed_piper_voices() if v.name == "en_US-joe-medium")
    for name, code in voices:
        (folder / f"{name}.onnx").symlink_to(packaged.model)  # its weights: the language is what is looked at
        config = json.loads(packaged.config.read_text())
        config["language"] = {**config["language"], "code": code, "family": code.split("_")[0], "region": code.split("_")[-1]}
        config["espeak"] = {"voice": code.replace("_", "-").lower()}
        (folder / f"{name}.onnx.json").write_text(json.dumps(config))


def routine_in(language: str) -> Routine:
    return parse_routine(f"title: T\nlanguage: {language}\nexercises:\n  - name: E\n    steps:\n      - say: Eins.\n")


@pytest.mark.usefixtures("natural")
def test_a_piper_voice_dropped_in_for_german_spanish_or_french_speaks_routines_in_that_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With German, Spanish (Spain and Mexico) and French Piper voices in the voices folder, a routine in each
    language is spoken by its own (a region by its region's, else its language's), by name too ('Deutsch');
    English keeps the packaged voice, and a voice the user names wins."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    drop_in_voices(
        tmp_path, ("de_DE-probe-medium", "de_DE"), ("es_ES-probe-medium", "es_ES"), ("es_MX-probe-medium", "es_MX"),
        ("fr_FR-probe-medium", "fr_FR"),
    )  # fmt: skip
    assert spoken_by(routine_in("de")) == spoken_by(routine_in("Deutsch")) == "de_DE-probe-medium"
    assert spoken_by(routine_in("es")) == spoken_by(routine_in("es-ES")) == "es_ES-probe-medium"
    assert spoken_by(routine_in("es-MX")) == "es_MX-probe-medium"
    assert spoken_by(routine_in("es-AR")) == "es_ES-probe-medium"  # no voice of its own region: its language's
    assert spoken_by(routine_in("fr")) == "fr_FR-probe-medium"
    assert spoken_by(routine_in("en")) == "en_US-joe-medium"
    assert spoken_by(routine_in("de"), voice="de") == "gmw/de"  # espeak's, when the user asks for it
    assert spoken_by(routine_in("it")) == "roa/it"  # no natural Italian voice: espeak's
