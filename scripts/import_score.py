#!/usr/bin/env python3
"""How much of real exercise pages `voiceguide import` gets right, fact by fact (issue 25).

    .venv/bin/python scripts/import_score.py              # both halves of tests/articles/real, per page
    .venv/bin/python scripts/import_score.py --misses     # also what the development half got wrong
    .venv/bin/python scripts/import_score.py --split SEED # pages gathered since: a new batch, split with SEED

Each page in tests/articles/real/ has NAME.facts.yaml beside it, written by hand from the page:
exercise names, holds, repetitions, sets, sides, breath patterns, cycles, work, rests and rounds.
A page is imported as `voiceguide import` imports it, `check` included: a page whose routine
`check` refuses scores nothing. The facts are scored by tests/test_import_articles.score.

Each batch of pages, as it was gathered, is split at random into a development half (improve the importer
on it) and a held-out half (read its score, never its misses): split.yaml holds each batch's seed and lists.
--misses prints misses of the development half only, so the held-out half stays unseen.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from tests.test_import_articles import facts_of, routine_data, score  # noqa: E402
from voiceguide.errors import RoutineError  # noqa: E402
from voiceguide.importer.writing import import_article  # noqa: E402

REAL = ROOT / "tests" / "articles" / "real"
SPLIT = REAL / "split.yaml"
HALVES = ("development", "held-out")


def pages() -> list[Path]:
    return sorted(p for p in REAL.iterdir() if p.suffix in (".txt", ".md", ".html", ".htm") and not p.name.startswith("."))


def draw_split(names: list[str], seed: int) -> dict:
    """One batch of pages, split at random into halves (the larger half for development)."""
    names = sorted(names)
    random.Random(seed).shuffle(names)
    half = (len(names) + 1) // 2
    return {"development": sorted(names[:half]), "held-out": sorted(names[half:])}


def batches() -> list[dict]:
    return yaml.safe_load(SPLIT.read_text())["batches"]


def halves() -> dict[str, list[str]]:
    """Every batch's development pages, and every batch's held-out pages."""
    return {half: sorted(name for batch in batches() for name in batch[half]) for half in HALVES}


def page_score(path: Path) -> tuple[int, int, list[str]]:
    """(facts right, facts in all, what was wrong): the page imported and checked as `voiceguide import` does."""
    facts = facts_of(path)
    try:
        routine = routine_data(import_article(path.read_bytes(), path.name))
    except RoutineError as error:
        total = sum(1 + 6 + sum(k in e for k in ("work", "rest", "rounds", "rest_between_sets")) for e in facts["exercises"])
        return 0, total + ("breath" in facts), [f"not imported: {error}"]
    return score(routine, facts)


def half_scores(names: list[str]) -> tuple[int, int, list[tuple[str, int, int, list[str]]]]:
    rows = []
    for name in names:
        right, total, wrong = page_score(REAL / name)
        rows.append((name, right, total, wrong))
    return sum(r[1] for r in rows), sum(r[2] for r in rows), rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--misses", action="store_true", help="print what the development half got wrong")
    parser.add_argument("--split", type=int, metavar="SEED", help=f"split the pages in no batch yet into a new batch's halves, "
                        f"drawn with SEED, and add it to {SPLIT.name}")
    args = parser.parse_args(argv)
    if args.split is not None:
        known = {name for batch in batches() for half in HALVES for name in batch[half]}
        new = [p.name for p in pages() if p.name not in known]
        if not new:
            print("every page is in a batch already", file=sys.stderr)
            return 2
        batch = {"gathered": f"{date.today()}, {len(new)} pages", "seed": args.split, **draw_split(new, args.split)}
        header = "".join(line for line in SPLIT.read_text().splitlines(keepends=True) if line.startswith("#"))
        SPLIT.write_text(header + yaml.safe_dump({"batches": [*batches(), batch]}, sort_keys=False, width=200))
    split = halves()
    for half in HALVES:
        right, total, rows = half_scores(split[half])
        print(f"{half} half ({len(rows)} pages):")
        for name, r, t, wrong in rows:
            print(f"  {name}: {r}/{t}")
            if args.misses and half == "development":
                print("".join(f"      {w}\n" for w in wrong), end="")
        print(f"  {half}: {right}/{total} = {right / total:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
