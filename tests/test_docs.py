"""The docs point at what exists: every test file, script and doc they name is there, so a promise
cannot outlive the test that checks it."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT

DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.name)
def test_every_file_a_doc_names_exists(doc):
    text = doc.read_text(encoding="utf-8")
    named = set(re.findall(r"\b((?:tests|scripts|docs|voiceguide)/[\w./-]+\.(?:py|md|sh))\b", text))
    assert named or doc.name != "reliability.md"  # the reliability page names its tests
    missing = sorted(path for path in named if not (ROOT / path).exists())
    assert missing == [], f"{doc.name} names files that do not exist"
