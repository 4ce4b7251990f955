"""Limits beyond which a value is a typo rather than a routine: defined once, read by the
parser, the option checks, the importer and the JSON Schema alike."""

from __future__ import annotations

MAX_HOLD_SECONDS = 3600.0
MIN_HOLD_SECONDS = 1.0  # holds count whole seconds: a shorter one would be rounded up, not held as written
MAX_BREATHS = 200
MAX_REPEAT = 100
RATE_LIMITS = (60, 450)  # words per minute
BREATH_PHASE_LIMITS = (0.5, 30.0)  # seconds per breath phase
MAX_REST = 600.0  # seconds between exercises
HOLD_SCALE_LIMITS = (0.1, 10.0)
LENGTH_LIMITS = (60.0, 4 * 3600.0)  # seconds a --length may ask for
TEMPO_PHASE_LIMITS = (0.5, 60.0)  # seconds per phase of a rep
MAX_SETS = 20
MAX_LEAD_IN = 60.0  # seconds of "get ready"
# How much is spoken. full: every instruction on every rep; normal: taught once, short cues
# after; minimal: names, counts, phase words and countdowns (no intros, setup, notes or prompts).
TALK_LEVELS = ("full", "normal", "minimal")
BACKGROUND_LEVEL_LIMITS = (-50.0, -18.0)  # LUFS; louder than this competes with the voice

# Bounds on the work one input can cause: past these a file is not a routine or an
# article but a mistake (or an attack), refused before it costs memory or time.
MAX_INPUT_BYTES = 2**20  # a routine or article file: real ones are a few KB, a long web article ~100 KB
MAX_YAML_VALUES = 100_000  # values in a routine, as written (counted before composing) and once aliases are expanded
# The largest routine accepted: 10,000 exercises (one step each is about 80,000 values and 560 KB), which
# `check` reads in about a second and `plan` compiles in time linear in its size (scripts/bench.py times it).
MAX_ROUTINE_EXERCISES = 10_000
MAX_SPOKEN_CHARS = 2_000  # one spoken text (about two minutes of speech); espeak crashes near 40,000
MAX_SESSION_STEPS = 20_000  # steps said or held in a session, counting repeats, sides and sets
MAX_SESSION_HOURS = 24.0  # holds and timed steps in a session as written, counting repeats, sides and sets
