"""Guarded reading of one file: size-capped bytes, UTF-8, JSON (gzip and nesting capped) and YAML
(no aliases or tags, bounded depth), each problem at the file's line. Used by guard.py for
templates and settings and by editions.py for manifests and snapshots."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Problem, visible

MAX_TEMPLATE_BYTES = 1_000_000
MAX_JSON_BYTES = 32_000_000  # a manifest of the real atlas is about 110 KB
MAX_UNPACKED_BYTES = 64_000_000  # a snapshot of the real atlas unpacks to about 640 KB
MAX_SETTINGS_BYTES = 200_000
ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # a record or entity id: it names a file and an address


def read_bytes(
    path: Path, name: str, limit: int, *, kind: str = "only ordinary files belong here", split: str = ""
) -> tuple[bytes | None, list[Problem]]:
    """A regular file's bytes, at most `limit` of them; never blocks on a pipe. `kind` and `split`
    are the hints for a file that is not a regular one and for one over the limit."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return None, [Problem(name, 1, "file", "not a regular file", kind)]
        if info.st_size > limit:
            return None, [
                Problem(name, 1, "file", f"is {info.st_size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB", split)
            ]
        return path.read_bytes(), []
    except OSError as exc:
        return None, [Problem(name, 1, "file", f"cannot be read ({exc.strerror})", "check the file's permissions")]


def decode(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    try:
        return raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, [Problem(name, line, "file", f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", "save it as UTF-8")]


def read_json(path: Path, name: str, *, gzipped: bool = False) -> tuple[Any, list[Problem]]:
    """A JSON file (optionally gzip-compressed): size-capped before and after unpacking, UTF-8,
    nesting bounded; a problem at the offending line, never an exception."""
    import zlib

    raw, problems = read_bytes(path, name, MAX_JSON_BYTES)
    if raw is None:
        return None, problems
    if gzipped:
        try:
            unpack = zlib.decompressobj(wbits=31)
            raw = unpack.decompress(raw, MAX_UNPACKED_BYTES + 1)
        except zlib.error as exc:
            return None, [Problem(name, 1, "file", f"not a gzip file ({visible(str(exc))})", "release it again")]
        if len(raw) > MAX_UNPACKED_BYTES or unpack.unconsumed_tail:
            return None, [
                Problem(
                    name,
                    1,
                    "file",
                    f"unpacks to more than {MAX_UNPACKED_BYTES // 1_000_000} MB (a compression bomb?)",
                    "restore the file from the release commit",
                )
            ]
    text, problems = decode(raw, name)
    if text is None:
        return None, problems
    if _json_depth(text) > 32:
        return None, [Problem(name, 1, "json", "nested more than 32 levels deep", "restore the file from git")]
    try:
        return json.loads(text), []
    except json.JSONDecodeError as exc:
        return None, [Problem(name, exc.lineno, "json", visible(exc.msg), "restore the file from git")]
    except (ValueError, RecursionError) as exc:
        return None, [Problem(name, 1, "json", visible(str(exc)), "restore the file from git")]


def _json_depth(text: str) -> int:
    """How deep brackets nest (strings' contents ignored), without building anything."""
    depth = deepest = 0
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        token = m.group(0)
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


def yaml_problems(text: str, name: str, *, allow_tags: tuple[str, ...] = ()) -> list[Problem]:
    """Aliases and anchors (the "billion laughs"), deep nesting and explicit tags other than those
    starting with one of `allow_tags`: refused before a YAML document is built."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return [Problem(name, line, "yaml", "anchors and aliases (&a, *a) are not allowed", "write values out")]
            tag = getattr(event, "tag", None)
            if tag and tag != "!" and not tag.startswith(allow_tags) and not isinstance(event, yaml.DocumentStartEvent):
                return [Problem(name, line, "yaml", f"tags such as {visible(tag)} are not allowed", "remove the tag")]
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > 32:
                    return [Problem(name, line, "yaml", "nested more than 32 levels deep", "check the brackets")]
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return [Problem(name, mark.line + 1 if mark else 1, "yaml", visible(str(exc.problem or exc.context)), "")]
    except yaml.YAMLError as exc:
        return [Problem(name, 1, "yaml", visible(str(exc).splitlines()[0]), "")]
    return []
