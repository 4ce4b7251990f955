"""A routine's settings are declared once (voiceguide/option_table.py): the JSON Schema and the parser
accept the same settings blocks, and every option's routine setting is read into the session."""

from __future__ import annotations

from dataclasses import fields

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from tests.test_commands import schema_validator
from voiceguide.errors import RoutineError
from voiceguide.option_table import OPTIONS, SETTINGS, markdown_table
from voiceguide.routine import RoutineLoader, Settings, parse_routine

EXERCISES = [{"name": "Reach", "steps": [{"say": "Reach up."}, {"hold": "10 seconds"}]}]

# Values a person might write for any setting: right and wrong kinds, in and out of range.
VALUES = st.one_of(
    st.integers(-5, 5000),
    st.floats(-10, 5000, allow_nan=False),
    st.sampled_from([0, 0.1, 0.5, 1, 1.5, 4, 30, 31, 59, 60, 61, 100, 101, 150, 450, 451, 600, 601, 3600, 3601, True, None]),
    st.sampled_from([
        "low", "mid", "high", "40%", "0%", "100%", "101%", "40 %", "mid ", "Mid", "4:6", "4:7:8", "4:4:4:4", "4:4:4:4:4", "0.2:6",
        "4:31", "5", "15m", "90s", "1h", "20:00", "1:20:00", "5h", "30s", "15", "15M", "joe", "en-us", "de+f2", " ", "...", "",
        "full", "normal", "minimal", "loud", "1e2", "+4:6", "4:6s", "abc",
    ]),
    st.text(max_size=12),
    st.lists(st.integers(0, 10), max_size=2),
)  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(block=st.dictionaries(st.sampled_from([*SETTINGS, "pace"]), VALUES, max_size=3))
def test_the_schema_and_the_parser_accept_the_same_settings(block):
    text = yaml.safe_dump({"title": "T", "settings": block, "exercises": EXERCISES}, allow_unicode=True)
    by_schema = schema_validator().is_valid(yaml.load(text, Loader=RoutineLoader))
    try:
        parse_routine(text)
        by_parser = True
    except RoutineError:
        by_parser = False
    assert by_schema == by_parser, block


def test_unquoted_breath_and_length_are_text_as_editors_read_them():
    """YAML 1.1 reads 4:6 as 246, 20:00 as 1200 and 0170 as octal 120; a routine means what an editor (YAML 1.2) shows."""
    text = "title: T\nsettings:\n  breath: 4:6\n  length: 20:00\n  rate: 0170\nexercises:\n  - name: A\n    steps:\n      - say: Go.\n"
    routine = parse_routine(text)
    assert routine.settings.breath == (4.0, 6.0)
    assert routine.settings.length == 1200.0  # twenty minutes
    assert routine.settings.rate == 170
    schema_validator().validate(yaml.load(text, Loader=RoutineLoader))


def test_every_routine_setting_is_an_option_and_a_settings_field():
    assert set(SETTINGS) == {f.name for f in fields(Settings)}
    assert set(SETTINGS) <= {option.name for option in OPTIONS}


def test_the_docs_show_the_option_table_and_the_settings_keys():
    page = (ROOT / "docs" / "options.md").read_text()
    assert markdown_table() in page, "docs/options.md's table differs from option_table.markdown_table():\n" + markdown_table()
    assert "Its keys:\n" + ", ".join(f"`{key}`" for key in SETTINGS) + "." in page
