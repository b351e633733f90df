"""Every URL a citation names exists in the build a fresh clone makes (`make site`, no tag, no
extra command): the URLs in every cite block, in the JSON-LD and in the metadata Zotero reads.
And what Zotero saves is what the cite block cites."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import Built

_URL = re.compile(r"https?://[^\s\"'<>]+")
_ZOTERO_META = ("citation_abstract_html_url", "DC.identifier")  # Zotero takes the item URL from the first


class _Cited(HTMLParser):
    """The URLs a page's citation metadata names, and its cite block's CSL-JSON."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.urls: set[str] = set()
        self.csl: list[str] = []  # the CSL-JSON of the page's own block ("Cite this page")
        self._depth = 0  # inside <section class="atlas-cite">
        self._own = False  # ... and it is the page's own (id="cite"; a source page also cites its document)
        self._ld = False
        self._csl = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and a.get("name") in _ZOTERO_META:
            self.meta[a["name"]] = a.get("content", "")
        if tag == "meta" and a.get("property") == "og:url":
            self.meta["og:url"] = a.get("content", "")
        if tag == "section" and "atlas-cite" in a.get("class", "").split():
            self._depth = 1
            self._own = a.get("id") == "cite"
        elif self._depth and tag == "section":
            self._depth += 1
        if self._depth and tag == "a" and a.get("href"):
            self.urls.add(a["href"])
        if tag == "script" and a.get("type") == "application/ld+json":
            self._ld = True
        if tag == "pre" and a.get("data-format") == "csl" and self._own:
            self._csl = True

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "section":
            self._depth -= 1
        if tag in ("script", "pre"):
            self._ld = self._csl = False

    def handle_data(self, data: str) -> None:
        if self._csl:
            self.csl.append(data)
        if self._depth or self._ld:  # in BibTeX, RIS, CSL-JSON, the styles' text and the JSON-LD
            self.urls |= {u.rstrip(".,;)}\\") for u in _URL.findall(data)}


def _local(site: Path, base: str, url: str) -> Path | None:
    """The file of the built site that answers `url`, or None for another site's address."""
    url = html.unescape(url).split("#", 1)[0].split("?", 1)[0]
    if not url.startswith(base):
        return None
    rest = url.removeprefix(base)
    return site / rest / "index.html" if rest.endswith("/") or not rest else site / rest


@pytest.fixture(scope="module")
def cited(real_build: Built) -> tuple[Built, dict[Path, _Cited]]:
    site = real_build.root / "site"
    pages = {}
    for page in site.rglob("*.html"):
        if page.is_relative_to(site / "pagefind") or page.is_relative_to(site / "assets"):
            continue
        parser = _Cited()
        parser.feed(page.read_text(encoding="utf-8"))
        pages[page] = parser
    return real_build, pages


def test_every_url_a_citation_names_exists_in_the_default_build(cited):
    built, pages = cited
    site, base = built.root / "site", built.url + "/"
    checked: Counter[str] = Counter()
    missing = []
    for page, parsed in pages.items():
        for url in parsed.urls | set(parsed.meta.values()):
            target = _local(site, base, url)
            if target is None:
                continue
            checked[url] += 1
            if not target.is_file():
                missing.append(f"{page.relative_to(site)}: {url}")
    assert missing == [], f"{len(missing)} cited URLs answer 404, e.g. {missing[:5]}"
    # the check covered the archive: records are cited at their edition's archived page
    archived = [u for u in checked if "/editions/" in u and "/atlas/records/" in u]
    assert len(archived) >= len(built.generated.atlas.records) // 2, len(archived)
    assert len(checked) > 2 * len(built.generated.atlas.records)


def test_zotero_saves_the_url_the_cite_block_cites(cited):
    built, pages = cited
    site = built.root / "site"
    compared = 0
    for page, parsed in pages.items():
        if not parsed.csl:
            continue
        item = json.loads(html.unescape("".join(parsed.csl)))[0]
        if item["type"] == "dataset":  # "How to cite" and the downloads cite the atlas as a whole
            continue
        cited_url = item["URL"]
        for name in _ZOTERO_META:
            assert parsed.meta.get(name) == cited_url, (page.relative_to(site), name, parsed.meta.get(name), cited_url)
        compared += 1
    assert compared > len(built.generated.atlas.records)


def test_no_two_pages_are_cited_under_the_same_title(cited):
    """A bibliography can tell every page apart: repeated record titles get their date, place or
    subject in the citation. (An archived page shares its title with the current page of the same
    record: the edition tells them apart.)"""
    built, pages = cited
    site = built.root / "site"
    titles: dict[str, list[str]] = {}
    for page, parsed in pages.items():
        rel = page.relative_to(site).as_posix()
        if not parsed.csl or rel.startswith("editions/"):
            continue
        item = json.loads(html.unescape("".join(parsed.csl)))[0]
        if item["type"] == "dataset":  # the atlas as a whole ("How to cite", downloads), not a page of it
            continue
        title = item["title"]
        titles.setdefault(title, []).append(rel)
    repeated = {t: p for t, p in titles.items() if len(p) > 1}
    assert repeated == {}, list(repeated.items())[:5]
