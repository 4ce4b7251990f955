"""JSON Schema of the routine format, for editors (yaml-language-server and the like).

The parser in routine.py is the authority (it also checks limits and line
numbers); this schema describes the same shapes so editors can complete and
flag keys as the user types. tests/test_commands.py keeps the two in step.
"""

from __future__ import annotations

from voiceguide.limits import HOLD_SCALE_LIMITS, MAX_REST, MAX_SPOKEN_CHARS, RATE_LIMITS

AMOUNT = r"^\s*\d+(\.\d+)?\s*((-|–|to)\s*\d+(\.\d+)?\s*)?"
HOLD_PATTERN = AMOUNT + r"(s|sec|secs|seconds?|m|min|mins|minutes?|breaths?)?\s*$"
COUNT_PATTERN = r"^\s*\d+\s*((-|–|to)\s*\d+\s*)?$"
PICK = {"oneOf": [{"enum": ["low", "mid", "high"]}, {"type": "number", "exclusiveMinimum": 0}]}
TEXT = {"type": "string", "minLength": 1, "maxLength": MAX_SPOKEN_CHARS}

ROUTINE_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "voiceguide routine",
    "type": "object",
    "additionalProperties": False,
    "required": ["title", "exercises"],
    "properties": {
        "title": TEXT,
        "description": TEXT,
        "settings": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "rate": {"type": "integer", "minimum": RATE_LIMITS[0], "maximum": RATE_LIMITS[1], "description": "words per minute"},
                "voice": TEXT,
                "breath": {
                    "type": ["string", "number"],
                    "pattern": r"^\s*\d+(\.\d+)?(\s*:\s*\d+(\.\d+)?)?\s*$",
                    "description": "inhale:exhale seconds, e.g. 4:6",
                },
                "rest": {"type": "number", "minimum": 0, "maximum": MAX_REST, "description": "seconds between exercises"},
                "hold": PICK,
                "reps": PICK,
                "hold_scale": {"type": "number", "minimum": HOLD_SCALE_LIMITS[0], "maximum": HOLD_SCALE_LIMITS[1]},
            },
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
                    "about": {**TEXT, "description": "spoken intro, dropped by --brief"},
                    "setup": {"oneOf": [TEXT, {"type": "array", "items": TEXT}]},
                    "sides": {
                        "oneOf": [{"const": 2, "description": "both sides, right then left"}, TEXT,
                                  {"type": "array", "items": TEXT, "uniqueItems": True}],
                    },
                    "repeat": {
                        "oneOf": [
                            {"type": "integer", "minimum": 1, "maximum": 100},
                            {"type": "string", "pattern": COUNT_PATTERN},
                        ]
                    },
                    "steps": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "oneOf": [
                                {"type": "object", "additionalProperties": False, "required": ["say"], "properties": {"say": TEXT}},
                                {
                                    "type": "object",
                                    "additionalProperties": False,
                                    "required": ["hold"],
                                    "properties": {
                                        "hold": {
                                            "oneOf": [
                                                {"type": "number", "exclusiveMinimum": 0},
                                                {"type": "string", "pattern": HOLD_PATTERN},
                                            ]
                                        },
                                        "note": TEXT,
                                    },
                                },
                                {"type": "object", "additionalProperties": False, "required": ["inhale"], "properties": {"inhale": TEXT}},
                                {"type": "object", "additionalProperties": False, "required": ["exhale"], "properties": {"exhale": TEXT}},
                            ]
                        },
                    },
                },
            },
        },
    },
}
