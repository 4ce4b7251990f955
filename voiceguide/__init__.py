"""voiceguide: hands-free spoken guidance for exercise, stretching and breathing routines.

    import voiceguide
    timeline = voiceguide.plan("lower-back", rate=140, hold="high")
    print(timeline.total, [c.title for c in timeline.chapters()])
    voiceguide.render("lower-back", "lower-back.mp3", captions=True)
    session = voiceguide.play("quick-neck", brief=True, wait=False)  # live; steer it:
    session.pause(); session.resume(); session.next(); session.wait()
"""

from voiceguide.api import (
    DEFAULT_ROUTINE,
    check,
    plan,
    render,
    resolve,
    routines,
    voices,
)
from voiceguide.compiler import compile_timeline, iter_events
from voiceguide.errors import RoutineError, VoiceguideError
from voiceguide.importer.writing import import_article, import_file
from voiceguide.live.session import Session, Status, play
from voiceguide.options import Options, options_for
from voiceguide.routine import Routine, builtin_names, load_routine, parse_routine
from voiceguide.speech.engine import Speech
from voiceguide.timeline import Chapter, Event, Timeline

__all__ = [
    "DEFAULT_ROUTINE", "Chapter", "Event", "Options", "Routine", "RoutineError", "Speech", "Timeline",
    "VoiceguideError", "builtin_names", "check", "compile_timeline", "import_article", "import_file",
    "iter_events", "load_routine", "options_for", "parse_routine", "plan", "render", "resolve", "routines",
    "voices", "Session", "Status", "play",
]
