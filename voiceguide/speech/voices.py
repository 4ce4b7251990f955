"""Voices a user can name: a Piper voice (joe, en_US-joe-medium, a path to an .onnx),
an espeak id (gmw/en-us), a language (en-us, de), a name (English_(America)), any espeak
voice with an espeak-ng variant (+f2, +Annie), case-insensitively.

Pure: the engines list the installed voices and variants, this module matches names against them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

DEFAULT_BASE = "en"  # a variant alone ("+f2") goes on espeak's default English voice
NEAREST = 3  # suggestions for an unknown voice


@dataclass(frozen=True)
class VoiceInfo:
    id: str  # what espeak takes: "gmw/en-us"; a variant's is "+f2"; a Piper voice's name: "en_US-joe-medium"
    name: str
    languages: tuple[str, ...]
    gender: str = ""  # "male", "female" or "" (the voice data does not say)
    engine: str = "espeak"  # or "piper"
    quality: str = ""  # Piper's x_low, low, medium or high

    @property
    def language(self) -> str:
        return self.languages[0] if self.languages else ""

    @property
    def tail(self) -> str:
        """The id's last part, lower case: 'en-us' for gmw/en-US, which is how espeak users write it."""
        return self.id.rsplit("/", 1)[-1].lower()

    def spellings(self) -> list[str]:
        """Every lower-case way a user may write this voice (a Piper voice is never named by its language alone)."""
        if self.engine == "piper":
            return [self.id.lower(), plain(self.name)]
        return [self.id.lower(), self.tail, *(lang.lower() for lang in self.languages), plain(self.name)]

    def speaks(self, tag: str) -> bool:
        """Whether the voice is for language `tag` or one of its regions ('en' covers en-us and en-gb)."""
        tag = tag.lower()
        codes = [lang.lower() for lang in self.languages] + [self.tail]
        return any(code == tag or code.startswith(tag + "-") for code in codes)


def plain(name: str) -> str:
    """'English (America)' and 'english_(america)' alike."""
    return "_".join(name.lower().split()).replace(" ", "_")


class UnknownVoice(ValueError):
    pass


@dataclass(frozen=True)
class Voices:
    voices: tuple[VoiceInfo, ...]
    variants: tuple[VoiceInfo, ...]

    def resolve(self, spec: str) -> str:
        """The id espeak takes for what the user wrote: 'English_(America)+F2' -> 'gmw/en-us+f2'.

        Raises UnknownVoice with a user-facing message naming the nearest voices.
        """
        base, _, variant = spec.strip().partition("+")
        voice = self.voice(base or DEFAULT_BASE)
        if voice is None:
            raise UnknownVoice(f"unknown voice '{spec}'{self.suggest(base, self.voices)}: 'voiceguide voices' lists them all")
        if not variant:
            return voice.id
        found = next((v for v in self.variants if variant.lower() in (v.id[1:].lower(), plain(v.name))), None)
        if found is None:
            raise UnknownVoice(
                f"unknown voice variant '+{variant}'{self.suggest(variant, self.variants)}: 'voiceguide voices' lists them all"
            )
        return voice.id + found.id

    def voice(self, spec: str) -> VoiceInfo | None:
        """The voice for an id, language or name; a regional tag falls back to its language (de-at -> de)."""
        wanted = plain(spec)
        matchers = (  # the most exact kind of match wins: id, its last part, a language, the name
            lambda v: v.id.lower() == wanted,
            lambda v: v.tail == wanted,
            lambda v: wanted in (lang.lower() for lang in v.languages),
            lambda v: plain(v.name) == wanted,
        )
        for matches in matchers:
            found = next((v for v in self.voices if matches(v)), None)
            if found is not None:
                return found
        if "-" in wanted:
            return self.voice(wanted.rsplit("-", 1)[0])
        return None

    def speaking(self, tag: str | None) -> list[VoiceInfo]:
        return [v for v in self.voices if tag is None or v.speaks(tag)]

    def language_of(self, voice_id: str) -> str:
        """The language a resolved id speaks ('gmw/de+f2' -> 'de')."""
        voice = self.voice(voice_id.partition("+")[0])
        return voice.language if voice else DEFAULT_BASE

    @staticmethod
    def suggest(wanted: str, among: tuple[VoiceInfo, ...]) -> str:
        names: dict[str, str] = {}
        for voice in among:
            shown = voice.id if voice.id.startswith("+") else voice.tail
            stem = plain(voice.name).split("_(")[0]  # 'english' for English_(America): what a misspelling is near
            for spelling in [*voice.spellings(), stem]:
                names.setdefault(spelling.lstrip("+"), shown)
        cutoff = 0.5 if len(wanted) <= 3 else 0.6  # "f9" is as near "f5" as two letters can be
        close = difflib.get_close_matches(plain(wanted), list(names), n=NEAREST * 3, cutoff=cutoff)
        nearest = list(dict.fromkeys(names[c] for c in close))[:NEAREST]
        return f" (nearest: {', '.join(nearest)})" if nearest else ""
