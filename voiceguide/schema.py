"""JSON Schema of the routine format, for editors (yaml-language-server and the like).

The parser in routine.py is the authority (it also checks limits and line
numbers); this schema describes the same shapes so editors can complete and
flag keys as the user types. tests/test_commands.py keeps the two in step.
"""

from __future__ import annotations

from voiceguide.limits import (
    MAX_BREATHS,
    MAX_REPEAT,
    MAX_SETS,
    MAX_SPOKEN_CHARS,
)
from voiceguide.option_table import SETTINGS
from voiceguide.phrases.catalogue import TAG

LANGUAGE_TAG = TAG.pattern

AMOUNT = r"^\s*\d+(\.\d+)?\s*((-|–|to)\s*\d+(\.\d+)?\s*)?"
HOLD_PATTERN = AMOUNT + r"(s|sec|secs|seconds?|m|min|mins|minutes?|breaths?)?\s*$"
COUNT_PATTERN = r"^\s*\d+\s*((-|–|to)\s*\d+\s*)?$"
TEXT = {"type": "string", "minLength": 1, "maxLength": MAX_SPOKEN_CHARS}
NUMBER = r"\d+(\.\d+)?"
SECONDS = {
    "oneOf": [
        {"type": "number", "exclusiveMinimum": 0},
        {"type": "string", "pattern": rf"^\s*{NUMBER}\s*(s|sec|secs|seconds?|m|min|mins|minutes?)?\s*$"},
    ]
}
COUNT = {"oneOf": [{"type": "integer", "minimum": 1, "maximum": MAX_REPEAT}, {"type": "string", "pattern": COUNT_PATTERN}]}


def step(kind: str, value: dict, **more: dict) -> dict:
    return {"type": "object", "additionalProperties": False, "required": [kind], "properties": {kind: value, **more}}


ROUTINE_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "voiceguide routine",
    "type": "object",
    "additionalProperties": False,
    "required": ["title", "exercises"],
    "properties": {
        "title": TEXT,
        "language": {
            "type": "string",
            "pattern": LANGUAGE_TAG,
            "description": "BCP 47 tag of the routine's language (en, de, es-419): its phrases and default voice",
        },
        "description": TEXT,
        "closing": {**TEXT, "description": "the session's last words, said instead of the built-in closing"},
        "settings": {
            "type": "object",
            "additionalProperties": False,
            "properties": SETTINGS,  # voiceguide/option_table.py
            "description": "the routine's own defaults; command-line options override them",
        },
        "exercises": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "steps"],
                "properties": {
                    "name": TEXT,
                    "about": {**TEXT, "description": "spoken intro, dropped by --talk minimal"},
                    "setup": {"oneOf": [TEXT, {"type": "array", "items": TEXT}]},
                    "sides": {
                        "oneOf": [{"const": 2, "description": "both sides, right then left"}, TEXT,
                                  {"type": "array", "items": TEXT, "uniqueItems": True}],
                    },
                    "repeat": {**COUNT, "description": "reps: the steps this many times"},
                    "rounds": {**COUNT, "description": "rounds of an interval: the steps this many times, back to back"},
                    "tempo": {
                        "type": ["string", "number"],
                        "pattern": rf"^\s*{NUMBER}(\s*[-:]\s*{NUMBER}){{0,3}}\s*(s|seconds)?\s*$",
                        "description": "seconds per rep (3) or per phase (2-1-2: up, hold, down)",
                    },
                    "sets": {"type": "integer", "minimum": 1, "maximum": MAX_SETS},
                    "rest_between_sets": {**SECONDS, "description": "timed rest between sets (default 30 seconds)"},
                    "breath": SETTINGS["breath"],  # as the routine's own
                    "rest": {**SECONDS, "description": "quiet after this exercise, instead of the session's rest"},
                    "release": {**TEXT, "description": "said as holds of 30 seconds or more end (default: And release.)"},
                    "steps": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "oneOf": [
                                step("say", TEXT),
                                step(
                                    "hold",
                                    {
                                        "oneOf": [
                                            {"type": "number", "exclusiveMinimum": 0},
                                            {"type": "string", "pattern": HOLD_PATTERN},
                                        ]
                                    },
                                    note=TEXT,
                                ),
                                step("inhale", TEXT),
                                step("exhale", TEXT),
                                step(
                                    "breathe",
                                    {
                                        "oneOf": [
                                            {"type": "integer", "minimum": 1, "maximum": MAX_BREATHS},
                                            {"type": "string", "pattern": r"^\s*\d+\s*(cycles?|breaths?)?\s*$"},
                                        ],
                                        "description": "cycles of the breath pattern",
                                    },
                                ),
                                step("work", SECONDS, say={**TEXT, "description": "what to do, taught before the first round"}),
                                step("rest", SECONDS),
                            ]
                        },
                    },
                },
            },
        },
    },
}
