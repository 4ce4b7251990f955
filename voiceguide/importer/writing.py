"""`voiceguide import`: a written exercise article -> a routine YAML a person can check and edit.

The article is read into a typed `Draft` (voiceguide.importer.reading.read_article), then written out as
YAML with a comment beside every value that was inferred rather than read. Text the importer
cannot place is kept as spoken text; only layout (image captions, labels) and the article's
background before the exercises become comments, so nothing is dropped silently.
Vague amounts ("a few minutes") get the defaults documented in voiceguide.importer.amounts.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import yaml

from voiceguide.errors import RoutineError
from voiceguide.files import check_not_input, check_target, decode_text, read_input, write_atomic
from voiceguide.importer.provenance import HEADER
from voiceguide.importer.reading import Draft, DraftExercise, DraftStep, read_article
from voiceguide.importer.reading import plural as _plural
from voiceguide.importer.session_page import session_draft, session_timeline
from voiceguide.importer.within_format import within_format
from voiceguide.limits import MAX_INPUT_BYTES
from voiceguide.options import Options
from voiceguide.routine import parse_routine
from voiceguide.session_size import check_session_size

WIDTH = 100


def _scalar(text: str) -> str:
    """Plain YAML when it reads back as the same text, else a double-quoted string."""
    try:
        plain_ok = yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        plain_ok = False
    return text if plain_ok and "#" not in text else json.dumps(text, ensure_ascii=False)


def _comment(text: str | None) -> str:
    return f"  # {' '.join(text.split())}" if text else ""


def _field(key: str, text: str, indent: int, comment: str | None = None, item: bool = False) -> list[str]:
    """'key: text', folded over several lines when long."""
    lead = " " * indent + ("- " if item else "") + f"{key}: "
    value = _scalar(text)
    if len(lead) + len(value) <= WIDTH:
        return [lead + value + _comment(comment)]
    inner = " " * (indent + (2 if item else 0) + 2)
    wrapped = textwrap.wrap(text, WIDTH - len(inner), break_long_words=False, break_on_hyphens=False)
    return [lead + ">-" + _comment(comment)] + [inner + line for line in wrapped]


def _pattern(values: tuple[float, ...]) -> str:
    return ":".join(f"{v:g}" for v in values)


def _comment_block(title: str, texts: tuple[str, ...], indent: int) -> list[str]:
    pad = " " * indent
    lines = [f"{pad}# {title}"]
    for text in texts:
        for i, line in enumerate(textwrap.wrap(text, WIDTH - indent - 6, break_long_words=False)):
            lines.append(f"{pad}#   {'' if i == 0 else '  '}{line}")
    return lines


def routine_yaml(draft: Draft) -> str:
    """The draft as routine YAML in voiceguide's format, commented where values were inferred."""
    name = Path(draft.source).name
    out = [
        HEADER.format(name=name),
        "# Values marked '# from ...' were inferred from the article's words: check them before use.",
    ]
    if draft.unspoken:
        out += _comment_block("Not spoken: the article's background before the exercises:", draft.unspoken, 0)
    out += _field("title", draft.title, 0)
    if draft.language:
        out += _field("language", draft.language, 0)
    if draft.description:
        out += _field("description", draft.description, 0)
    if draft.closing:
        out += _field("closing", draft.closing, 0)
    if draft.breath:
        out += ["settings:", f"  breath: {_pattern(draft.breath)}" + _comment(draft.breath_from)]
    out.append("exercises:")
    for exercise in draft.exercises:
        out += _exercise_yaml(exercise)
    if draft.after:
        out += _comment_block("Not spoken: the article's words after the exercises:", draft.after, 0)
    return "\n".join(line.replace("- : ", "- ") for line in out) + "\n"


def _exercise_yaml(exercise: DraftExercise) -> list[str]:
    """One item of the exercises list: its keys in the routine format's order, then its steps."""
    out = _field("name", exercise.name, 2, item=True)
    if exercise.unspoken:
        out += _comment_block("Not spoken (layout in the article):", exercise.unspoken, 4)
    if exercise.about:
        out += _field("about", exercise.about, 4)
    if exercise.setup:
        out.append("    setup:")
        for line in exercise.setup:
            out += _field("", line, 6, item=True)
    if exercise.sides:
        out.append(f"    sides: [{', '.join(exercise.sides)}]" + _comment(exercise.sides_from))
    out += _exercise_amounts(exercise)
    if exercise.release is not None:
        out += _field("release", exercise.release, 4)
    out.append("    steps:")
    for step in exercise.steps:
        out += _step_yaml(step)
    return out


