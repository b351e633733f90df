"""Reading the essays under data/prose/ (countries/<slug>.md, topics/<id>.md, <page>.md), each
through the guard (regular file, size, UTF-8); prose.py parses and checks what they say."""

from __future__ import annotations

from pathlib import Path

from generator import guard
from generator.errors import Problem
from generator.prose import Essays, Text


def load_essays(data_dir: Path, root: Path) -> tuple[Essays, list[Problem]]:
    """The essays, each read through the guard (regular file, size, UTF-8), and what is wrong
    with the files themselves."""
    essays = Essays()
    problems: list[Problem] = []
    base = data_dir / "prose"
    if not base.is_dir():
        return essays, problems
    for path in sorted(base.rglob("*.md")):
        rel = path.relative_to(base)
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        if path.is_dir() and not path.is_symlink():
            problems.append(
                Problem(
                    name, 1, "file", "is a folder, not an essay", "rename the folder: names ending in .md are essays"
                )
            )
            continue
        if path.is_symlink() or not path.is_file():
            continue  # reported by guard.folders_problems
        content, trouble = guard.read_page(path, name)
        problems += trouble
        if content is None:
            continue
        text = Text(content, name, 1, "essay", markdown=True)
        if len(rel.parts) == 2 and rel.parts[0] == "countries":
            essays.countries[path.stem] = text
        elif len(rel.parts) == 2 and rel.parts[0] == "topics":
            essays.topics[path.stem] = text
        else:
            essays.pages[rel.with_suffix("").as_posix()] = text
    return essays, problems
