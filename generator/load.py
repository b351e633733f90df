"""Stage 1: read every YAML file under data/, keeping the file and line of every value.

Data files come from editors and, through pull requests, from anyone, so reading them is bounded
whatever they hold: a size cap, no aliases (no "billion laughs"), no explicit tags (no
`!!python/...`), a nesting limit, no control characters. Each refusal is a `file:line` problem,
never a traceback. Parsing uses libyaml when PyYAML has it (about ten times faster than the pure
Python parser, with the same line numbers) and falls back to the pure Python parser otherwise.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Problem, visible
from generator.yamlevents import _line_of_offset, _Loader, check_events

Path_ = tuple[str | int, ...]

MAX_BYTES = 4_000_000  # the largest real data file is about 200 KB
MAX_NUMBER = 1e15  # no count, size or amount the atlas records comes near; beyond it sums overflow
MAX_NUMBER_CHARS = 40  # digits of a number as written (a 5,000-digit integer stalls int())
SKIP_DIRS = ("coverage",)  # data/coverage/ holds the seed coverage ledgers, not records
_YAML_SUFFIXES = (".yaml",)
_WRONG_SUFFIXES = (".yml", ".YAML", ".YML", ".Yaml")
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
NUMBER_HINT = f"write a finite number of at most {MAX_NUMBER_CHARS} characters, below 10^15, or quote it as text"
# What YAML itself allows (PyYAML's Reader): tab, newlines and printable Unicode.
# After YAML's escapes are read: C0 and C1 controls but tab and newline, and the bidirectional
# overrides that can reverse what a reader or a terminal shows.
_UNESCAPED_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ID_LINE = re.compile(r"^[\s{-]*id:\s*['\"]?([A-Za-z0-9][\w-]*)", re.M)


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
    # Files that could not be read at all, and the ids they seem to define: references to those
    # ids are not reported as unknown, since the mistake is in the broken file.
    broken: dict[str, set[str]] = field(default_factory=dict)


def load_data(data_dir: Path, root: Path, texts: Mapping[Path, str] | None = None) -> Loaded:
    """Read all `*.yaml` files under `data_dir` (sorted, so output is reproducible); `texts`: some
    files' text as a save would leave them, checked before it is written (the caller bounds it)."""
    items: list[RawItem] = []
    problems: list[Problem] = []
    names: list[str] = []
    broken: dict[str, set[str]] = {}
    paths = _data_files(data_dir, root, problems)
    paths += sorted(p for p in (texts or {}) if p not in paths)  # a file a save would create
    for path in paths:
        name = _name(path, root)
        names.append(name)
        before = len(problems)
        loaded = _load_file_once(path, name, problems, (texts or {}).get(path))
        items.extend(loaded)
        if not loaded and len(problems) > before:
            broken[name] = _ids_in(path)
    return Loaded(items, problems, names, broken)


def _name(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


def _data_files(data_dir: Path, root: Path, problems: list[Problem]) -> list[Path]:
    """The data files, refusing what an editor would not mean: `.yml`, links out of the project."""
    found: list[Path] = []
    real_root = root.resolve()
    for folder, dirs, files in os.walk(data_dir, followlinks=False):
        here = Path(folder)
        if here == data_dir:
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        for d in list(dirs):
            if (here / d).is_symlink():
                dirs.remove(d)
                problems.append(_link_problem(here / d, root, real_root))
        for f in files:
            path = here / f
            if path.is_symlink():
                problem = _link_problem(path, root, real_root)
                if problem.message:
                    problems.append(problem)
                    continue
            if not path.is_file():  # a FIFO, socket or device would block or never end
                problems.append(
                    Problem(
                        _name(path, root), 1, "file", "not a regular file", "delete it; data files are ordinary files"
                    )
                )
                continue
            if f.endswith(_YAML_SUFFIXES):
                found.append(path)
            elif f.endswith(_WRONG_SUFFIXES):
                stem = f.rsplit(".", 1)[0]
                problems.append(
                    Problem(
                        _name(path, root),
                        1,
                        "file",
                        "data files must end in .yaml; this file would be ignored",
                        f"rename it to {stem}.yaml",
                    )
                )
    return sorted(found)


def _link_problem(path: Path, root: Path, real_root: Path) -> Problem:
    """A symbolic link is read only when it points at a file inside the project; else a problem
    (an empty message means the link is fine)."""
    name = _name(path, root)
    target = Path(os.path.realpath(path))
    if not target.exists():
        return Problem(name, 1, "file", f"broken symbolic link to {os.readlink(path)}", "delete the link")
    if path.is_dir() or not target.is_relative_to(real_root):
        return Problem(
            name,
            1,
            "file",
            "symbolic link to a folder or to a file outside the project; it is not read",
            "copy the data into data/ instead of linking to it",
        )
    return Problem(name, 1, "file", "")


def _ids_in(path: Path) -> set[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")[:MAX_BYTES]
    except OSError:
        return set()
    return set(_ID_LINE.findall(text))


def _read_text(path: Path, name: str, problems: list[Problem]) -> str | None:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            problems.append(
                Problem(
                    name,
                    1,
                    "file",
                    f"the file is {size / 1e6:.1f} MB; data files are limited to {MAX_BYTES / 1e6:.0f} MB",
                    "split it into several files, or check that it is the file you meant to add",
                )
            )
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(name, 1, "file", f"cannot be read ({exc.strerror})", "check the file's permissions"))
        return None
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark is allowed and ignored
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                name,
                _line_of_offset(raw, exc.start),
                "file",
                f"not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                "save the file as UTF-8",
            )
        )
        return None
    return _checked_text(text, name, problems)