def _exercise_amounts(exercise: DraftExercise) -> list[str]:
    """An exercise's counts and paces: repeat, rounds, tempo, sets, their rest, its breath pattern."""
    out = []
    for key, amount in (("repeat", exercise.repeat), ("rounds", exercise.rounds)):
        if amount is not None:
            out.append(f"    {key}: {amount.value()}" + _comment(amount.comment()))
    if exercise.tempo is not None:
        out.append(f"    tempo: {'-'.join(f'{t:g}' for t in exercise.tempo)}")
    if exercise.sets is not None:
        out.append(f"    sets: {exercise.sets.value()}" + _comment(exercise.sets.comment()))
    if exercise.rest_between_sets is not None:
        rest = exercise.rest_between_sets
        out.append(f"    rest_between_sets: {rest.value()}" + _comment(rest.comment() or f'from "{rest.words()}"'))
    if exercise.breath is not None:
        out.append(f"    breath: {_pattern(exercise.breath)}" + _comment(exercise.breath_from))
    return out


def _step_yaml(step: DraftStep) -> list[str]:
    """One item of an exercise's steps list, its comment saying what was inferred."""
    if step.kind in ("breathe", "hold", "work", "rest"):
        assert step.amount is not None
        comments = "; ".join(filter(None, [step.amount.comment(), step.comment]))
        out = [f"      - {step.kind}: {step.amount.value()}" + _comment(comments)]
        if step.kind == "hold" and step.text:
            out += _field("note", step.text, 8)
        if step.kind == "work" and step.text:
            out += _field("say", step.text, 8)
        return out
    comments = "; ".join(filter(None, [step.amount.comment() if step.amount else None, step.comment]))
    return _field(step.kind, step.text, 6, comment=comments or None, item=True)


def import_article(data: bytes | str, source: str = "<article>") -> str:
    """An exercise article (text, Markdown or a saved web page) -> routine YAML that `voiceguide check` accepts.

    Raises RoutineError ("FILE: what is wrong") for a file that is not text or holds no exercises.
    """
    return import_report(data, source)[0]


def import_report(data: bytes | str, source: str = "<article>") -> tuple[str, str]:
    """The routine YAML and the report: every value the import was unsure of or took as a default, each under
    the heading it came from, then one line of what was found ('5 exercises, 2 two-sided, ...')."""
    draft = within_format(read_draft(data, source))
    text = routine_yaml(draft)
    # The importer's own output must be a routine `check` accepts: valid, and a session of a size it will make
    check_session_size(parse_routine(text, f"{source} (imported)"), Options())
    doubts = draft.doubts()
    if not doubts:
        return text, draft.summary()
    heading = f"{_plural(len(doubts), 'value')} to check (each has its comment in the routine):"
    return text, "\n".join([heading, *(f"  {d}" for d in doubts), draft.summary()])


def read_draft(data: bytes | str, source: str = "<article>") -> Draft:
    """A session page voiceguide rendered is read from the timeline it embeds; any other article by its words."""
    text = decode_text(data, source)
    timeline = session_timeline(text)
    return session_draft(timeline, source) if timeline is not None else read_article(text, source)


def read_source(path: str | Path) -> tuple[bytes, str]:
    """An article's bytes and the name to report it by; '-' reads standard input."""
    if str(path) == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise RoutineError("<stdin>", None, f"more than {MAX_INPUT_BYTES // 2**20} MiB: not an article")
        return data, "<stdin>"
    path = Path(path)
    return read_input(path, "an article"), str(path)


def check_output(article: str | Path, output: str | Path) -> None:
    """Refuse, before reading anything, an output that is no file to write (a folder, a device, a pipe) or is the article."""
    check_target(Path(output))
    if str(article) != "-":
        check_not_input([Path(output)], [(Path(article), "the article")])


def import_file(path: str | Path, output: str | Path | None = None) -> str:
    """Import the article at `path` ('-': standard input); with `output`, also write the routine there atomically."""
    if output is not None:
        check_output(path, output)
    text, _ = import_report(*read_source(path))
    if output is not None:
        write_atomic(Path(output), text)
    return text
