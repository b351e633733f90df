"""The explorer's page, data file and citations over the fixture atlas (with its hostile text);
tests/test_browser_explore.py uses them in the browser against the real atlas."""

from __future__ import annotations

import html
import json
import re

from generator.model import organisations_of
from generator.pages import explore, record
from generator.schema import FOCUS
from tests.pages.conftest import Recorded


def _files(recorded: Recorded) -> dict[str, str]:
    return {p.path: p.text for p in recorded.build(explore, None)}


def test_the_data_file_has_one_row_per_record_with_the_facets_the_site_counts(recorded: Recorded):
    atlas = recorded.site.atlas
    files = _files(recorded)
    raw = files["atlas/explore/data.json"]
    assert "<" not in raw and ">" not in raw  # hostile titles stay inert if it is ever inlined
    data = json.loads(raw)
    assert [row[0] for row in data["records"]] == list(atlas.records)
    for rid, title, kind, date, countries, topics, orgs, places, sources, conflict, certainty in data["records"]:
        r = atlas.records[rid]
        assert title == r.title
        assert data["kinds"][kind][0] == r.kind
        assert date == (r.when.iso if r.when else "")
        want = [c for c in r.participating if c in FOCUS] or (["CA"] if r.region else [])
        assert (countries.split(",") if countries else []) == want
        assert [data["topics"][i][0] for i in topics] == [t for t in r.topic_ids if t in atlas.topics]
        assert [data["orgs"][i][0] for i in orgs] == [o for o in organisations_of(r) if o in atlas.organisations]
        assert [data["places"][i][0] for i in places] == r.places
        assert {data["sources"][i][0] for i in sources} == {c.source for c in r.citations}
        assert conflict == (1 if r.conflicts else 0)
        assert data["certainty"][certainty][0] == explore._certainty(r)
    for pid, _name, lat, lon, precision in data["places"]:
        p = atlas.places[pid]
        assert (lat, lon, precision) == (round(p.lat, 3), round(p.lon, 3), p.precision)


def test_each_records_citation_is_the_one_its_page_gives(recorded: Recorded):
    cites = json.loads(_files(recorded)["atlas/explore/cite.json"])
    assert set(cites) == set(recorded.site.atlas.records)
    for rid in list(cites)[:5]:
        page = recorded.build(record, rid)[0].text
        for fmt, text in zip(("bibtex", "ris"), cites[rid], strict=True):
            shown = re.search(rf'<pre class="atlas-cite-code" data-format="{fmt}">(.*?)</pre>', page, re.S)
            assert shown is not None
            # the page's block as a reader copies it (Markdown turns the BibTeX's tabs into spaces)
            copied = html.unescape(re.sub(r"<[^>]+>", "", shown.group(1))).expandtabs(4)
            assert copied.strip() == text.strip()


def test_without_scripts_every_record_is_listed_and_escaped(recorded: Recorded):
    atlas = recorded.site.atlas
    text = _files(recorded)["atlas/explore.md"]
    table = text[text.index("<noscript>") : text.index("</noscript>")]
    links = re.findall(r'<a href="\.\./records/([^/"]+)/">', table)
    assert links == list(atlas.records)
    hostile = [r.title for r in atlas.records.values() if "<script>" in r.title]
    assert hostile and "<script>" not in table and "&lt;script&gt;" in table
