"""Raw HTML links that mean the same in a Zensical build as in a mkdocs build (a Markdown extension
that only Zensical's build loads: `build.engine_command` adds it to Zensical's copy of mkdocs.yml).

The generated pages write the links inside raw HTML blocks (record tables, infoboxes, maps' print
previews) as the browser reads them: relative to the page's URL. mkdocs leaves raw HTML as it is.
Zensical (since 0.0.35, zensical/zensical#258) reads every relative `href`, `src` and `srcset` in
the page's HTML, raw or not, as relative to the Markdown *file*, the way Markdown links are read:
on a page that is not an index (`countries/kazakhstan.md`, served at `countries/kazakhstan/`) it
puts `../` before each, so `meeting/` became `../meeting/` and the link pointed one folder too
high. Its rewrite runs on the HTML after Python-Markdown has finished, so this extension, run
last, rebases each such link in the raw HTML onto the file's folder (`kazakhstan/meeting/`), and
Zensical's `../` brings it back to what the page wrote. Markdown links are left to Zensical, which
reads them as mkdocs does. Script, style and noscript contents and comments are left alone, as
Zensical leaves them (the explorer's plain table for readers without scripts is in a noscript).
"""

from __future__ import annotations

import posixpath
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

# What Zensical rewrites (checked against its build by tests/test_links.py's Zensical test).
REWRITTEN = ("href", "src", "srcset")
INDEX_NAMES = ("index.md", "README.md")

_SKIP = r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<noscript\b.*?</noscript\s*>|<!--.*?-->"
_TAG = r"""<[A-Za-z][^\s/>]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>"""
_PIECES = re.compile(f"{_SKIP}|{_TAG}", re.S | re.I)
_ATTR = re.compile(r"""(\s)(href|src|srcset)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.I)


def _relative(url: str) -> bool:
    """Whether Zensical rewrites `url`: a relative path (not a fragment, query or empty value)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return not (parts.scheme or parts.netloc or parts.path.startswith("/") or not parts.path)


def rebase(url: str, folder: str) -> str:
    """`url`, relative to the page's URL, made relative to the page's file: Zensical puts `../`
    before it, which gives `url` back. `folder` is the page's name (its URL's last folder)."""
    if not _relative(url):
        return url
    parts = urlsplit(url)
    path = posixpath.normpath(posixpath.join(folder, parts.path))
    if parts.path.endswith("/") or parts.path in (".", ".."):
        path = path.rstrip("/") + "/"
    return urlunsplit(parts._replace(path=path))


def _srcset(value: str, folder: str) -> str:
    out = []
    for candidate in value.split(","):
        lead = candidate[: len(candidate) - len(candidate.lstrip())]
        url, *rest = candidate.strip().split(None, 1)
        out.append(lead + " ".join([rebase(url, folder), *rest]) if candidate.strip() else candidate)
    return ",".join(out)


def rebase_html(html: str, folder: str) -> str:
    """Every href, src and srcset in the start tags of `html`, rebased with `rebase`."""

    def attr(m: re.Match[str]) -> str:
        space, name, eq, raw = m.groups()
        quote = raw[0] if raw[0] in "\"'" else ""
        value = raw[1:-1] if quote else raw
        value = _srcset(value, folder) if name.lower() == "srcset" else rebase(value, folder)
        return f"{space}{name}{eq}{quote}{value}{quote}"

    def piece(m: re.Match[str]) -> str:
        text = m.group(0)
        if text.startswith("<!--"):
            return text
        start = re.match(_TAG, text)  # a script or style element: its start tag, not its content
        head = start.group(0) if start else ""
        return _ATTR.sub(attr, head) + text[len(head) :]

    return _PIECES.sub(piece, html)


def page_folder(md: Markdown) -> str | None:
    """The folder Zensical's `../` steps out of: the page's name, or None on an index page (or
    outside Zensical, where nothing needs rebasing)."""
    try:
        from zensical.extensions.context import ContextPreprocessor
    except ImportError:
        return None
    context = ContextPreprocessor.from_markdown(md)
    if context is None or not context.config.get("use_directory_urls", True):
        return None
    name = posixpath.basename(context.page.path)
    if name in INDEX_NAMES or not name.endswith(".md"):
        return None
    return name.removesuffix(".md")


class RebaseRawLinks(Postprocessor):
    """Rebases each stashed block once: extensions (toc, attr_list) run the postprocessors again
    over pieces of the page, with the same stash."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.done: set[int] = set()

    def run(self, text: str) -> str:
        folder = page_folder(self.md)
        if folder is not None:
            stash = self.md.htmlStash.rawHtmlBlocks
            for i, block in enumerate(stash):
                if i not in self.done and isinstance(block, str):
                    stash[i] = rebase_html(block, folder)
                self.done.add(i)
        return text


class ZensicalLinksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)  # so that md.reset() calls self.reset()
        self.processor = RebaseRawLinks(md)
        # before raw_html (priority 30) puts the stashed blocks back into the page
        md.postprocessors.register(self.processor, "atlas_zensical_links", 31)

    def reset(self) -> None:
        self.processor.done.clear()


def makeExtension(**kwargs: Any) -> ZensicalLinksExtension:
    return ZensicalLinksExtension(**kwargs)
