"""Find the quote an editor opened and never closed, so the message names its own line.

A missing closing quote (`date: "2023-03`) makes YAML read on into the next lines until the next
quote, and the parser then complains about indentation somewhere below. The opening quote is the
mistake; this finds it."""

from __future__ import annotations

import re

# A block value that starts with a quote: `key: "...`, `- "...` or `- key: '...`
_OPEN = re.compile(r"^[ \t]*(?:-[ \t]+)*(?:[^\s#'\"{}\[\]][^#]*?:[ \t]+)?(['\"])", re.M)
_CLOSE = {'"': re.compile(r'(?:[^"\\]|\\.)*"', re.S), "'": re.compile(r"(?:[^']|'')*'", re.S)}
_AFTER_CLOSE = re.compile(r"[ \t]*(?:#.*)?$")


def unclosed_quote(text: str, error_line: int) -> int | None:
    """The 1-based line of a quote opened at or before `error_line` that is never closed, or whose
    closing quote is followed by more text on its line (the quote that "closed" it opened the next
    value); None when every quote before the error is closed where it should be."""
    pos = 0
    while (m := _OPEN.search(text, pos)) is not None:
        start = m.end()
        line = text.count("\n", 0, start) + 1
        if line > error_line:
            return None
        close = _CLOSE[m.group(1)].match(text, start)
        if close is None:
            return line
        end = close.end()
        rest_end = text.find("\n", end)
        rest = text[end : rest_end if rest_end != -1 else len(text)]
        if "\n" in text[start:end] and not _AFTER_CLOSE.match(rest):
            return line
        pos = end
    return None
