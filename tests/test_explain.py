"""The real atlas explains itself: cited essays, entity pages, glossary, home and About."""

from __future__ import annotations

import re

import pytest

from generator import prose
from generator.build import load_atlas
from generator.config import load_config
from generator.model import organisations_of
from tests.conftest import ROOT, record_rows
from tests.helpers import render_site
from tests.test_data import SEEDS

MIN_WORDS = 300


@pytest.fixture(scope="module")
def site():
    cfg = load_config(ROOT)
    atlas = load_atlas(cfg)
    pages = {p.path: p.text for p in render_site(atlas, cfg)}
    return atlas, pages


def paragraphs(text: str) -> list[str]:
    """Prose paragraphs of an essay: blocks between blank lines that are not headings."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text)]
    return [b for b in blocks if b and not b.startswith("#")]


def essays(atlas) -> dict[str, prose.Text]:
    out = {f"country {c.slug}": atlas.essays.countries.get(c.slug) for c in atlas.focus_countries}
    out |= {f"topic {t}": atlas.essays.topics.get(t) for t in atlas.topics}
    return out


def test_every_country_and_topic_opens_with_300_cited_words(site):
    atlas, pages = site
    for name, essay in essays(atlas).items():
        assert essay is not None, f"{name} has no essay in data/prose/"
        assert prose.words(essay.text) >= MIN_WORDS, name
        for para in paragraphs(essay.text):
            cites = [c for m in prose.CITE.finditer(para) for c in prose.parse_cites(m.group(1))[0]]
            assert cites, f"{name}: paragraph without a citation: {para[:80]}"
            assert all(c.source in atlas.sources for c in cites)
    for c in atlas.focus_countries:
        page = pages[f"atlas/countries/{c.slug}.md"]
        body = page.split("## Key figures", 1)[0]  # the essay comes first
        assert prose.words(re.sub(r"<[^>]+>|\]\([^)]*\)", " ", body)) >= MIN_WORDS
        notes = page.split("## Notes", 1)[1].split("## Sources", 1)[0]
        for n in re.findall(r'<a href="#note-(\d+)"', body):  # each marker has its note: a source and a locator
            assert re.search(rf'<li id="note-{n}"><cite data-source="[a-z0-9-]+" data-locator="[^"]+">', notes), n
        assert not prose.TOKEN.search(body)  # every citation and figure was rendered


def test_assessments_name_their_authors(site):
    atlas, _ = site
    text = " ".join(e.text for e in essays(atlas).values())
    for author in ("Niva Yau", "Sébastien Peyrouse", "Farkhod Aminjonov", "Hoagland, Wolkov and Karibayeva"):
        assert author in text
    assert not re.search(r"Peyrouse[^.]{0,80}\b(she|her)\b", text)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not beside the repository")
def test_prose_is_written_in_own_words(site):
    atlas, _ = site
    n = 10

    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9]+", text.lower())

    seed = words(" ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("0*.txt")))
    runs = {tuple(seed[i : i + n]) for i in range(len(seed) - n)}
    texts = [e.text for e in atlas.essays.all()] + [g.definition for g in atlas.glossary.values()]
    copied = []
    for text in texts:
        w = words(prose.TOKEN.sub(" ", text))
        copied += [" ".join(w[i : i + n]) for i in range(len(w) - n + 1) if tuple(w[i : i + n]) in runs]
    assert copied == []


def test_entity_pages_for_every_organisation_place_and_source_a_record_names(site):
    atlas, pages = site
    for r in atlas.records.values():
        for o in organisations_of(r):
            assert f"atlas/organisations/{o}.md" in pages
        for p in r.places:
            assert f"atlas/places/{p}.md" in pages
        for c in r.citations:
            assert f"atlas/sources/{c.source}.md" in pages
    huawei = pages["atlas/organisations/huawei.md"]
    named = [r for r in atlas.records.values() if "huawei" in organisations_of(r)]
    assert len(named) > 5
    for r in named:
        assert f'href="../../records/{r.id}/"' in huawei
    bishkek = pages["atlas/places/bishkek.md"]
    assert 'class="atlas-locator-svg"' in bishkek
    assert '<span lang="ru">' in bishkek
    # links back from a record page and from the index
    record = pages[f"atlas/records/{named[0].id}.md"]
    assert "../organisations/huawei.md" in record
    assert "(organisations/huawei.md)" in pages["atlas/organisations.md"]


def test_every_record_of_a_country_is_reachable_from_its_page(site):
    atlas, pages = site
    for c in atlas.focus_countries:
        src = f"atlas/countries/{c.slug}.md"
        linked = {row.record_id for row in record_rows(pages[src])}
        for sub in set(re.findall(rf"\]\(({c.slug}/[a-z-]+\.md)\)", pages[src])):
            linked |= {row.record_id for row in record_rows(pages[f"atlas/countries/{sub}"])}
        assert linked >= {r.id for r in atlas.records_of_country(c.id)}, c.slug


def test_glossary_has_original_terms_with_language_tags(site):
    atlas, pages = site
    page = pages["atlas/glossary.md"]
    for term in ("three-evils", "rats", "c-c5", "safe-city", "stability-maintenance", "gknb", "mia", "mps"):
        assert term in atlas.glossary
        assert f"{{ #{term} }}" in page
    assert all(g.names for g in atlas.glossary.values())
    assert '<span lang="zh">三股势力</span>' in page
    assert '<span lang="ru">' in page


def test_home_and_about_agree_with_the_data(site):
    atlas, pages = site
    years = [r.when.year for r in atlas.records.values() if r.when]
    coverage = pages["atlas/_includes/coverage.md"]
    assert f"run from {min(years)} to {max(years)}" in coverage
    about = (ROOT / "docs" / "about.md").read_text(encoding="utf-8")
    assert '--8<-- "atlas/_includes/coverage.md"' in about
    assert "to 2021" not in about
    home = pages["atlas/_includes/home.md"]
    assert f"<strong>{len(atlas.records)}</strong> cited records" in home
    assert f"{min(years)}–{max(years)}" in home
    for s in (s for s in atlas.sources.values() if s.seed):
        assert f"(atlas/sources/{s.id}.md)" in home
    for c in atlas.focus_countries:
        assert f"(atlas/countries/{c.slug}.md)" in home
    assert 'data-atlas-map="map-home"' in home
    assert '--8<-- "atlas/_includes/home.md"' in (ROOT / "docs" / "index.md").read_text(encoding="utf-8")


def test_repeated_titles_are_told_apart_by_date_and_detail(site):
    _, pages = site
    page = pages["atlas/countries/kazakhstan/meeting.md"]
    rows = [row for row in record_rows(page) if row.title == "Kazakh President and Chinese President meet"]
    assert len(rows) > 5
    keys = [(row.date, row.detail) for row in rows]
    assert len(set(keys)) > len(rows) * 0.8  # date and detail (affairs discussed) separate most of them
    assert any("Three evils" in row.detail for row in rows)
