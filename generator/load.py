"""Stage 1: read every YAML file under data/, keeping the file and line of every value."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Problem

Path_ = tuple[str | int, ...]
# Folders of data/ that hold no records or entities (the coverage ledgers of data/coverage/).
SKIP_DIRS = ("coverage",)


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text: the atlas parses dates with their precision."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class RawItem:
    """One list item of a data file (a record or an entity) before validation."""

    key: str  # top-level key, e.g. "meetings"
    index: int  # position in that list in its file
    data: Any
    file: str  # path relative to the project root, e.g. "data/records/meetings-kg.yaml"
    line: int
    lines: dict[Path_, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, path: Path_) -> int:
        """Line of the value at `path` inside this item, or of its nearest parent."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.line

    def problem(self, path: Path_, message: str, hint: str | None = None) -> Problem:
        """A problem at the value `path` of this item: its file, its line, its field."""
        return Problem(self.file, self.line_of(path), self.where(path), message, hint)

    def where(self, path: Path_ = ()) -> str:
        text = f"{self.key}[{self.index}]"
        for part in path:
            text += f"[{part}]" if isinstance(part, int) else f".{part}"
        return text


@dataclass
class Loaded:
    items: list[RawItem]
    problems: list[Problem]
    files: list[str]


def load_data(data_dir: Path, root: Path) -> Loaded:
    """Read all `*.yaml` files under `data_dir` (sorted, so output is reproducible)."""
    items: list[RawItem] = []
    problems: list[Problem] = []
    files = sorted(
        p for p in data_dir.rglob("*.yaml") if p.is_file() and p.relative_to(data_dir).parts[0] not in SKIP_DIRS
    )
    names: list[str] = []
    for path in files:
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        names.append(name)
        items.extend(_load_file(path, name, problems))
    return Loaded(items, problems, names)


def _load_file(path: Path, name: str, problems: list[Problem]) -> Iterator[RawItem]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, 1, "file", f"not UTF-8 text ({exc.reason})", "save the file as UTF-8"))
        return
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problems.append(
            Problem(name, line, "yaml", f"{exc.problem or exc.context}", "check indentation and quoting on this line")
        )
        return
    finally:
        loader.dispose()
    if node is None:
        return
    if not isinstance(node, yaml.MappingNode):
        problems.append(
            Problem(
                name,
                node.start_mark.line + 1,
                "file",
                "the file must be a mapping of lists",
                "start with a key such as `meetings:`",
            )
        )
        return
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if not isinstance(value_node, yaml.SequenceNode):
            problems.append(
                Problem(
                    name, value_node.start_mark.line + 1, key, "expected a list of items", "put `- ` before each item"
                )
            )
            continue
        for index, item_node in enumerate(value_node.value):
            lines: dict[Path_, int] = {}
            data = _construct(item_node, (), lines, name, f"{key}[{index}]", problems)
            yield RawItem(key, index, data, name, item_node.start_mark.line + 1, lines)


def _construct(
    node: yaml.Node, path: Path_, lines: dict[Path_, int], name: str, where: str, problems: list[Problem]
) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in out:
                problems.append(
                    Problem(
                        name, key_node.start_mark.line + 1, f"{where}.{key}", "duplicate key", "keep one of the two"
                    )
                )
            out[key] = _construct(value_node, (*path, key), lines, name, f"{where}.{key}", problems)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(child, (*path, i), lines, name, f"{where}[{i}]", problems) for i, child in enumerate(node.value)
        ]
    loader = _Loader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()
