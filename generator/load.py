"""Stage 1: read every YAML file under data/, keeping the file and line of every value.

Data files come from editors and, through pull requests, from anyone, so reading them is bounded
whatever they hold: a size cap, no aliases (no "billion laughs"), no explicit tags (no
`!!python/...`), a nesting limit, no control characters. Each refusal is a `file:line` problem,
never a traceback. Parsing uses libyaml when PyYAML has it (about ten times faster than the pure
Python parser, with the same line numbers) and falls back to the pure Python parser otherwise.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Problem
from generator.quotes import unclosed_quote

Path_ = tuple[str | int, ...]

MAX_BYTES = 4_000_000  # the largest real data file is about 200 KB
MAX_DEPTH = 32  # records nest about five levels deep
SKIP_DIRS = ("coverage",)  # data/coverage/ holds the seed coverage ledgers, not records
_YAML_SUFFIXES = (".yaml",)
_WRONG_SUFFIXES = (".yml", ".YAML", ".YML", ".Yaml")
_STR_TAG = "tag:yaml.org,2002:str"
# What YAML itself allows (PyYAML's Reader): tab, newlines and printable Unicode.
# After YAML's escapes are read: C0 and C1 controls but tab and newline, and the bidirectional
# overrides that can reverse what a reader or a terminal shows.
_UNESCAPED_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ID_LINE = re.compile(r"^[\s{-]*id:\s*['\"]?([A-Za-z0-9][\w-]*)", re.M)

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """Safe loader that keeps dates as text: the atlas parses dates with their precision."""


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


def _line_of_offset(text: str | bytes, offset: int) -> int:
    newline = b"\n" if isinstance(text, bytes) else "\n"
    return text.count(newline, 0, offset) + 1  # type: ignore[arg-type]


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


def _check_events(text: str, name: str, problems: list[Problem]) -> bool:
    """Walk the parse events once, refusing aliases, explicit tags and deep nesting before any
    node is built, so that nothing the file holds can make loading slow or unbounded."""
    depth = 0
    ok = True
    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if isinstance(event, yaml.AliasEvent):
                problems.append(
                    Problem(
                        name,
                        line,
                        "yaml",
                        f"aliases (*{event.anchor}) are not allowed in data files",
                        "write the value out in full",
                    )
                )
                ok = False
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in (_STR_TAG, "!") and not isinstance(event, yaml.DocumentStartEvent):
                problems.append(
                    Problem(
                        name,
                        line,
                        "yaml",
                        f"tags such as {tag.replace('tag:yaml.org,2002:', '!!')} are not allowed in data files",
                        "remove the tag and write the plain value; quote it if it must stay text",
                    )
                )
                ok = False
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(
                        Problem(
                            name,
                            line,
                            "yaml",
                            f"nested more than {MAX_DEPTH} levels deep",
                            "records need only a few levels: check brackets and indentation",
                        )
                    )
                    return False
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if not ok and len(problems) > 1000:
                return False
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "quoted scalar" in str(exc.context) and exc.context_mark:  # point at the opening quote
            mark = exc.context_mark
        lines = text.splitlines()
        at = lines[mark.line] if mark and mark.line < len(lines) else ""
        message, hint = _explain(exc, at)
        line = mark.line + 1 if mark else 1
        if (opened := unclosed_quote(text, line)) is not None:  # the parser read on past it
            line, message, hint = (
                opened,
                "a quote is never closed",
                "close the quote: end the value with the same quote",
            )
        problems.append(Problem(name, line, "yaml", message, hint))
        return False
    except yaml.YAMLError as exc:  # reader errors carry no mark, only an offset
        position = getattr(exc, "position", 0) or 0
        problems.append(Problem(name, _line_of_offset(text, position), "yaml", str(exc).splitlines()[0]))
        return False
    return ok


# libyaml's and PyYAML's wording for the mistakes editors make, in the editors' terms.
_EXPLAIN: tuple[tuple[str, str, str], ...] = (
    ("tab", "a tab character", "YAML indents with spaces only: replace the tab with spaces"),
    ("expected <block end>", "indentation does not match the lines above", "line up this field with its siblings"),
    ("expected '-' indicator", "indentation does not match the lines above", "line up this field with its siblings"),
    ("expected key", "indentation does not match the lines above", "line up this field with its siblings"),
    ("mapping values are not allowed", "a colon in an unquoted value", "put the value in quotes: 'a: b'"),
    ("quoted scalar", "a quote is never closed", "close the quote opened on this line"),
    ("end of stream", "a quote or bracket is never closed", "close the quote or bracket opened here"),
    ("expected ',' or ']'", "a list in brackets is not closed", "close it with ]"),
    ("expected ',' or '}'", "a mapping in braces is not closed", "close it with }"),
)


def _explain(exc: yaml.MarkedYAMLError, line: str) -> tuple[str, str]:
    raw = f"{exc.context or ''} {exc.problem or ''}" + (
        " tab" if "\t" in line[: len(line) - len(line.lstrip())] else ""
    )
    for needle, message, hint in _EXPLAIN:
        if needle in raw:
            return message, hint
    return (exc.problem or exc.context or "not valid YAML"), "check indentation and quoting on this line"


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
    if not _check_events(text, name, problems):
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
                key = str(key_node.value)
                line = key_node.start_mark.line + 1
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
        value = constructor(self.scalars, node)
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
