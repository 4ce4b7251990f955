"""The speech clip cache survives damage: a broken cached clip is made again, never played."""

from __future__ import annotations

import pytest

from voiceguide.audio.samples import read_clip, valid_clip
from voiceguide.speech.engine import Speech

pytestmark = pytest.mark.espeak  # every test here synthesizes speech


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_damaged_cached_clip_is_synthesized_again(damage):
    text = f"The cache must not play a {damage}d clip."
    first = Speech(rate=161)
    path = first.clip(text)
    whole = read_clip(path)
    if damage == "truncate":  # as a crash or a full disk mid-write would leave it
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    else:
        path.write_bytes(b"RIFF" + bytes(200))
    assert not valid_clip(path)
    again = Speech(rate=161).samples(text)  # a new session finds the damaged file in the cache
    assert valid_clip(path)
    assert abs(again.size - whole.size) < 0.02 * whole.size  # the whole clip (espeak varies by a few samples)
