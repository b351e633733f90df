"""Attack text in every text field of every entity (tests/hostile.py) builds, and stays text:
no template runs it, no HTML or script is made of it, and it shows as typed."""

from __future__ import annotations

import copy
import html
import re
from html.parser import HTMLParser
from pathlib import Path

from generator.load import load_data
from generator.schema import RECORD_KINDS
from tests.conftest import FIXTURE, Built
from tests.hostile import MARK, PAYLOAD, poison

LIVE = ("<script>window.pw", "<img src=x onerror", 'href="javascript:', "href='javascript:")


class _Text(HTMLParser):
    """Visible text of a page (script and style left out) and its meta tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.meta: dict[str, str] = {}
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1
        if tag == "meta":
            a = dict(attrs)
            key = a.get("property") or a.get("name")
            if key and a.get("content") is not None:
                self.meta[key] = a["content"] or ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.parts))


def _page(path: Path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _pages(b: Built) -> list[Path]:
    return sorted((b.root / "site").rglob("*.html"))


def test_payload_reaches_every_text_field_the_schema_allows():
    loaded = load_data(FIXTURE / "data", FIXTURE)
    poisoned = 0
    for item in loaded.items:
        model = RECORD_KINDS.get(item.key)
        if model is not None:
            data = copy.deepcopy(item.data)  # the loader keeps parsed items for the next load
            poisoned += poison(data, model)
            assert data["title"] == PAYLOAD, data["id"]
            for field in ("summary", "notes", "date_as_given"):
                if field in data:
                    assert data[field] == PAYLOAD
    assert poisoned >= 20


def test_no_template_ever_runs_data(hostile_build: Built):
    for path in [*(hostile_build.root / "site").rglob("*"), *(hostile_build.root / "docs" / "atlas").rglob("*")]:
        if path.is_file() and path.suffix in (".html", ".md", ".js", ".json", ".csv", ".xml", ".txt"):
            assert "ssti 49" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_no_markup_or_script_is_made_of_data(hostile_build: Built):
    for path in _pages(hostile_build):
        text = path.read_text(encoding="utf-8")
        for live in LIVE:
            assert live not in text, f"{live} in {path}"


def test_payload_shows_as_typed_on_record_pages(hostile_build: Built):
    want = re.sub(r"\s+", " ", PAYLOAD)
    records = sorted((hostile_build.root / "site" / "atlas" / "records").glob("*/index.html"))
    assert records
    for path in records:
        assert want in _page(path).text, path


def test_meta_descriptions_are_escaped_once(hostile_build: Built):
    seen = 0
    for path in _pages(hostile_build):
        meta = _page(path).meta
        for key in ("description", "og:description", "citation_title", "og:title"):
            value = meta.get(key, "")
            assert "&#" not in value and "&amp;" not in value and "&lt;" not in value, (path, key, value)
            if MARK in value:
                seen += 1
    assert seen > 0
    assert html.unescape(MARK) == MARK
