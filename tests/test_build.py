"""The whole pipeline with mkdocs: strict build of the fixture atlas, and bad data that must
leave the previous site and generated pages exactly as they were."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import BAD, run_generator


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_generator(root, *args, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import make_project

    root = make_project(tmp_path_factory.mktemp("built") / "atlas")
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def test_strict_build_produces_the_site(built):
    site = built / "site"
    assert (site / "index.html").exists()
    for slug in ("kazakhstan", "kyrgyzstan", "tajikistan", "uzbekistan", "turkmenistan"):
        assert (site / "atlas/countries" / slug / "index.html").exists()
    assert (site / "atlas/records/mtg-kg-2020-11-01/index.html").exists()
    assert (site / "downloads/records.json").exists()
    assert (built / "docs/index.md").read_text(encoding="utf-8").startswith("# Fixture atlas")


def test_record_pages_stay_out_of_the_nav(built):
    home = (built / "site/index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index('<div class="md-content"')]  # the sidebars, up to the page's own text
    assert "mtg-kg-2020-11-01" not in nav  # the home page's map and newest records name it; the nav does not
    assert "atlas/countries/kazakhstan/" in nav


def test_hostile_text_is_inert_in_the_final_html(built):
    html = (built / "site/atlas/records/mtg-kg-2020-11-01/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "<img src=x" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;alert(" in html


def test_citation_metadata_for_zotero(built):
    html = (built / "site/atlas/records/tr-kz-2018-09-01/index.html").read_text(encoding="utf-8")
    assert '<meta name="citation_title" content="Surveillance cameras from China to Kazakhstan">' in html
    # Google Scholar's guidelines: no collective name as the page's author (its sources' authors
    # are inside citation_reference)
    assert 'name="citation_author"' not in html
    # Zotero saves the URL the cite block names: the record as its edition published it (archived)
    archived = "https://atlas.example.org/editions/2026.01/atlas/records/tr-kz-2018-09-01/"
    assert f'<meta name="DC.identifier" content="{archived}">' in html
    assert f'<meta name="citation_abstract_html_url" content="{archived}">' in html
    # Zotero's Embedded Metadata takes og:url before those two; citation_public_url overrides it
    assert f'<meta name="citation_public_url" content="{archived}">' in html
    assert '<meta property="og:url" content="https://atlas.example.org/atlas/records/tr-kz-2018-09-01/">' in html
    assert (built / "site/editions/2026.01/atlas/records/tr-kz-2018-09-01/index.html").is_file()


def test_no_third_party_urls_in_assets_or_pages(built):
    site = built / "site"
    for page in [site / "index.html", site / "atlas/countries/kyrgyzstan/index.html"]:
        html = page.read_text(encoding="utf-8")
        for ref in ("fonts.googleapis", "cdn.jsdelivr", "unpkg.com", "cdnjs", "bootstrap"):
            assert ref not in html, (page, ref)


def test_bad_data_fails_and_leaves_the_last_good_site(built, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(built, root)
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    gen_before = {p: p.read_bytes() for p in (root / "docs/atlas").rglob("*") if p.is_file()}
    shutil.copy(BAD / "unknown_place_typo.yaml", root / "data" / "typo.yaml")
    shutil.copy(BAD / "bad_date.yaml", root / "data" / "date.yaml")
    result = run(root, "build")
    assert result.returncode == 1
    assert (
        "data/typo.yaml:7: exercises[0].places[0]: unknown place 'dushambe' (hint: did you mean 'dushanbe'?)"
        in result.stderr
    )
    assert "data/date.yaml:6: meetings[0].date: '2019-13': month 13 is not between 01 and 12" in result.stderr
    assert result.stderr.strip().endswith("nothing was written.")
    assert {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()} == before
    assert {p: p.read_bytes() for p in (root / "docs/atlas").rglob("*") if p.is_file()} == gen_before


def test_validate_command_reports_ok(built):
    result = run(built, "validate")
    assert result.returncode == 0
    assert result.stdout.startswith("OK: 7 records")


def _meta(html_text: str) -> tuple[dict[str, list[str]], list[str]]:
    """(meta name/property -> contents, JSON-LD blocks) as a browser or Zotero decodes them."""
    from html.parser import HTMLParser

    metas: dict[str, list[str]] = {}
    scripts: list[str] = []

    class P(HTMLParser):
        ld = False

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "meta" and (a.get("name") or a.get("property")):
                metas.setdefault(a.get("name") or a.get("property"), []).append(a.get("content") or "")
            self.ld = tag == "script" and a.get("type") == "application/ld+json"

        def handle_data(self, data):
            if self.ld:
                scripts.append(data)
                self.ld = False

    P().feed(html_text)
    return metas, scripts


def test_every_page_has_the_cite_block_and_reference_manager_metadata(built):
    import json

    pages = [p for p in (built / "site").rglob("index.html") if "search" not in p.parts]
    assert len(pages) > 25
    for path in pages:
        text = path.read_text(encoding="utf-8")
        for fmt in ("apa", "chicago", "mla", "bibtex", "ris", "csl"):
            assert f'data-format="{fmt}"' in text, (path, fmt)
        metas, ld = _meta(text)
        assert metas["z.itemType"] == ["encyclopediaArticle"], path
        assert metas["prism.publicationName"] == ["Fixture Atlas"]
        # one credit: a page has no author or publisher of its own, as in its cite block
        assert "DC.creator" not in metas and "DC.publisher" not in metas and "citation_publisher" not in metas
        assert re.fullmatch(r"\d{4}/\d{2}/\d{2}", metas["citation_publication_date"][0])
        assert metas["prism.edition"] == ["2026.01 edition"]  # as the cite block's edition
        assert metas["og:url"][0].startswith("https://atlas.example.org/")
        assert "citation_author" not in metas
        assert metas["citation_public_url"] == metas["citation_abstract_html_url"] == metas["DC.identifier"], path
        for key in ("citation_title", "DCTERMS.abstract", "og:description"):
            assert not re.search(r"&(#39|amp|quot|lt|gt);", metas[key][0]), (path, key, metas[key])
        if path.relative_to(built / "site").as_posix().startswith("atlas/"):  # generated pages
            (data,) = [json.loads(s) for s in ld]
            assert data["@type"] in ("Article", "Dataset")
    downloads = (built / "site/atlas/downloads/index.html").read_text(encoding="utf-8")
    assert json.loads(_meta(downloads)[1][0])["@type"] == "Dataset"
    hostile = _meta((built / "site/atlas/records/mtg-kg-2020-11-01/index.html").read_text(encoding="utf-8"))[0]
    assert hostile["citation_title"][0].startswith("Ministers meet <script>alert('x')</script>")


@pytest.fixture(scope="module")
def zensical_built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    from tests.conftest import make_project

    root = make_project(tmp_path_factory.mktemp("zensical") / "atlas")
    return root, run(root, "build", "--engine", "zensical")


def test_zensical_builds_the_same_docs_into_site(zensical_built):
    """The second engine: same mkdocs.yml, same generated pages, strict; site/ swapped on success."""
    root, result = zensical_built
    assert result.returncode == 0, result.stdout + result.stderr
    assert "by zensical" in result.stdout
    site = root / "site"
    assert (site / "atlas/records/mtg-kg-2020-11-01/index.html").exists()
    assert (site / "downloads/records.json").exists()
    page = (site / "atlas/countries/kazakhstan/index.html").read_text(encoding="utf-8")
    assert 'name="citation_title"' in page  # the theme override in templates/theme/ is used
    assert "assets/atlas/atlas-maps.js" in page
    assert 'class="atlas-report-error"' in page  # and the partial override
    assert not list(root.glob(".zensical-*.yml")), "the scratch config is removed"
    assert not list(root.glob(".site-*")), "the temporary folder was swapped in"


def test_zensical_build_searches_with_pagefind_not_its_own_index(zensical_built):
    """Zensical's own search is off (it fetched a 3 MB search.json on every first view): the
    header holds the same Pagefind form as the mkdocs build, and Pagefind indexed the site."""
    root, result = zensical_built
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"
    assert (site / "pagefind/pagefind.js").exists()
    index = json.loads((site / "search.json").read_text(encoding="utf-8"))  # Zensical still writes it...
    assert index["items"] == []  # ...empty
    for path in ("index.html", "atlas/countries/kazakhstan/index.html", "atlas/records/mtg-kg-2020-11-01/index.html"):
        page = (site / path).read_text(encoding="utf-8")
        assert 'class="atlas-header-search"' in page and 'id="atlas-q"' in page, path
        assert 'data-md-component="search"' not in page, path  # Zensical's search dialog, which loads the index


def test_zensical_build_has_no_broken_internal_link_or_anchor(zensical_built):
    """Zensical reads links in raw HTML as relative to the Markdown file and put `../` before
    those of every page that is not an index (49 broken links here); generator/zensical_links.py
    rebases them so both engines link where the page means."""
    from tests.test_links import broken_links

    root, result = zensical_built
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"
    assert len(list(site.rglob("*.html"))) > 50
    assert broken_links(site) == []
    table = (site / "atlas/countries/kazakhstan/mechanism/index.html").read_text(encoding="utf-8")
    assert 'href="../../../records/mech-sco/"' in table  # a record table's link, as mkdocs writes it


def test_every_page_links_report_an_error_prefilled_with_its_address(built):
    from urllib.parse import parse_qs, urlsplit

    pages = sorted((built / "site").rglob("index.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        m = re.search(r'<aside class="atlas-report-error"[^>]*>\s*<p><a href="([^"]+)"', html)
        assert m, f"{page} has no report-an-error link"
        url = urlsplit(m.group(1).replace("&amp;", "&"))
        assert f"{url.scheme}://{url.netloc}{url.path}" == "https://tracker.example.org/issues/new"
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
        query = parse_qs(url.query)
        assert query["title"] == [f"Error on {canonical}"]
        assert query["template"] == ["report-error.yml"]  # the issue form, whose field `page` gets the address
        assert query["page"] == [canonical]
        assert set(query) - {"template", "title"} <= report_form_ids()


def report_form_ids() -> set[str]:
    from tests.test_contributing import form_fields

    return set(form_fields("report-error.yml"))


def _edit_link(html_text: str) -> str | None:
    m = re.search(
        r'<a href="([^"]+)" title="Edit this page" aria-label="Edit this page" class="md-content__button', html_text
    )
    return html.unescape(m.group(1)) if m else None


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_every_page_with_a_source_has_edit_this_page_on_it(engine, request):
    """Editors' pages edit their Markdown; generated pages edit what they show: a record's,
    place's or source's data file at its line, a country's or topic's essay; a listing has none.
    All from mkdocs.yml's repo_url and edit_uri."""
    root = request.getfixturevalue("built") if engine == "mkdocs" else request.getfixturevalue("zensical_built")[0]
    site = root / "site"

    def edit(path: str) -> str | None:
        return _edit_link((site / path / "index.html").read_text(encoding="utf-8"))

    repo = "https://github.com/example/fixture-atlas"
    assert edit("about") == f"{repo}/edit/main/docs/about.md"
    assert edit("atlas/countries/kyrgyzstan") == f"{repo}/edit/main/data/prose/countries/kyrgyzstan.md"
    assert edit("atlas/topics/exercises") == f"{repo}/edit/main/data/prose/topics/exercises.md"
    assert edit("atlas/methodology") == f"{repo}/edit/main/data/prose/methodology.md"
    assert edit("atlas/records") is None  # a listing: no one file holds it
    for page, key in [
        ("atlas/records/mtg-kg-2020-11-01", "id: mtg-kg-2020-11-01"),
        ("atlas/places/bishkek", "id: bishkek"),
        ("atlas/countries/kazakhstan", "id: KZ"),
    ]:
        link = edit(page)
        assert link and link.startswith(f"{repo}/blob/main/data/"), (page, link)
        file, _, line = link.removeprefix(f"{repo}/blob/main/").partition("#L")
        assert key in (root / file).read_text(encoding="utf-8").splitlines()[int(line) - 1], (page, link)


