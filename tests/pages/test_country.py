from __future__ import annotations

from generator.pages import country, kind
from generator.pages.country import CountryPage
from generator.pages.kind import KindPage
from tests.pages.conftest import Recorded


def test_a_country_page_counts_the_records_of_its_country(recorded: Recorded):
    atlas = recorded.site.atlas
    for code in country.keys(recorded.site):
        made = recorded.build(country, code)
        page = recorded.calls[0][2]["page"]
        assert isinstance(page, CountryPage)
        records = atlas.records_of_country(code)
        assert page.title == atlas.countries[code].name
        assert page.figures[0] == {"value": str(len(records)), "label": "records"}
        assert sum(g["count"] for g in page.groups) == len(records)
        # the map's data and the chart's CSV come back with the page, not through a side channel
        assert {p.path.rsplit("/", 2)[-2] for p in made[1:]} <= {"maps", "data"}


def test_each_kind_of_a_country_has_its_own_page_with_every_record(recorded: Recorded):
    atlas = recorded.site.atlas
    for key in kind.keys(recorded.site):
        recorded.build(kind, key)
        parent = atlas.records_of_country(key[1]) if key[0] == "country" else atlas.records_of_topic(key[1])
        contexts = [ctx["page"] for _, _, ctx, _ in recorded.calls]
        assert all(isinstance(c, KindPage) for c in contexts)
        assert sum(c.count for c in contexts) == len(parent)
