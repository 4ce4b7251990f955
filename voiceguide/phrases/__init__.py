"""The words voiceguide adds around a routine's own text, in the routine's language.

One gettext catalogue per language (voiceguide/phrases/locale/LANG/LC_MESSAGES/voiceguide.po,
compiled to .mo by scripts/catalogues.py); `Phrases` reads them with the standard library's
gettext, so nothing beyond Python is needed at run time. `Labels` gives the words shown around a
session (page, panel, plan, chapters) from the same catalogues.
"""

from voiceguide.phrases.catalogue import BODY_SIDES, Phrases, catalogue_languages, language_chain, untranslated
from voiceguide.phrases.labels import Labels

__all__ = ["BODY_SIDES", "Labels", "Phrases", "catalogue_languages", "language_chain", "untranslated"]
