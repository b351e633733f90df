"""Browser tests of pages, tables, search and citations (the maps: test_browser_maps.py; the
fixtures and helpers: browser_kit.py)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from generator.pages import records_index
from tests.browser_kit import Watch, axe_violations, map_state
from tests.conftest import ENGINE, ROOT, Built

pytestmark = pytest.mark.browser


def test_record_page_locator_map_and_citation(real_site, page):
    url, _ = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/records/ex-sco-2010-otar/")
    assert pg.query_selector("svg.atlas-locator-svg use") is not None
    assert "Cite this record" in pg.inner_text("article")
    assert pg.get_attribute('meta[name="citation_title"]', "content")
    watch.assert_clean()


def test_hostile_record_text_stays_text_everywhere(fixture_site, page):
    pg, watch = page
    pg.goto(f"{fixture_site}/atlas/countries/kyrgyzstan/")
    map_state(pg)
    pg.evaluate(
        """() => {
        const inst = Object.values(window.atlasMaps.instances)[0];
        const m = inst.markers.find(m => m.p.i === 'mtg-kg-2020-11-01');
        inst.map.setView(m.layer.getLatLng(), inst.map.getMaxZoom(), {animate: false});
        m.layer.openPopup(); m.layer.openTooltip();
    }"""
    )
    pg.wait_for_selector(".leaflet-popup-content a")
    tip = pg.evaluate(
        """() => ({popup: document.querySelector('.leaflet-popup-content').innerText,
                   html: document.querySelector('.leaflet-popup-content').innerHTML,
                   tooltip: document.querySelector('.leaflet-tooltip').innerText})"""
    )
    assert tip["tooltip"].startswith("Ministers meet <script>alert('x')</script>")
    assert "<script>alert('x')</script>" in tip["popup"]
    assert "<script>" not in tip["html"]
    table = pg.inner_text("article")
    assert "<script>alert('x')</script>" in table
    pg.goto(f"{fixture_site}/atlas/records/mtg-kg-2020-11-01/")
    assert "<script>alert('x')</script> ${window.pwned=1} `tick` </script>" in pg.inner_text("h1")
    assert pg.evaluate("window.pwned") is None
    watch.assert_clean()


def _axe_pages(real_build: Built) -> list[str]:
    """One page of every type: home, overview, indexes, every country and topic, a record of each kind."""
    atlas = real_build.generated.atlas
    site = real_build.root / "site"
    pages = ["", "atlas/", "atlas/records/", "atlas/sources/", "atlas/places/", "atlas/organisations/"]
    pages += [p.parent.relative_to(site).as_posix() + "/" for p in sorted(site.glob("*/index.html"))]
    pages += [f"atlas/countries/{c.slug}/" for c in atlas.focus_countries]
    pages += [f"atlas/topics/{t}/" for t in sorted(atlas.topics)]
    first: dict[str, str] = {}
    for r in sorted(atlas.records.values(), key=lambda r: r.id):
        first.setdefault(r.kind, r.id)
    pages += [f"atlas/records/{rid}/" for rid in first.values()]
    pages += ["atlas/glossary/", "atlas/methodology/", "atlas/conflicts/", "atlas/compare/", "atlas/explore/"]
    pages += ["atlas/coverage/", "atlas/editions/", "atlas/downloads/", "atlas/records/years/2019/"]
    for entity in ("places", "organisations", "sources"):  # one entity page of each type
        pages += [f"atlas/{entity}/{sorted(getattr(atlas, entity))[0]}/"]
    pages += [
        f"atlas/countries/kyrgyzstan/{p.name}/" for p in sorted((site / "atlas/countries/kyrgyzstan").glob("*"))[:2]
    ]
    return [p for p in dict.fromkeys(pages) if (site / p / "index.html").exists()]


def _axe_page_types(real_build: Built) -> list[str]:
    """One page of each template: the pages `_axe_pages` lists more than once of (five countries,
    twelve topics, every kind's record, every editors' page) come once here, a few records more."""
    atlas = real_build.generated.atlas
    kinds = {"meeting", "exercise", "surveillance", "claim"}
    keep = []
    countries = topics = 0
    for path in _axe_pages(real_build):
        if path.startswith("atlas/countries/") and path.count("/") == 3:
            countries += 1
            if countries > 1:
                continue
        elif path.startswith("atlas/topics/"):
            topics += 1
            if topics > 1:
                continue
        elif path.startswith("atlas/records/") and path != "atlas/records/":
            rid = path.split("/")[2]
            if rid in atlas.records and atlas.records[rid].kind not in kinds:
                continue
        elif path.count("/") == 1 and not path.startswith("atlas/") and path not in ("editors/", "about/"):
            continue  # editors' Markdown pages: the guide and about stand for them
        keep.append(path)
    return keep


AXE_SHARDS = 3  # the page types of one configuration in three tests, so parallel workers share them
# Every page type in the light and the dark palette, at desktop and phone sizes. Zensical's build
# (`make test-zensical`) runs the two configurations that between them cover both palettes and both
# sizes: its theme's markup is Material's, and CI's time is bounded (README).
AXE_CONFIGS = {
    "light-desktop": ("default", 0, {"width": 1366, "height": 900}),
    "dark-phone": ("slate", 1, {"width": 390, "height": 844}),
    "dark-desktop": ("slate", 1, {"width": 1366, "height": 900}),
    "light-phone": ("default", 0, {"width": 390, "height": 844}),
}
# The page never scrolls sideways; a table wider than the text column (a data table of many
# columns on a phone) sits in a box within the screen that scrolls it, as WCAG's reflow rule
# allows for data tables, and that the keyboard can reach (axe: scrollable-region-focusable).
OVERFLOW = """() => {
  const out = [];
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth) out.push('page');
  const column = document.querySelector('article');
  for (const t of column ? column.querySelectorAll('table') : []) {
    if (t.getBoundingClientRect().width <= column.clientWidth + 1) continue;
    let box = t.parentElement;
    while (box && box !== column && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
    const r = box && box !== column ? box.getBoundingClientRect() : null;  // Material's box bleeds to the screen's edge
    if (!r || r.left < -1 || r.right > document.documentElement.clientWidth + 1) out.push(t.className || 'table');
  }
  return out;
}"""
# The layout shift of the page so far (Lighthouse's CLS, without scrolling): every layout-shift
# entry the browser recorded since the navigation, as a PerformanceObserver reads them (buffered).
LAYOUT_SHIFT = """() => new Promise(done => {
  let sum = 0;
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) sum += e.value;
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => done(sum), 50);
})"""
AXE_RUNS = list(AXE_CONFIGS) if ENGINE == "mkdocs" else ["light-desktop", "dark-phone"]


@pytest.mark.parametrize("config", AXE_RUNS)
@pytest.mark.parametrize("shard", range(AXE_SHARDS))
def test_axe_finds_no_accessibility_violation_on_any_page_type(real_build, browser, shard, config):
    """axe on every page type, in both palettes at both sizes; and on each, no sideways scrolling
    and no layout shift (CLS < 0.1) once the page has loaded."""
    scheme, index, viewport = AXE_CONFIGS[config]
    context = browser.new_context(viewport=viewport)
    # the reader's choice of palette, as Material's toggle stores it
    context.add_init_script(
        f"localStorage.setItem('/.__palette', JSON.stringify({{index: {index}, color: {{scheme: '{scheme}'}}}}))"
    )
    pg = context.new_page()
    watch = Watch(pg)
    found = {}
    # every page of every type in the light desktop palette; one page of each type otherwise
    pages = _axe_pages(real_build) if config == "light-desktop" and ENGINE == "mkdocs" else _axe_page_types(real_build)
    assert len(pages) > 20
    for path in pages[shard::AXE_SHARDS]:
        pg.goto(f"{real_build.url}/{path}")
        pg.wait_for_load_state("load")
        assert pg.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme, path
        if violations := axe_violations(pg):
            found[path] = violations
        # at 1366 and 390 px: the page never scrolls sideways, and no table is wider than its column
        if wide := pg.evaluate(OVERFLOW):
            found[f"{path} (overflow)"] = wide
        # nothing moves as the page's scripts run (Material wrapping tables, the atlas' own scripts):
        # CLS < 0.1 on every page at both sizes; a source's page measured 0.27 on a phone
        if (shift := pg.evaluate(LAYOUT_SHIFT)) >= 0.1:
            found[f"{path} (layout shift)"] = round(shift, 3)
    context.close()
    assert found == {}
    watch.assert_clean()


def test_hostile_text_runs_nothing_on_any_page(hostile_build, page):
    """Attack text in every data field, and what the guard lets editors write elsewhere (settings,
    front matter, essays and docs pages showing markup as code or entities; tests/hostile.py):
    on no page does a payload run (window.pw, window.__pwned, a dialog), and it shows as typed."""
    from tests.hostile import MARK

    pg, watch = page
    site = hostile_build.root / "site"
    paths = [p.parent.relative_to(site).as_posix() for p in sorted(site.rglob("index.html"))]
    assert len(paths) > 15
    shown = 0
    for path in paths:
        pg.goto(f"{hostile_build.url}/{path}/".replace("/./", "/"))
        pg.wait_for_load_state("load")
        assert pg.evaluate("[window.pw, window.__pwned]") == [None, None], path
        text = pg.inner_text("body")
        assert "ssti 49" not in text and "Co's 49" not in text, path
        shown += MARK in text
    assert shown > 10
    pg.goto(f"{hostile_build.url}/about/")
    assert "About ';window.__pwned=5;// & {{ 7*7 }}" in pg.title()
    assert "Atlas & Co's {{ 7*7 }} ';window.__pwned=1;//" in pg.title()
    assert "<script>window.__pwned=7</script>" in pg.inner_text("article")
    watch.assert_clean()


def test_hostile_text_in_every_map_popup_and_tooltip(hostile_build, page):
    from tests.hostile import MARK

    pg, watch = page
    pg.goto(f"{hostile_build.url}/atlas/")
    state = map_state(pg)
    assert state["markers"] > 0
    texts = pg.evaluate(
        """async () => {
        const inst = Object.values(window.atlasMaps.instances)[0];
        const out = [];
        for (const m of inst.markers) {
          inst.map.setView(m.layer.getLatLng(), inst.map.getMaxZoom(), {animate: false});
          m.layer.openPopup(); m.layer.openTooltip();
          await new Promise(r => setTimeout(r, 50));
          const popup = document.querySelector('.leaflet-popup-content');
          const tip = document.querySelector('.leaflet-tooltip');
          out.push({popup: popup ? popup.innerText : '', html: popup ? popup.innerHTML : '',
                    tooltip: tip ? tip.innerText : ''});
          m.layer.closePopup();
        }
        return out;
    }"""
    )
    assert len(texts) == state["markers"]
    for t in texts:
        assert MARK in t["popup"] and MARK in t["tooltip"], t
        assert "<script>" not in t["html"] and "onerror" not in t["html"].replace("onerror=window", "")
    assert pg.evaluate("window.pw") is None
    watch.assert_clean()


def test_kyrgyzstan_page_is_a_few_screens_and_reaches_every_record(real_site, browser):
    from generator.build import load_atlas
    from generator.config import load_config

    url, _ = real_site
    atlas = load_atlas(load_config(ROOT))
    want = {r.id for r in atlas.records_of_country("KG")}
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    pg = context.new_page()
    watch = Watch(pg)
    pg.goto(f"{url}/atlas/countries/kyrgyzstan/")
    pg.wait_for_load_state("load")
    height = pg.evaluate("document.documentElement.scrollHeight")
    assert height < 10_000, f"Kyrgyzstan page is {height} px tall at 1366 px"
    assert pg.inner_text("article").split("Key figures", 1)[0].count(" ") > 300  # the essay opens the page

    def record_links() -> set[str]:
        hrefs = pg.eval_on_selector_all("article a[href*='/records/']", "els => els.map(e => e.href)")
        return {h.rstrip("/").rsplit("/", 1)[1] for h in hrefs if "/records/" in h and not h.endswith("/records/")}

    seen = record_links()
    kinds = pg.eval_on_selector_all(".atlas-records td:first-child a", "els => els.map(e => e.href)")
    assert len(kinds) >= 10
    for href in kinds:
        pg.goto(href)
        seen |= record_links()
    assert want <= seen, sorted(want - seen)[:5]
    watch.assert_clean()
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/atlas/countries/kyrgyzstan/",
        "/atlas/countries/kyrgyzstan/meeting/",
        "/atlas/topics/training/",
        "/atlas/organisations/huawei/",
        "/atlas/places/bishkek/",
        "/atlas/glossary/",
    ],
)
def test_no_page_or_record_table_overflows_a_phone(real_site, browser, path):
    url, _ = real_site
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.goto(f"{url}{path}")
    pg.wait_for_load_state("load")
    assert pg.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    overflowing = pg.evaluate(
        """() => [...document.querySelectorAll('.atlas-records table')]
              .filter(t => t.scrollWidth > t.parentElement.clientWidth + 1).length"""
    )
    assert overflowing == 0
    context.close()


def test_names_carry_their_language_and_places_their_locator(real_site, page):
    url, _ = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/glossary/")
    assert pg.inner_text("span[lang=zh] >> nth=0")
    assert pg.query_selector("span[lang=ru]") is not None
    pg.goto(f"{url}/atlas/places/bishkek/")
    assert pg.query_selector("svg.atlas-locator-svg use") is not None
    assert pg.query_selector("article span[lang=ru]") is not None
    assert len(pg.query_selector_all("article a[href*='/records/']")) > 3
    watch.assert_clean()


def test_cite_block_fills_the_access_date_copies_and_downloads(fixture_site, page):
    from datetime import date

    pg, watch = page
    pg.context.grant_permissions(["clipboard-read", "clipboard-write"])
    pg.goto(f"{fixture_site}/atlas/records/tr-kz-2018-09-01/")
    today = date.today()
    bib = pg.text_content('pre[data-format="bibtex"]')
    assert f"urldate = {{{today.isoformat()}}}" in bib and "[date accessed]" not in bib
    assert f"Y2  - {today:%Y/%m/%d}" in pg.text_content('pre[data-format="ris"]')
    box = pg.locator('.atlas-cite-format[data-format="apa"]')
    box.locator(".atlas-cite-copy").click()
    copied = pg.evaluate("navigator.clipboard.readText()")
    assert copied == box.locator(".atlas-cite-text").inner_text()
    assert copied.startswith(
        "Surveillance cameras from China to Kazakhstan. (2026). In Fixture Atlas (2026.01 edition)."
    )
    pg.click(".atlas-cite-more summary")
    with pg.expect_download() as dl:
        pg.locator('.atlas-cite-format[data-format="ris"] .atlas-cite-download').click()
    assert dl.value.suggested_filename == "atlas-tr-kz-2018-09-01.ris"
    assert Path(dl.value.path()).read_text(encoding="utf-8").startswith("TY  - ENCYC")
    watch.assert_clean()


def test_cite_block_without_scripts_shows_the_placeholder(browser, fixture_site):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(f"{fixture_site}/atlas/records/tr-kz-2018-09-01/")
    assert "urldate = {[date accessed]}" in pg.text_content('pre[data-format="bibtex"]')
    assert not pg.locator(".atlas-cite-copy").first.is_visible()  # no dead buttons
    context.close()


def search_results(pg: object, url: str, query: str, typed: bool = True) -> list[str]:
    """Type `query` into the header box and return the result links in order (pages only)."""
    if typed:  # the header form (a theme override, in both engines' builds) opens the search page
        pg.goto(f"{url}/atlas/")
        pg.fill("#atlas-q", query)
        pg.press("#atlas-q", "Enter")
    else:
        pg.goto(f"{url}/search/?q={quote(query)}")
    pg.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    pg.wait_for_function("!document.querySelector('.pagefind-ui__search-input')?.closest('form')?.dataset.loading")
    links = pg.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.pathname)")
    return list(dict.fromkeys(links))  # a page's sub-results link to its own anchors


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Душанбе", "/atlas/places/dushanbe/"),  # Cyrillic
        ("Ташкент", "/atlas/records/trn-uz-2018-08-01/"),  # a delegation's visit to Tashkent
        ("塔吉克斯坦", "/atlas/countries/tajikistan/"),  # Chinese
        ("上海合作组织", "/atlas/organisations/sco/"),  # the organisation's page, before its records
        ("Dushanbe safe city", "/atlas/records/sv-tj-dushanbe-safe-city-2013/"),  # two or more Latin words
    ],
)
def test_search_finds_names_in_every_script(real_site, page, query, expected):
    url, _ = real_site
    pg, watch = page
    found = search_results(pg, url, query)
    assert expected in found[:5], found
    assert "q=" in pg.url  # the query is in the URL: shareable, survives reload
    watch.assert_clean()


def test_search_ranks_the_page_about_a_thing_first(real_site, page):
    """Every query of tests/fixtures/search_queries.yaml, typed on one search page, puts its page
    first; all misses are reported at once."""
    url, _ = real_site
    pg, watch = page
    queries = yaml.safe_load((ROOT / "tests/fixtures/search_queries.yaml").read_text(encoding="utf-8"))
    assert len(queries) >= 30
    pg.goto(f"{url}/search/")
    pg.wait_for_selector(".pagefind-ui__search-input")
    misses = []
    for query, expected in queries.items():
        pg.fill(".pagefind-ui__search-input", query)
        pg.wait_for_function(
            """q => { const m = document.querySelector('.pagefind-ui__message');
                      return m && m.textContent.includes(q)
                          && !document.querySelector('.pagefind-ui__search-input').closest('form').dataset.loading; }""",
            arg=query,
            timeout=15000,
        )
        if not pg.inner_text(".pagefind-ui__message").startswith("No results"):
            pg.wait_for_selector(".pagefind-ui__result:first-child .pagefind-ui__result-link", timeout=15000)
        links = pg.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.pathname)")
        if not links or links[0] != expected:
            rank = links.index(expected) + 1 if expected in links else None
            misses.append(f"{query!r}: {expected} is #{rank} of the first {len(links)}; first is {links[:1]}")
    assert not misses, "\n".join(misses)
    watch.assert_clean()


def test_search_results_come_as_the_reader_types_with_one_title_and_facets(real_site, page):
    url, _ = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/")
    pg.type("#atlas-q", "Huawei", delay=30)  # no Enter
    pg.wait_for_url("**/search/?q=Huawei*", timeout=15000)
    pg.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    assert pg.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.pathname)")[0] == (
        "/atlas/organisations/huawei/"
    )
    assert pg.locator(".pagefind-ui__result-nested").count() == 0  # one title per result
    # Pagefind's UI draws each facet as its filter index arrives: wait for both before reading
    both = "(t => t.includes('kind') && t.includes('country'))"
    pg.wait_for_function(
        f"{both}((document.querySelector('.pagefind-ui__filter-panel')?.innerText || '').toLowerCase())"
    )
    filters = pg.inner_text(".pagefind-ui__filter-panel")
    assert "kind" in filters.lower() and "country" in filters.lower()
    excerpts = pg.eval_on_selector_all(".pagefind-ui__result-excerpt", "els => els.map(e => e.textContent)")
    assert not [e for e in excerpts if "Organisations." in e or "Date." in e]  # sentences, not field labels
    pg.set_viewport_size({"width": 390, "height": 740})  # a phone: four results or more on one screen
    pg.evaluate("document.querySelector('.pagefind-ui__results').scrollIntoView()")
    tops = pg.eval_on_selector_all(".pagefind-ui__result", "els => els.map(e => e.getBoundingClientRect().top)")
    assert len([t for t in tops if 0 <= t < 740]) >= 4, tops
    watch.assert_clean()


def test_search_requires_every_word(real_site, page):
    url, _ = real_site
    pg, watch = page
    counts = []
    for query in ("Dushanbe", "Huawei", "Dushanbe Huawei"):
        search_results(pg, url, query)
        message = pg.inner_text(".pagefind-ui__message")  # "N results for ..."
        counts.append(int(message.split()[0]))
    assert 0 < counts[2] < min(counts[0], counts[1])  # all words, not any word
    watch.assert_clean()


def test_search_index_is_fetched_only_when_searching(real_site, page):
    url, _ = real_site
    pg, watch = page
    requested: list[str] = []
    pg.on("request", lambda r: requested.append(r.url))
    pg.goto(f"{url}/atlas/countries/kyrgyzstan/")
    pg.wait_for_load_state("networkidle")
    assert pg.locator("#atlas-q").is_visible()  # the header's search box, in both engines' builds
    # neither Pagefind nor the engine's own index (mkdocs: search_index.json; Zensical: search.json
    # and its search worker, 3.2 MB on every first view before its search was switched off)
    assert not [u for u in requested if re.search(r"/pagefind/|search_index|search\.json|workers/search", u)]
    watch.assert_clean()


def test_kyrgyzstan_page_prints_with_static_map_and_citation_on_at_most_15_a4_pages(real_site, page):
    url, _ = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/countries/kyrgyzstan/")
    map_state(pg)
    pdf = pg.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 0 < pages <= 15
    pg.emulate_media(media="print")
    assert pg.is_visible(".atlas-print-map svg use")  # static SVG map, drawn without Leaflet
    assert not pg.is_visible(".atlas-map")
    cite = pg.inner_text(".atlas-print-cite")
    assert "Kyrgyzstan" in cite and "/atlas/countries/kyrgyzstan/" in cite
    pg.emulate_media(media="screen")
    assert not pg.is_visible(".atlas-print-cite")
    watch.assert_clean()


def test_charts_are_legible_on_a_phone(real_site, browser):
    url, _ = real_site
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    watch = Watch(pg)
    for path in ("/atlas/", "/atlas/topics/transfers/", "/atlas/topics/surveillance/", "/atlas/topics/exercises/"):
        pg.goto(f"{url}{path}")
        got = pg.evaluate(
            """() => {
            const text = [...document.querySelectorAll(
                '.atlas-chart-frame span, .atlas-chart-legend li, .atlas-hbar span, figure.atlas-chart figcaption')];
            const legends = [...document.querySelectorAll('.atlas-chart-legend')];
            return {
              charts: document.querySelectorAll('figure.atlas-chart').length,
              smallest: Math.min(...text.map(e => parseFloat(getComputedStyle(e).fontSize))),
              cut: text.filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible').length,
              series: Math.max(0, ...legends.map(l => l.children.length)),
              overflow: document.documentElement.scrollWidth > window.innerWidth,
            };
        }"""
        )
        assert got["charts"] >= 1, path
        assert got["smallest"] >= 11, path
        assert got["cut"] == 0, path
        assert got["series"] <= 8, path
        assert not got["overflow"], path
    pg.goto(f"{url}/atlas/topics/surveillance/")
    assert "year not stated" in pg.inner_text("#chart-surveillance")  # undated records have a column
    watch.assert_clean()
    context.close()


def test_hostile_country_level_title_shows_literally(fixture_site, page):
    pg, watch = page
    pg.goto(f"{fixture_site}/atlas/countries/kyrgyzstan/")
    map_state(pg)
    pg.focus("path.atlas-level")
    pg.keyboard.press("Enter")
    pg.wait_for_selector(".leaflet-popup-content a.atlas-popup-link")
    text = pg.inner_text(".leaflet-popup-content")
    assert "Envoys meet {{ 7*7 }} {# x <b>not bold</b>" in text
    assert "country-level" in text
    assert pg.query_selector(".leaflet-popup-content b") is None
    watch.assert_clean()


TABLE = ".atlas-records table[data-enhanced]"


def table_state(pg: object) -> dict[str, object]:
    return pg.evaluate(
        """() => {
        const t = document.querySelector('.atlas-records table[data-enhanced]');
        const rows = [...t.tBodies[0].rows];
        const shown = rows.filter(r => !r.hidden);
        return {
          dates: shown.map(r => r.cells[0].querySelector('[data-sort]').dataset.sort),
          titles: shown.map(r => r.cells[1].querySelector('a').textContent.trim()),
          sort: [...t.tHead.rows[0].cells].map(th => th.getAttribute('aria-sort')),
          status: document.querySelector('.atlas-table-count').textContent,
          total: rows.length,
        };
    }"""
    )


def test_record_table_sorts_by_date_both_ways_and_by_title(real_site, page):
    url, _ = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/countries/kyrgyzstan/meeting/")
    pg.wait_for_selector(TABLE)
    first = table_state(pg)
    assert first["total"] >= 6
    assert first["sort"] == ["descending", None, None]
    assert first["dates"] == sorted(first["dates"], reverse=True)  # as generated: newest first
    date = pg.get_by_role("button", name="Date", exact=True)
    date.click()
    up = table_state(pg)
    assert up["sort"] == ["ascending", None, None]
    assert up["dates"] == sorted(up["dates"]) and up["dates"] != first["dates"]
    date.click()
    down = table_state(pg)
    assert down["sort"] == ["descending", None, None]
    assert down["dates"] == sorted(down["dates"], reverse=True)
    pg.get_by_role("button", name="Record", exact=True).click()
    by_title = table_state(pg)
    assert by_title["sort"] == [None, "ascending", None]
    assert by_title["titles"] == sorted(by_title["titles"], key=str.lower)
    assert pg.locator(".atlas-table-tools").count() == 1
    watch.assert_clean()


def test_record_table_filters_by_word_and_year_and_counts(real_build, real_site, page):
    url, _ = real_site
    pg, watch = page
    atlas = real_build.generated.atlas
    pg.goto(f"{url}/atlas/records/")
    pg.wait_for_selector(TABLE)
    total = len(atlas.records)
    # the index holds the newest rows (and says so); filtering fetches the others, then covers all
    first = min(total, records_index.FIRST)
    assert table_state(pg)["status"].startswith(f"{first} of {total} records shown (the newest")
    assert pg.locator(f"{TABLE} tbody tr").count() == first
    status = pg.get_by_role("status").filter(has_text="records shown")
    pg.get_by_label("Filter records").fill("Bishkek")
    pg.wait_for_selector(f"{TABLE}[data-complete]")
    shown = "document.querySelector('.atlas-table-count').textContent"
    pg.wait_for_function(f"(t => !t.includes('newest') && !t.startsWith('{total} of'))({shown})")
    assert pg.locator(f"{TABLE} tbody tr").count() == total
    got = table_state(pg)
    assert 0 < len(got["dates"]) < total
    assert got["status"] == f"{len(got['dates'])} of {total} records shown"
    assert status.inner_text() == got["status"]
    rows = pg.locator(f"{TABLE} tbody tr:not([hidden])").all_inner_texts()
    assert all("bishkek" in r.lower() for r in rows)
    pg.get_by_label("Filter records").fill("")
    pg.get_by_label("From year").fill("2019")
    pg.get_by_label("To year").fill("2019")
    in_2019 = sum(1 for r in atlas.records.values() if r.when and r.when.year == 2019)
    pg.wait_for_function(f"document.querySelector('.atlas-table-count').textContent.startsWith('{in_2019} of')")
    assert all(d.startswith("2019") for d in table_state(pg)["dates"])
    pg.get_by_label("Filter records").fill("no record says zzqx")
    pg.wait_for_function("document.querySelector('.atlas-table-count').textContent.startsWith('0 of')")
    watch.assert_clean()


def test_record_table_works_by_keyboard_alone(fixture_site, page):
    pg, watch = page
    pg.goto(f"{fixture_site}/atlas/records/")
    pg.wait_for_selector(TABLE)

    def tab_to(js_test: str) -> None:
        for _ in range(120):
            pg.keyboard.press("Tab")
            if pg.evaluate(f"(() => {{ const e = document.activeElement; return {js_test}; }})()"):
                return
        raise AssertionError(f"Tab never reached {js_test}")

    tab_to("e.type === 'search' && !!e.closest('.atlas-table-tools')")
    pg.keyboard.type("envoys")
    pg.wait_for_function("document.querySelector('.atlas-table-count').textContent === '1 of 7 records shown'")
    assert table_state(pg)["titles"] == ["Envoys meet {{ 7*7 }} {# x <b>not bold</b>"]
    pg.keyboard.press("Control+a")
    pg.keyboard.press("Backspace")
    pg.wait_for_function("document.querySelector('.atlas-table-count').textContent === '7 of 7 records shown'")
    tab_to("e.classList.contains('atlas-sort') && e.textContent === 'Date'")
    pg.keyboard.press("Enter")
    assert table_state(pg)["sort"][0] == "ascending"
    assert table_state(pg)["dates"][:2] == ["2001-06-15", "2016-10"]
    pg.keyboard.press("Space")
    assert table_state(pg)["sort"][0] == "descending"
    assert table_state(pg)["dates"][0] == "2022"
    tab_to("e.classList.contains('atlas-sort') && e.textContent === 'Source'")
    pg.keyboard.press("Enter")
    assert table_state(pg)["sort"] == [None, None, "ascending"]
    watch.assert_clean()


def test_record_tables_are_enhanced_once_after_instant_navigation(real_site, page):
    url, _ = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/countries/kyrgyzstan/")
    pg.evaluate("window.atlasSamePage = true")
    at_kind = "location.pathname.endsWith('/kyrgyzstan/meeting/') && !!document.querySelector('table[data-enhanced]')"
    pg.locator(".atlas-kinds a[href$='meeting/']").first.click()  # Material swaps the page without a reload
    pg.wait_for_function(at_kind)
    pg.go_back(wait_until="commit")
    pg.wait_for_function("location.pathname.endsWith('/kyrgyzstan/')")
    pg.go_forward(wait_until="commit")
    pg.wait_for_function(at_kind)
    assert pg.evaluate("window.atlasSamePage") is True  # the navigation really was instant
    # Under load the check above can run while Material is still swapping the page in; a table
    # enhanced twice would never settle to one toolbar and three sort buttons, and time out here.
    once = (
        "document.querySelectorAll('.atlas-table-tools').length === 1"
        " && document.querySelectorAll('.atlas-records th .atlas-sort').length === 3"
    )
    pg.wait_for_function(once)
    pg.wait_for_timeout(300)  # and it stays so
    assert pg.locator(".atlas-table-tools").count() == 1
    assert pg.locator(".atlas-records th .atlas-sort").count() == 3
    pg.get_by_role("button", name="Date", exact=True).click()
    assert table_state(pg)["sort"][0] == "ascending"
    watch.assert_clean()


def test_record_table_without_scripts_is_a_plain_table(browser, fixture_site):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(f"{fixture_site}/atlas/records/")
    assert pg.locator(".atlas-records table tbody tr").count() == 7
    assert pg.locator(".atlas-records [data-sort='2018-09-13']").inner_text() == "2018-09-13"
    assert pg.locator(".atlas-table-tools, .atlas-sort").count() == 0
    context.close()


def test_axe_finds_no_violation_on_an_enhanced_filtered_table(real_site, browser):
    url, _ = real_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    watch = Watch(pg)
    found = {}
    for path in ("atlas/countries/kyrgyzstan/meeting/", "atlas/records/", "atlas/places/bishkek/"):
        pg.goto(f"{url}/{path}")
        pg.wait_for_selector(TABLE, state="attached")
        if pg.locator(".atlas-table-tools").count():
            pg.get_by_label("Filter records").fill("china")
            pg.wait_for_function(
                "/^\\d+ of \\d+ records shown$/.test(document.querySelector('.atlas-table-count').textContent)"
            )
            pg.wait_for_timeout(300)  # the filter applies 150 ms after the last keystroke
        pg.locator(".atlas-sort").first.click()
        if violations := axe_violations(pg):
            found[path] = violations
    context.close()
    assert found == {}
    watch.assert_clean()


def test_essay_citations_are_note_markers_with_a_popover_and_a_note(real_build, real_site, browser):
    """Prose carries numbered markers, not parenthetical citations: a paragraph reads at most 15%
    longer than its text without them, and every marker opens (hover, focus) and links its note,
    which names a source page and a locator."""
    url, _ = real_site
    atlas = real_build.generated.atlas
    pages = [f"atlas/countries/{c.slug}/" for c in atlas.focus_countries]
    pages += [f"atlas/topics/{t}/" for t in sorted(atlas.essays.topics)] + ["atlas/methodology/"]
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    pg = context.new_page()
    watch = Watch(pg)
    worst = 0.0
    for path in pages:
        pg.goto(f"{url}/{path}")
        paras = pg.evaluate(
            """() => [...document.querySelectorAll('article p')].filter(p => p.querySelector('.atlas-note-ref'))
                .map(p => { const bare = p.cloneNode(true); bare.querySelectorAll('.atlas-note-ref').forEach(s => s.remove());
                            return {text: p.innerText, bare: bare.textContent}; })"""
        )
        assert paras, path
        for p in paras:
            assert not re.search(r"\([^()]*\b(1[89]|20)\d\d[a-z]?,\s", p["text"]), (path, p["text"][:120])
            worst = max(worst, len(p["text"]) / len(p["bare"]))
        notes = pg.evaluate(
            """() => [...document.querySelectorAll('.atlas-note-ref > a')].map(a => {
                const li = document.getElementById(a.hash.slice(1));
                return {li: !!li && li.closest('ol.atlas-notes') !== null,
                        cites: li ? [...li.querySelectorAll('cite')].map(c => [c.dataset.source, c.dataset.locator,
                                     c.querySelector('a').getAttribute('href')]) : []};
            })"""
        )
        for n in notes:
            assert n["li"] and n["cites"], (path, n)
            for source, locator, href in n["cites"]:
                assert source in atlas.sources and locator and href.endswith(f"/sources/{source}/"), (path, n)
    assert worst <= 1.15, worst
    first = pg.locator(".atlas-note-ref > a").first
    first.focus()  # keyboard: the popover shows the note; Escape closes it
    pop = pg.locator(".atlas-note-pop")
    assert pop.is_visible() and "/sources/" in pop.locator("a").first.get_attribute("href")
    pg.keyboard.press("Escape")
    assert pop.count() == 0
    first.hover()
    assert pop.is_visible()
    box, width = pop.bounding_box(), pg.evaluate("document.documentElement.clientWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    watch.assert_clean()
    context.close()


def test_country_infobox_is_in_the_first_screen_wide_and_the_first_two_on_a_phone(real_build, real_site, browser):
    url, _ = real_site
    slugs = [c.slug for c in real_build.generated.atlas.focus_countries]
    for width, height, screens in ((1366, 768, 1), (390, 844, 2)):
        context = browser.new_context(viewport={"width": width, "height": height})
        pg = context.new_page()
        for slug in slugs:
            pg.goto(f"{url}/atlas/countries/{slug}/")
            box = pg.evaluate(
                """() => { const a = document.querySelector('aside.atlas-infobox'), dl = a.querySelector('dl');
                  const lede = document.querySelector('.atlas-opening > p');
                  return {bottom: dl.getBoundingClientRect().bottom, top: a.getBoundingClientRect().top,
                          lede: lede.getBoundingClientRect().bottom, rows: dl.querySelectorAll('dt').length}; }"""
            )
            assert box["rows"] >= 5, (slug, box)
            assert box["bottom"] <= screens * height, (slug, width, box)
            if width < 600:  # on a phone right after the lede; beside it on a wide screen
                assert box["top"] >= box["lede"], (slug, box)
        context.close()


def test_page_furniture_fits_reads_and_is_reachable(real_site, browser):
    """No empty banner strip; the header title is whole on a phone; citation code at 12 px or more
    and focusable; the overview's country table fits at 1366 px; dark-mode buttons at 4.5:1."""
    url, _ = real_site

    def luminance(rgb: str) -> float:
        channels = [int(x) / 255 for x in re.findall(r"\d+", rgb)[:3]]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    context = browser.new_context(viewport={"width": 1366, "height": 768})
    pg = context.new_page()
    pg.goto(f"{url}/atlas/")
    assert pg.locator("aside.md-banner").count() == 0
    width = pg.evaluate("document.querySelector('article table').getBoundingClientRect().width")
    assert width <= pg.evaluate("document.querySelector('article').clientWidth"), width
    pg.goto(f"{url}/atlas/downloads/")
    codes = pg.evaluate(
        """() => [...document.querySelectorAll('pre.atlas-cite-code')].map(p => {
             const box = p.closest('.atlas-cite-scroll');  // the scrollable region the keyboard reaches
             return [parseFloat(getComputedStyle(p).fontSize), box ? box.tabIndex : -1, box && box.getAttribute('aria-label')];
           })"""
    )
    assert codes and all(size >= 12 and tab == 0 and label for size, tab, label in codes), codes
    pg.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    pg.goto(f"{url}/atlas/countries/kyrgyzstan/")
    pg.wait_for_load_state("load")
    pg.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    pg.wait_for_timeout(400)  # Material's buttons fade their colour (a 125 ms transition)
    colours = pg.evaluate(
        """() => [...document.querySelectorAll('.md-button')].filter(b => b.offsetParent || b.closest('[hidden]'))
             .map(b => [getComputedStyle(b).color, getComputedStyle(document.body).backgroundColor])"""
    )
    assert colours
    for fg, bg in colours:
        hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
        assert (hi + 0.05) / (lo + 0.05) >= 4.5, (fg, bg)
    context.close()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.goto(f"{url}/atlas/")
    title = pg.locator(".md-header__topic .md-ellipsis").first
    assert title.evaluate("t => t.scrollWidth <= t.clientWidth && t.scrollHeight <= t.clientHeight + 1")
    context.close()


def test_an_organisation_page_does_not_shift_as_it_loads(real_site, browser):
    """CLS on a phone: Material wrapped the record tables after first paint and atlas-tables.js
    inserted its filter above them (0.75 on the Huawei page); now the tables are not wrapped and
    the filter fills a slot the page already holds. Counted by a PerformanceObserver (buffered)."""
    url, _ = real_site
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    pg = context.new_page()
    pg.goto(f"{url}/atlas/organisations/huawei/")
    pg.wait_for_selector(".atlas-table-slot .atlas-table-count")  # the filter has been drawn
    pg.wait_for_timeout(500)
    cls = pg.evaluate(LAYOUT_SHIFT)
    assert cls < 0.1, cls
    assert pg.locator(".atlas-infobox dt", has_text="Main partners").count() == 1
    assert pg.locator("#network + p + h3 + ol.atlas-network > li").count() >= 3
    context.close()
