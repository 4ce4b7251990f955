"""Limits beyond which a value is a typo rather than a routine: defined once, read by the
parser, the option checks, the importer and the JSON Schema alike."""

from __future__ import annotations

MAX_HOLD_SECONDS = 3600.0
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
BACKGROUND_LEVEL_LIMITS = (-50.0, -18.0)  # LUFS; louder than this competes with the voice
