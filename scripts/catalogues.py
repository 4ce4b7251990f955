#!/usr/bin/env python3
"""The phrase catalogues: compile each .po to the .mo voiceguide reads, or start a new language.

    .venv/bin/python scripts/catalogues.py compile      # after editing any voiceguide.po
    .venv/bin/python scripts/catalogues.py new pt-br    # a copy of the English catalogue to translate

Babel (a test extra) reads and writes the gettext files here; at run time voiceguide reads the
compiled .mo with the standard library's gettext, so users need neither Babel nor gettext tools.
tests/test_phrases.py fails when a .mo does not hold its .po's messages. Catalogues are compared
by their messages, not their bytes: Babel releases lay out the same .mo differently.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel import Locale
from babel.messages import Catalog, mofile, pofile

LOCALE = Path(__file__).resolve().parent.parent / "voiceguide" / "phrases" / "locale"
DOMAIN = "voiceguide"


def po_path(folder: str) -> Path:
    return LOCALE / folder / "LC_MESSAGES" / f"{DOMAIN}.po"


def compiled(po: Path) -> bytes:
    """The .mo bytes for a .po file (fuzzy entries left out, as msgfmt does)."""
    with po.open("rb") as source:
        catalog = pofile.read_po(source, abort_invalid=True)
    out = io.BytesIO()
    mofile.write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def messages(catalog: Catalog) -> dict[tuple[str | None, object], object]:
    """What gettext will answer: (context, msgid) -> msgstr for each translated, non-fuzzy message, and the plural rule."""
    def forms(text: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
        return (text,) if isinstance(text, str) else tuple(text)

    found: dict[tuple[str | None, object], object] = {
        (m.context, forms(m.id)): forms(m.string) for m in catalog if m.id and not m.fuzzy and any(forms(m.string))
    }
    found[(None, "Plural-Forms")] = (catalog.num_plurals, catalog.plural_expr.replace(" ", ""))
    return found


def up_to_date(po: Path) -> bool:
    """Whether po's .mo holds exactly po's messages."""
    mo = po.with_suffix(".mo")
    if not mo.exists():
        return False
    with po.open("rb") as source, mo.open("rb") as binary:
        return messages(pofile.read_po(source, abort_invalid=True)) == messages(mofile.read_mo(binary))


def compile_all() -> list[Path]:
    written = []
    for po in sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        if not up_to_date(po):
            po.with_suffix(".mo").write_bytes(compiled(po))
            written.append(po.with_suffix(".mo"))
    return written


def new_language(tag: str) -> Path:
    """voiceguide.po for a BCP 47 tag (folder pt_br for pt-BR): the English phrases with empty translations,
    and the language's Plural-Forms (from Babel's CLDR data), so plural entries have as many forms as it needs."""
    folder = tag.lower().replace("-", "_")
    target = po_path(folder)
    if target.exists():
        sys.exit(f"catalogues: {target} exists already")
    with po_path("en").open("rb") as source:
        english = pofile.read_po(source)
    fresh = Catalog(locale=Locale.parse(tag, sep="-"), project="voiceguide", fuzzy=False)
    for message in english:
        if message.id:
            empty = ("",) * fresh.num_plurals if message.pluralizable else ""
            fresh.add(message.id, empty, context=message.context, auto_comments=message.auto_comments)
    target.parent.mkdir(parents=True)
    out = io.BytesIO()
    pofile.write_po(out, fresh, width=0)
    target.write_bytes(out.getvalue())
    return target


def main(args: list[str]) -> None:
    if args in (["-h"], ["--help"]):
        print(__doc__)
    elif args == ["compile"]:
        for mo in compile_all():
            print(f"wrote {mo.relative_to(LOCALE.parent.parent.parent)}")
    elif len(args) == 2 and args[0] == "new":
        print(f"wrote {new_language(args[1])}: translate each msgstr (and Plural-Forms), then run 'compile'")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
