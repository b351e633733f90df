"""Small Markdown and HTML pieces made from data: every value is escaped here."""

from __future__ import annotations

import re
from collections.abc import Sequence

from markupsafe import Markup

from generator.fieldtypes import URL_PATTERN
from generator.text import lang_names, md

WEB = re.compile(URL_PATTERN)  # the same rule the data's URL fields are validated by


def link(href: str, text: str) -> Markup:
    return Markup(f"[{md(text)}]({href})")


def autolink(url: str) -> Markup:
    """An external address from the data, escaped, as a Markdown autolink (validation admits
    only http(s) addresses; anything else is shown as text, never as a link or a tag)."""
    if not WEB.match(url):
        return Markup(md(url))
    return Markup(f"<{md(url)}>")


def join_links(links: list[tuple[str, str]]) -> Markup:
    return Markup("; ".join(f"[{md(text)}]({href})" for href, text in links))


def names_html(names: dict[str, str]) -> Markup:
    """Names in other scripts, each tagged with its language for screen readers and fonts."""
    return Markup(" · ".join(f'<span lang="{md(lang)}">{md(name)}</span>' for lang, name in names.items() if name))


def named_links(items: Sequence[tuple[str, str, dict[str, str]]]) -> Markup:
    """ "[Name](href) (other names)" joined by commas, for (name, href, names) triples."""
    return Markup(
        ", ".join(f"[{md(name)}]({href})" + (f" ({lang_names(names)})" if names else "") for name, href, names in items)
    )


def lower_first(label: str) -> str:
    """'Joint exercises' -> 'joint exercises', but 'In-China training' -> 'in-China training'."""
    return label[:1].lower() + label[1:]