def _sections(html_text: str) -> dict[str, str]:
    """The cite blocks of a built page, by their section id."""
    return dict(re.findall(r'<section class="atlas-cite" id="([^"]+)".*?>(.*?)</section>', html_text, re.S))


def test_source_page_cites_the_page_and_the_source_itself(built):
    import json

    text = (built / "site/atlas/sources/news-c/index.html").read_text(encoding="utf-8")
    blocks = _sections(text)
    assert list(blocks) == ["cite", "cite-source"]  # two blocks, each with its own ids
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    own = blocks["cite-source"]
    assert "Cite this source" in own and "cite-source-heading" in own
    assert "Cameras &lt;b&gt;installed&lt;/b&gt;" in own and "<b>installed" not in own  # escaped
    csl = re.search(r'<pre class="atlas-cite-code" data-format="csl">(.*?)</pre>', own, re.S).group(1)
    (item,) = json.loads(html.unescape(re.sub(r"<[^>]+>", "", csl)))
    assert item["type"] == "article-newspaper" and item["container-title"] == "Daily News"
    assert "Fixture Atlas" not in own  # the document's own credit, not the atlas's
    metas, ld = _meta(text)
    assert metas["citation_reference"] == [
        "citation_title=Cameras <b>installed</b>; citation_publication_date=2019/10/05; citation_journal_title=Daily News"
    ]
    (data,) = [json.loads(s) for s in ld]
    assert data["citation"] == [
        {
            "@type": "NewsArticle",
            "name": "Cameras <b>installed</b>",
            "datePublished": "2019-10-05",
            "isPartOf": {"@type": "CreativeWork", "name": "Daily News"},
            "url": "https://news.example.org/a?x=1&y=2",
        }
    ]


def test_record_page_exposes_its_sources_to_reference_managers(built):
    import json

    text = (built / "site/atlas/records/tr-kz-2018-09-01/index.html").read_text(encoding="utf-8")
    metas, ld = _meta(text)
    refs = metas["citation_reference"]
    assert refs[0] == (
        "citation_title=A Brief; citation_author=Roe, Richard; citation_author=Poe, Edgar; "
        "citation_publication_date=2020; citation_publisher=Center"
    )
    assert refs[1].startswith("citation_title=Cameras <b>installed</b>;")
    (data,) = [json.loads(s) for s in ld]
    works = data["citation"]
    assert [w["name"] for w in works] == ["A Brief", "Cameras <b>installed</b>"]
    assert works[0]["author"][0] == {"@type": "Person", "name": "Richard Roe", "familyName": "Roe"}
    assert works[0]["publisher"] == {"@type": "Organization", "name": "Center"} and works[0]["datePublished"] == "2020"
    assert list(_sections(text)) == ["cite"]  # a record page cites itself once
