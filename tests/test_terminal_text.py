"""One filter for the terminal (issue 26, point 5): someone else's text is printed without its controls.

A routine, an article, a path or ffmpeg's output can hold escape sequences (CSI, OSC that
retitles the window), C0/C1 control characters and bidi controls (a U+202E right-to-left
override, "Trojan source"). Whatever of it the CLI prints passes through voiceguide.printable:
removed from output, shown as a visible escape in an error line.
"""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from voiceguide.cli.live_panel import Lines, filtered, render_big, render_compact
from voiceguide.cli.plan_table import shown_text
from voiceguide.live.session import Status
from voiceguide.printable import BIDI_CONTROLS, for_terminal, json_for_terminal, one_line, strip_controls

from .conftest import cli, run_cli

OSC_TITLE = "\x1b]0;pwned\x07"  # retitles the terminal window
OSC_LINK = "\x1b]8;;http://evil.example\x1b\\"  # an OSC ended by ESC \ (string terminator)
CSI_RED = "\x1b[31m"
HOSTILE = (OSC_TITLE, OSC_LINK, CSI_RED, "\x9b2J", "\x1bP1$r\x1b\\", "\x1bc", "\x07", "\x08", "\x7f", "\x85", *sorted(BIDI_CONTROLS))
BIDI = "".join(sorted(BIDI_CONTROLS))


def raw_controls(text: str) -> list[str]:
    """The escape, C1 and bidi characters in text (line breaks and tabs are layout, allowed)."""
    return [c for c in text if c in BIDI_CONTROLS or c == "\x1b" or "\x80" <= c <= "\x9f" or c in "\x07\x08\x7f"]


@pytest.mark.parametrize("hostile", HOSTILE, ids=repr)
def test_the_filter_removes_sequences_controls_and_bidi_whole(hostile: str) -> None:
    text = for_terminal(f"Neck {hostile}stretch é ✓")
    assert text in ("Neck stretch é ✓", "Neck  stretch é ✓")  # whole: no "0;pwned" or "[31m" debris
    assert raw_controls(text) == []


def test_every_bidi_control_is_covered() -> None:
    """U+202A-U+202E, U+2066-U+2069 and the marks U+200E, U+200F, U+061C (the marks were let through)."""
    wanted = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
    assert wanted == set(BIDI_CONTROLS)
    assert for_terminal(f"a{BIDI}b") == "ab"
    assert strip_controls is for_terminal  # routine text is cleaned by the same filter


def test_line_breaks_are_spaces_or_kept_for_text_of_many_lines() -> None:
    assert for_terminal("one\ntwo\tthree\r\n") == "one two three  "
    assert for_terminal(f"one\r\ntwo{OSC_TITLE}\rthree\n\tfour\u202e", lines=True) == "one\ntwo\nthree\n\tfour"


def test_error_lines_show_controls_as_visible_escapes() -> None:
    line = one_line(f"x{OSC_TITLE}\u200f\u061c\nz")
    assert line == "x\\x1b]0;pwned\\x07\\u200f\\u061c\\nz"
    assert line.isprintable()


def test_json_keeps_its_data_and_shows_no_control() -> None:
    data = {"title": f"a{BIDI}\x85\x7f\x1b[31m b\n", "n": [1, 2]}
    text = json_for_terminal(json.dumps(data, indent=2, ensure_ascii=False))
    assert raw_controls(text) == []
    assert json.loads(text) == data


def test_import_shows_no_bidi_override_from_the_article(tmp_path) -> None:
    article = tmp_path / "neck.md"
    article.write_text(f"# Neck \u202eevil{OSC_TITLE}\n\n1. Tilt\u2067 head. Hold 20 seconds.\n", encoding="utf-8")
    result = cli("import", str(article))
    assert result.returncode == 0, result.stderr
    assert raw_controls(result.stdout) == []
    assert raw_controls(result.stderr) == []
    assert "title: Neck evil" in result.stdout
    written = tmp_path / "neck.yaml"
    result = cli("import", str(article), "-o", str(written))
    assert result.returncode == 0, result.stderr
    assert raw_controls(written.read_text(encoding="utf-8")) == []  # the routine written is the one shown


