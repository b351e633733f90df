"""Every internal link and anchor of the built site resolves: the real atlas and the hostile one.

Links are read from the final HTML (a, link, script, img, source, iframe, area) and from the map
scripts, which build each popup's record link from the map's `records` URL and the record id.
"""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.conftest import Built

ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "iframe": "src", "area": "href"}
_RECORDS = re.compile(r'"records": ?"([^"]*)"')
_ROWS = re.compile(r"atlasMaps\.expand\((\[.*?\])\)\);")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("id", "name") if tag != "meta" and tag != "input" else ("id",):
            if a.get(key):
                self.ids.add(a[key] or "")
        attr = ATTRS.get(tag)
        if attr and a.get(attr):
            self.links.append(a[attr] or "")
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def _parse(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _target(site: Path, page: Path, url: str) -> tuple[Path, str] | None:
    """The file and fragment a link points at, or None when it leaves the site."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("mailto:", "tel:", "data:", "javascript:")):
        return None
    path = unquote(parts.path)
    if not path:
        return page, parts.fragment
    base = page.parent.relative_to(site).as_posix()
    rel = posixpath.normpath(posixpath.join(base, path)) if not path.startswith("/") else path.lstrip("/")
    target = site / rel
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


def _map_links(parsed: _Links) -> list[str]:
    """The record links the map script will build for its popups."""
    out = []
    for script in parsed.scripts:
        for base in _RECORDS.findall(script):  # atlas-maps.js: records URL + id + "/"
            for rows_text in _ROWS.findall(script):
                out += [f"{base}{row[2]}/" for row in json.loads(rows_text)]
    return out


def broken_links(site: Path) -> list[str]:
    pages = sorted(site.rglob("*.html"))
    parsed = {p: _parse(p) for p in pages}
    broken: list[str] = []
    for page, links in parsed.items():
        for url in [*links.links, *_map_links(links)]:
            hit = _target(site, page, url)
            if hit is None:
                continue
            target, fragment = hit
            where = f"{page.relative_to(site)} -> {url}"
            if not target.exists():
                broken.append(where)
            elif fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(fragment) not in ids:
                    broken.append(where + " (no such anchor)")
    return broken


def test_the_real_site_has_no_broken_internal_link_or_anchor(real_build: Built):
    site = real_build.root / "site"
    assert len(list(site.rglob("*.html"))) > 600
    assert broken_links(site) == []


def test_map_scripts_link_to_existing_record_pages(real_build: Built):
    site = real_build.root / "site"
    links = _map_links(_parse(site / "atlas" / "index.html"))
    assert len(links) > 50
    for url in links:
        target = _target(site, site / "atlas" / "index.html", url)
        assert target and target[0].exists(), url


def test_the_hostile_site_has_no_broken_internal_link_or_anchor(hostile_build: Built):
    assert broken_links(hostile_build.root / "site") == []


def test_the_checker_finds_missing_pages_and_anchors(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<h2 id="top">x</h2><a href="a/">ok</a> <a href="#top">ok</a> <a href="b/">gone</a>'
        ' <a href="a/#nope">bad anchor</a> <a href="https://example.org/x">outside</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text(
        '<a href="../index.html#top">ok</a><script>atlasMaps.register(m, {}, {"records": "../r/"});'
        'geo_json_1_add(atlasMaps.expand([[1,2,"gone-record","t",null,""]]));</script>',
        encoding="utf-8",
    )
    assert broken_links(tmp_path) == [
        "a/index.html -> ../r/gone-record/",
        "index.html -> b/",
        "index.html -> a/#nope (no such anchor)",
    ]
