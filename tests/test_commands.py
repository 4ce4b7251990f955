"""The small commands (routines, voices, schema) and the set-up the README promises."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from voiceguide import api
from voiceguide.routine import builtin_names, parse_routine
from voiceguide.schema import ROUTINE_SCHEMA

from .conftest import ROOT, run_cli


def test_routines_lists_builtins() -> None:
    result = run_cli("routines")
    assert result.returncode == 0
    assert re.search(r"^lower-back: Lower back spasm relief \(Supine twist, ", result.stdout, re.M)
    assert [r.title for r in api.routines()][0] == "Lower back spasm relief"


def test_voices_lists_installed_english_voice() -> None:
    result = run_cli("voices")
    assert result.returncode == 0
    ids = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert any(i.endswith("/en") or i == "en" for i in ids)
    assert {v.id for v in api.voices()} == set(ids)


def test_a_chosen_voice_changes_the_speech() -> None:
    default = api.plan("quick-neck")
    other = api.plan("quick-neck", voice="gmw/en-us")
    assert default.total != other.total


def schema_validator() -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(ROUTINE_SCHEMA)
    return jsonschema.Draft202012Validator(ROUTINE_SCHEMA)


@pytest.mark.parametrize("name", builtin_names())
def test_schema_accepts_builtins(name: str) -> None:
    data = yaml.load((ROOT / "voiceguide" / "routines" / f"{name}.yaml").read_text(), Loader=yaml.SafeLoader)
    schema_validator().validate(data)


def test_readme_routines_are_valid_for_the_parser_and_the_schema() -> None:
    blocks = re.findall(r"```yaml\n(title: .*?)```", (ROOT / "README.md").read_text(), re.S)  # whole routines
    assert len(blocks) >= 3  # quick-neck, box breathing, the HIIT
    for block in blocks:
        parse_routine(block)
        schema_validator().validate(yaml.load(block, Loader=yaml.SafeLoader))


def test_schema_rejects_what_the_parser_rejects() -> None:
    validator = schema_validator()
    good = {"title": "t", "exercises": [{"name": "a", "steps": [{"hold": "10-30 seconds", "note": "n"}]}]}
    validator.validate(good)
    for bad in (
        {**good, "extra": 1},
        {"title": "t", "exercises": []},
        {"title": "t", "exercises": [{"name": "a", "steps": [{"hold": "ten"}]}]},
        {"title": "t", "exercises": [{"name": "a", "steps": [{"sya": "hi"}]}]},
        {"title": "t", "settings": {"breath": "4:4:4:4:4"}, "exercises": good["exercises"]},
        {"title": "t", "exercises": [{"name": "a", "rets": 20, "steps": [{"say": "hi"}]}]},
        {"title": "t", "exercises": [{"name": "a", "steps": [{"work": "20-40 seconds"}]}]},
        {"title": "t", "exercises": [{"name": "a", "steps": [{"breathe": "2.5 cycles"}]}]},
    ):
        assert not validator.is_valid(bad), bad


def test_schema_command_prints_the_schema() -> None:
    result = run_cli("schema")
    assert result.returncode == 0 and json.loads(result.stdout) == ROUTINE_SCHEMA


def test_readme_commands_are_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    test_command = re.search(r"^\s+(scripts/setup.sh --test && (.+))$", readme, re.M)
    assert test_command, "README lacks the set-up-and-test command"
    assert "scripts/setup.sh --test" in ci and test_command.group(2).split(" -q")[0] in ci
    assert re.search(r"^\s+scripts/setup.sh && \.venv/bin/voiceguide \w+", readme, re.M)
    assert (ROOT / "scripts" / "setup.sh").stat().st_mode & 0o111
