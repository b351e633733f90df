"""The first pass over a data file: its YAML parse events, walked once before any node is built,
refusing aliases, explicit tags, deep nesting and overlong lists, and libyaml's messages said in
an editor's terms (load.py builds the items afterwards)."""

from __future__ import annotations

import yaml

from generator.errors import Problem
from generator.quotes import unclosed_quote

MAX_DEPTH = 32  # records nest about five levels deep
MAX_ITEMS = 10_000  # items in one list of one file (the largest real list holds about 600)
_STR_TAG = "tag:yaml.org,2002:str"

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """Safe loader that keeps dates as text: the atlas parses dates with their precision."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _line_of_offset(text: str | bytes, offset: int) -> int:
    newline = b"\n" if isinstance(text, bytes) else "\n"
    return text.count(newline, 0, offset) + 1  # type: ignore[arg-type]


def check_events(text: str, name: str, problems: list[Problem]) -> bool:
    """Walk the parse events once, refusing aliases, explicit tags and deep nesting before any
    node is built, so that nothing the file holds can make loading slow or unbounded."""
    depth = 0
    ok = True
    items = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if depth == 2 and isinstance(event, (yaml.CollectionStartEvent, yaml.ScalarEvent)):
                items += 1
                if items > MAX_ITEMS:
                    problems.append(
                        Problem(
                            name,
                            line,
                            "file",
                            f"holds more than {MAX_ITEMS:,} items",
                            "split it into several files, or check that it is the file you meant to add",
                        )
                    )
                    return False
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
        message, hint = explain(exc, at)
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


def explain(exc: yaml.MarkedYAMLError, line: str) -> tuple[str, str]:
    raw = f"{exc.context or ''} {exc.problem or ''}" + (
        " tab" if "\t" in line[: len(line) - len(line.lstrip())] else ""
    )
    for needle, message, hint in _EXPLAIN:
        if needle in raw:
            return message, hint
    return (exc.problem or exc.context or "not valid YAML"), "check indentation and quoting on this line"
