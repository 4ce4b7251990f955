"""Voices a user can name: a Piper voice (joe, en_US-joe-medium, a path to an .onnx),
an espeak id (gmw/en-us), a language (en-us, de), a name (English_(America)), any espeak
voice with an espeak-ng variant (+f2, +Annie), case-insensitively.

Pure: the engines list the installed voices and variants, this module matches names against them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_BASE = "en"  # a variant alone ("+f2") goes on espeak's default English voice
NEAREST = 3  # suggestions for an unknown voice
PIPER_LOCALE = re.compile(r"[a-z]{2,3}_[a-z]{2}")  # en_GB: a language and region as Piper's voices write them
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[a-z]{4})?(-([a-z]{2}|\d{3}))?")  # language, script, region: zh-hans-cn, es-419
LEADING_LANGUAGE = re.compile(r"([a-z]{2,3})(?:[-_]|$)")  # the language a name starts with: de_DE-thorsten
# Regions that speak a regional form espeak has a voice for, when the region itself has none: Spanish of the
# Americas (UN M.49 419) for Mexico, Argentina, the US and the rest, not Castilian.
REGION_GROUPS = {
    "es": ("es-419", frozenset({
        "419", "ar", "bo", "cl", "co", "cr", "cu", "do", "ec", "gt", "hn", "mx", "ni", "pa", "pe", "pr", "py", "sv",
        "us", "uy", "ve",
    })),
}  # fmt: skip


def regional_parent(tag: str) -> str | None:
    """The tag to try when no voice speaks `tag`: its region's group ('es-mx' -> 'es-419'), else its language."""
    if not LANGUAGE_TAG.fullmatch(tag):  # a name that only looks like a tag in part: "no-such-voice" is no Norwegian
        return None
    language, _, region = tag.partition("-")
    group = REGION_GROUPS.get(language)
    if group and region.split("-")[0] in group[1] and tag != group[0]:
        return group[0]
    return tag.rsplit("-", 1)[0] if "-" in tag else None


@dataclass(frozen=True)
class VoiceInfo:
    id: str  # what espeak takes: "gmw/en-us"; a variant's is "+f2"; a Piper voice's name: "en_US-joe-medium"
    name: str
    languages: tuple[str, ...]
    gender: str = ""  # "male", "female" or "" (the voice data does not say)
    engine: str = "espeak"  # or "piper"
    quality: str = ""  # Piper's x_low, low, medium or high
    # Languages it also speaks for, with espeak's priority (lower first): Mandarin's voice for zh, Bokmål's for no
    other_languages: tuple[tuple[str, int], ...] = ()

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
        codes = [lang.lower() for lang in self.languages] + [self.tail] + [code for code, _ in self.other_languages]
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

    def resolve(self, spec: str, natural: Sequence[VoiceInfo] = ()) -> str:
        """The id espeak takes for what the user wrote: 'English_(America)+F2' -> 'gmw/en-us+f2'.

        Raises UnknownVoice with a user-facing message naming the nearest voices (natural: the installed
        Piper voices, suggested with espeak's).
        """
        base, _, variant = spec.strip().partition("+")
        voice = self.voice(base or DEFAULT_BASE)
        if voice is None:
            raise UnknownVoice(f"unknown voice '{spec}'{suggest(base, [*natural, *self.voices])}: 'voiceguide voices' lists them all")
        if not variant:
            return voice.id
        found = next((v for v in self.variants if variant.lower() in (v.id[1:].lower(), plain(v.name))), None)
        if found is None:
            raise UnknownVoice(
                f"unknown voice variant '+{variant}'{suggest(variant, self.variants)}: 'voiceguide voices' lists them all"
            )
        return voice.id + found.id

    def voice(self, spec: str) -> VoiceInfo | None:
        """The voice for an id, language or name; a regional tag falls back to its region's group (es-mx ->
        es-419), then its language (de-at -> de); a tag may be written as Piper writes it (en_GB)."""
        wanted = plain(spec)
        tag = wanted.replace("_", "-") if PIPER_LOCALE.fullmatch(wanted) else wanted
        matchers = (  # the most exact kind of match wins: id, its last part, a language, the name
            lambda v: v.id.lower() == wanted,
            lambda v: v.tail in (wanted, tag),
            lambda v: tag in (lang.lower() for lang in v.languages),
            lambda v: plain(v.name) == wanted,
        )
        for matches in matchers:
            found = next((v for v in self.voices if matches(v)), None)
            if found is not None:
                return found
        also = [(priority, n, v) for n, v in enumerate(self.voices) for code, priority in v.other_languages if code == tag]
        if also:  # a language another voice speaks for: zh -> Mandarin, no -> Bokmål (espeak's priority, then its order)
            return min(also, key=lambda found: found[:2])[2]
        parent = regional_parent(tag)
        if parent and "_" not in tag:  # not a Piper voice's name (de_DE-thorsten): that is no German espeak
            return self.voice(parent)
        return None

    def speaking(self, tag: str | None) -> list[VoiceInfo]:
        return [v for v in self.voices if tag is None or v.speaks(tag)]

    def language_of(self, voice_id: str) -> str:
        """The language a resolved id speaks ('gmw/de+f2' -> 'de')."""
        voice = self.voice(voice_id.partition("+")[0])
        return voice.language if voice else DEFAULT_BASE



def suggest(wanted: str, among: Sequence[VoiceInfo]) -> str:
    """' (nearest: a, b, c)' for a voice nobody has, or '' when nothing is near: voices of one language, the
    one the name starts with ('de_DE-thorsten': German) or else the nearest name's ('germn': German, not
    Georgian); its natural (Piper) voices first, then the names nearest what was written."""
    typed = plain(wanted).lstrip("+")
    near = {voice: nearness(typed, voice) for voice in among}
    code = LEADING_LANGUAGE.match(typed)
    family = code.group(1) if code and any(v.speaks(code.group(1)) for v in among) else None
    if family is None:
        cutoff = 0.5 if len(typed) <= 3 else 0.6  # "f9" is as near "f5" as two letters can be
        close = [v for v in among if near[v] >= cutoff]
        if not close:
            return ""
        family = base_language(max(close, key=lambda v: near[v]))  # the first of the nearest: a natural voice on a tie
        pool = [v for v in among if v in close or (family and v.engine == "piper" and v.speaks(family))]
        if family:
            pool = [v for v in pool if v.speaks(family)]
    else:
        pool = [v for v in among if v.speaks(family)]
    ranked = sorted(pool, key=lambda v: (v.engine != "piper", -near[v], len(shown(v))))
    names = list(dict.fromkeys(shown(v) for v in ranked))[:NEAREST]
    return f" (nearest: {', '.join(names)})" if names else ""


def nearness(typed: str, voice: VoiceInfo) -> float:
    """How near what was typed is to the nearest way of writing the voice (1: the same)."""
    stem = plain(voice.name).split("_(")[0]  # 'english' for English_(America): what a misspelt language is near
    return max(difflib.SequenceMatcher(None, typed, spelling.lstrip("+")).ratio() for spelling in [*voice.spellings(), stem])


def base_language(voice: VoiceInfo) -> str:
    """'en' for en-gb-scotland; '' for a variant, which speaks no language of its own."""
    return (voice.language or ("" if voice.id.startswith("+") else voice.tail)).split("-")[0]


def shown(voice: VoiceInfo) -> str:
    """A voice as the suggestions write it: what a user would type for it."""
    return voice.id if voice.engine == "piper" or voice.id.startswith("+") else voice.tail
