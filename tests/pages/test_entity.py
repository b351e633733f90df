"""Organisation and place pages: the infobox and the network computed from the fixture atlas's
records, and the cited description."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.core import network
from generator.core.entity import EntityPage
from generator.pages import organisation, place
from tests.conftest import make_project
from tests.pages.conftest import Recorded, recorded_site

# The fixture atlas's records name one organisation; its edition manifest pins their content, so the
# organisations these tests need are added to a scratch copy, not to the fixture itself.
LINKS = {
    "    places: [bishkek]\n": "    places: [bishkek]\n    organisations: [cn-mps, sco]\n",
    "    places: [dushanbe]\n": "    places: [dushanbe]\n    organisations: [sco, cn-mps]\n",
    "    organisations: [huawei]\n": "    organisations: [huawei, cn-mps]\n",
}


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    root = make_project(tmp_path_factory.mktemp("entity") / "atlas")
    records = Path(root / "data" / "records.yaml")
    text = records.read_text(encoding="utf-8")
    for old, new in LINKS.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    records.write_text(text, encoding="utf-8")
    return recorded_site(root)


def _page(recorded: Recorded, module, key: str) -> EntityPage:  # type: ignore[no-untyped-def]
    recorded.build(module, key)
    page = recorded.calls[0][2]["page"]
    assert isinstance(page, EntityPage)
    return page


def test_an_organisations_network_ranks_partners_by_the_records_linking_them(recorded: Recorded):
    found = network.partners(recorded.site.atlas, "cn-mps")
    got = {g: [(x.id, [r.id for r in x.records]) for x in links] for g, links in found.items()}
    # sco shares two records with cn-mps, huawei one: the partner with more links comes first
    assert got["organisation"] == [
        ("sco", ["mtg-kg-2020-11-01", "ex-bi-tj-2016-01"]),
        ("huawei", ["tr-kz-2018-09-01"]),
    ]
    assert got["state"] == [("KZ", ["tr-kz-2018-09-01"]), ("KG", ["mtg-kg-2020-11-01"]), ("TJ", ["ex-bi-tj-2016-01"])]
    assert got["place"] == [("bishkek", ["mtg-kg-2020-11-01"]), ("dushanbe", ["ex-bi-tj-2016-01"])]


def test_the_organisation_page_shows_the_network_with_links_to_the_linking_records(recorded: Recorded):
    page = _page(recorded, organisation, "cn-mps")
    assert page.network is not None
    orgs = next(g for g in page.network if g["group"] == "organisation")
    assert [(p["name"], p["href"], p["count"]) for p in orgs["rows"]] == [
        ("Shanghai Cooperation Organisation", "../sco/", 2),
        ("Huawei", "../huawei/", 1),
    ]
    assert [r["href"] for r in orgs["rows"][0]["records"]] == [
        "../../records/mtg-kg-2020-11-01/",
        "../../records/ex-bi-tj-2016-01/",
    ]
    states = next(g for g in page.network if g["group"] == "state")
    assert states["rows"][0]["href"] == "../../countries/kazakhstan/"


def test_the_organisation_infobox_is_computed_from_its_records(recorded: Recorded):
    page = _page(recorded, organisation, "cn-mps")
    rows = {r["label"]: r for r in page.infobox or []}
    assert rows["Type"]["value"] == "Police"
    assert rows["Country"]["value"] == "China" and rows["Country"]["href"] is None  # not a focus country
    assert rows["Records"]["value"] == "3"
    assert rows["Years"]["value"] == "2016–2020"
    assert rows["Kinds"]["links"] == [
        ("Meetings (1)", "#meeting"),
        ("Joint exercises (1)", "#exercise"),
        ("Transfers (1)", "#transfer"),
    ]
    assert rows["States taking part"]["links"] == [
        ("Kazakhstan (1)", "../../countries/kazakhstan/"),
        ("Kyrgyzstan (1)", "../../countries/kyrgyzstan/"),
        ("Tajikistan (1)", "../../countries/tajikistan/"),
    ]
    assert rows["Main partners"]["links"] == [
        ("Shanghai Cooperation Organisation", "../sco/"),
        ("Huawei", "../huawei/"),
    ]
    # the locator shows the places of its records
    assert page.locator_svg is not None and "<title>Bishkek</title>" in page.locator_svg
    assert "<title>Dushanbe</title>" in page.locator_svg


def test_the_description_is_shown_with_its_citation_as_a_note(recorded: Recorded):
    page = _page(recorded, organisation, "cn-mps")
    assert page.lede is not None and page.lede.startswith("China&#39;s police ministry")
    assert 'href="#note-1"' in page.lede
    assert page.endnotes[0]["cites"] == [
        {
            "id": "report-a",
            "short": page.endnotes[0]["cites"][0]["short"],
            "href": "../../sources/report-a/",
            "locator": "Appendix 1",
        }
    ]
    assert page.references[0]["id"] == "report-a"
    assert _page(recorded, organisation, "sco").lede is None  # no description, no lede


def test_a_place_infobox_counts_its_records_and_names_its_organisations(recorded: Recorded):
    page = _page(recorded, place, "bishkek")
    rows = {r["label"]: r for r in page.infobox or []}
    assert rows["Country"]["href"] == "../../countries/kyrgyzstan/"
    assert rows["Records"]["value"] == "1"
    assert rows["Main partners"]["links"] == [
        ("Ministry of Public Security", "../../organisations/cn-mps/"),
        ("Shanghai Cooperation Organisation", "../../organisations/sco/"),
    ]
    assert page.network is None