def test_an_osc_sequence_in_a_path_given_to_check_never_reaches_the_terminal(tmp_path) -> None:
    routine = tmp_path / f"neck{OSC_TITLE}\u202e.yaml"
    routine.write_text("title: Neck\nexercises:\n  - name: Tilt\n    steps:\n      - say: Tilt.\n", encoding="utf-8")
    result = run_cli("check", str(routine))
    assert result.returncode == 0, result.stderr
    assert raw_controls(result.stdout) == []
    assert f"{tmp_path}/neck.yaml: ok: Neck" in result.stdout
    missing = run_cli("check", str(tmp_path / f"gone{OSC_LINK}.yaml"))
    assert missing.returncode == 2
    assert raw_controls(missing.stderr) == []
    assert "gone\\x1b]8;;http:" in missing.stderr  # shown, as escapes


def test_an_escape_in_an_output_path_never_reaches_the_terminal(tmp_path) -> None:
    output = tmp_path / f"out{OSC_TITLE}\u202e.wav"
    result = run_cli("render", "quick-neck", "--brief", "-o", str(output))
    assert result.returncode == 0, result.stderr
    assert output.is_file()
    assert raw_controls(result.stdout + result.stderr) == []
    assert result.stdout == f"wrote {tmp_path}/out.wav\n"


def test_an_option_value_quoted_in_a_usage_error_is_escaped() -> None:
    result = run_cli("plan", "--rate", f"fast{OSC_TITLE}\u202e")
    assert result.returncode == 2
    assert raw_controls(result.stderr) == []
    assert result.stderr.count("\n") == 1


def test_plan_table_prints_brackets_as_words_and_no_controls(tmp_path) -> None:
    routine = tmp_path / "r.yaml"
    routine.write_text(
        'title: "Neck [/] [bold]stretch"\nexercises:\n  - name: "Tilt [/b]"\n    steps:\n      - say: "Hold [red]it."\n',
        encoding="utf-8",
    )
    result = cli("plan", str(routine))  # rich read them as markup: MarkupError, a traceback
    assert result.returncode == 0, result.stderr
    assert "Neck [/] [bold]stretch" in result.stdout
    assert "Tilt [/b]" in result.stdout
    assert shown_text(f"Tilt{OSC_TITLE}\u202e [/b]").plain == "Tilt [/b]"


HOSTILE_STATUS = Status(
    state="paused", position=5.0, total=60.0, title=f"Neck [/] {OSC_TITLE}\u202e", exercises=2, part="exercise",
    exercise=f"Tilt{CSI_RED} [/b]", index=1, speaking=f"Hold\u2066 it{OSC_LINK}", hold="20 seconds", hold_left=12.0,
    next_up="Turn\x9b2J", speaking_at=4.0,
)


@pytest.mark.parametrize("display", [render_big, render_compact], ids=["big", "compact"])
def test_the_live_panels_show_the_routines_words_without_controls(display) -> None:
    out = io.StringIO()
    Console(file=out, width=100, color_system=None, force_terminal=False).print(display(filtered(HOSTILE_STATUS)))
    shown = out.getvalue()
    assert raw_controls(shown) == []
    assert "Neck [/]" in shown  # a title's brackets are words, not markup
    assert "Tilt [/b]" in shown


def test_the_live_lines_show_no_controls() -> None:
    out = io.StringIO()
    Lines(Console(file=out, width=200, color_system=None, force_terminal=False)).show(filtered(HOSTILE_STATUS))
    assert raw_controls(out.getvalue()) == []
    assert "HOLD IT" in out.getvalue().upper()


def test_the_fast_search_finds_exactly_the_control_characters():
    """for_terminal looks for controls with one regular expression: it must find what is_control names, no more."""
    from voiceguide.printable import _CONTROLS, is_control

    assert [c for c in map(chr, range(0x3000)) if _CONTROLS.match(c)] == [c for c in map(chr, range(0x3000)) if is_control(c)]
    assert not any(_CONTROLS.match(chr(i)) for i in range(0x3000, 0x110000, 7))
