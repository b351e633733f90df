"""Raw HTML in contributors' Markdown, decided by an allow-list sanitizer.

Python-Markdown passes raw HTML through unchanged, and attribute lists (`{: onclick=...}`) add
attributes to what it makes. So the text is rendered as mkdocs renders it (the extensions of
mkdocs.yml) and the HTML is given to nh3 (Ammonia) twice: once with the allow-list, once with
everything the fragment holds allowed, through the same serialiser. Any difference is something
the allow-list refuses: a script, an event handler, a style, a `javascript:` link. It is reported
at the line of the block that holds it (generator/guard.py collects the problems).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import markdown
import nh3

from generator.errors import AtlasError, Problem, visible

_FENCE = re.compile(r"^\s*(```|~~~)")
# mkdocs' own front-matter pattern (mkdocs.utils.meta)
FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)

# --- raw HTML in Markdown ---------------------------------------------------------------------------

# What Python-Markdown and the site's extensions produce, and what an editor may write by hand.
ALLOWED_TAGS = {
    *[
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
    ],
    *[
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
    ],
    *["table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul"],
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"style", "colspan", "rowspan", "align"},
    "th": {"style", "colspan", "rowspan", "align", "scope"},
    "details": {"open"},
    "ol": {"start", "type"},
    "abbr": set(),
}
ALLOWED_STYLES = {"text-align"}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

# Markdown extensions the check leaves out: snippets are checked apart (above), and emoji only
# turns :shortcodes: into the theme's own icons.
_SKIPPED_EXTENSIONS = {"pymdownx.snippets", "pymdownx.emoji"}
_DEFAULT_EXTENSIONS = (
    "tables",
    "attr_list",
    "md_in_html",
    "admonition",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
)


def markdown_extensions(setting: Any) -> tuple[tuple[str, str], ...]:
    """The `markdown_extensions` of mkdocs.yml as (name, JSON config) pairs, so the check renders
    as mkdocs does; options the tolerant loader could not read (Python tags) are left out."""
    out = []
    for entry in setting if isinstance(setting, list) else _DEFAULT_EXTENSIONS:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) and entry else (entry, None)
        if not isinstance(name, str) or name in _SKIPPED_EXTENSIONS:
            continue
        kept = {k: v for k, v in options.items() if v is not None} if isinstance(options, dict) else {}
        out.append((name, json.dumps(kept, sort_keys=True, default=str)))
    return tuple(out)


_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*)\s*:")


class _Tags(HTMLParser):
    """What a fragment holds: its tag names, the schemes of its addresses, its style properties
    (so that the permissive pass keeps exactly those, and only the allow-list differs)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.names: set[str] = set()
        self.schemes: set[str] = set()
        self.styles: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.add(tag)
        for key, value in attrs:
            # a browser drops tabs, newlines and leading control characters before reading a scheme
            if value and (m := _SCHEME.match(re.sub(r"[\x00-\x20]", "", value))):
                self.schemes.add(m.group(1).lower())
            if key == "style" and value:
                self.styles |= {part.split(":", 1)[0].strip().lower() for part in value.split(";")}


def _scan(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def _tags(html: str) -> set[str]:
    return _scan(html).names


def _allowed(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=set(),
        attributes=ALLOWED_ATTRIBUTES,
        generic_attribute_prefixes={"data-"},
        url_schemes=ALLOWED_SCHEMES,
        filter_style_properties=ALLOWED_STYLES,
        link_rel=None,
        strip_comments=False,
    )


def _everything(html: str) -> str:
    """The same serialiser with nothing taken out, so a difference is exactly what was refused."""
    found = _scan(html)
    return nh3.clean(
        html,
        tags=found.names | ALLOWED_TAGS,
        clean_content_tags=set(),
        generic_attribute_prefixes={""},
        url_schemes=found.schemes | ALLOWED_SCHEMES,
        filter_style_properties=found.styles - {""} or None,
        link_rel=None,
        strip_comments=False,
    )


def unsafe(html: str) -> bool:
    """True when the allow-list would take anything out of `html`."""
    return _allowed(html) != _everything(html)


@functools.lru_cache(maxsize=4)
def _converter(extensions: tuple[tuple[str, str], ...]) -> markdown.Markdown:
    names = [name for name, _ in extensions]
    configs = {name: json.loads(options) for name, options in extensions}
    try:
        return markdown.Markdown(extensions=names, extension_configs=configs)
    except Exception as exc:  # an extension that does not exist or rejects its options
        raise AtlasError(f"mkdocs.yml: markdown_extensions: {visible(str(exc), 300)}") from None


def render_markdown(text: str, extensions: tuple[tuple[str, str], ...] = ()) -> str:
    """The HTML mkdocs would make of `text` (one converter per extension set, reset between texts)."""
    return _converter(extensions or markdown_extensions(None)).reset().convert(text)


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """(first line, text) of each top-level block: paragraphs split at blank lines, fenced code
    kept whole."""
    start, fenced = 1, False
    lines: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        if _FENCE.match(line):
            fenced = not fenced
        if not line.strip() and not fenced:
            if lines:
                yield start, "\n".join(lines)
            lines, start = [], n + 1
            continue
        if not lines:
            start = n
        lines.append(line)
    if lines:
        yield start, "\n".join(lines)


@functools.lru_cache(maxsize=256)
def _html_problems(text: str, name: str, first_line: int, ext: tuple[tuple[str, str], ...]) -> tuple[Problem, ...]:
    return tuple(_find_html_problems(text, name, first_line, ext))


def html_problems(
    text: str, name: str, first_line: int = 1, extensions: tuple[tuple[str, str], ...] = ()
) -> list[Problem]:
    """Raw HTML or links the allow-list refuses, at the line of the block that holds them (kept
    per text: the preview checks only what changed)."""
    return list(_html_problems(text, name, first_line, extensions))


def _find_html_problems(text: str, name: str, first_line: int, ext: tuple[tuple[str, str], ...]) -> list[Problem]:
    body = text
    if m := FRONT_MATTER.match(text):
        body = "\n" * m.group(0).count("\n") + text[m.end() :]
    if not unsafe(render_markdown(body, ext)):
        return []
    out = []
    for line, block in _blocks(body):
        if unsafe(render_markdown(block, ext)):
            out.append(_html_problem(name, first_line + line - 1, render_markdown(block, ext)))
    if not out:  # a construct that spans blocks (a link reference, an unclosed tag): the block
        blocks = list(_blocks(body))  # whose addition makes the text unsafe
        line = next(
            (
                n
                for i, (n, _) in enumerate(blocks)
                if unsafe(render_markdown("\n\n".join(b for _, b in blocks[: i + 1]), ext))
            ),
            1,
        )
        out.append(_html_problem(name, first_line + line - 1, render_markdown(body, ext)))
    return out


def _html_problem(name: str, line: int, html: str) -> Problem:
    found = sorted(_tags(html) - ALLOWED_TAGS)
    what = f"<{found[0]}>" if found else "an attribute, style or link address"
    return Problem(
        name,
        line,
        "markup",
        f"raw HTML that readers' browsers could run is not allowed here ({what}; scripts, event handlers "
        "such as onerror, style attributes and javascript: links are refused)",
        "write it in Markdown; links must start with http://, https://, mailto: or be relative",
    )
