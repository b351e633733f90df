"""The coverage ledgers (data/coverage/<source id>.yaml), read for the public coverage page.

Each ledger lists, for one seed document, every passage that states a China-related security fact
about the five states, with the records that carry it or the reason it is left out. The load stage
skips the folder (they are not records); tests/test_coverage.py checks them against the seeds'
headings and the records. A ledger that does not parse stops the build with its file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import DataError, Problem

FOLDER = "data/coverage"


@dataclass(frozen=True)
class Entry:
    locator: str
    fact: str
    records: tuple[str, ...] = ()
    excluded: str = ""  # why no record carries it ("opinion without a fact: ...")


@dataclass(frozen=True)
class Ledger:
    source: str
    file: str
    entries: tuple[Entry, ...]


def load_ledgers(root: Path) -> list[Ledger]:
    out = []
    for path in sorted((root / FOLDER).glob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))["coverage"]
            entries = tuple(
                Entry(
                    locator=str(e["locator"]),
                    fact=str(e["fact"]),
                    records=tuple(str(r) for r in e.get("records") or ()),
                    excluded=str(e.get("excluded") or ""),
                )
                for e in data["entries"]
            )
            out.append(Ledger(source=str(data["source"]), file=rel, entries=entries))
        except (yaml.YAMLError, KeyError, TypeError) as err:
            line = getattr(getattr(err, "problem_mark", None), "line", 0) + 1
            problem = Problem(
                rel,
                line,
                "coverage",
                f"not a coverage ledger ({type(err).__name__}: {err})",
                "see docs/editors/data-model.md",
            )
            raise DataError([problem]) from None
    return out
