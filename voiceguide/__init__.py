"""voiceguide: hands-free spoken guidance for exercise, stretching and breathing routines.

    import voiceguide
    timeline = voiceguide.plan("lower-back", rate=140, hold="high")
    print(timeline.total, [c.title for c in timeline.chapters()])
    voiceguide.render("lower-back", "lower-back.mp3", captions=True)
    session = voiceguide.play("quick-neck", brief=True, wait=False)  # live; steer it:
    session.pause(); session.resume(); session.next(); session.wait()

Names are imported on first use (PEP 562): `voiceguide check` or `--help` runs
through this package and must not pay for numpy, the speech engine or the importer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Each public name and the module it lives in.
_HOMES = {
    "voiceguide.api": ("DEFAULT_ROUTINE", "check", "plan", "play", "render", "resolve", "routines", "voices"),
    "voiceguide.compiler": ("compile_timeline", "iter_events"),
    "voiceguide.errors": ("RoutineError", "VoiceguideError"),
    "voiceguide.importer.writing": ("import_article", "import_file"),
    "voiceguide.live.session": ("Session", "Status"),
    "voiceguide.options": ("Options", "options_for"),
    "voiceguide.routine": ("Routine", "builtin_names", "load_routine", "parse_routine"),
    "voiceguide.speech.engine": ("Speech",),
    "voiceguide.timeline": ("Chapter", "Event", "Timeline"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'voiceguide' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from voiceguide.api import DEFAULT_ROUTINE, check, plan, play, render, resolve, routines, voices  # noqa: F401
    from voiceguide.compiler import compile_timeline, iter_events  # noqa: F401
    from voiceguide.errors import RoutineError, VoiceguideError  # noqa: F401
    from voiceguide.importer.writing import import_article, import_file  # noqa: F401
    from voiceguide.live.session import Session, Status  # noqa: F401
    from voiceguide.options import Options, options_for  # noqa: F401
    from voiceguide.routine import Routine, builtin_names, load_routine, parse_routine  # noqa: F401
    from voiceguide.speech.engine import Speech  # noqa: F401
    from voiceguide.timeline import Chapter, Event, Timeline  # noqa: F401