def _checked_text(text: str, name: str, problems: list[Problem]) -> str | None:
    bad = _NON_PRINTABLE.search(text)
    if bad:
        problems.append(
            Problem(
                name,
                _line_of_offset(text, bad.start()),
                "file",
                f"control character U+{ord(bad.group(0)):04X} is not allowed",
                "delete it; such characters often come with text pasted from a PDF",
            )
        )
        return None
    return text


# The preview loads the data again after every save; only the saved file has new text. Parsed
# items are kept per file (its absolute path: two projects in one process, as in the tests, never
# share them) with the exact text they came from (never for a file with problems), and nothing
# downstream changes them. The text is read (and size-checked) as before.
_PARSED: dict[str, tuple[str, list[RawItem]]] = {}


def _load_file_once(path: Path, name: str, problems: list[Problem], text: str | None = None) -> list[RawItem]:
    text = _read_text(path, name, problems) if text is None else _checked_text(text, name, problems)
    if text is None:
        return []
    key = str(path.absolute())
    hit = _PARSED.get(key)
    if hit is not None and hit[0] == text:
        return list(hit[1])
    before = len(problems)
    items = list(_parse(text, name, problems))
    if len(problems) == before:
        _PARSED[key] = (text, items)
    return items


def _parse(text: str, name: str, problems: list[Problem]) -> Iterator[RawItem]:
    if not check_events(text, name, problems):
        return
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:  # already seen by _check_events; kept for safety
        problems.append(Problem(name, 1, "yaml", str(exc).splitlines()[0]))
        return
    finally:
        loader.dispose()
    if node is None:
        problems.append(
            Problem(name, 1, "file", "the file holds no data", "add a list such as `meetings:`, or delete the file")
        )
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
    build = _Builder(name, problems)
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(
                Problem(
                    name, key_node.start_mark.line + 1, "file", "a key must be a plain name", "write e.g. `meetings:`"
                )
            )
            continue
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
            data = build.construct(item_node, (), lines, f"{key}[{index}]")
            yield RawItem(key, index, data, name, item_node.start_mark.line + 1, lines)


class _Builder:
    """Turns nodes into plain values, recording the line of each; one scalar constructor per file."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        self.name = name
        self.problems = problems
        self.scalars = yaml.SafeLoader("")  # only its scalar constructors are used

    def construct(self, node: yaml.Node, path: Path_, lines: dict[Path_, int], where: str) -> Any:
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(
                        Problem(self.name, line, where, "a key must be a plain name", "write `name: value`")
                    )
                    continue
                key = str(key_node.value)
                if key == "<<" and key_node.tag == "tag:yaml.org,2002:merge":
                    self.problems.append(
                        Problem(
                            self.name,
                            line,
                            f"{where}",
                            "merge keys (<<) are not allowed",
                            "write the fields out in full",
                        )
                    )
                    continue
                if key in out:
                    self.problems.append(
                        Problem(self.name, line, f"{where}.{key}", "duplicate key", "keep one of the two")
                    )
                out[key] = self.construct(value_node, (*path, key), lines, f"{where}.{key}")
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.construct(child, (*path, i), lines, f"{where}[{i}]") for i, child in enumerate(node.value)]
        constructor = self.scalars.yaml_constructors.get(node.tag)
        if constructor is None:  # unreachable: _check_events refuses explicit tags
            return str(node.value)
        numeric = node.tag in (_INT_TAG, _FLOAT_TAG)
        if numeric and len(str(node.value)) > MAX_NUMBER_CHARS:
            self.problems.append(
                Problem(self.name, lines[path], where, f"a number of {len(str(node.value))} characters", NUMBER_HINT)
            )
            return None
        try:
            value = constructor(self.scalars, node)
        except (ValueError, OverflowError, yaml.YAMLError):
            self.problems.append(Problem(self.name, lines[path], where, "cannot be read as a value", NUMBER_HINT))
            return None
        if numeric and isinstance(value, float) and not math.isfinite(value):  # .nan, .inf, 1e400
            self.problems.append(Problem(self.name, lines[path], where, "is not a number", "write a number"))
            return None
        if numeric and not (isinstance(value, int | float) and abs(value) <= MAX_NUMBER):
            self.problems.append(
                Problem(self.name, lines[path], where, f"{visible(str(node.value))} is out of range", NUMBER_HINT)
            )
            return None
        if isinstance(value, str) and (bad := _UNESCAPED_CONTROL.search(value)):
            # "\0", "\e" or "\u202e" in a quoted value: no raw character, but the same harm once unescaped
            self.problems.append(
                Problem(
                    self.name,
                    node.start_mark.line + 1,
                    where,
                    f"control character U+{ord(bad.group(0)):04X} (written as an escape) is not allowed",
                    "delete the escape; write the text itself",
                )
            )
        return value
