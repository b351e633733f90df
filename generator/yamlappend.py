"""Append one item to a top-level list of a YAML data file, in that file's own indentation style.

The style (column of the items' `-`, column of their keys, and whether nested lists are indented
under their key or not) is read from the file's last item. The new text is inserted right after
that item (so it lands in the right list even when other top-level lists follow), and the result
is parsed again before anything is written: it must be the old data plus exactly one item at the
end of that list, or the file is left untouched and an `AtlasError` says why.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.errors import AtlasError

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class ListStyle:
    dash: int = 2  # column of each item's "-"
    key: int = 4  # column of each item's keys
    nested: int = 2  # a nested block list's "-", relative to its key's column (0: not indented)

    def first(self, text: str) -> str:
        return " " * self.dash + "-" + " " * (self.key - self.dash - 1) + text


DEFAULT = ListStyle()


def _last_end(node: yaml.Node) -> yaml.Mark:
    """Where the last value inside `node` ends (a block collection's own end mark lies at the next token)."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return _last_end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return _last_end(node.value[-1])
    return node.end_mark


def _nested(items: list[yaml.Node]) -> int | None:
    """How far the file indents a block list nested in an item, relative to its key."""
    for item in reversed(items):
        for k, v in item.value if isinstance(item, yaml.MappingNode) else []:
            if isinstance(v, yaml.SequenceNode) and not v.flow_style and v.value:
                return int(v.start_mark.column - k.start_mark.column)
    return None


def _style(lines: list[str], items: list[yaml.Node]) -> ListStyle:
    last = items[-1]
    line = lines[last.start_mark.line]
    dash = len(line) - len(line.lstrip(" "))
    if line[dash : dash + 1] != "-":
        raise AtlasError(f"line {last.start_mark.line + 1}: the last item does not start with '-' on its own line")
    key = last.start_mark.column
    if not isinstance(last, yaml.MappingNode) or last.flow_style or key <= dash:
        key = dash + 2  # `- {id: ...}` flow items: write a block item with the usual gap
    nested = _nested(items)
    return ListStyle(dash, key, DEFAULT.nested if nested is None or nested < 0 else nested)


def _parse(text: str, where: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # a safe loader
    except yaml.YAMLError as exc:
        raise AtlasError(f"{where}: does not parse as YAML ({exc}); fix it first, nothing was written") from None


def plan(text: str, key: str, render: Callable[[ListStyle], str], where: str) -> tuple[str, int]:
    """The new text of a file holding `text`, with `render(style)` appended to its list `key`, and
    the (1-based) line of the new item's `-`. Raises `AtlasError` if that cannot be done safely."""
    old = _parse(text, where) if text.strip() else None
    if old is not None and not isinstance(old, dict):
        raise AtlasError(f"{where}: the file is not a mapping of lists; nothing was written")
    old = old or {}
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    root = yaml.compose(text, Loader=_Loader) if old else None
    pair = next(((k, v) for k, v in root.value if k.value == key), None) if root is not None else None
    if pair is None:  # no such list yet: a new top-level key at the end of the file
        style, at, head = DEFAULT, len(lines), ([""] if lines else []) + [f"{key}:"]
    else:
        knode, value = pair
        if isinstance(value, yaml.SequenceNode) and value.value:
            if value.flow_style:
                raise AtlasError(
                    f"{where}:{knode.start_mark.line + 1}: `{key}` is a [flow] list; write it as a block list"
                )
            style = _style(lines, value.value)
            end = _last_end(value.value[-1])
            at = end.line if end.column > 0 else end.line - 1
            at += 1
            while at > 0 and not lines[at - 1].strip():
                at -= 1  # after the item's last text, before the blank lines that follow it
            head = [""]
        elif (isinstance(value, yaml.SequenceNode) and value.flow_style) or value.tag.endswith(":null"):
            # `key: []` or `key:`: the key on its own line, then the first item
            row = knode.start_mark.line
            if value.end_mark.line != row:
                raise AtlasError(f"{where}:{row + 1}: `{key}` is empty in a form this command cannot extend")
            rest = lines[row][value.end_mark.column :] if isinstance(value, yaml.SequenceNode) else ""
            lines[row] = lines[row][: knode.end_mark.column] + ":" + rest
            style, at, head = DEFAULT, row + 1, []
        else:
            raise AtlasError(f"{where}:{knode.start_mark.line + 1}: `{key}` is not a list; nothing was written")
    block = render(style).rstrip("\n").split("\n")
    new_lines = lines[:at] + head + block + lines[at:]
    new = "\n".join(new_lines) + "\n"
    first = style.first("")
    line = next(at + len(head) + i + 1 for i, ln in enumerate(block) if ln.startswith(first))
    _check(old, _parse(new, where), key, _parse(render(DEFAULT), where), where)
    return new, line


def _check(old: dict[str, Any], new: Any, key: str, item: Any, where: str) -> None:
    expected = dict(old)
    expected[key] = list(old.get(key) or []) + list(item)
    if new != expected or list(new) != list(expected):
        raise AtlasError(
            f"{where}: appending would not give the same data plus one `{key}` item "
            "(unusual indentation or a block scalar at the end of the list?); nothing was written"
        )


def append(path: Path, key: str, render: Callable[[ListStyle], str], where: str, start: str = "") -> int:
    """Append to `path` (created if missing, beginning with `start`) as `plan` says; returns the
    new item's line."""
    text = path.read_text(encoding="utf-8") if path.exists() else start
    new, line = plan(text, key, render, where)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.new")
    tmp.write_text(new, encoding="utf-8")
    os.replace(tmp, path)
    return line
